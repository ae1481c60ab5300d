"""The page rules of `corpus.clean_page` that need no corpus: links to other articles told
by their shape on a single page, and what that shape must leave alone."""

import re

import pytest

from corpus import clean
from corpus.clean import clean_corpus, clean_text
from corpus.clean_page import Page
from corpus.line_shapes import is_glued_link, is_title_cased

BODY = ("The regional council met on Tuesday to discuss the budget for the coming year, and members "
        "argued for several hours about the cost of new roads, a spokesperson said.")
LEAD = "Work on the new bridge over the river will start in the spring and should take two years, the mayor said."


def removed(cleaned: clean.Cleaned) -> list[tuple[str, str]]:
    return [(r.text, r.reason) for r in cleaned.removed]


@pytest.mark.parametrize("label, headline", [
    ("Baca juga", "Buntut Kenaikan Harga, Pasar Induk Sepi Pembeli"),
    ("Lesen Sie auch", "Neue Brücke Für Die Altstadt Geplant"),
    ("Read also", "Will The Dams Hold This Winter?"),
])
def test_a_title_case_headline_glued_after_the_last_sentence_is_a_link_on_one_page(label, headline):
    cleaned = clean_text(f"{LEAD}\n\n{BODY} {label}: {headline}")
    assert (f"{label}: {headline}", clean.RELATED_LINK) in removed(cleaned)
    assert cleaned.text == f"{LEAD}\n\n{BODY}"


def test_a_title_case_question_after_a_label_on_its_own_line_is_a_link_on_one_page():
    cleaned = clean_text(f"{LEAD}\n\nLihat juga: Mengapa Harga Beras di Pasar Terus Naik?\n\n{BODY}")
    assert ("Lihat juga: Mengapa Harga Beras di Pasar Terus Naik?", clean.RELATED_LINK) in removed(cleaned)


@pytest.mark.parametrize("tail", [
    "Reasons: cost and time and the weather on the day",         # words after a label, not a headline
    'He said: "We Will Build It Again"',                          # a quotation, even in capitals
    "Present: Mayor Ann Lee, Judge Bo Kim, and the Town Clerk",   # a list of people, not a headline
    "Update: The Council Voted Again On Friday.",                 # ends with a full stop: a sentence
])
def test_what_a_glued_link_shape_leaves_alone_on_one_page(tail):
    assert tail in clean_text(f"{LEAD}\n\n{BODY} {tail}").text


def test_a_label_line_with_a_question_in_sentence_case_stays_content_on_one_page():
    line = "Analyse: Wer zahlt am Ende für die neue Brücke?"
    assert line in clean_text(f"{LEAD}\n\n{line}\n\n{BODY}").text


def test_a_label_glued_after_paragraphs_on_two_pages_opens_links_in_sentence_case():
    pages = [f"{LEAD}\n\n{BODY} Simak pula: warga menunggu jalan baru selesai nomor {n}" for n in range(2)]
    for n, cleaned in enumerate(clean_corpus(pages)):
        assert (f"Simak pula: warga menunggu jalan baru selesai nomor {n}", clean.RELATED_LINK) in removed(cleaned)
    # a quotation after the same label on another page is reported speech, never a link
    quoted = f'{LEAD}\n\n{BODY} Simak pula: "we will wait for the road"'
    assert '"we will wait for the road"' in clean_corpus([*pages, quoted])[2].text


def test_shapes():
    assert is_title_cased("Harga Beras Naik Lagi di Pasar Induk")
    assert not is_title_cased("Harga beras naik lagi di pasar induk")
    assert not is_title_cased("Big Day")                               # too few words to tell
    assert is_glued_link("Related: police seek help finding a missing couple")
    assert not is_glued_link('She added: "the only reason was the weather')
    assert not is_glued_link("Update: the council met again.")


def test_a_sentence_above_a_label_and_a_headline_is_content_not_a_caption():
    text = (f"{LEAD}\n\nPetugas memadamkan api di lereng gunung pada Senin malam, kata polisi.\nBaca juga:\n"
            f"Kebakaran Hutan di Riau Meluas Lagi Sejak Pekan Lalu\n\n{BODY}")
    cleaned = clean_text(text)
    assert "Petugas memadamkan api di lereng gunung pada Senin malam, kata polisi." in cleaned.text
    assert "Kebakaran Hutan" not in cleaned.text
    # a picture's credit named in a few words keeps the line above it a caption
    captioned = clean_text(f"{LEAD}\n\nThe bridge seen from the bank.\nSource :\n  • Screen capture.\n\n{BODY}")
    assert ("The bridge seen from the bank.", clean.CAPTION) in removed(captioned)


def test_squashed_lines_are_the_case_folded_word_characters():
    lines = ["“Quoted” words — and «more», ß ΣΊΣΥΦΟΣ.", "plain ascii, line: 2024!", "under_score x\u00a0y"]
    page = Page(lines, *([[0] * len(lines)] * 9))
    assert page.squashed == [re.sub(r"[^\w\n]+", "", line.casefold()).encode() for line in lines]
    ascii_page = Page(lines[1:2], *([[0]] * 9))
    assert ascii_page.squashed == [b"plainasciiline2024"]


@pytest.mark.parametrize("caption", [
    "Rescuers search the river bank near the old mill. (Photo: Regional Rescue Agency)",
    "Warga mengungsi dari rumah mereka di tepi sungai. / Foto: Badan Bencana",
    "Firefighters at the scene on Sunday. WIRE PHOTO/Jane Roe",
])
def test_a_short_caption_on_the_line_of_its_credit_goes_whole(caption):
    cleaned = clean_text(f"{LEAD}\n\n{caption}\n\n{BODY}")
    assert (caption, clean.CAPTION) in removed(cleaned)
    assert cleaned.text == f"{LEAD}\n\n{BODY}"


@pytest.mark.parametrize("caption, credit", [
    ("Firefighters work at the scene on Wednesday.", "Photo: Kota Agency"),
    ("Petugas memeriksa area yang rusak.", "Foto: BNPB"),
    ("Vista de la zona afectada.", "Imagen: dpa"),
    ("Blick auf die Absturzstelle.", "Bild: Stadt Kota"),
])
def test_a_short_sentence_with_a_short_credit_below_it_or_glued_to_it_is_a_caption(caption, credit):
    for text in [f"{caption}\n{credit}", f"{caption} {credit}"]:
        cleaned = clean_text(f"{LEAD}\n\n{text}\n\n{BODY}")
        assert cleaned.text == f"{LEAD}\n\n{BODY}" and any(r.reason == clean.CAPTION for r in cleaned.removed)
    # a byline of two labels, a credit of a sentence or the page's end leaves the line above content
    for text in [f"{caption}\nReporter: Ann Lee | Editor: Bo Kim", f"{caption}\nSource: the regional agency for rescue and disasters"]:
        assert caption in clean_text(f"{LEAD}\n\n{text}\n\n{BODY}").text
    assert caption in clean_text(f"{LEAD}\n\n{BODY}\n\n{caption}\n{credit}").text


def test_a_credited_line_that_ends_the_article_or_says_more_stays_content():
    last = "The toll rose to twelve, officials said. (Reporting: Jane Roe)"
    cleaned = clean_text(f"{LEAD}\n\n{BODY}\n\n{last}")
    assert "The toll rose to twelve, officials said." in cleaned.text
    long_line = ("The river rose two metres overnight and forced hundreds of families from their homes in the "
                 "valley, the agency said (Photo: Regional Rescue Agency)")
    cleaned = clean_text(f"{LEAD}\n\n{long_line}\n\n{BODY}")
    assert long_line.rsplit(" (", 1)[0] in cleaned.text


@pytest.mark.parametrize("label, headline", [("Baca juga:", "Mengapa Padang Rumput Mudah Terbakar?"),
                                             ("Read also:", "Why Do Savanna Fires Spread So Fast?")])
def test_a_title_case_headline_below_a_label_only_line_is_a_link_on_one_page(label, headline):
    cleaned = clean_text(f"{LEAD}\n\n{label}\n\n{headline}\n\n{BODY}")
    assert (headline, clean.RELATED_LINK) in removed(cleaned)
    said = clean_text(f"{LEAD}\n\nThe mayor added:\n\nWe will rebuild the bridge before winter.\n\n{BODY}")
    assert "We will rebuild the bridge before winter." in said.text   # a sentence after a label stays


@pytest.mark.parametrize("first, tag, second", [
    ("The ferry service resumed on Friday after the storm, the port authority said.", "(HARBOUR, 5 Dec 2021)",
     "Fishing boats stayed in the harbour for a third day as waves reached four metres."),
    ("Layanan kapal kembali berjalan pada Jumat setelah badai reda, kata otoritas pelabuhan.", "(PELABUHAN, 5 Desember 2021)",
     "Perahu nelayan masih bersandar di dermaga karena gelombang mencapai empat meter."),
])
def test_a_source_tag_between_two_sentences_of_a_plain_paragraph_is_trimmed(first, tag, second):
    cleaned = clean_text(f"{first} {tag} {second}\n\n{second} {first}")
    assert cleaned.text == f"{first} {second}\n\n{second} {first}"
    assert [(r.text, r.reason) for r in cleaned.removed] == [(tag, clean.SOURCE_TAG)]


@pytest.mark.parametrize("paragraph", [
    "The ferry service resumed on Friday. (It had stopped for three days, on 2 Dec 2021.) Boats left at noon.",
    "Layanan kapal kembali berjalan. (Sebelumnya berhenti tiga hari.) Perahu berangkat siang hari.",
])
def test_a_sentence_in_brackets_between_two_sentences_stays(paragraph):
    assert clean_text(paragraph).text == paragraph


@pytest.mark.parametrize("lead, caption, last", [
    ("The river rose two metres overnight and forced hundreds of families from their homes in the valley.",
     "Rescuers wade through the flooded main street of the valley town (Photo: Regional Rescue Agency)",
     "The water began to fall again in the afternoon."),
    ("Sungai meluap dua meter dalam semalam dan memaksa ratusan keluarga meninggalkan rumah mereka di lembah.",
     "Petugas menyusuri jalan utama kota yang terendam banjir / Foto: Badan Penyelamat",
     "Air mulai surut lagi pada sore harinya."),
])
def test_a_phrase_ending_with_its_pictures_credit_is_a_caption_and_the_short_paragraph_below_stays(lead, caption, last):
    cleaned = clean_text(f"{lead}\n\n{caption}\n\n{last}")
    assert cleaned.text == f"{lead}\n\n{last}"
    assert [(r.text, r.reason) for r in cleaned.removed] == [(caption, clean.CAPTION)]


@pytest.mark.parametrize("byline", [
    "Reporter: John Carter | Editor: María López",
    "Penulis: Budi Santoso / Editor: Ani Wijaya",
    "Reporter: Ann Lee Editor: Bob Stone",
])
def test_a_first_line_with_two_labels_is_a_byline_not_the_headline(byline):
    cleaned = clean_text(f"{byline}\n{LEAD}\n{BODY}")
    assert removed(cleaned) == [(byline, clean.CREDIT)]
    # one label opening the page is a title when the article speaks of its names ('Profile: Name')
    assert removed(clean_text(f"Profil: Joko Widodo\n{LEAD} Widodo spoke.\n{BODY}")) == [("Profil: Joko Widodo", clean.HEADLINE)]
    # a credit when it never does ('Reporter: Name', 'Laporan Wartawan Site, Name')
    assert removed(clean_text(f"Reporter: Sari Dewi\n{LEAD}\n{BODY}")) == [("Reporter: Sari Dewi", clean.CREDIT)]


@pytest.mark.parametrize("note", ["Foto: dok. Humas", "Photo: file photo", "Fuente: archivo propio"])
def test_a_label_with_a_two_word_note_is_a_credit_on_one_page_or_many(note):
    assert removed(clean_text(f"{LEAD}\n{note}\n{BODY}")) == [(note, clean.CREDIT)]
    pages = clean_corpus([f"{LEAD} {n}\n{note}\n{BODY}" for n in range(3)])
    assert [removed(page) for page in pages] == [[(note, clean.CREDIT)]] * 3


@pytest.mark.parametrize("label, other", [("Reporter", "Reporter: Ann Lee"), ("Penulis", "Penulis: Budi Santoso")])
def test_a_first_line_whose_one_label_opens_chrome_on_other_pages_is_a_byline_not_the_headline(label, other):
    first = f"{label}: Sari Dewi"
    pages = clean_corpus([f"{first}\nThe Headline Of This Page\n{LEAD}\n{BODY}",
                          f"Another Headline Here\n{other}\n{LEAD} One.\n{BODY}",
                          f"A Third Headline Here\n{other}\n{LEAD} Two.\n{BODY}"])
    assert removed(pages[0]) == [(first, clean.CREDIT), ("The Headline Of This Page", clean.HEADLINE)]


@pytest.mark.parametrize("caption, credit, other", [
    ("A view of the launch site.", "Photo credit: Kota Agency", "Photo credit: Warta Kota"),
    ("Suasana di stasiun pada pagi hari.", "Foto oleh: Kantor Berita Kota", "Foto oleh: Warta Kota"),
])
def test_a_caption_glued_to_its_credit_after_a_label_this_page_opens_a_credit_with_is_cut_whole(caption, credit, other):
    page = "\n".join([f"{caption} {credit}", LEAD, "Residents gather near the station.", other, BODY])
    cleaned = clean_text(page)
    assert (f"{caption} {credit}", clean.CAPTION) in [(r.text, r.reason) for r in cleaned.removed]
    assert cleaned.text == f"{LEAD}\n\n{BODY}"


@pytest.mark.parametrize("caption", ["Firefighters at the scene on Wednesday (Photo: dok. Kota Agency)",
                                     "Suasana di stasiun pada Senin pagi / Foto: dpa"])
def test_a_caption_ending_with_its_credit_is_no_title_on_one_page_or_repeated(caption):
    cleaned = clean_text(f"Reporter: Sari Dewi\n{caption}\n{LEAD}\n{BODY}")
    assert removed(cleaned) == [("Reporter: Sari Dewi", clean.CREDIT), (caption, clean.CAPTION)]
    pages = clean_corpus([f"{caption}\n{LEAD} {n}.\n{BODY}" for n in range(2)])   # other pages repeat it
    assert [removed(page) for page in pages] == [[(caption, clean.CAPTION)]] * 2


@pytest.mark.parametrize("first, other", [("Read more: Markets rally as inflation cools", "Read more: Police close the bridge"),
                                          ("Baca juga: Harga beras naik lagi", "Baca juga: Jalan baru dibuka")])
def test_a_link_whose_label_the_page_puts_before_other_lines_is_no_title(first, other):
    cleaned = clean_text(f"{first}\n{LEAD}\n{other}\n{BODY}")
    assert (first, clean.HEADLINE) not in removed(cleaned) and first in [text for text, _ in removed(cleaned)]


ADDRESS_PAGE = {
    "en": ["The council approved the new budget on Monday after a debate that lasted most of the night.",
           "Opposition members said the spending plan left too little for schools and roads in the north."],
    "id": ["Dewan kota menyetujui anggaran baru pada Senin setelah perdebatan yang berlangsung hampir semalaman.",
           "Anggota oposisi mengatakan rencana belanja itu menyisakan terlalu sedikit untuk sekolah dan jalan."],
}


@pytest.mark.parametrize("language, line", [
    ("en", "This article first appeared on Site.com under the title Council Passes Budget, read it here: "
           "https://www.site.com/news/2023/09/11/council-passes-budget-after-long-night-of-debate"),
    ("id", "Artikel ini telah tayang di Situs.com dengan judul Dewan Setujui Anggaran, Klik untuk baca: "
           "https://kota.situs.com/read/2023/09/11/143711078/dewan-setujui-anggaran-setelah-debat-semalam"),
])
def test_a_line_of_a_link_is_told_by_its_words_outside_the_address(language, line):
    # its address's parts ('2023', '09', 'council', …) are no words: the line is short, a link wherever it stands
    first, second = ADDRESS_PAGE[language]
    cleaned = clean_text(f"{first}\n{line}\n{second}")
    assert cleaned.text.splitlines()[::2] == [first, second]
    assert [(r.text, r.reason) for r in cleaned.removed] == [(line, clean.LINK)]


@pytest.mark.parametrize("language, line", [
    ("en", "Residents who lost their homes in the floods can apply for the new housing grant online at "
           "https://www.city.gov/grants until the end of October, the mayor told reporters on Friday afternoon."),
    ("id", "Warga yang rumahnya rusak akibat banjir dapat mengajukan bantuan perumahan secara daring melalui laman "
           "https://www.kota.go.id/bantuan hingga akhir Oktober, kata wali kota kepada wartawan pada Jumat sore."),
])
def test_a_paragraph_holding_an_address_stays(language, line):
    first, second = ADDRESS_PAGE[language]
    assert clean_text(f"{first}\n{line}\n{second}").text.splitlines()[::2] == [first, line, second]


@pytest.mark.parametrize("note", [
    "Get breaking news and the stories that matter on your phone every morning and every evening. Pick your "
    "favourite channel and follow us on https://www.whatsapp.com/channel/0029VaFPbedBPzjZrk13HO3D to stay up to date.",
    "Simak breaking news dan berita pilihan kami langsung di ponselmu setiap pagi dan sore. Pilih saluran andalanmu "
    "akses berita kami lewat https://www.whatsapp.com/channel/0029VaFPbedBPzjZrk13HO3D dan pastikan aplikasinya terpasang.",
])
def test_a_paragraph_with_an_address_that_other_pages_carry_is_a_link(note):
    # too long for a line of links, but the same note linking away on two pages of the corpus
    pages = [f"{ADDRESS_PAGE['en'][0]}\n{note}\n{ADDRESS_PAGE['en'][1]}",
             f"{ADDRESS_PAGE['id'][0]}\n{note}\n{ADDRESS_PAGE['id'][1]}"]
    for cleaned, page in zip(clean_corpus(pages), pages):
        assert (note, clean.LINK) in [(r.text, r.reason) for r in cleaned.removed]
        assert cleaned.text.splitlines()[::2] == page.splitlines()[::2]
    alone = clean_text(pages[0])   # on one page: a paragraph like any other
    assert alone.removed == [] and alone.text.splitlines()[::2] == pages[0].splitlines()


@pytest.mark.parametrize("label, links, headline, body", [
    ("Read also", ["Read also: the mayor wants a new bridge by spring", "Read also: why the council cut the road budget"],
     "Read also: Council Cuts Road Budget, Mayor Wants New Bridge",
     "The council cuts the road budget again, and the mayor wants a new bridge over the river, a spokesperson said."),
    ("Baca juga", ["Baca juga: warga menunggu jalan baru selesai", "Baca juga: harga beras di pasar terus naik"],
     "Baca juga: Buntut Kebakaran Hutan, Kawasan Wisata Kini Ditutup Total",
     "Buntut kebakaran hutan itu, kawasan wisata di sana kini ditutup total sampai pekan depan, kata petugas."),
])
def test_a_title_case_headline_after_a_label_that_opens_links_is_a_link_not_a_credit(label, links, headline, body):
    # names are capitalised words the corpus never writes in lower case: a credit; a headline's are common words
    texts = [f"{LEAD}\n\n{link}\n\n{BODY}" for link in links] \
        + [f"{LEAD}\n\n{headline}\n\n{body}", f"{LEAD}\n\n{label}: Jane Smith, John Doe\n\n{BODY}"]
    cleaned = clean_corpus(texts)
    assert (headline, clean.RELATED_LINK) in removed(cleaned[2])
    assert (f"{label}: Jane Smith, John Doe", clean.CREDIT) in removed(cleaned[3])


def test_a_short_source_in_title_case_after_a_label_that_opens_links_stays_a_credit():
    # an institution is named by common words, but fewer than a headline has
    links = ["Source: the mayor wants a new bridge by spring", "Source: why the council cut the road budget"]
    texts = [f"{LEAD}\n\n{link}\n\n{BODY}" for link in links] + [f"{LEAD}\n\nSource: The Regional Council\n\n{BODY}"]
    assert ("Source: The Regional Council", clean.CREDIT) in removed(clean_corpus(texts)[2])


@pytest.mark.parametrize("label, headlines", [
    ("Lire aussi :", ["Trois blessés dans un accident sur la route nationale", "Le prix de l'essence repart à la hausse"]),
    ("Lesen Sie auch:", ["Neue Umgehungsstraße wird im Herbst freigegeben", "Streit um Windräder im Landkreis geht weiter"]),
    ("Xem thêm:", ["Giá xăng tăng nhẹ từ chiều nay tại nhiều nơi", "Cầu mới bắc qua sông sắp thông xe vào cuối năm"]),
])
def test_a_label_only_line_above_a_headline_is_a_link_not_a_credit(label, headlines):
    pages = clean_corpus([f"{LEAD} {n}\n\n{label}\n\n{headline}\n\n{BODY} {n}" for n, headline in enumerate(headlines)])
    for page, headline in zip(pages, headlines):
        assert (label, clean.RELATED_LINK) in removed(page) and (headline, clean.RELATED_LINK) in removed(page)
    credits = clean_corpus([f"{LEAD} {n}\n\nFoto:\n\nAnn Lee\n\n{BODY} {n}" for n in range(2)])
    assert ("Foto:", clean.CREDIT) in removed(credits[0])   # a credit's names below its label: a credit
