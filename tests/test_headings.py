"""Story headings: the most central report, its title or the opening words of its lead."""

from corpus.headings import LEAD_WORDS, central_documents, heading, heading_candidates, story_headings
from corpus.stories import story_clusters

HUB = ("The Lanner River flooded Marlow Creek on Sunday; Mayor Tessa Holbrook opened shelters at the mill "
       "and the Quarry Lane school while rescue boats searched the levee.")
TEXTS = [
    "Mayor Tessa Holbrook of Marlow Creek opened shelters at the mill on Sunday.",     # shares names with the hub
    HUB,
    "Rescue boats searched Quarry Lane near the broken Lanner River levee on Sunday.",
    "Voters in Kestrel Bay elected Amadou Fenwick as governor with 54 percent of the vote.",
]


def test_the_report_most_similar_to_the_others_is_central():
    result = story_clusters(TEXTS)
    assert central_documents(result, [[0, 1, 2], [3]]) == [1, 3]
    assert central_documents(result, [[0, 2], [1], [3]]) == [0, 1, 3]      # a tie of two: the first


def test_ties_go_to_the_first_report_in_input_order():
    result = story_clusters([HUB, HUB + " ", TEXTS[3]])
    stories = [members for _, members in result.stories()]
    assert central_documents(result, stories)[0] == 0


def test_a_copy_never_is_central():
    result = story_clusters([HUB, TEXTS[0], TEXTS[2], HUB], copy_of=[3, None, None, None])
    assert central_documents(result, [[0, 1, 2, 3]]) == [3]


def test_heading_is_the_title_else_the_opening_words_of_the_lead():
    assert heading("  Floods in\nMarlow Creek ", HUB) == "Floods in Marlow Creek"
    words = HUB.split()
    assert heading(None, f"\n\n{HUB} Second sentence here.") == " ".join(words[:LEAD_WORDS]) + " …"
    assert heading("", "Short lead here. And more text follows it.") == "Short lead here."
    assert heading(None, "") == ""


def test_a_lead_opening_with_bullets_or_dashes_is_headed_by_its_words():
    assert heading(None, "× • Rescue boats searched the levee.") == "Rescue boats searched the levee."
    assert heading(None, ">>> – Rescue boats searched the levee.") == "Rescue boats searched the levee."
    assert heading(None, "— 2 boats searched the levee.") == "2 boats searched the levee."
    assert heading(None, "* * *") == ""
    assert heading(None, "• ( AP ) “ Boats searched , ” he said .") == "( AP ) “ Boats searched , ” he said ."


def test_a_heading_says_something_else_the_next_sentence_of_the_lead_heads():
    lead = "Rescue boats searched the levee on Sunday."
    for chrome in ("1 of 7.", "|", "Lung cancer."):                          # a counter, a bare mark, two words
        assert heading(None, f"{chrome} {lead}") == lead
    for chrome in ("1 of 7", "|", "5982", "Beranda"):                        # a title that says nothing too
        assert heading(chrome, lead) == lead
    assert heading("Newcastle 2-1 Bolton", lead) == "Newcastle 2-1 Bolton"   # two words a title says enough with
    assert heading(None, "Foto 1 dari 7. Tim SAR menyisir tanggul sungai pada hari Minggu.") == \
        "Tim SAR menyisir tanggul sungai pada hari Minggu."
    assert heading(None, "[ there was a video here ] Rescue boats searched the levee.") == \
        "Rescue boats searched the levee."
    assert heading(None, "[VIDEO] Tim SAR menyisir tanggul sungai.") == "Tim SAR menyisir tanggul sungai."
    assert heading(None, "[ This report was updated. It adds a statement. ] Rescue boats searched the levee.") == \
        "Rescue boats searched the levee."
    assert heading(None, "Lung cancer.") == "Lung cancer."                   # nothing else: what there is
    assert heading(None, "金正恩与普京在东方航天发射场会面。") == "金正恩与普京在东方航天发射场会面。"   # no spaces, many words


def test_of_a_title_or_lead_cut_by_pipes_the_longest_part_heads_unless_the_first_ends_a_sentence():
    assert heading("Kim Jong Un tiba di Rusia | Berita Harian", "") == "Kim Jong Un tiba di Rusia"
    assert heading(None, "Toronto | Toronto (Reuters) - The council approved the budget.") == \
        "Toronto (Reuters) - The council approved the budget."
    assert heading(None, "Updated | Older fathers have geekier sons, scientists say.") == \
        "Older fathers have geekier sons, scientists say."
    assert heading(None, "Trump named him to lead the agency. | Getty Images Trump taps Wilkie as next "
                         "veterans affairs secretary") == "Trump named him to lead the agency."


def test_a_heading_two_stories_share_is_passed_over_and_a_shared_opening_lengthened():
    texts = [
        "Skip ad ad loading... Rescue boats searched the levee on Sunday.",
        "Skip ad ad loading... Lewati iklan. Warga mengungsi ke balai desa pada hari Minggu.",
        "Jakarta (Antara) - Presiden Joko Widodo membuka pameran industri di Jakarta pada hari Rabu pagi bersama para menteri.",
        "Jakarta (Antara) - Presiden Joko Widodo membuka pameran industri di Jakarta pada hari Kamis malam di hadapan duta besar.",
        "Voters elected a governor.",
    ]
    found = story_headings(lambda story: heading_candidates(None, texts[story]),
                           lambda story: "fallback", len(texts))
    assert found[:2] == ["Rescue boats searched the levee on Sunday.",
                         "Warga mengungsi ke balai desa pada hari Minggu."]     # `Lewati iklan.` says too little
    assert found[2:4] == texts[2:4]                       # the same first LEAD_WORDS words: twice as many shown
    assert found[4] == "Voters elected a governor."
    alone = story_headings(lambda story: heading_candidates(None, "Skip ad ad loading..."),
                           lambda story: f"fallback {story}", 2)
    assert alone == ["fallback 0", "fallback 1"]
