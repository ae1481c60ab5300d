"""The furniture audit's shapes (`benchmarks.furniture_audit`), in two languages."""

import pytest

from benchmarks.furniture_audit import candidates, shapes


@pytest.mark.parametrize("sentence, kind", [
    ("Baca juga: Tiket kereta cepat dijual mulai besok", "label"),
    ("Read more: Council approves new road plan", "label"),
    ("The bridge closed on Monday. (HARBOUR, 5 Dec 2021)", "bracket"),
    ("Petugas memadamkan api (Foto: Kotapress)", "bracket"),
    ("Api padam pada sore hari. (Antara)", "bracket"),
    ("(KOTA 5 Dec 2021)", "bracket"),
    ("Rescuers wade through the street / Photo: Kota Agency", "slash"),
    ("© 2021 Warta Kota", "mark"),
    ("Senin, 5 Desember 2021 10:45 WIB", "date"),
    ("Berita Terkait", "phrase"),
])
def test_chrome_has_its_shape(sentence, kind):
    assert kind in shapes(sentence)


@pytest.mark.parametrize("sentence", [
    "The council voted on Monday to close the old bridge after engineers found cracks.",
    "Petugas pemadam kebakaran berusaha memadamkan api di lokasi sejak pagi.",
    'He said: "We will rebuild it."',
    "At 11:10 on Saturday the craft lost contact with the ground.",
    "The Office for National Statistics (ONS) said prices rose.",
    "Badan Pusat Statistik (BPS) mencatat harga naik.",
])
def test_plain_sentences_have_none(sentence):
    assert shapes(sentence) == []


def test_candidates_read_a_reports_unique_and_shared_sentences():
    report = {"stories": [{"unique_sentences": [{"document": "a", "text": "Berita Terkait"},
                                                {"document": "a", "text": "Api mulai padam pada sore hari."}],
                           "shared_sentences": [{"occurrences": [{"document": "b", "text": "Read more: New plan"}]}]}]}
    assert candidates(report, False) == [("a", "Berita Terkait", ["phrase"])]
    assert [document for document, _, _ in candidates(report, True)] == ["a", "b"]
