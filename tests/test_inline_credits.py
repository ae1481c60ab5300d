import pytest

from corpus.inline_credits import strip_inline_credits
from corpus.line_shapes import CAPTION, CREDIT, INLINE_CREDIT

FIRST = "The bridge reopened on Tuesday after two weeks of repairs, the city said."
SECOND = "Drivers queued for an hour at the northern approach before traffic eased."


def never_lowercase(word: str) -> bool:
    return word.casefold() in {"drivers", "the"}


def test_bracketed_credit_between_sentences_is_cut():
    text, pieces = strip_inline_credits(f"{FIRST} (Picture: Kota Agency) {SECOND}", never_lowercase)
    assert text == f"{FIRST} {SECOND}"
    assert [(p.text, p.reason) for p in pieces] == [("(Picture: Kota Agency)", INLINE_CREDIT)]


def test_agency_credit_with_a_slash_between_sentences_is_cut_with_the_names_only():
    text, pieces = strip_inline_credits(f"{FIRST} Gambar: KOTAPRESS/Ani Wulan {SECOND}", never_lowercase)
    assert text == f"{FIRST} {SECOND}"
    assert [(p.text, p.reason) for p in pieces] == [("Gambar: KOTAPRESS/Ani Wulan", INLINE_CREDIT)]


def test_slashed_label_credit_between_sentences_is_cut():
    text, pieces = strip_inline_credits(f"{FIRST} / Picture: Kotapress {SECOND}", never_lowercase)
    assert text == f"{FIRST} {SECOND}"
    assert pieces[0].text == "Picture: Kotapress"


def test_agency_tail_after_the_last_sentence_is_cut_whole():
    text, pieces = strip_inline_credits(f"{FIRST} KOTA PHOTO/SOURCE/ @someone/City Hall Read more news on our app", never_lowercase)
    assert text == FIRST
    assert pieces[0].reason == CREDIT


def test_labels_inside_prose_stay():
    for paragraph in (f"{FIRST} Note: the figures are provisional and may change.",
                      f"{FIRST} Mayor Ani Wulan: We will finish the work soon.",
                      f"{FIRST} (Mayor Ani Wulan said it was the best option) {SECOND}",
                      f"{FIRST} The ratio was 3/4 of the total. {SECOND}"):
        assert strip_inline_credits(paragraph, never_lowercase) == (paragraph, [])


def test_source_tag_and_site_credit_between_sentences_are_cut():
    text, pieces = strip_inline_credits(f"{FIRST} (KOTA, 5 Dec 2021) {SECOND}", never_lowercase)
    assert text == f"{FIRST} {SECOND}" and pieces[0].reason == "source tag"
    text, pieces = strip_inline_credits(f"{FIRST} (Kota.com/Ani) {SECOND}", never_lowercase)
    assert text == f"{FIRST} {SECOND}" and pieces[0].reason == "credit"


def test_a_credit_opening_a_line_leaves_no_stray_space():
    text, pieces = strip_inline_credits(f"(Picture: Kota Agency) {SECOND}", never_lowercase)
    assert text == SECOND and pieces[0].text == "(Picture: Kota Agency)"


def test_agency_credit_opening_a_paragraph_is_cut():
    text, pieces = strip_inline_credits(f"Gambar: KOTAPRESS/Ani Wulan {SECOND}", never_lowercase)
    assert text == SECOND
    assert [(p.text, p.reason) for p in pieces] == [("Gambar: KOTAPRESS/Ani Wulan", INLINE_CREDIT)]
    # a place before a colon opening a paragraph is no credit
    opening = "Kota: Drivers queued for an hour at the northern approach before traffic eased."
    assert strip_inline_credits(opening, never_lowercase) == (opening, [])


def test_a_capitalised_tail_after_the_last_sentence_is_cut():
    from corpus.inline_credits import cut_capitalised_tail
    for tail in ["Reporting by Ann Lee; Editing by Bo Kim", "Simak Video Berikut Ini"]:
        text, pieces = cut_capitalised_tail(f"{FIRST} {SECOND} {tail}")
        assert text == f"{FIRST} {SECOND}" and [p.text for p in pieces] == [tail]
    for kept in [f"{FIRST} {SECOND} Prices then rose again in the",   # a sentence cut short
                 "Roads shut. Reporting by Ann Lee",                    # no paragraph-long sentence before it
                 f"{FIRST} {SECOND} One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen"]:
        assert cut_capitalised_tail(kept) == (kept, [])


@pytest.mark.parametrize("caption", [
    "Firefighters on the hill above the village (Picture: Kota Agency)",
    "Petugas memadamkan api di lereng bukit (Gambar: Kotapress)",
    "Firefighters on the hill above the village / Picture: Kotapress",
    "Petugas memadamkan api di lereng bukit | Gambar: KOTAPRESS/Ani",
])
def test_a_caption_glued_with_its_credit_before_a_sentence_is_cut_whole(caption):
    for before in ("", f"{FIRST} "):
        text, pieces = strip_inline_credits(f"{before}{caption} {SECOND}", never_lowercase)
        assert text == f"{before}{SECOND}"
        assert [(p.text, p.reason) for p in pieces] == [(caption, CAPTION)]


@pytest.mark.parametrize("paragraph", [
    f"Shares of Kota Holdings (NYSE: KOTA) {SECOND}",                       # a ticker after a name
    f"Saham Kota Holdings (BEI: KOTA) {SECOND}",
    f"{FIRST} Firefighters on the hill (Picture: Kota Agency) and {SECOND.lower()}",   # no sentence after it
    f'{FIRST} The fire "was out by noon" (Picture: Kota Agency) {SECOND}',               # a quotation
    f'Warga berkumpul. Kami takut," kata dia (Gambar: Kotapress) {SECOND}',
])
def test_what_a_glued_caption_shape_leaves_alone(paragraph):
    text, pieces = strip_inline_credits(paragraph, never_lowercase)
    assert all(p.reason != CAPTION for p in pieces)


@pytest.mark.parametrize("caption, sentence", [
    ("Firefighters on the hill / Picture: Ani Wulan", "Mayor Bo Kim said the fire was out by noon."),
    ("Petugas di lereng bukit / Gambar: Ani Wulan", "Bupati Bo Kim mengatakan api padam siang hari."),
])
def test_a_glued_caption_takes_two_names_at_most_and_leaves_the_next_sentences_names(caption, sentence):
    text, pieces = strip_inline_credits(f"{FIRST} {caption} {sentence}", never_lowercase)
    assert text == f"{FIRST} {sentence}" and [p.text for p in pieces] == [caption]
