from corpus import clean, glued_chrome
from corpus.clean import clean_corpus
from tests.clean_streams import cleaned_in_batches

NOTICE = ("Reprint notice: this copy is for your personal use only. To order copies for your colleagues "
          "or clients use the order tool on any page or visit www.reprints.example")
QUOTE = "\u201cWe will rebuild every house that the river took from us,\u201d the mayor said on Monday."
PLACES = ["harbour", "station", "library", "market", "bridge", "school", "hospital", "airport", "stadium", "museum"]


def report(n: int) -> str:
    """A first line of its own: a sentence on a subject numbered n, then two more."""
    place, other = PLACES[n % 10], PLACES[(n // 10 + 3) % 10]
    return (f"{n + 2} weeks of repairs will close the {place} near the {other} of district {n}, residents said. "
            f"The council of district {n} will meet on Thursday to discuss the cost. "
            f"Work on the {place} began in spring.")


def glued(opening: str, n: int) -> str:
    return f"{opening} {report(n)}\nA second paragraph on district {n} follows here."


def removed(cleaned: clean.Cleaned, reason: str = clean.BOILERPLATE_OPENING) -> list[str]:
    return [piece.text for piece in cleaned.removed if piece.reason == reason]


def test_an_opening_glued_to_thirty_different_documents_is_cut_and_listed():
    texts = [glued(NOTICE, n) for n in range(30)] + [report(n) for n in range(100, 110)]
    cleaned = clean_corpus(texts)
    for n, page in enumerate(cleaned[:30]):
        assert page.removed[0].reason == clean.BOILERPLATE_OPENING
        assert page.text.startswith(f"{n + 2} weeks of repairs"), page.text[:80]
        assert page.removed[0].text == NOTICE   # the words all continuations begin with cut too
    assert all(not removed(page) for page in cleaned[30:])
    assert [page.text for page in cleaned[30:]] == [page.text for page in clean_corpus(texts[30:])]


def test_an_opening_ending_with_a_sentence_is_cut_at_the_sentence_end():
    sentence = "Reprint notice: this copy is for your personal and private use only."
    cleaned = clean_corpus([glued(sentence, n) for n in range(12)])
    assert {tuple(removed(page)) for page in cleaned} == {(sentence,)}
    assert cleaned[0].text.startswith("2 weeks of repairs")


def test_copies_of_one_wire_story_keep_their_opening():
    story = glued(NOTICE, 7)
    for copies in (3, 30):
        texts = [story] * copies + [report(n) for n in range(100, 130)]
        assert not any(removed(page) for page in clean_corpus(texts))


def test_a_wire_story_with_a_few_versions_keeps_its_opening():
    texts = [glued(NOTICE, n % 3) for n in range(30)] + [report(n) for n in range(100, 110)]
    assert not any(removed(page) for page in clean_corpus(texts))


def test_a_quote_four_reports_of_one_story_open_with_is_kept():
    texts = [glued(QUOTE, n) for n in range(4)] + [report(n) for n in range(100, 140)]
    cleaned = clean_corpus(texts)
    assert not any(removed(page) for page in cleaned)
    assert all(page.text.startswith(QUOTE) for page in cleaned[:4])


def test_a_five_document_corpus_is_unaffected():
    texts = [glued(NOTICE, n) for n in range(5)]
    assert not any(removed(page) for page in clean_corpus(texts))


def test_the_number_of_continuations_needed_grows_with_the_corpus():
    assert glued_chrome.threshold(5) == glued_chrome.threshold(16_000) == glued_chrome.MIN_CONTINUATIONS
    assert glued_chrome.threshold(1_000_000) == 500


def test_only_a_first_line_long_enough_to_go_on_is_cut():
    short = [f"{NOTICE} district {n}\nResidents of district {n} met on Monday." for n in range(30)]
    later = [f"Residents of district {n} met on Monday.\n{glued(NOTICE, n)}" for n in range(30)]
    assert not any(removed(page) for page in clean_corpus(short + later))


def test_a_page_that_kept_its_line_breaks_is_left_to_the_line_rules():
    kept = [f"{glued(NOTICE, n)}\n" + "\n".join(report(n + k) for k in range(3)) for n in range(30)]
    assert not any(removed(page) for page in clean_corpus(kept))


def test_streamed_counts_cut_what_the_whole_corpus_cuts():
    texts = [report(n) for n in range(100, 360)] + [glued(NOTICE, n) for n in range(20)]   # two chunks of lines
    batches = [texts[:267], texts[267:279], texts[279:]]
    streamed, counts = cleaned_in_batches(batches)
    assert streamed == clean_corpus(texts)
    assert sum(bool(removed(page)) for page in streamed) == 20
    merged = clean.LineCounts.merged([clean.line_key_counts(batch) for batch in batches]).repeated()
    assert merged.hashes.tolist() == counts.repeated().hashes.tolist()
    assert merged.documents.tolist() == counts.repeated().documents.tolist()


def test_openings_are_compared_without_ascii_case_in_any_script():
    greek = "Σημείωση: αυτό το αντίγραφο είναι μόνο για την προσωπική σας χρήση. Για αντίγραφα γράψτε μας."
    texts = [glued(NOTICE if n % 2 else NOTICE.upper(), n) for n in range(16)] + \
        [glued(greek, n) for n in range(20, 32)]
    cleaned = clean_corpus(texts)
    assert all(removed(page) for page in cleaned)
    assert {tuple(removed(page)) for page in cleaned[16:]} == {(greek,)}


PLAYER = "Play video share embed"   # a player's buttons: words the articles never use
PLAYER_ID = "Putar video bagikan sematkan"


def laporan(n: int) -> str:
    """An Indonesian report on district n, on a first line of its own."""
    return (f"{n + 2} minggu lamanya jembatan di distrik {n} akan ditutup untuk perbaikan, kata warga. "
            f"Dewan distrik {n} akan bertemu pada hari Kamis untuk membahas biaya perbaikan jembatan. "
            f"Pekerjaan di jembatan itu dimulai pada musim semi.")


def test_a_short_opening_of_words_its_pages_never_use_again_is_cut_in_any_language():
    for opening, text in ((PLAYER, report), (PLAYER_ID, laporan)):
        texts = [f"{opening} {text(n)}\nA second paragraph." for n in range(30)]
        cleaned = clean_corpus(texts)
        assert {tuple(removed(page)) for page in cleaned} == {(opening,)}
        assert [page.text.split("\n")[0] for page in cleaned] == [text(n) for n in range(30)]


def test_a_short_opening_its_articles_go_on_to_use_is_kept():
    texts = [f"Dewan kota dan warga distrik {n} bertemu. {laporan(n)}" for n in range(30)] + \
        [f"The council of district {n} met. {report(n)}" for n in range(30)]
    assert not any(removed(page) for page in clean_corpus(texts))


def test_a_short_opening_ends_before_the_article_whatever_its_first_word():
    """Its first word, one of three (in lower case, as a corpus may be), holds too few of the
    pages; one all pages open with, capitalised after the chrome, starts a sentence."""
    firsts = ["the", "a", "officials"]
    lower = [f"play video share {firsts[n % 3]} {report(n).lower()}" for n in range(30)]
    assert not any(removed(page) for page in clean_corpus(lower))
    same = [f"Putar video bagikan sematkan Selama {laporan(n)}" for n in range(30)]
    assert all("Selama" not in " ".join(removed(page)) for page in clean_corpus(same))
