"""Corpora for the HTML report's tests (built here, never copied from ../shared/data)."""

from conftest import FLOOD, FLOOD_OTHER
from corpus.read import Record

# Each would set window.pwned if it ever ran.
PAYLOADS = {
    "id_script": "<script>window.pwned=1</script>",
    "id_attr": '"><img src=x onerror="window.pwned=2">',
    "id_js": "javascript:window.pwned=3",
    "title": "</style><script>window.pwned=4</script>",
    "outlet": "<svg onload=window.pwned=5>",
    "text_img": '<img src=x onerror="window.pwned=6">',
    "text_template": "</template><script>window.pwned=7</script>",
    "text_link": "javascript:window.pwned=8",
}
HOSTILE_SENTENCE = (
    f"Readers saw {PAYLOADS['text_img']} and {PAYLOADS['text_template']} in the flood report, "
    f"and a link to {PAYLOADS['text_link']} as well."
)


def hostile_records() -> list[Record]:
    """One story of three reports whose ids, titles, outlets, sources and texts carry script payloads."""
    fields = {"title": PAYLOADS["title"], "outlet": PAYLOADS["outlet"], "date": "2024-03-02"}
    return [
        Record(PAYLOADS["id_script"], FLOOD + "\n\n" + HOSTILE_SENTENCE, PAYLOADS["id_script"] + ".txt", fields=fields),
        Record(PAYLOADS["id_attr"], FLOOD_OTHER + "\n\n" + HOSTILE_SENTENCE, "b.txt",
               fields={"outlet": "<iframe srcdoc=x onload=window.pwned=9>", "date": "2024-03-01"}),
        Record(PAYLOADS["id_js"], FLOOD.replace("Sunday", "Sunday night"), "c.txt", fields={"title": PAYLOADS["text_img"]}),
    ]
