"""Story headings: the most central report, its title or the opening words of its lead."""

from corpus.headings import LEAD_WORDS, central_documents, heading
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
