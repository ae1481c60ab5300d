"""Site chrome never counts as content; content is never removed."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import clean, line_keys
from corpus.clean import Cleaned, clean_corpus, clean_text
from corpus.read import bundled_sample, read_records
from tests.clean_streams import cleaned_in_batches


def reasons(cleaned: Cleaned) -> dict[str, str]:
    return {r.text: r.reason for r in cleaned.removed}


def paragraphs(cleaned: Cleaned) -> list[str]:
    return cleaned.text.split("\n\n") if cleaned.text else []


# --- the bundled sample -----------------------------------------------------------

@pytest.fixture(scope="module")
def sample() -> dict[str, Cleaned]:
    records = list(read_records([bundled_sample()]))
    return {r.id[:3]: c for r, c in zip(records, clean_corpus([r.text for r in records]))}


SAMPLE_CHROME = [
    "Advertisement", "Baca Juga", "Berita Lainnya", "Terpopuler", "Komentar", "Gunakan Google",
    "Rekomendasi untuk Anda", "Ikuti kami di", "Berita Terkini", "All Right Reserved", "My post content",
    "min read", "Rep:", "Red:", "Penulis:", "Editor:", "Foto:", "©", "REPUBLIKA.CO.ID", "Serambinews.com",
    "VLADIMIR SMIRNOV", "Nama Penulis", "Nama Penyunting", "sumber : Reuters", "adnan kasmas", "WIB",
    "Luar Negeri\n", "bertukar pendapat....",
]


def test_sample_chrome_is_gone(sample):
    for doc, cleaned in sample.items():
        assert [c for c in SAMPLE_CHROME if c in cleaned.text] == [], doc


def test_sample_content_is_kept(sample):
    assert "Kantor berita Rusia, RIA, merilis video" in sample["001"].text
    assert "Kim dapat menawarkan peluru artileri" in sample["003"].text
    assert "KTT ASEAN ke-43 di Jakarta" in sample["004"].text
    assert "“Kami akan selalu bersama Rusia,” ujarnya" in sample["002"].text  # last paragraph has no full stop
    assert "Juru bicara Kremlin Dmitry Peskov mengatakan belum" in sample["000"].text


def test_sample_dateline_and_credits_are_trimmed_not_their_sentences(sample):
    assert sample["000"].text.startswith("Media pemerintah Korea Utara (Korut) melaporkan")
    assert sample["002"].text.startswith("Presiden Rusia Vladimir Putin menerima undangan")
    assert sample["003"].text.endswith("dengan menggabungkan upaya”.")
    assert sample["004"].text.endswith("adalah \"kesalahan besar\".")
    assert reasons(sample["000"])["REPUBLIKA.CO.ID, SEOUL --"] == clean.DATELINE
    assert reasons(sample["003"])["(Serambinews.com/Agus Ramadhan)"] == clean.CREDIT


def test_sample_caption_repeated_in_body_is_kept_once(sample):
    assert sample["000"].text.count("Media pemerintah Korea Utara (Korut) melaporkan") == 1
    assert sample["001"].text.count("bertolak pulang setelah satu pekan di Rusia") == 1


def test_sample_headline_echo_and_inline_photo_credit(sample):
    cleaned = sample["004"]
    assert cleaned.text.startswith("Pemimpin Tertinggi Korea Utara, Kim Jong Un, dilaporkan")
    assert reasons(cleaned)["Sumber Foto: Sputnik"] == clean.CREDIT
    headlines = [r.text for r in cleaned.removed if r.reason == clean.HEADLINE]
    assert headlines == ["Kim Jong Un Diundang Putin ke Rusia Untuk Memperkuat Hubungan Kerjasama Militer Dua Negara Anti Barat"]


def test_sample_reasons(sample):
    assert reasons(sample["000"])["Kamis 14 Sep 2023 11:42 WIB"] == clean.DATE
    assert reasons(sample["000"])["Rep: Lintar Satria /Kamran Dikarma/ Red: Esthi Maharani"] == clean.CREDIT
    assert reasons(sample["000"])["Advertisement"] == clean.BOILERPLATE  # also in another document
    assert reasons(sample["003"])["VLADIMIR SMIRNOV / POOL / AFP"] == clean.CREDIT
    assert reasons(sample["003"])["© 2025 TRIBUNnews.com Network,a subsidiary of KG Media."] == clean.COPYRIGHT
    assert reasons(sample["004"])["9/11/20231 min read"] == clean.DATE
    assert reasons(sample["001"])["Korut dan Rusia saling bertukar pendapat...."] == clean.TRUNCATED


# --- English pages, one rule at a time -----------------------------------------------

PAGE = """World
Markets rally as inflation cools
Stocks rose sharply on Tuesday after new figures showed prices rising more slowly.
By Jane Porter, Business reporter
Published 3 March 2024
5 min read
Share this article
Photo: Getty Images
WASHINGTON (Reuters) - Stocks rose sharply on Tuesday after new figures showed prices rising more slowly than expected.
Advertisement
"This is the news we were waiting for," said Ann Lee, an economist at a large bank. "Finally."
Read more: Why the central bank may cut rates this summer
Sign up for our newsletter
Traders said the mood was calm. The index closed 2% higher. (Reuters/Jane Porter)
Follow us on Twitter
Most read
1
2
© 2024 Reuters. All rights reserved.
"""


@pytest.fixture(scope="module")
def page() -> Cleaned:
    return clean_text(PAGE)


@pytest.mark.parametrize(
    "chrome, reason",
    [
        ("World", clean.NOT_A_SENTENCE),
        ("Markets rally as inflation cools", clean.HEADLINE),
        ("Stocks rose sharply on Tuesday after new figures showed prices rising more slowly.", clean.REPEATED),
        ("By Jane Porter, Business reporter", clean.NOT_A_SENTENCE),
        ("Published 3 March 2024", clean.DATE),
        ("5 min read", clean.NOT_A_SENTENCE),
        ("Share this article", clean.NOT_A_SENTENCE),
        ("Photo: Getty Images", clean.CREDIT),
        ("WASHINGTON (Reuters) -", clean.DATELINE),
        ("Advertisement", clean.NOT_A_SENTENCE),
        ("Read more: Why the central bank may cut rates this summer", clean.NOT_A_SENTENCE),
        ("Sign up for our newsletter", clean.NOT_A_SENTENCE),
        ("(Reuters/Jane Porter)", clean.CREDIT),
        ("Follow us on Twitter", clean.NOT_A_SENTENCE),
        ("Most read", clean.NOT_A_SENTENCE),
        ("1", clean.NOT_A_SENTENCE),
        ("© 2024 Reuters. All rights reserved.", clean.COPYRIGHT),
    ],
)
def test_english_chrome(page, chrome, reason):
    assert reasons(page).get(chrome) == reason


def test_english_content(page):
    assert paragraphs(page) == [
        "Stocks rose sharply on Tuesday after new figures showed prices rising more slowly than expected.",
        '"This is the news we were waiting for," said Ann Lee, an economist at a large bank. "Finally."',
        "Traders said the mood was calm. The index closed 2% higher.",
    ]


def test_plain_article_is_untouched():
    text = "The council met on Monday.\n\nIt voted to keep the library open. \"We won,\" one reader said.\n"
    cleaned = clean_text(text)
    assert cleaned.removed == []
    assert paragraphs(cleaned) == ["The council met on Monday.", 'It voted to keep the library open. "We won," one reader said.']


def test_headline_with_line_structure_only():
    one_paragraph = "Short quoted sentences stay. \"No,\" he said. The vote was close"
    assert clean_text(one_paragraph).text == one_paragraph
    question = clean_text("Will the budget lift spirits?\n\nThe chancellor spoke on Wednesday. Markets were calm.")
    assert reasons(question) == {"Will the budget lift spirits?": clean.HEADLINE}


def test_short_standalone_sentences_are_content():
    cleaned = clean_text("Police named a suspect on Friday.\nHe declined to comment.\nThat was all.\n")
    assert cleaned.removed == []


def test_lines_shared_across_documents():
    quote = '"We will rebuild every school that was damaged by the storm," the governor said.'
    docs = [
        f"The storm hit the coast overnight.\nShare on Facebook\n{quote}\nThanks for reading.",
        f"Rescue teams reached the town at dawn.\n{quote}\nShare on Facebook\nThanks for reading.",
    ]
    first, second = clean_corpus(docs)
    assert reasons(first)["Share on Facebook"] == clean.BOILERPLATE
    assert reasons(first)["Thanks for reading."] == clean.BOILERPLATE  # short, so not a shared sentence
    assert quote in first.text and quote in second.text  # a shared quote is content


def test_wire_copies_keep_their_shared_paragraphs():
    body = "The central bank raised rates by a quarter point on Thursday. It said inflation was still too high"
    first, second = clean_corpus([body, body])
    assert first.text == body and second.text == body


def test_unpunctuated_phrase_is_boilerplate_only_when_many_documents_carry_it():
    prompt = "This will appear next to all of your comments on the site and in the app"
    docs = [f"Story number {n} happened on Monday.\n{prompt}\nIt ended well." for n in range(3)]
    assert all(reasons(c)[prompt] == clean.BOILERPLATE for c in clean_corpus(docs))
    assert all(prompt in c.text for c in clean_corpus(docs[:2]))  # two documents may be copies of one report


def test_all_capitals_credit_and_copyright_word():
    cleaned = clean_text("Court rules on copyright case\nJOHN SMITH / AFP\nThe court ruled on Monday. It gave no reasons.")
    assert reasons(cleaned) == {"Court rules on copyright case": clean.HEADLINE, "JOHN SMITH / AFP": clean.CREDIT}


def test_glued_byline_at_the_end_of_the_last_paragraph():
    cleaned = clean_text("The mayor resigned on Monday. She gave no reason. Reporter: Ann Lee Editor: Bob Stone")
    assert cleaned.text == "The mayor resigned on Monday. She gave no reason."
    assert reasons(cleaned) == {"Reporter: Ann Lee Editor: Bob Stone": clean.CREDIT}


def test_label_colon_sentence_is_not_a_credit():
    text = "Update: the mayor resigned on Monday.\nAnalysis: No pain, no gain for the city this year."
    assert clean_text(text).removed == []


def test_long_paragraph_after_a_label_is_content():
    text = ("New delhi: after tracking him for three years, security agencies have arrested a man accused of "
            "training the attackers who struck the city in 2008 and who had lived abroad under a false name since then")
    assert clean_text(text).text == text


def test_headline_echo_with_glued_photo_credit():
    text = (
        "Library saved after vote\n"
        "Library saved after vote Image: Acme Pictures The council voted on Monday to keep the library open. "
        "Readers had protested for weeks."
    )
    cleaned = clean_text(text)
    assert cleaned.text == "The council voted on Monday to keep the library open. Readers had protested for weeks."
    assert reasons(cleaned)["Image: Acme Pictures"] == clean.CREDIT


def test_single_word_dateline_needs_a_long_dash():
    assert clean_text("LONDON -- Police named a suspect on Friday.").text == "Police named a suspect on Friday."
    kept = "NATO - the alliance - met on Friday."
    assert clean_text(kept).text == kept


def test_truncated_teaser_and_body_list_items():
    text = (
        "The budget was published on Wednesday.\n"
        "- lower taxes for small firms\n"
        "- a freeze on fuel duty\n"
        "Ministers said it was fair.\n"
        "Opposition leaders reply to the budget...."
    )
    cleaned = clean_text(text)
    assert "- a freeze on fuel duty" in cleaned.text
    assert reasons(cleaned) == {"Opposition leaders reply to the budget....": clean.TRUNCATED}


def test_script_without_letter_case():
    text = "दिल्ली में आज भारी बारिश हुई। कई सड़कें बंद रहीं।\nमौसम विभाग ने चेतावनी जारी की है।"
    assert clean_text(text).removed == []


def test_links_and_empty_input():
    cleaned = clean_text("The report is online.\nhttps://example.org/report.pdf\nIt runs to forty pages.")
    assert reasons(cleaned) == {"https://example.org/report.pdf": clean.LINK}
    assert clean_corpus([]) == []
    assert clean_text("") == Cleaned("", [])


# --- invariants ----------------------------------------------------------------------

line = st.one_of(
    st.sampled_from(["Advertisement", "Read more", "1", "© 2024 Acme", "Photo: Jo Bloggs", "Mon 4 Mar 2024", ""]),
    st.lists(st.sampled_from(["the", "Council", "voted", "on", "Monday", "to", "close", "\"yes\"", "it"]), min_size=1, max_size=14).map(" ".join),
    st.lists(st.sampled_from(["the", "council", "voted", "Monday", "said", "Lee"]), min_size=3, max_size=12).map(lambda w: " ".join(w) + "."),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(line, max_size=12).map("\n".join), min_size=1, max_size=3))
def test_nothing_is_invented_or_lost(texts):
    for text, cleaned in zip(texts, clean_corpus(texts)):
        flat = " ".join(text.split())
        for piece in [*paragraphs(cleaned), *(r.text for r in cleaned.removed)]:
            assert piece and piece in flat
        words = sorted(" ".join([cleaned.text, *(r.text for r in cleaned.removed)]).split())
        assert words == sorted(text.split())


def test_headline_only_documents_keep_their_text():
    headlines = [
        "US open: Stocks fall after Fed official hints at accelerated tapering",
        "Fed's Plosser: Taper pace may be too slow",
        "Stock Market News for March 10, 2014",
        "© 2014 Example Media Group. All rights reserved.",
    ]
    cleaned = clean_corpus(headlines)
    assert [c.text for c in cleaned[:3]] == headlines[:3]
    assert cleaned[3].text == ""


# --- streaming: counts over batches --------------------------------------------------


def test_batches_cleaned_against_summed_counts_match_the_whole_corpus():
    prompt = "Get the morning briefing delivered to your inbox early on every weekday"
    texts = [
        f"Item {n} of the council agenda was debated for an hour on Monday evening.\n{prompt}\nShare\n"
        f"The vote on item {n} was postponed." for n in range(5)
    ] + ["The harbour reopened after the storm.\nShare\nFishermen returned to work on Tuesday morning."]
    batches = [texts[:2], texts[2:4], texts[4:]]
    streamed, _ = cleaned_in_batches(batches)
    assert streamed == clean_corpus(texts)
    assert reasons(streamed[0])[prompt] == clean.BOILERPLATE      # carried by five documents, two batches
    assert clean.clean_batch(texts[:2], clean.line_key_counts(texts[:2]))[0].text.count(prompt) == 1  # two: kept


def test_line_counts_add_up_and_count_documents_not_lines():
    one = clean.line_key_counts(["Share\nShare\nThe mayor spoke on Monday."])
    two = clean.line_key_counts(["Share\nThe council met on Friday.", "SHARE!\nIt rained."])
    total = one + two
    assert sorted(total.documents.tolist()) == sorted((one + two).documents.tolist())
    assert total.repeated().documents.tolist() == [3]             # "Share" in three documents, any case
    assert len(clean.LineCounts.empty().repeated().hashes) == 0


# --- chrome learned from the corpus and from the shape of a line ------------------------


def test_label_that_opens_related_links_on_other_pages_marks_a_punctuated_headline():
    docs = [
        "Die Stadt baut eine neue Brücke über den Fluss.\nWeiterlesen: Neue Radwege für die Innenstadt geplant\nDer Bau beginnt im Mai.",
        "Der Stadtrat hat am Montag getagt und lange beraten.\nWeiterlesen: Streit um Parkgebühren geht weiter\nEr vertagte sich.",
        "Die Brücke wird teurer als geplant, sagte der Bürgermeister.\nWeiterlesen: Wer zahlt am Ende für die Brücke?\nDie Kosten steigen.",
    ]
    cleaned = clean_corpus(docs)
    assert reasons(cleaned[2])["Weiterlesen: Wer zahlt am Ende für die Brücke?"] == clean.RELATED_LINK
    assert reasons(cleaned[0])["Weiterlesen: Neue Radwege für die Innenstadt geplant"] == clean.RELATED_LINK
    assert "Wer zahlt" not in cleaned[2].text
    # one page alone teaches nothing: its punctuated 'Label: sentence' is content
    assert "Wer zahlt am Ende" in clean_text(docs[2]).text


def test_labels_that_open_prose_or_titles_are_not_learned():
    leads = [
        "Madrid: el gobierno aprobó el lunes un nuevo plan de vivienda para jóvenes de toda la región.",
        "Madrid: la policía detuvo a dos personas tras el robo en el museo.",
        "Madrid: los trenes volverán a circular el martes.",
    ]
    docs = [f"{lead}\nLa medida entra en vigor en enero." for lead in leads]
    assert [c.removed for c in clean_corpus(docs)] == [[], [], []]
    titled = [f"Crítica: Una película sobre el mar {n}\nLa película se estrena el viernes en los cines." for n in range(3)]
    titled.append("El festival abrió el jueves.\nCrítica: la película es larga pero hermosa.")
    assert "Crítica: la película es larga pero hermosa." in clean_corpus(titled)[3].text


def test_headlines_listed_after_bullet_lines_below_the_body():
    text = (
        "Le conseil municipal a voté lundi la rénovation de la piscine.\n"
        "Les travaux dureront deux ans.\n"
        "Articles liés\n-\nLa piscine ferme-t-elle pour de bon ?\n-\nQui paiera les travaux de la piscine ?\n"
    )
    cleaned = clean_text(text)
    assert cleaned.text == "Le conseil municipal a voté lundi la rénovation de la piscine.\n\nLes travaux dureront deux ans."
    assert reasons(cleaned)["Qui paiera les travaux de la piscine ?"] == clean.RELATED_LINK
    body_list = "Die Regeln:\n-\nJeder zahlt einen Euro.\n-\nKinder zahlen nichts.\nDer Verein hat die Regeln am Montag beschlossen."
    assert "Jeder zahlt einen Euro." in clean_text(body_list).text   # a list inside the body is content


@pytest.mark.parametrize(
    "paragraph, piece, reason",
    [
        # (one short sentence with a picture's credit is its caption: tests/test_clean_page.py)
        ("Air sungai naik dua meter. Warga mengungsi ke balai desa setelah banjir. (Foto: Badan Bencana)",
         "(Foto: Badan Bencana)", clean.INLINE_CREDIT),
        ("The river rose two metres overnight. Rescue teams reached the flooded village at dawn. / Photo: Jan Novák",
         "/ Photo: Jan Novák", clean.INLINE_CREDIT),
        ("Aid convoys reached the north of the country on Sunday. (OCHA, 3 Mar 2022)", "(OCHA, 3 Mar 2022)", clean.SOURCE_TAG),
        ("Polisi masih menyelidiki penyebab kebakaran itu. (abc/de)", "(abc/de)", clean.EDITOR_INITIALS),
        ("Air sungai naik dua meter. Warga mengungsi ke balai desa setelah banjir. (Foto: dok. Badan Bencana)",
         "(Foto: dok. Badan Bencana)", clean.INLINE_CREDIT),
        ("The river rose two metres overnight. Rescue teams reached the village at dawn. [Photo: screen capture]",
         "[Photo: screen capture]", clean.INLINE_CREDIT),
        ("Aid convoys reached the north of the country on Sunday. (OCHA – 3 March 2022)", "(OCHA – 3 March 2022)",
         clean.SOURCE_TAG),
        ("Aid convoys reached the north of the country on Sunday. (OCHA 3 Mar 2022)", "(OCHA 3 Mar 2022)", clean.SOURCE_TAG),
        ("Konvoi bantuan tiba di utara negeri itu pada hari Minggu. (Antara)", "(Antara)", clean.SOURCE_TAG),
        ("Los convoyes llegaron al norte del país el domingo. (Agencia Kota)", "(Agencia Kota)", clean.SOURCE_TAG),
    ],
)
def test_credits_and_tags_closing_a_paragraph(paragraph, piece, reason):
    text = f"{paragraph}\nThe clean-up will take weeks, officials said on Monday."
    cleaned = clean_text(text)
    assert reasons(cleaned)[piece] == reason
    assert piece not in cleaned.text and paragraph[: -len(piece)].strip() in cleaned.text


def test_brackets_that_are_content_stay():
    for text in [
        "The law (passed in 2019) was changed again. (It had been criticised widely.)",
        "He said the plan would work (eventually).",
        "Prices rose in March (up 2%, the statistics office said).",
        "The firm's shares rose. (Note: the figures were revised later.)",   # a sentence in brackets
        "[Update: Servers Back Up] Game Launch Hit By Connection Issues",     # a headline's tag
        "The report was written by the Office for National Statistics (ONS).",  # a name inside the sentence
        "Warga menyambut rombongan itu dengan meriah. (Tepuk Tangan.)",        # a sentence in brackets
    ]:
        assert clean_text(text).text == text


@pytest.mark.parametrize("tail", ["(unclear words here)", "[Photo: dok. Humas]", "(Foto: tangkapan layar)"])
def test_a_first_paragraph_closed_by_a_bracket_is_no_title(tail):
    lead = ("Banjir merendam ratusan rumah di tiga desa sejak Senin malam dan warga mengungsi ke balai desa, "
            "kata petugas.")
    text = f"Judul Berita Hari Ini\n\n{lead} {tail}\n\nThe clean-up will take weeks, officials said on Monday."
    assert lead in clean_text(text).text


def test_labels_learned_across_batches():
    docs = [
        "Floods closed the coastal road on Monday morning.\nSee also: Storm warnings for the weekend\nIt reopened at noon.",
        "The ferry was cancelled because of the high winds.\nSee also: Harbour repairs delayed again\nIt sails tomorrow.",
        "Schools stayed open despite the storm, the council said.\nSee also: Will the bridge close again?\nParents were relieved.",
    ]
    counts = clean.line_key_counts(docs[:1]) + clean.line_key_counts(docs[1:2]) + clean.line_key_counts(docs[2:])
    last = clean.clean_batch(docs[2:], counts.repeated())[0]
    assert reasons(last)["See also: Will the bridge close again?"] == clean.RELATED_LINK
    assert last == clean_corpus(docs)[2]


def test_dateline_with_a_lower_case_domain():
    cleaned = clean_text("KabarKota.id - Warga kota memadati alun-alun pada Minggu pagi.\nAcara berlangsung meriah.")
    assert cleaned.text.startswith("Warga kota memadati")
    assert reasons(cleaned)["KabarKota.id -"] == clean.DATELINE
    kept = "Amazon.com - the retailer - opened a new warehouse on Monday."
    assert clean_text(kept).text == kept


def test_a_dateline_of_the_sources_name_alone_in_brackets():
    for dateline, rest in [("(KOTA) —", "Police named a suspect on Friday after a week of searches."),
                           ("(Antara) -", "Polisi menetapkan seorang tersangka pada hari Jumat.")]:
        cleaned = clean_text(f"{dateline} {rest}\nThe search went on.")
        assert cleaned.text.startswith(rest) and reasons(cleaned)[dateline] == clean.DATELINE
    for kept in ["(Updated) - the ministry said the figures were wrong.", "(In brief) — The council met on Monday.",
                 "(Kota) - the capital - was calm on Monday."]:
        assert clean_text(kept).text == kept


def _body(n: int) -> str:
    return "\n\n".join(f"Paragraph {k} of report {n} tells what the council decided about road {n * 7 + k} and why it matters."
                       for k in range(3))


def test_a_line_many_pages_end_with_after_other_lines_is_boilerplate():
    prompt = "Tap the little bell at the top of the screen to hear about every new story first."
    texts = [f"Report {n}\n\n{_body(n)}\n\n{prompt}" for n in range(4)]
    cleaned = clean_corpus(texts)
    for c in cleaned:
        assert prompt not in c.text
        assert ("repeated across documents", prompt) in [(r.reason, r.text) for r in c.removed]


@pytest.mark.parametrize("closing", ["Follow more stories from Kota Post on Google News.",
                                     "Ikuti berita Kota Post lainnya di Google News.",
                                     "Sigue las noticias de Kota Post en Google News."])
def test_a_short_closing_line_many_pages_end_with_below_chrome_is_a_prompt(closing):
    tags = ["Tags: Roads, Council", "#roads #council #kota", "Topics: Bridges, Weather"]
    texts = [f"Report {n}\n\n{_body(n)}\n\n{tags[n]}\n\n{closing}" for n in range(3)]
    for c in clean_corpus(texts):
        assert closing not in c.text and reasons(c)[closing] == "prompt below the article"
    counts = clean.line_key_counts(texts[:2]) + clean.line_key_counts(texts[2:])
    assert clean.clean_batch(texts[1:], counts.repeated()) == clean_corpus(texts)[1:]   # a stream cleans alike
    # right below the article's paragraphs, the same closing line on three pages is content
    assert all(closing in c.text for c in clean_corpus([f"Report {n}\n\n{_body(n)}\n\n{closing}" for n in range(3)]))


@pytest.mark.parametrize("prompt", ["Cliquez simplement sur les icônes pour accéder à la page de téléchargement.",
                                    "Klicken Sie einfach auf die Symbole, um zur Download-Seite zu gelangen.",
                                    "Chỉ cần nhấp vào các biểu tượng để đến trang tải xuống."])
def test_a_sentence_without_names_two_pages_end_with_after_other_lines_is_boilerplate(prompt):
    texts = [f"Report {n}\n\n{_body(n)}\n\n{prompt}" for n in range(2)]
    for c in clean_corpus(texts):
        assert prompt not in c.text and reasons(c)[prompt] == clean.BOILERPLATE
    counts = clean.line_key_counts(texts[:1]) + clean.line_key_counts(texts[1:])
    assert clean.clean_batch(texts[1:], counts.repeated()) == clean_corpus(texts)[1:]   # a stream cleans alike


def test_a_sentence_without_names_that_ends_one_page_and_stands_inside_another_stays():
    line = "Residents were told to stay indoors until the smoke had cleared from the valley."
    texts = [f"Report 0\n\n{_body(0)}\n\n{line}", f"Report 1\n\n{line}\n\n{_body(1)}"]
    assert all(line in c.text for c in clean_corpus(texts))
    # the last line of two pages of two lines each: the end of so short a page is its top too
    assert all(line in c.text for c in clean_corpus([f"Report {n} opened on road {n}, officials said. read more\n\n{line}"
                                                     for n in range(2)]))
    # near the end of the other page too, but a paragraph below it: not that page's last sentence
    texts[1] = f"Report 1\n\n{_body(1)}\n\n{line}\n\nThe council will meet again next month."
    assert all(line in c.text for c in clean_corpus(texts))


def test_copies_of_one_report_keep_the_last_paragraph_they_share():
    ending = "The council will vote on the plan again next month, a spokesperson said."
    texts = [f"Report\n\n{_body(1)}\n\n{ending}" for _ in range(4)]
    assert all(ending in c.text for c in clean_corpus(texts))


def _pages_with(line: str, n: int, place: str = "Kota") -> list[str]:
    """n reports from `place`, each with `line` between two of its paragraphs (after a different paragraph on each)."""
    return [f"Report {k}\n\nThe first paragraph of report {k} says what happened on road {k} in {place} this week.\n\n{line}\n\n{_body(k)}"
            for k in range(n)]


@pytest.mark.parametrize("prompt", ["Click the icons below to go straight to the download page.",
                                    "Klik ikon di bawah ini untuk menuju halaman unduhan.",
                                    "Síguenos en las redes sociales para más novedades cada día."])
def test_a_plain_sentence_inside_many_pages_after_other_lines_is_boilerplate(prompt):
    texts = _pages_with(prompt, 3)
    for c in clean_corpus(texts):
        assert prompt not in c.text and reasons(c)[prompt] == clean.BOILERPLATE
        assert "says what happened" in c.text
    counts = clean.line_key_counts(texts[:2]) + clean.line_key_counts(texts[2:])
    assert clean.clean_batch(texts[1:], counts.repeated()) == clean_corpus(texts)[1:]   # a stream cleans alike


def test_a_batch_cleans_alike_with_the_key_hashes_its_count_made(monkeypatch):
    texts = _pages_with("Click the icons below to go straight to the download page.", 3) + \
        [record.text for record in read_records([bundled_sample()])]
    counts, key_hashes = clean.counted_keys(texts)
    expected = clean.clean_batch(texts, counts.repeated())
    assert expected == clean_corpus(texts)
    monkeypatch.setattr(line_keys, "key_hashes", None)   # no key is hashed again
    assert clean.clean_batch(texts, counts.repeated(), key_hashes) == expected


@pytest.mark.parametrize("line, n", [
    ("Click the icons below to go straight to the download page.", 2),   # two pages may share a sentence
    ("Ministers in Kota said the road would reopen within a week.", 3),   # a name the article speaks of: news
    ("Menteri mengatakan jalan itu dibuka kembali dalam 7 hari.", 3),     # a number
    ("Los vecinos dijeron que «nadie avisó» antes del cierre de la calle.", 3),   # a quotation
])
def test_a_sentence_few_pages_share_or_one_with_a_name_number_or_quotation_stays(line, n):
    assert all(line in c.text for c in clean_corpus(_pages_with(line, n)))


@pytest.mark.parametrize("prompt", ["Follow us on Google News to stay up to date.",
                                    "Dapatkan berita pilihan setiap hari di ponsel Anda.",
                                    "Abonnieren Sie unseren Newsletter, um täglich informiert zu bleiben."])
def test_a_sentence_inside_many_pages_with_names_the_articles_never_use_is_boilerplate(prompt):
    for c in clean_corpus(_pages_with(prompt, 3)):
        assert prompt not in c.text and reasons(c)[prompt] == clean.BOILERPLATE
    # the same sentence speaking of the place the articles report from is theirs
    line = "Ministers in Kota said the road would reopen within a week."
    assert not any(line in c.text for c in clean_corpus(_pages_with(line, 3, place="the city")))


def test_copies_of_one_report_keep_a_plain_sentence_they_share():
    line = "Residents were told to stay indoors until the smoke cleared."
    texts = [f"Report\n\n{_body(1)}\n\n{line}\n\nThe last paragraph says what happens next." for _ in range(4)]
    assert all(line in c.text for c in clean_corpus(texts))


def test_edited_copies_keep_a_plain_sentence_they_share_when_the_line_before_it_differs():
    """Syndicated copies edit a word here and there: the line before a shared sentence differs
    on most of them, the line after it does not, so the sentence is the report's, not a prompt."""
    line = "Residents were told to stay indoors until the smoke cleared."
    after = "The last paragraph says what happens next on the road."
    texts = [f"Report\n\nThe fire on road {n} spread through the valley overnight.\n\n{line}\n\n{after}\n\n{_body(1)}"
             for n in range(4)]
    assert all(line in c.text for c in clean_corpus(texts))
    assert not all(line in c.text for c in clean_corpus([t.replace(after, f"Another closing line {n}.")
                                                         for n, t in enumerate(texts)]))   # both neighbours differ


def test_a_related_link_glued_after_a_paragraph_is_cut_when_its_label_opens_links_elsewhere():
    label = "Lihat pula"
    texts = [f"Report {n}\n\n{_body(n)}\n\n{label}: Another headline about road works number {n}\n\nClosing line of report {n} is here." for n in range(3)]
    glued = f"Report 9\n\nThe council met on Monday and agreed the plan, officials said. {label}: warga menunggu jalan baru selesai\n\n{_body(9)}"
    cleaned = clean_corpus([*texts, glued])[-1]
    assert "warga menunggu" not in cleaned.text
    assert "officials said." in cleaned.text
    assert (f"{label}: warga menunggu jalan baru selesai", "related link") in [(r.text, r.reason) for r in cleaned.removed]


def test_a_short_line_above_a_picture_credit_block_is_a_caption():
    text = ("Council approves the new bridge\n\nThe new bridge seen from the river bank.\nBild :\n  • Kota Archive\n\n"
            "The council approved the bridge on Monday after a long debate about its cost, the mayor said.\n\n"
            "Work will start in the spring and should take two years to finish, officials added.")
    cleaned = clean_corpus([text])[0]
    assert ("The new bridge seen from the river bank.", "photo caption") in [(r.text, r.reason) for r in cleaned.removed]
    assert cleaned.text.startswith("The council approved")


def test_a_last_short_paragraph_above_a_byline_stays():
    text = ("Council approves the new bridge\n\nThe council approved the bridge on Monday after a long debate, the mayor said.\n\n"
            "Work starts in spring.\nAutor :\n  • Ani Wulan")
    assert "Work starts in spring." in clean_corpus([text])[0].text


def _repeat_pages() -> list[str]:
    quote = '"We will rebuild the bridge before the winter comes," the mayor told reporters.'
    body = ("The council voted on Monday to fund the repairs after the flood damaged the old crossing and "
            "closed the main road for weeks.")
    return [
        f"{body}\n\n{quote}\n\nWork starts next month. {quote} Officials gave no cost.\n\nCopyright 2024 Town Post",
        f"{quote}\n\n{body}\n\n{quote}",                                  # the same line twice
        f"{body}\n\n{quote}\n\nCopyright 2024 Town Post {quote.lower()}",  # inside a marked line: the rules decide
        f"{body}\n\nSee the plans and/or maps. {quote}\n\n{quote}",       # a slash: the rules decide
        f"Why did the bridge fall?\n\n{quote}\n\nAgain: {quote}",           # questions and labels: the rules decide
        f"{body}\n\n{quote}\n\nNothing else repeats here, the clerk said.",
    ]


def test_repeated_lines_settled_without_the_rules_match_the_rules(monkeypatch):
    pages = _repeat_pages()
    settled = clean_corpus(pages)
    assert sum(r.reason == clean.REPEATED for c in settled for r in c.removed) >= 3
    monkeypatch.setattr(clean, "settle_repeats", lambda *args: None)
    assert clean_corpus(pages) == settled


def test_a_first_paragraph_with_a_tail_after_its_sentences_is_no_title():
    lead = ("Banjir merendam ratusan rumah di tiga desa sejak Senin malam dan warga mengungsi ke balai desa, "
            "kata petugas.")
    for tail, kept in [("Reporting by Ann Lee; Editing by Bo Kim", False), ("dan pada hari Selasa warga", True)]:
        cleaned = clean_text(f"Judul Berita Hari Ini\n\n{lead} {tail}\n\nThe clean-up will take weeks, officials said.")
        assert lead in cleaned.text and (tail in cleaned.text) is kept


def test_a_short_note_after_a_capitalised_label_glued_to_a_paragraph_the_page_goes_on_after():
    body = ("The regional council met on Tuesday to discuss the budget for the coming year, and members argued "
            "for several hours about the cost of new roads, a spokesperson said.")
    after = "Officials said the repairs would begin next week."
    assert reasons(clean_text(f"{body} Source: CNA/ab\n\n{after}"))["Source: CNA/ab"] == clean.CREDIT
    assert "Sumber: ANTARA/ab" in clean_text(f"{after}\n\n{body} Sumber: ANTARA/ab").text   # the page's last line: maybe cut short
    assert "He added: we will" in clean_text(f"{body} He added: we will\n\n{after}").text      # no capitalised label


def test_a_headline_echo_takes_the_headline_s_closing_quote_with_it():
    text = 'Warga bilang "cukup"\n\nSungai meluap lagi.\n\nWarga bilang "cukup" dan pergi ke balai desa malam itu'
    cleaned = clean_text(text)
    assert cleaned.text.endswith("dan pergi ke balai desa malam itu") and '"' not in cleaned.text
    words = sorted(" ".join([cleaned.text, *(r.text for r in cleaned.removed)]).split())
    assert words == sorted(text.split())
