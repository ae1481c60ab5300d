"""Links to other articles glued into a content paragraph (`corpus.related_links`), told by
their shape, in two languages, and what that shape must leave alone."""

import pytest

from corpus import clean
from corpus.clean import clean_corpus, clean_text
from corpus.line_shapes import RELATED_LINK, Removed
from corpus.related_links import cut_glued_links, headline_end, is_headline_after_label, opens_links

# Pages of an invented corpus: they write common words in lower case, so a headline's
# capitalised common words are told from names.
ID_OTHER = ("Warga menunggu tiket gratis sejak pertengahan bulan, setelah itu mereka pulang. Menurut presiden, "
            "proyek ini disebut tidak balik modal, jawab dia begini. Akses menuju stasiun semakin mudah.")
EN_OTHER = ("Soon after that the council said the new bridge would open in spring, and the mayor agreed. "
            "The station was easier to reach now, officials said, and the road plan was approved.")
ID_BEFORE = "Presiden tiba di stasiun pukul delapan pagi dan disambut oleh para menteri serta pejabat daerah."
ID_AFTER = "Setelah itu, Presiden Jokowi dan rombongan langsung naik ke lantai atas stasiun untuk peresmian."
EN_BEFORE = "The mayor arrived at the station at eight in the morning and was met by the council members."
EN_AFTER = "After that, Mayor Ann Lee and her staff went up to the platform to open the new line."


def never_lowercase(word: str) -> bool:
    return False


def common_word(word: str) -> bool:
    """Written in lower case somewhere: every word but the names of the invented texts."""
    return word not in {"Ann", "Lee", "Bo", "Kim", "Cy", "Park", "Di", "Moss", "Jokowi", "Monday"}


def no_labels(label: str) -> int:
    return 0


@pytest.mark.parametrize("before, link, after, other", [
    (ID_BEFORE, "Baca juga: Tiket Kereta Cepat Gratis hingga Pertengahan Oktober 2023", ID_AFTER, ID_OTHER),
    (ID_BEFORE, "Baca juga: Proyek Kereta Disebut Tidak Balik Modal, Pengamat Jawab Begini", ID_AFTER, ID_OTHER),
    (EN_BEFORE, "Read more: New Bridge Over The River Will Open In The Spring", EN_AFTER, EN_OTHER),
    (EN_BEFORE, "See also: Why The Station Is Easier To Reach Now?", EN_AFTER, EN_OTHER),
])
def test_a_headline_after_a_label_glued_between_two_sentences_is_a_link(before, link, after, other):
    cleaned = clean_corpus([f"{before} {link} {after}", other])[0]
    assert cleaned.text == f"{before} {after}"
    assert [(r.text, r.reason) for r in cleaned.removed] == [(link, clean.RELATED_LINK)]


@pytest.mark.parametrize("before, link, after", [
    (ID_BEFORE, "Baca juga: Tiket Kereta Cepat Gratis hingga Pertengahan Oktober",
     "Diketahui, kereta itu berangkat dari Halim, Jakarta Timur ke Tegalluar, Padalarang, Bandung Barat."),
    (EN_BEFORE, "Read more: New Bridge Over The River Will Open In The Spring",
     "Meanwhile, trains from Park Station in North Kim to Moss Lane, Cy Bay and Di Harbour ran late."),
])
def test_the_sentence_after_a_glued_link_may_be_full_of_names(before, link, after):
    # a third of its cased words in lower case still reads as a sentence after a headline
    other = f"{ID_OTHER} Hal itu sudah diketahui warga. {EN_OTHER} It rained meanwhile."
    cleaned = clean_corpus([f"{before} {link} {after}", other])[0]
    assert cleaned.text == f"{before} {after}"
    assert [(r.text, r.reason) for r in cleaned.removed] == [(link, clean.RELATED_LINK)]


def test_links_glued_one_after_another_are_each_a_link():
    links = ["Baca juga: Tiket Kereta Cepat Gratis hingga Pertengahan Oktober 2023",
             "Baca juga: Akses Menuju Stasiun Kereta Cepat Semakin Mudah"]
    cleaned = clean_corpus([f"{ID_BEFORE} {' '.join(links)} {ID_AFTER}", ID_OTHER])[0]
    assert cleaned.text == f"{ID_BEFORE} {ID_AFTER}"
    assert [r.text for r in cleaned.removed] == links


def test_a_link_opening_a_paragraph_below_the_body_is_cut_and_one_at_the_top_is_not():
    link = "Read more: New Bridge Over The River Will Open In The Spring"
    below = clean_corpus([f"{EN_BEFORE}\n\n{link} {EN_AFTER}", EN_OTHER])[0]
    assert below.text == f"{EN_BEFORE}\n\n{EN_AFTER}"
    top = clean_corpus([f"{link} {EN_AFTER}\n\n{EN_BEFORE}", EN_OTHER])[0]   # a page's own 'Title: Deck'
    assert link in top.text


def test_a_name_opening_the_sentence_stays_with_it():
    text = "New Bridge Over The River Will Open Ann Lee said the work would start in May."
    common = {"new", "bridge", "over", "the", "river", "will", "open", "said", "work", "would", "start", "in"}
    assert text[headline_end(text, 0, lambda w: w.casefold() in common, 3):].endswith("Ann Lee said the work would start in May.")


@pytest.mark.parametrize("paragraph", [
    f"{EN_BEFORE} Update: Police Chief Ann Lee said on Monday that the road would stay closed.",   # a name, no headline
    f"{EN_BEFORE} Present: Ann Lee, Bo Kim, Cy Park and Di Moss were named to the board.",         # a list of names
    f'{EN_BEFORE} He added: "New Bridge Over The River Will Open" was the plan all along, he said.',  # a quotation
    f"{EN_BEFORE} Note: the council will meet again next week to vote on the budget.",             # a sentence
    f"{ID_BEFORE} Kata dia: Pemerintah Akan Membangun Jalan Baru Tahun Depan.",                     # a sentence's full stop
])
def test_what_a_glued_link_shape_leaves_alone(paragraph):
    assert cut_glued_links(paragraph, common_word, no_labels, True) == (paragraph, [])


def test_a_label_that_opens_links_on_other_pages_needs_a_shorter_headline():
    paragraph = f"{EN_BEFORE} Watch: Bridge Opens Today {EN_AFTER}"
    assert cut_glued_links(paragraph, common_word, no_labels, True)[1] == []
    kept, pieces = cut_glued_links(paragraph, common_word, lambda label: 3 if label == "watch" else 0, True)
    assert kept == f"{EN_BEFORE} {EN_AFTER}" and [p.text for p in pieces] == ["Watch: Bridge Opens Today"]


def test_a_headline_of_names_only_is_no_link():
    paragraph = f"{EN_BEFORE} Read more: Ann Lee And Bo Kim In Paris {EN_AFTER}"
    assert cut_glued_links(paragraph, never_lowercase, no_labels, True)[1] == []


def test_one_page_alone_is_cleaned_the_same_way():
    link = "Read more: New Bridge Over The River Will Open In The Spring"
    assert link not in clean_text(f"{EN_BEFORE} {link} {EN_AFTER}\n\n{EN_OTHER}").text


def test_a_link_glued_without_a_space_after_the_sentence_is_cut_and_the_space_restored():
    other = "Warga dan kepala desa menunggu bantuan banjir di rumah mereka, setelah itu ratusan orang datang."
    page = (f"{ID_BEFORE}Baca juga: Banjir Rendam Ratusan Rumah di Tiga Desa Kepala desa mengatakan bantuan sudah "
            "tiba sejak pagi tadi.")
    cleaned = clean_corpus([page, other])[0]
    assert cleaned.text == f"{ID_BEFORE} Kepala desa mengatakan bantuan sudah tiba sejak pagi tadi."
    assert [r.text for r in cleaned.removed] == ["Baca juga: Banjir Rendam Ratusan Rumah di Tiga Desa"]


def test_a_label_marked_by_a_pipe_opens_a_glued_link_too():
    link = "Also Read | New Bridge Over The River Will Open In The Spring"
    cleaned = clean_corpus([f"{EN_BEFORE} {link} {EN_AFTER}", EN_OTHER])[0]
    assert cleaned.text == f"{EN_BEFORE} {EN_AFTER}"
    assert [(r.text, r.reason) for r in cleaned.removed] == [(link, clean.RELATED_LINK)]


@pytest.mark.parametrize("before, link, after", [
    (ID_BEFORE, "Baca juga: Tiket kereta cepat dijual mulai pekan depan", ID_AFTER),
    (ID_BEFORE, "Baca juga: Warga Bandung antusias sambut kereta cepat 2023", ID_AFTER),
    (EN_BEFORE, "Read more: Council approves new road plan after long debate", EN_AFTER),
    (EN_BEFORE, "Read more: A new park will open its gates next week in Moss", EN_AFTER),   # a name ends it
    (ID_BEFORE, "Baca juga: Banjir di Moss Park surut hari ini", ID_AFTER),              # a name inside it
    ("Le conseil a voté jeudi un budget de trois millions pour rénover la piscine de la ville.",
     "Lire aussi: Un nouveau parc ouvrira ses portes en juin à Moss", "Les travaux doivent commencer au printemps."),
])
def test_a_sentence_case_headline_after_a_label_that_opens_links_on_other_pages_is_a_link(before, link, after):
    known = lambda label: 3 if label in ("baca juga", "read more", "lire aussi") else 0   # noqa: E731
    assert cut_glued_links(f"{before} {link} {after}", common_word, known, True) == \
        (f"{before} {after}", [Removed(link, RELATED_LINK)])
    assert cut_glued_links(f"{before} {link} {after}", common_word, no_labels, True)[1] == []   # shape alone: too weak


@pytest.mark.parametrize("paragraph", [
    f"{EN_BEFORE} Read more: police said on Monday the Interior Ministry had approved the plan. {EN_AFTER}",
    f"{ID_BEFORE} Baca juga: polisi menyebut tersangka Kim ditangkap di rumahnya pada malam hari. {ID_AFTER}",
])
def test_a_sentence_after_a_label_that_opens_links_on_other_pages_stays(paragraph):
    known = lambda label: 3   # noqa: E731
    assert cut_glued_links(paragraph, common_word, known, True) == (paragraph, [])


def test_a_link_after_a_pipe_label_that_ends_a_paragraph_is_cut_on_every_page():
    """'Label | headline' after the last sentence: its label, repeated on other pages, tells it
    (a sentence-case headline too); the same label on its own line is chrome, and so is the
    line after a label-only 'Label |' line."""
    pages = [f"{EN_BEFORE} ALSO READ | Markets rally as inflation cools in third quarter\n\n{EN_OTHER}",
             f"{EN_AFTER} ALSO READ | Heavy rain floods hundreds of homes in northern suburbs\n\n{EN_OTHER}",
             f"{EN_OTHER}\n\nALSO READ | Five Things To Know About The New Rail Line\n\n{EN_AFTER}",
             f"{EN_OTHER}\n\nALSO READ |\n\nFive Things To Know About The New Rail Line\n\n{EN_AFTER}"]
    cleaned = clean_corpus(pages)
    assert [c.text for c in cleaned] == [f"{EN_BEFORE}\n\n{EN_OTHER}", f"{EN_AFTER}\n\n{EN_OTHER}",
                                         f"{EN_OTHER}\n\n{EN_AFTER}", f"{EN_OTHER}\n\n{EN_AFTER}"]
    assert {r.reason for c in cleaned[:2] for r in c.removed} == {clean.RELATED_LINK}


def test_a_sentence_after_a_pipe_stays():
    page = f"{EN_BEFORE} Update | The council said on Monday that the bridge would open in spring."
    assert clean_corpus([page, EN_OTHER])[0].text == page


def test_a_label_that_opens_a_label_line_of_the_same_page_tells_a_link_after_the_last_sentence():
    """One page alone carries the label, in a line of its own and after a paragraph's last
    sentence (a sentence-case headline and a source tag after it)."""
    link = "Read more: Markets rally as inflation cools in third quarter (Agency, 5 Dec 2021)"
    page = f"{EN_BEFORE}\n\nRead more: Heavy rain floods homes in the north\n\n{EN_AFTER} {link}\n\n{EN_OTHER}"
    cleaned = clean_corpus([page, EN_OTHER])[0]
    assert cleaned.text == f"{EN_BEFORE}\n\n{EN_AFTER}\n\n{EN_OTHER}"
    assert (link, clean.RELATED_LINK) in [(r.text, r.reason) for r in cleaned.removed]
    alone = f"{EN_BEFORE}\n\n{EN_AFTER} Read more: Markets rally as inflation cools in third quarter\n\n{EN_OTHER}"
    assert clean_corpus([alone, EN_OTHER])[0].text == alone   # the label on no other line: content


@pytest.mark.parametrize("mark", [":", " |"])
def test_a_sentence_after_a_label_that_opens_links_on_other_pages_is_content_on_its_own_line(mark):
    sentence = "The council said on Monday that the bridge would open in spring after a long debate."
    pages = [f"{EN_BEFORE}\n\nUPDATE{mark} Markets rally as inflation cools\n\n{EN_OTHER}",
             f"{EN_AFTER}\n\nUPDATE{mark} Heavy rain floods hundreds of homes\n\n{EN_OTHER}",
             f"{EN_BEFORE}\n\nUPDATE{mark} {sentence}\n\n{EN_AFTER}"]
    cleaned = clean_corpus(pages)
    assert [r.reason for c in cleaned[:2] for r in c.removed] == [clean.RELATED_LINK] * 2
    assert f"UPDATE{mark} {sentence}" in cleaned[2].text


@pytest.mark.parametrize("lines, links", [
    (["Read more: Markets rally as inflation cools", "The council met on Tuesday.", "Read more: Police close the bridge"], True),
    (["Baca juga: Harga beras naik lagi", "Dewan kota bertemu pada hari Selasa. Baca juga: Jalan baru dibuka"], True),
    (["Profil: Joko Widodo", "Joko Widodo lahir di Surakarta. Dia menjabat dua periode."], False),   # the label once
    (["Profile: Jo Park", "Editor: Ann Lee", "Jo Park was born in Kota."], False),
])
def test_opens_links_when_the_page_puts_the_label_before_other_lines_too(lines, links):
    assert opens_links(lines, 0) is links


@pytest.mark.parametrize("label, sentence", [
    ("Share:", "Quoting the BBC, the aviation agency said the plane that crashed was an Embraer."),
    ("Bagikan:", "Dikutip BBC, otoritas penerbangan mengatakan pesawat yang jatuh itu adalah pesawat Embraer."),
    ("Bagikan:", "Misi terakhir ke Bulan gagal. Saat itu, Kremlin diperintah oleh Leonid Brezhnev"),   # two sentences
])
def test_a_sentence_below_a_label_only_line_many_pages_hold_is_no_link(label, sentence):
    lead = "The council met on Tuesday to discuss the budget for the coming year, a spokesperson said."
    body = "Firefighters worked through the night to stop the blaze from reaching the homes on the hill."
    pages = clean_corpus([f"{lead} {n}\n{label}\n{sentence if n == 0 else f'Headline Number {n} Here'}\n{body} {n}"
                          for n in range(3)])
    assert sentence in pages[0].text



@pytest.mark.parametrize("link", [
    "Baca juga: VIRAL: Gunung Kota Terbakar Lagi, Diduga Gara-gara Pengunjung yang Berfoto",
    "Lire aussi : EXCLUSIF : Incendie Près de Kota, Sans-abri Mis à l'Abri par les Pompiers",
    "Read more: EXCLUSIVE: Fire Near Kota Again, Blamed on Visitors who Posed",
])
def test_a_link_line_with_a_kicker_and_no_sentence_after_it_is_left_whole_to_the_line_rules(link):
    assert cut_glued_links(link, common_word, lambda label: 3, True) == (link, [])
    assert is_headline_after_label(link)   # what the line rules then name a link
