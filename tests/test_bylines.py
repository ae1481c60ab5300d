"""Bylines without a label at the top of a page (`corpus.bylines`), in three languages: not the
page's title when other pages open such lines with the same words before names."""
import pytest

from corpus import clean
from corpus.bylines import opener_and_names
from corpus.clean import clean_corpus

LEADS = [
    "The regional council met on Tuesday to discuss the budget for the coming year, a spokesperson said.",
    "Firefighters worked through the night to stop the blaze from reaching the homes on the hill.",
    "Dewan kota bertemu pada hari Selasa untuk membahas anggaran tahun depan, kata juru bicara.",
]
BODY = "Officials said the work would take several weeks and cost more than expected this year."


def _reasons(cleaned) -> dict[str, str]:
    return {removed.text: removed.reason for removed in cleaned.removed}


@pytest.mark.parametrize("bylines, said", [
    (["Written by Ann Lee", "Written by Bo Kim", "Written by Jo Park"], "The report was written by the council."),
    (["Von Anna Schmidt und Jonas Weber", "Von Jonas Weber", "Von Karl Braun"],
     "Der Bericht wurde von der Stadt am Dienstag veröffentlicht."),
    (["Por María López", "Por Carlos Pérez", "Por Ana Ruiz"], "El informe fue publicado por el ayuntamiento el martes."),
])
def test_a_byline_other_pages_open_alike_is_no_title(bylines, said):
    """The opener is a common word of the corpus (written in lower case in its sentences)."""
    pages = [f"{byline}\n{lead}\n{BODY} {said}" for byline, lead in zip(bylines, LEADS)]
    for byline, cleaned in zip(bylines, clean_corpus(pages)):
        assert _reasons(cleaned)[byline] == clean.CREDIT


@pytest.mark.parametrize("byline, lead", [("Written by Ann Lee", LEADS[0]), ("Oleh Sari Dewi dan Budi Santoso", LEADS[2]),
                                          ("Laporan Wartawan Kota, Sari Dewi", LEADS[2] + " Seorang wartawan hadir."),
                                          ("Written by Siti Park", LEADS[0] + " The situation is calm.")])
def test_a_byline_on_one_page_is_told_by_names_the_article_never_uses(byline, lead):
    alone = clean_corpus([f"{byline}\n{lead}\n{BODY} It was written here.", f"{LEADS[1]}\n{BODY}"])[0]
    assert _reasons(alone)[byline] == clean.CREDIT
    names = byline.split(", ")[-1] if "," in byline else byline.split(" ", 1 if byline.startswith("Oleh") else 2)[-1]
    named = clean_corpus([f"{byline}\n{lead}\n{BODY} It was about {names}.", f"{LEADS[1]}\n{BODY}"])[0]
    assert _reasons(named)[byline] == clean.HEADLINE   # the article speaks of them: a title of names alone


def test_a_headline_in_title_case_stays_a_title():
    heads = ["Police Arrest Three Suspects", "Police Close The Bridge", "Police Search The River"]
    said = "The police would arrest three suspects, close the bridge and search the river, they said."
    pages = [f"{head}\n{lead}\n{BODY} {said}" for head, lead in zip(heads, LEADS)]   # common words: in lower case too
    assert [_reasons(cleaned)[head] for head, cleaned in zip(heads, clean_corpus(pages))] == [clean.HEADLINE] * 3


def test_byline_shapes():
    assert opener_and_names("Written by Ann Lee") == ("written by", ["Ann", "Lee"])
    assert opener_and_names("Von Anna Schmidt und Jonas Weber") == ("von", ["Anna", "Schmidt", "Jonas", "Weber"])
    assert opener_and_names("By Ann Lee.") is None                 # a sentence
    assert opener_and_names("By Ann Lee on 5 May") is None         # a date
    assert opener_and_names("Firefighters battle the blaze") is None


def test_copies_of_one_report_keep_their_headline_and_a_label_is_left_to_the_label_rules():
    head = "Bookmakers back Aviator for Oscar"
    pages = clean_corpus([f"{head}\n{LEADS[0]}\n{BODY}", f"{head}\n{LEADS[0]}\n{BODY}", f"{LEADS[1]}\n{BODY}"])
    assert all(_reasons(cleaned)[head] == clean.HEADLINE for cleaned in pages[:2])
    assert opener_and_names("Profile: David Miliband") is None


def test_a_headline_of_a_name_a_verb_and_names_is_no_byline():
    heads = ["Melzer shocks Agassi", "Melzer shocks Agassi in San Jose"]
    pages = clean_corpus([f"{head}\n{lead}\n{BODY}" for head, lead in zip(heads, LEADS)])
    assert [_reasons(cleaned)[head] for head, cleaned in zip(heads, pages)] == [clean.HEADLINE] * 2
    assert opener_and_names("Police arrest Ann Lee") is None
