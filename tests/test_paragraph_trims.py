"""What `corpus.paragraph_trims` trims off a content paragraph: the kinds of bracket after a sentence."""

import pytest

from corpus.clean import clean_text
from corpus.line_shapes import CREDIT, EDITOR_INITIALS, INLINE_CREDIT, SOURCE_TAG, Removed
from corpus.paragraph_trims import bracket_credit, ends_with_label_note, strip_dateline, strip_trailing_credits

SOURCE_TAGS = ["KOTA, 5 Dec 2021", "Government of Kota, 5 Dec 2021", "Kementerian Luar Negeri, 5 Desember 2021",
               "UN OCHA, ECHO – 5 December 2021", "KOTA 5 Dec 2021", "Kantor Kota 5 Desember 2021", "Agencia 3 marzo 2022",
               "Kota", "KOTA", "Kantor Berita Kota", "Agencia Kota", "agencia, 12.08.2023", "KOTAX, 5/12/2023",
               "Báo Kota, 7/12/2023", "Agence Kota - 05/12/23"]
INITIALS = ["ab/cd", "kotanews/xyz", "red", "ant/rd"]
NOTES = ["photo: file photo", "foto: dok. pribadi", "Photo: dok. Kota", "related: more scenes from the fair",
         "Baca juga: harga tiket naik"]
NEITHER = ["the council said, 5 Dec 2021", "menurut dia, 5 Desember 2021", "KOTA, yesterday", "Kota, the capital, in 2021",
           "the figures: revised twice", "angka itu: direvisi dua kali", "note: the figures were revised.",
           "see: the annex to the report on the budget for next year", "See Figure 3", "Laughter.", "Tepuk Tangan.",
           "Kantor Berita Kota Baru", "Kota 12", "Kota Baru 5 Dec", "the council 5 Dec 2021", "dewan kota 5 Desember 2021",
           "reporting", "the council/mayor", "first, 12 May"]


@pytest.mark.parametrize("bracket, kind", [(tag, SOURCE_TAG) for tag in SOURCE_TAGS] + [(note, INLINE_CREDIT) for note in NOTES]
                         + [(initials, EDITOR_INITIALS) for initials in INITIALS]
                         + [(words, None) for words in NEITHER])
def test_a_bracket_after_a_sentence_is_a_source_tag_a_short_note_after_a_label_or_content(bracket, kind):
    assert bracket_credit(bracket, True) == kind


@pytest.mark.parametrize("paragraph, tag", [
    ("Mực nước sông dâng cao vượt mức báo động ba.", "(KOTAX, 5/12/2023)"),
    ("Le niveau du fleuve a dépassé le seuil d'alerte mardi.", "(Agence Kota, 05/12/2023)"),
])
def test_a_source_tag_with_a_numeric_date_is_cut_from_a_short_last_paragraph_which_stays(paragraph, tag):
    lead = "The council met on Monday and agreed to spend more on the town's flood defences next year."
    cleaned = clean_text(f"Headline of the page\n\n{lead}\n\n{paragraph} {tag}")
    assert cleaned.text.endswith(paragraph) and Removed(tag, SOURCE_TAG) in cleaned.removed


@pytest.mark.parametrize("dateline", ["JAKARTA -", "JAKARTA –", "RUSIA -", "WASHINGTON -", "MOSCOW –", "JAKARTA —"])
@pytest.mark.parametrize("sentence", ["Presiden meresmikan kereta cepat pertama di Asia Tenggara pada Senin pagi.",
                                      "The president opened the first high-speed railway in the region on Monday."])
def test_one_capitalised_place_before_a_dash_is_a_dateline(dateline, sentence):
    assert strip_dateline(f"{dateline} {sentence}") == sentence


@pytest.mark.parametrize("paragraph", [
    "NASA - the agency that runs the program - said on Monday that the launch would be delayed again.",
    "BMKG – badan yang memantau cuaca – menyebut hujan lebat akan turun hingga akhir pekan ini.",
    "NASA – Badan Antariksa Amerika Serikat – mengumumkan peluncuran ditunda hingga pekan depan.",
    "JAKARTA - and the towns around it were flooded again on Monday after a night of heavy rain.",
    "G20 - The leaders met in the capital on Monday to talk about the economy and trade.",
])
def test_a_capitalised_word_before_an_aside_or_a_lower_case_word_is_no_dateline(paragraph):
    assert strip_dateline(paragraph) is None


@pytest.mark.parametrize("sentence, credit", [
    ("Komisi khusus telah dibentuk untuk menyelidiki kegagalan itu, kata juru bicara.", "Foto: dok. Istimewa"),
    ("Rescue crews reached the village on Thursday after the road was cleared.", "Photo: file pic. Agency"),
])
def test_a_short_note_after_a_label_with_an_abbreviations_full_stop_is_cut_where_the_page_goes_on(sentence, credit):
    assert strip_trailing_credits(f"{sentence} {credit}", True) == (sentence, [Removed(credit, CREDIT)])
    assert strip_trailing_credits(f"{sentence} {credit}")[1] == []   # the page's last paragraph: maybe a sentence cut short


@pytest.mark.parametrize("sentence, note", [
    ("The passenger list included two crew members, the agency said.", "(With inputs from agencies)"),
    ("The rover was deployed from the lander on Thursday.", "(Reporting by Name Name; Editing by Name)"),
    ("Api berhasil dipadamkan pada Minggu malam.", "(Dengan tambahan laporan kantor berita)"),
    ("Polisi masih memeriksa enam orang saksi.", "(Diolah dari berbagai sumber)"),
])
def test_a_short_note_in_brackets_closing_a_paragraph_is_cut(sentence, note):
    assert strip_trailing_credits(f"{sentence} {note}") == (sentence, [Removed(note, CREDIT)])
    assert bracket_credit(note[1:-1], True) is None   # between two sentences it stays (a caption's rules may tell)


@pytest.mark.parametrize("paragraph", [
    "The minister left early. (She did not say why.)",          # an aside: a sentence
    "Menteri pulang lebih awal. (Ia tidak menjelaskan alasannya.)",
    "The vote was close. (See Table 3)", "Hasil pemungutan suara tipis. (Lihat tabel 3)",   # a number
    "The vote was close (the council said)", "Hasil pemungutan suara tipis (kata dewan)",   # no sentence before it
    "The vote was close. (the council's figures)",                # lower case: no note's opening
])
def test_an_aside_or_a_number_in_brackets_closing_a_paragraph_stays(paragraph):
    assert strip_trailing_credits(paragraph) == (paragraph, [])


def test_a_dateline_and_the_credits_after_the_last_sentence_are_trimmed_off_the_paragraph():
    sentence = "The council approved the new budget on Monday after a long debate."
    assert strip_dateline(f"KOTA, Site.com -- {sentence}") == sentence
    assert strip_dateline(f"The mayor - a former teacher - said {sentence}") is None
    assert strip_trailing_credits(f"{sentence} (Site.com/Name) (abc/de)") == (
        sentence, [Removed("(Site.com/Name)", CREDIT), Removed("(abc/de)", EDITOR_INITIALS)])


@pytest.mark.parametrize("sentence, credit", [
    ("A view of the launch site.", "Photo credit: Reuters"),
    ("Officials inspect the damaged area.", "Photo credit: dpa"),
    ("Suasana di stasiun pada pagi hari.", "Foto oleh: Kantor Berita Kota"),
    ("Petugas memeriksa lokasi kebakaran.", "Sumber foto: arsip pribadi"),
])
def test_a_credit_after_a_label_in_sentence_case_is_cut_where_the_label_opens_chrome(sentence, credit):
    line = f"{sentence} {credit}"
    assert strip_trailing_credits(line) == (line, [])   # a label written as a sentence's words: the page alone does not tell
    assert strip_trailing_credits(line, chrome_label=True) == (sentence, [Removed(credit, CREDIT)])


@pytest.mark.parametrize("line", [
    "Work on the bridge starts in spring. Read more: the council says the road will wait",   # a link in sentence case
    "Jalan itu dibuka lagi. Lihat pula: warga menunggu jalan baru selesai",
    'The mayor spoke at noon. He said: "We will wait for the road"',                          # reported speech
])
def test_no_credit_after_a_chrome_label_but_names_or_a_short_note(line):
    assert strip_trailing_credits(line, chrome_label=True) == (line, [])


@pytest.mark.parametrize("line, note", [
    ("Firefighters at the scene on Wednesday (Photo: dok. Kota Agency)", True),
    ("Suasana di stasiun pada Senin pagi (Foto: dpa)", True),
    ("Vecinos cerca de la estación / Imagen: dpa", True),
    ("Residents near the station | Picture: Site/Jo Park", True),
    ("Residents gather near the station. Photo: dok. Kota Agency", True),
    ("Warga berkumpul di dekat stasiun. Foto: Kantor Berita Kota", True),
    ("Mt.Gox: the exchange closes", False),                       # no sentence before the label
    ("Ireland v USA (Sat)", False),                               # no label
    ("Presiden Jokowi: Kereta Cepat Resmi Beroperasi", False),    # a label opening a title
    ("Council votes on budget (Update: the meeting went on past midnight and ended late)", False),   # too long
])
def test_ends_with_label_note(line, note):
    assert ends_with_label_note(line) is note
