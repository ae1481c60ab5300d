import pytest

from corpus.clean import NOT_A_SENTENCE, clean_batch, clean_corpus, line_key_counts
from corpus.glued_tails import lower_tail

PAGES = {
    "en": ["The bridge reopened on Tuesday after two weeks of repairs, the city said.",
           "Firefighters worked through the night to stop the blaze from reaching homes.",
           "The council will vote on the new budget next month, its chairman told reporters."],
    "id": ["Jembatan itu dibuka kembali pada Selasa setelah dua pekan perbaikan, kata petugas.",
           "Petugas pemadam bekerja sepanjang malam agar api tidak mencapai rumah warga.",
           "Dewan akan memutuskan anggaran baru bulan depan, kata ketuanya kepada wartawan."],
}
AFTER = "A second paragraph follows here, as the page goes on after it."


def _page(sentence: str, tail: str) -> str:
    return f"{sentence} {tail}\n\n{AFTER}"


def _reasons(cleaned) -> dict[str, str]:
    return {removed.text: removed.reason for removed in cleaned.removed}


@pytest.mark.parametrize("lang, tail", [("en", "read more"), ("id", "baca selengkapnya di sini"),
                                        ("en", "image copyright Agency image caption The scene")])
def test_a_lower_case_tail_two_pages_end_a_paragraph_with_is_cut(lang, tail):
    pages = [_page(sentence, tail) for sentence in PAGES[lang][:2]]
    for sentence, cleaned in zip(PAGES[lang], clean_corpus(pages)):
        assert cleaned.text == f"{sentence}\n\n{AFTER}"
        assert _reasons(cleaned)[tail] == NOT_A_SENTENCE


@pytest.mark.parametrize("lang, tail", [("en", "and on Tuesday the residents"), ("id", "dan pada hari Selasa warga")])
def test_a_lower_case_tail_on_one_page_only_is_a_broken_sentence_and_stays(lang, tail):
    pages = [_page(PAGES[lang][0], tail), _page(PAGES[lang][1], "")]
    assert tail in clean_corpus(pages)[0].text


@pytest.mark.parametrize("lang, tail", [("en", "advertisement"), ("id", "iklan")])
def test_a_lower_case_tail_other_pages_hold_as_a_line_is_cut(lang, tail):
    pages = [_page(PAGES[lang][0], tail), f"{PAGES[lang][1]}\n\n{tail.upper()}\n\n{PAGES[lang][2]}",
             f"{PAGES[lang][2]}\n\n{tail.capitalize()}\n\n{PAGES[lang][1]}"]
    cleaned = clean_corpus(pages)[0]
    assert cleaned.text == f"{PAGES[lang][0]}\n\n{AFTER}" and _reasons(cleaned)[tail] == NOT_A_SENTENCE


def test_the_page_s_last_paragraph_keeps_its_tail():
    pages = [f"{AFTER}\n\n{sentence} read more" for sentence in PAGES["en"]]
    assert all(cleaned.text.endswith("read more") for cleaned in clean_corpus(pages))


def test_a_tail_after_a_credit_in_brackets_is_counted_and_cut_with_the_credit():
    pages = [_page(sentence, "(Foto: Agency) baca selengkapnya") for sentence in PAGES["id"][:2]]
    for sentence, cleaned in zip(PAGES["id"], clean_corpus(pages)):
        assert cleaned.text == f"{sentence}\n\n{AFTER}"
    assert lower_tail(f"{PAGES['id'][0]} (Foto: Agency) baca selengkapnya") == "baca selengkapnya"


def test_tails_are_shapes_of_a_sentence_and_a_short_lower_case_fragment():
    sentence = PAGES["en"][0]
    assert lower_tail(f"{sentence} read more") == "read more"
    assert lower_tail(f"{sentence} Read More") is None                     # capitalised: `cut_capitalised_tail`
    assert lower_tail(f"{sentence} and " + "then " * 12) is None          # long: a sentence cut short
    assert lower_tail("no sentence here at all read more") is None
    assert lower_tail(f"{sentence} read more.") is None                    # a sentence of its own


def test_a_stream_counted_in_batches_cuts_the_same_tails():
    pages = [_page(sentence, "read more") for sentence in PAGES["en"]] + [_page(PAGES["id"][0], "baca juga")]
    counts = line_key_counts(pages[:2]) + line_key_counts(pages[2:])
    assert clean_batch(pages[2:], counts) == clean_corpus(pages)[2:]
