"""Notes a site fills in page by page below the article (`corpus.template_notes`), in two
languages: a name, a number or a quotation keeps them from the single-page prompt shape."""
import pytest

from corpus.clean import clean_corpus
from corpus.reader_prompts import PROMPT
from corpus.template_notes import frame_of, opening_of

BODIES = [
    "The regional council met on Tuesday to discuss the budget for the coming year, and members argued for "
    "several hours about the cost of new roads, a spokesperson for the council said afterwards.",
    "Firefighters worked through the night to stop the blaze from reaching the homes on the hill above the "
    "village, and by morning the fire was under control, the district chief told reporters.",
    "Dewan kota bertemu pada hari Selasa untuk membahas anggaran tahun depan, dan para anggota berdebat "
    "selama beberapa jam tentang biaya jalan baru yang akan dibangun, kata seorang juru bicara.",
    "Petugas pemadam kebakaran bekerja sepanjang malam agar api tidak mencapai rumah warga di bukit atas "
    "desa itu, dan pada pagi hari api sudah dapat dikendalikan, kata kepala dinas kepada wartawan.",
]
NOTES = {
    "en": ["Jo Park has covered the region for the site since 2015.", "Ann Lee has covered the region for the site since 2019.",
           "Bo Kim has covered the region for the site since 2011.", "Sam Roe has covered the region for the site since 2008."],
    "id": ['Artikel ini telah tayang di Warta Kota dengan judul "Jalan baru dibuka".',
           'Artikel ini telah tayang di Kabar Pagi dengan judul "Harga beras naik".',
           'Artikel ini telah tayang di Suara Desa dengan judul "Banjir di pesisir".',
           'Artikel ini telah tayang di Kota Kita dengan judul "Gempa di selatan".'],
}


def _page(body: str, note: str) -> str:
    return f"{body}\n\nEditor: Ann Lee\n\n{note}\n\nShare this article"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_note_filled_in_page_by_page_below_the_article_is_a_prompt(lang):
    pages = [_page(body, note) for body, note in zip(BODIES, NOTES[lang])]
    for note, cleaned in zip(NOTES[lang], clean_corpus(pages)):
        assert (note, PROMPT) in [(r.text, r.reason) for r in cleaned.removed]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_copies_of_one_report_and_notes_on_two_pages_stay(lang):
    copies = [_page(BODIES[0], NOTES[lang][0])] * 3 + [_page(BODIES[1], NOTES[lang][1])]
    assert all(NOTES[lang][0] in cleaned.text for cleaned in clean_corpus(copies)[:3])
    two = [_page(body, note) for body, note in zip(BODIES[:2], NOTES[lang])]
    assert all(note in cleaned.text for note, cleaned in zip(NOTES[lang], clean_corpus(two)))


def test_a_note_right_below_the_article_stays():
    pages = [f"{body}\n\n{note}\n\nShare this article" for body, note in zip(BODIES, NOTES["en"])]
    assert all(note in cleaned.text for note, cleaned in zip(NOTES["en"], clean_corpus(pages)))


def test_frames_take_out_names_numbers_and_quotations():
    assert frame_of("Jo Park has covered the region since 2015.") == "has covered the region since"
    assert frame_of('Artikel ini telah tayang di Warta Kota dengan judul "Jalan baru dibuka".') == \
        "ini telah tayang di dengan judul"
    assert frame_of("The meeting ended late in the evening.") is None   # nothing filled in


OPENED = {   # filled in with a headline in sentence case: the frames differ, their openings do not
    "en": ["This article first appeared on Warta Kota with the headline new road opens next week",
           "This article first appeared on Kabar Pagi with the headline rice prices climb again",
           "This article first appeared on Suara Desa with the headline floods hit the coast",
           "This article first appeared on Kota Kita with the headline quake shakes the south"],
    "id": ["Berita ini telah tayang di Warta Kota dengan judul jalan baru dibuka pekan depan",
           "Berita ini telah tayang di Kabar Pagi dengan judul harga beras naik lagi",
           "Berita ini telah tayang di Suara Desa dengan judul banjir melanda pesisir",
           'Artikel ini telah tayang di Kota Kita dengan judul "Gempa guncang wilayah selatan".'],
}
SPOKEN_OF = {   # the article's last line opens alike on every page, but names the article's people
    "en": ["Officials said on Monday that {} would {}", "The council",
           ["visit the site again", "meet the families soon", "return next week", "speak to the press later"]],
    "id": ["Pejabat mengatakan pada hari Senin bahwa {} akan {}", "Dewan kota",
           ["datang lagi ke lokasi", "bertemu keluarga korban", "kembali pekan depan", "berbicara kepada wartawan"]],
}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_notes_sharing_their_opening_below_the_article_are_prompts(lang):
    assert frame_of(OPENED[lang][0]) != frame_of(OPENED[lang][1])
    assert opening_of(frame_of(OPENED[lang][0])) == opening_of(frame_of(OPENED[lang][1]))
    pages = [_page(body, note) for body, note in zip(BODIES, OPENED[lang])]
    for note, cleaned in zip(OPENED[lang], clean_corpus(pages)):
        assert note not in cleaned.text


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_last_line_opening_alike_that_names_the_articles_people_stays(lang):
    line, opener, ends = SPOKEN_OF[lang]
    lines = [line.format(name, end) for name, end in zip(["Jo Park", "Ann Lee", "Bo Kim", "Sam Roe"], ends)]
    assert len({opening_of(frame_of(one)) for one in lines}) == 1
    pages = [_page(f"{body} {opener} thanked {name} for the work.", one)
             for body, name, one in zip(BODIES, ["Jo Park", "Ann Lee", "Bo Kim", "Sam Roe"], lines)]
    for one, cleaned in zip(lines, clean_corpus(pages)):
        assert one in cleaned.text
