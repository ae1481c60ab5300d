"""Prompts below the article found on a single page (`corpus.reader_prompts`), in two
languages, and the article's own short paragraphs they must leave alone."""

import pytest

from corpus.clean import clean_corpus, clean_text
from corpus.line_shapes import BOILERPLATE
from corpus.reader_prompts import (PROMPT, PROMPT_IN_BODY, article_text, is_foreign_sentence,
                                    mark_prompts_below, sentence_names)

EN_BODY = ("The regional council met on Tuesday to discuss the budget for the coming year, and members "
           "argued for several hours about the cost of new roads, a spokesperson said.")
ID_BODY = ("Dewan kota bertemu pada hari Selasa untuk membahas anggaran tahun depan, dan para anggota "
           "berdebat selama beberapa jam tentang biaya jalan baru, kata seorang juru bicara.")


def removed(text: str) -> list[tuple[str, str]]:
    return [(r.text, r.reason) for r in clean_text(text).removed]


@pytest.mark.parametrize("body, chrome, prompt", [
    (EN_BODY, "Get The Town Post App", "Just tap on the icons to reach the download page."),
    (EN_BODY, "Editor: Ann Lee", "Tap the bell to get our alerts every morning."),
    (ID_BODY, "Unduh Aplikasi Warta Kota", "Cukup ketuk ikon di bawah ini untuk mengunduh."),
    (ID_BODY, "Penulis: Budi Santoso | Editor: Sari Dewi", "Ketuk tombol lonceng untuk mendapat kabar terbaru setiap pagi."),
])
def test_a_short_plain_sentence_below_the_article_among_chrome_is_a_prompt(body, chrome, prompt):
    assert (prompt, PROMPT) in removed(f"{body}\n\n{chrome}\n\n{prompt}")
    assert (prompt, PROMPT) in removed(f"{body}\n\n{chrome}\n\n{prompt}\n\n© 2024 Warta Kota")


@pytest.mark.parametrize("body, chrome, notes", [
    (EN_BODY, "Editor: Ann Lee", ["Jo Park is a senior reporter covering science for the site."]),
    (EN_BODY, "Share this article", ["Follow the Town Post on Google News.", "This article first appeared on Kota Daily."]),
    (ID_BODY, "Penulis: Budi Santoso", ["Budi Santoso adalah jurnalis yang meliput isu lingkungan."]),
    (ID_BODY, "Bagikan:", ["Artikel ini sudah tayang di Warta Kota."]),
    (EN_BODY, "Advertisement", ["Dieser Artikel erschien zuerst bei der Rheinischen Post."]),
])
def test_short_sentences_below_the_article_among_chrome_with_names_the_article_never_uses_are_prompts(body, chrome, notes):
    """Author notes and repost notes: names, but none the article's paragraphs speak of."""
    found = removed("\n\n".join([body, chrome, *notes, "© 2024 Warta Kota"]))
    assert all((note, PROMPT) in found for note in notes)


@pytest.mark.parametrize("page", [
    f"{EN_BODY}\n\nThe meeting ended late in the evening.\n\nEditor: Ann Lee",            # right below the body
    f"{EN_BODY}\n\nRead more: New Bridge Over The River Will Open In The Spring\n\nThe meeting ended late.",  # below a link
    f"{ID_BODY}\n\nEditor: Sari Dewi\n\nRapat itu berakhir pada malam hari.\n\n{ID_BODY}",  # the body goes on below it
    f"{EN_BODY} Mayor Bo Kim agreed.\n\nEditor: Ann Lee\n\nMayor Bo Kim said the roads would be ready by spring.",  # a name of the article
    f"{ID_BODY}\n\nEditor: Sari Dewi\n\nRapat berikutnya digelar pada 12 Mei.",             # a number
    f'{EN_BODY}\n\nEditor: Ann Lee\n\n"We will wait," one member said.',                    # a quotation
    f"{EN_BODY}\n\nhttps://example.org/budget.pdf\n\nThe plan runs to forty pages.",            # below an address
    "The plan is online.\n\nEditor: Ann Lee\n\nIt runs to forty pages.",                       # no article above
])
def test_what_the_prompt_shape_leaves_alone(page):
    assert all(reason != PROMPT for _, reason in removed(page))


@pytest.mark.parametrize("line, plain", [
    ("Just tap on the icons to reach the download page.", True),
    ("Tap here. Then pick your region.", True),
    ("Tap here. Then pick. Then go.", False),           # three sentences
    ("Tap the icons", False),                            # no sentence
    ("Download the app from Google Play.", False),       # names
    ("Sie können die App hier herunterladen.", False),   # a capitalised noun is told from a name by nothing
    ("Don't miss today's top stories, tap the bell.", True),       # apostrophes inside words: no quotation
    ("Jangan lupa berdo'a dan ikuti kanal berita kami.", True),
    ("Tap here, 'we will win' is the motto.", False),              # a quotation in single quotes
    ("Ketuk di sini, 'kami menang' katanya.", False),
])
def test_a_short_sentence_without_names_numbers_or_quotations(line, plain):
    assert (sentence_names(line) == ()) is plain


ARTICLE = ["Report", "Ministers in Kota said on Monday that the damaged bridge over the river would be rebuilt "
           "this year. Lesen Sie auch: Neue Straße", "Follow us on Google News."]


@pytest.mark.parametrize("line, foreign", [
    ("Tap the icons to reach the download page.", True),                     # no names
    ("Follow us on Google News to stay up to date.", True),                   # names the article never uses
    ("Abonnieren Sie unseren Newsletter mit allen Nachrichten des Tages.", True),   # one of three in the article
    ("Officials in Kota said the bridge would reopen soon.", False),          # the article's place
    ("The bridge in Kota will reopen, Google said.", False),                  # half of its names
    ("The bridge will reopen in 3 weeks.", False),                            # a number
])
def test_is_foreign_sentence(line, foreign):
    """Names held only by short lines (not the article's paragraphs) do not count."""
    assert is_foreign_sentence(line, lambda: article_text([*ARTICLE, line], [len(x.split()) for x in [*ARTICLE, line]])) is foreign


EN_MORE = ("Several members asked for a second vote next month, after the auditors have checked the figures "
           "for the new roads and the two bridges, the spokesperson added.")
ID_MORE = ("Beberapa anggota meminta pemungutan suara kedua bulan depan, setelah auditor memeriksa angka "
           "untuk jalan baru dan dua jembatan, tambah juru bicara itu.")


@pytest.mark.parametrize("body, more, above, prompt, below", [
    (EN_BODY, EN_MORE, "Get The Town Post App", "Just tap on the icons to reach the download page.", "App Store | Play Store"),
    (ID_BODY, ID_MORE, "Unduh Aplikasi Warta Kota", "Cukup ketuk ikon di bawah ini untuk mengunduh.", "App Store | Play Store"),
    (EN_BODY, EN_MORE, "Unsere App", "Klicken Sie einfach auf die Symbole, um zur Download-Seite zu gelangen.", "App Store | Play Store"),
])
def test_a_plain_sentence_boxed_between_short_chrome_lines_in_the_body_is_a_prompt(body, more, above, prompt, below):
    page = f"{body}\n\n{above}\n\n{prompt}\n\n{below}\n\n{more}"
    other = f"{more}\n\n{below}\n\n{body}"   # the box's chrome on another page of the corpus
    assert (prompt, PROMPT_IN_BODY) in [(r.text, r.reason) for r in clean_corpus([page, other])[0].removed]
    assert (prompt, PROMPT_IN_BODY) not in removed(page)   # on one page alone: two headings around a short section


@pytest.mark.parametrize("page", [
    f"{EN_BODY}\n\nRead more: New Bridge Over The River\n\nThe meeting ended late.\n\nSee also: Roads Plan\n\n{EN_MORE}",  # links
    f"{EN_BODY}\n\nSome of their demands are simple:\n\nThey want the roads fixed.\n\nOthers less so\n\n{EN_MORE}",  # introduced
    f'{ID_BODY}\n\nKata dia\n\nRapat itu berakhir pada malam hari.\n\n"Kami menunggu"\n\n{ID_MORE}',  # a quotation below
    f"{ID_BODY}\n\nUnduh Aplikasi Warta Kota\n\nRapat itu berakhir pada malam hari.\n\n{ID_MORE}",  # content below it
])
def test_what_the_boxed_prompt_shape_leaves_alone(page):
    other = f"{EN_MORE}\n\n{page}\n\n{ID_MORE}"   # every chrome line of the page on another page too
    assert all(r.reason not in (PROMPT, PROMPT_IN_BODY) for r in clean_corpus([page, other])[0].removed)


LINKING_NOTES = [
    'This story first appeared in the Town Post under the title "Council Argues Over Roads". Read it at '
    "https://www.example.org/town/2024/05/roads for the full version.",
    'Artikel ini telah tayang di Warta Kota dengan judul "Dewan Kota Berdebat Soal Jalan", klik untuk membaca: '
    "https://wartakota.example/read/2024/05/07/jalan.",
    "Sigue las noticias de la ciudad y recibe cada mañana un resumen de lo más leído en nuestro canal, "
    "entra ya en www.example.es/canal y pulsa el botón de suscribirte.",
]


@pytest.mark.parametrize("note", LINKING_NOTES)
def test_a_note_that_links_away_below_the_article_is_a_link(note):
    for page in [f"{EN_BODY}\n\n{ID_BODY}\n\n{note}", f"{EN_BODY}\n\n{note}\n\nEditor: Ann Lee",
                 f"{ID_BODY}\n\nRapat itu berakhir pada malam hari.\n\n{note}"]:
        assert (note, "link") in removed(page)
        assert clean_text(page).text.startswith(page.split("\n\n")[0])


@pytest.mark.parametrize("page", [
    f"{EN_BODY}\n\n{LINKING_NOTES[0]}\n\n{ID_BODY}",           # the article goes on below it
    f"{LINKING_NOTES[0]}\n\nEditor: Ann Lee",                   # no article above it (too long for a line of links)
    f"{EN_BODY}\n\n{EN_BODY} {LINKING_NOTES[0]} {EN_BODY}",   # a paragraph of more than a note's words
])
def test_what_the_linking_note_shape_leaves_alone(page):
    assert "https://" in clean_text(page).text


@pytest.mark.parametrize("body, chrome, between, notes", [
    (EN_BODY, "Editor: Ann Lee", "Share this article", ["Jo Park is a senior reporter covering science for the site."]),
    (ID_BODY, "Penulis: Budi Santoso", "Bagikan:", ["Budi Santoso adalah jurnalis yang meliput isu lingkungan."]),
])
def test_runs_of_prompts_below_the_article_are_found_from_the_last_up(body, chrome, between, notes):
    """A run of prompts below the article makes chrome for the run above it."""
    prompt = "Tap the bell to get our alerts every morning."
    found = removed("\n\n".join([body, chrome, prompt, between, *notes, "© 2024 Warta Kota"]))
    assert all((note, PROMPT) in found for note in [prompt, *notes])
    kept = f"{body}\n\nThe meeting ended late in the evening.\n\n{between}\n\n{notes[0]}"   # right below the body
    assert "The meeting ended late in the evening." in clean_text(kept).text



@pytest.mark.parametrize("body, chrome, closing, prompt", [
    (f"{EN_BODY} Mayor Bo Kim agreed.", "Editor: Ann Lee", "Mayor Bo Kim said the roads would be ready by spring.",
     "Tap the bell to get our alerts every morning."),
    (f"{ID_BODY} Wali Kota Budi Santoso setuju.", "Editor: Sari Dewi", "Budi Santoso mengatakan jalan itu selesai pada musim hujan.",
     "Ketuk tombol lonceng untuk mendapat kabar terbaru setiap pagi."),
])
def test_prompts_below_a_sentence_of_the_article_in_one_run_are_found_from_the_last_up(body, chrome, closing, prompt):
    """The run below the chrome holds a sentence naming whom the article speaks of, then a prompt."""
    found = removed("\n\n".join([body, chrome, closing, prompt, "© 2024 Warta Kota"]))
    assert (prompt, PROMPT) in found and all(text != closing for text, _ in found)


# the article's body, a line of it the page or other pages repeat, its short nameless last paragraph, a prompt
PAGE_ENDS = [
    (EN_BODY, '"We will not raise the fares this year," said the mayor.', "The buses ran late again that evening.",
     "Tap the bell to get our alerts every morning."),
    (ID_BODY, '"Kami tidak akan menaikkan tarif tahun ini," kata wali kota.', "Bus kembali terlambat malam itu.",
     "Ketuk tombol lonceng untuk mendapat kabar terbaru setiap pagi."),
]


@pytest.mark.parametrize("body, quote, last, prompt", PAGE_ENDS)
def test_a_pull_quote_does_not_end_the_article_for_the_prompts_below(body, quote, last, prompt):
    """A quotation the page repeats between paragraphs is chrome, yet not a sign that the
    article has ended: the short nameless paragraph below it stays when a prompt is found below."""
    page = "\n\n".join([f"{body} {quote}", quote, last, prompt])
    cleaned = clean_text(page)
    assert (quote, "repeated in the document") in [(r.text, r.reason) for r in cleaned.removed]
    assert last in cleaned.text



@pytest.mark.parametrize("body, shared, last, prompt", PAGE_ENDS)
def test_below_a_prompt_many_pages_hold_a_nameless_line_is_a_prompt_too(body, shared, last, prompt):
    """A line cut as a prompt by repetition (many pages, each after another line) is no sentence
    reports share: the nameless line below it is a prompt as the run below it is."""
    lines = [body, shared, last, "Share this article", prompt]
    reasons = [None, BOILERPLATE, None, "share", None]
    mark_prompts_below(lines, reasons, [len(line.split()) for line in lines], [False] * len(lines),
                       [False, True, False, False, False])
    assert reasons == [None, BOILERPLATE, PROMPT, "share", PROMPT]


PAGES_PROMPTED = {   # a prompt of many pages, each after another line, then a page's own prompts and note
    "en": ("Download our app to get the news on your phone.", "Turn on alerts so you never miss a story.",
           "Jo Park covers the city for the site.", "What do you think? Tell us below."),
    "id": ("Unduh aplikasi kami untuk mendapat berita di ponsel Anda.", "Aktifkan notifikasi agar tidak ketinggalan berita.",
           "Jo Park meliput berita kota untuk situs ini.", "Bagaimana pendapat Anda? Tulis di kolom komentar."),
}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_nameless_prompt_below_a_prompt_many_pages_hold_is_cut(lang):
    shared, own, note, question = PAGES_PROMPTED[lang]
    bodies = [EN_BODY, ID_BODY, EN_BODY.replace("Tuesday", "Monday")]
    pages = [f"{body}\n\nEditor: {editor}\n\n{shared}\n\n{own if n == 0 else f'Page {n} footer line'}\n\n"
             f"{note}\n\n© 2024 Site\n\n{question}"
             for n, (body, editor) in enumerate(zip(bodies, ["Ann Lee", "Bo Kim", "Sam Roe"]))]
    cleaned = clean_corpus(pages)[0]
    assert (shared, BOILERPLATE) in [(r.text, r.reason) for r in cleaned.removed]
    assert (own, PROMPT) in [(r.text, r.reason) for r in cleaned.removed]
    assert cleaned.text == bodies[0]


@pytest.mark.parametrize("body, shared, last, prompt", PAGE_ENDS)
def test_a_line_reports_share_does_not_end_the_article_for_a_nameless_last_sentence(body, shared, last, prompt):
    """Below a line cut as shared by several pages (which may be a sentence reports share), the
    run above a prompt needs names to be prompts: the short nameless paragraph is the article's."""
    lines = [body, shared, last, "Share this article", prompt]
    reasons = [None, BOILERPLATE, None, "share", None]
    mark_prompts_below(lines, reasons, [len(line.split()) for line in lines], [False] * len(lines), [False] * len(lines))
    assert reasons == [None, BOILERPLATE, None, "share", PROMPT]
    reasons = [None, "credit", None, "share", None]       # below other chrome it is a prompt
    mark_prompts_below(lines, reasons, [len(line.split()) for line in lines], [False] * len(lines), [False] * len(lines))
    assert reasons == [None, "credit", PROMPT, "share", PROMPT]


NOTED_PAGES = {   # a prompt naming a service, a note naming it below, a paragraph with it glued after its last sentence
    "en": (EN_BODY + " Find more of our stories on Kota News", "Follow our updates on Kota News every day.",
           "This article first appeared on Kota News Network with the headline council meets again today for roads"),
    "id": (ID_BODY + " Cek berita lainnya di Kota News", "Ikuti berita terkini dari kami di Kota News setiap hari.",
           "Berita ini telah tayang di Kota News Network dengan judul dewan kota kembali bertemu membahas jalan"),
}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_names_only_in_a_glued_tail_or_in_the_notes_below_do_not_keep_a_prompt(lang):
    """A name after a paragraph's last sentence end is in no sentence of the article, nor is one
    in the notes below the prompt: neither makes the prompt the article's."""
    body, prompt, note = NOTED_PAGES[lang]
    lines = [body, "Editor: Ann Lee", prompt, note, "© 2024 Site"]
    reasons = [None, "credit", None, None, "copyright"]
    mark_prompts_below(lines, reasons, [len(line.split()) for line in lines], [False, False, False, True, False],
                       [False] * len(lines))
    assert reasons == [None, "credit", PROMPT, PROMPT, "copyright"]
    lines[0] = (EN_BODY if lang == "en" else ID_BODY) + " Kota News 1 reported it first."   # inside a sentence: the article's
    reasons = [None, "credit", None, None, "copyright"]
    mark_prompts_below(lines, reasons, [len(line.split()) for line in lines], [False, False, False, True, False],
                       [False] * len(lines))
    assert reasons == [None, "credit", None, PROMPT, "copyright"]


@pytest.mark.parametrize("body, box, more, last", [
    (EN_BODY, ["Get the app", "App Store | Google Play"], EN_BODY.replace("Tuesday", "Wednesday"),
     "Residents of Kotaville were told to expect delays."),
    ("Der Stadtrat traf sich am Dienstag, um den Haushalt für das kommende Jahr zu beraten, und die Mitglieder "
     "stritten stundenlang über die Kosten neuer Straßen, sagte ein Sprecher.", ["Unsere App", "App Store | Google Play"],
     "Am Mittwoch setzte der Rat die Sitzung fort und beschloss nach einer langen Debatte, die Pläne im Frühjahr erneut "
     "zu prüfen, wie ein Sprecher mitteilte.", "Die Feuerwehr rückte zu mehr als dreihundert Einsätzen aus."),
])
def test_the_short_last_paragraph_of_an_article_going_on_below_chrome_in_its_body_stays(body, box, more, last):
    """Chrome between two paragraphs (an app box) does not end the article: the short paragraph
    closing it below a paragraph of its own stays, names the paragraphs above never use or not."""
    assert last in clean_text("\n\n".join([body, *box, more, last])).text
