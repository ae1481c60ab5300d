"""Language groups from the corpus's own function words, named by the identifier."""

from corpus import language
from corpus.language import detect_languages
from corpus.terms import term_counts
from stories_corpus import QUAKE, TALKS

ENGLISH = [
    "The council said on Monday that the new bridge over the river would open in the spring, and that "
    "traffic on the old road would be limited while the work goes on.",
    "Farmers in the valley said the rain had come too late for the harvest, and that they would ask the "
    "government for help before the winter.",
    "The museum will show the paintings for the first time since they were found in a barn, the director "
    "said, and tickets are already sold out for the opening week.",
    "Police said the man was arrested at the station after a search that lasted for most of the night, and "
    "that he would appear in court on Friday.",
]
INDONESIAN = [
    "Pemerintah kota mengatakan pada hari Senin bahwa jembatan baru di atas sungai akan dibuka pada musim "
    "hujan, dan jalan lama akan ditutup selama pekerjaan itu berlangsung.",
    "Para petani di lembah itu mengatakan hujan datang terlambat untuk panen, dan mereka akan meminta "
    "bantuan kepada pemerintah sebelum musim kemarau.",
    "Museum itu akan memamerkan lukisan tersebut untuk pertama kalinya sejak ditemukan di sebuah gudang, "
    "kata direktur museum, dan tiket untuk pekan pembukaan sudah habis.",
    "Polisi mengatakan pria itu ditangkap di stasiun setelah pencarian yang berlangsung hampir sepanjang "
    "malam, dan dia akan menjalani sidang di pengadilan pada hari Jumat.",
]


def detect(texts):
    counts = term_counts(texts)
    return detect_languages(counts.presence(), ~counts.has_digit, texts)


def test_one_language_is_one_group():
    found = detect(ENGLISH)
    assert found.names == ["en"]
    assert found.codes == ["en"] * 4


def test_the_identifier_model_is_let_go_once_the_groups_are_named():
    import py3langid.langid

    detect(ENGLISH)
    assert py3langid.langid.IDENTIFIER is None
    assert language.identify(ENGLISH[0]) == "en"          # loaded again when asked


def test_two_languages_are_two_groups_named_by_the_identifier():
    found = detect(ENGLISH + INDONESIAN + list(QUAKE.values()) + list(TALKS.values()))
    assert found.count == 2
    assert found.codes[:8] == ["en"] * 4 + ["id"] * 4
    assert found.codes[8:] == ["id", "id", "en", "en", "id", "id", "en", "en"]


def test_confused_labels_of_one_language_do_not_split_it(monkeypatch):
    """An identifier that calls every other prefix of one language by another
    name (as Indonesian and Malay are confused) still gives one group."""
    calls = []

    def unsteady(text):
        calls.append(text)
        if len(text) > language.PREFIX_CHARS:
            return "aa"                                    # a group's text together, long enough to name
        return "aa" if len(calls) % 2 else "bb"

    monkeypatch.setattr(language, "identify", unsteady)
    found = detect(INDONESIAN * 3)
    assert found.count == 1
    assert set(found.codes) == {"aa"}


def test_short_texts_are_not_split_off_by_unsteady_labels(monkeypatch):
    """Two headlines with few of the main group's function words, which the
    identifier calls another language, are too short to be named reliably:
    they stay with the nearest group. Long enough, the same texts make a group."""
    odd = ["Zorbax and the quintel", "The quintel zorbax plonk"]
    monkeypatch.setattr(language, "identify", lambda text: "xx" if "zorbax" in text.lower() else "en")
    assert detect(ENGLISH * 2 + odd).count == 1
    assert detect(ENGLISH * 2 + [" ".join([text] * 20) for text in odd]).count == 2


def test_a_document_without_words_has_no_language():
    found = detect(ENGLISH + ["2024 12 31"])
    assert found.codes[-1] is None
    assert found.groups[-1] == -1


def test_empty_corpus():
    found = detect([])
    assert found.count == 0 and found.codes == []
