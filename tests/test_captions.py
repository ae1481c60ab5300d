"""Photo captions (`corpus.captions`), in two languages: a short line above its picture's credit
line or ending with its credit is a caption; a link's headline and a quotation are not."""
import pytest

from corpus import clean
from corpus.clean import clean_corpus, clean_text

BODY = ("The regional council met on Tuesday to discuss the budget for the coming year, and members "
        "argued for several hours about the cost of new roads, a spokesperson said.")
LEAD = "Work on the new bridge over the river will start in the spring and should take two years, the mayor said."


def removed(cleaned: clean.Cleaned) -> list[tuple[str, str]]:
    return [(r.text, r.reason) for r in cleaned.removed]


@pytest.mark.parametrize("caption, credit", [("Officials inspect the damaged area.", "Photo credit: Kota Agency"),
                                             ("Petugas memeriksa area yang rusak.", "Foto: Kantor Berita Kota")])
def test_a_caption_other_pages_repeat_above_its_credit_line_is_no_title(caption, credit):
    pages = clean_corpus([f"{caption}\n{credit}\n{LEAD} {n}.\n{BODY}" for n in range(2)])
    assert [removed(page)[0] for page in pages] == [(caption, clean.CAPTION)] * 2


@pytest.mark.parametrize("line, label, headline", [
    ("Officials said on Monday that ten people were on board the plane.", "Read also :", "Five Things To Know About The Rail Line"),
    ("Pejabat mengatakan sepuluh orang berada di dalam pesawat itu.", "Baca Juga :", "Viral Video Warga Tolak Pembangunan Jalan Tol"),
])
def test_a_line_above_a_label_only_line_and_a_headline_is_no_caption(line, label, headline):
    cleaned = clean_text(f"{LEAD}\n{line}\n{label}\n{headline}\n{BODY}")
    assert line in cleaned.text


@pytest.mark.parametrize("quote", ['"We will reopen the line next week," the minister said. (Photo: Kota Agency)',
                                   '"Kami akan membuka jalur itu pekan depan," kata menteri. (Foto: Kantor Berita Kota)'])
def test_a_quotation_with_a_glued_credit_is_no_caption(quote):
    cleaned = clean_text(f"{LEAD}\n{quote}\n{BODY}")
    assert quote.rsplit(" (", 1)[0] in cleaned.text
