"""Metadata is read where the document states it, and never guessed."""

import pytest

from corpus.clean import clean_corpus
from corpus.metadata import Metadata, document_metadata, outlet_from_domain, story_metadata
from corpus.read import bundled_sample, read_records


@pytest.fixture(scope="module")
def sample() -> dict[str, Metadata]:
    records = list(read_records([bundled_sample()]))
    cleaned = clean_corpus([r.text for r in records])
    return {r.id[:3]: document_metadata(r.text, r.fields, c) for r, c in zip(records, cleaned)}


def test_sample_outlets(sample):
    assert [sample[d].outlet for d in ("000", "001", "002", "003", "004")] == [
        "Republika", "Republika", "Republika", "Serambinews", None,
    ]
    assert sample["000"].outlet_domain == "republika.co.id"
    assert sample["003"].publisher == "TRIBUNnews.com Network"  # the network footer is not the outlet


def test_sample_dates(sample):
    assert sample["000"].date == "2023-09-14"
    assert sample["001"].date == "2023-09-18"
    assert sample["002"].date is None  # only dates mentioned in sentences
    assert sample["003"].date is None
    assert sample["004"].date is None  # 9/11/2023: day and month could be swapped, nothing settles it


def test_sample_titles(sample):
    assert sample["000"].title == "Kim Jong Un Undang Putin ke Korut"
    assert sample["002"].title is None
    assert sample["003"].title.startswith("Vladimir Putin Bertemu Kim Jong Un")


def test_without_cleaned_it_cleans_the_text_itself(sample):
    record = next(r for r in read_records([bundled_sample()]) if r.id.startswith("001"))
    assert document_metadata(record.text, record.fields) == sample["001"]


def test_story_metadata_is_the_title_and_date_alone(sample):
    records = list(read_records([bundled_sample()]))
    cleaned = clean_corpus([r.text for r in records])
    for record, clean_one in zip(records, cleaned):
        full = sample[record.id[:3]]
        assert story_metadata(record.text, record.fields, clean_one) == Metadata(None, full.title, full.date)


def test_fields_come_first():
    text = "A headline here\n\nNEW YORK, Site.com -- The mayor spoke on Monday.\n"
    fields = {"Title": "The given title", "published_at": "2024-03-05T10:00:00Z", "url": "https://news.example.co.uk/a/1"}
    meta = document_metadata(text, fields)
    assert meta == Metadata("Example", "The given title", "2024-03-05", "example.co.uk", None)


@pytest.mark.parametrize(
    "fields, outlet",
    [
        ({"outlet": "The Daily Planet"}, "The Daily Planet"),
        ({"site": "DailyPlanet.com"}, "DailyPlanet"),
        ({"source": "https://www.dailyplanet.com/news"}, "Dailyplanet"),
        ({"source": "data/file.jsonl"}, None),
    ],
)
def test_outlet_fields(fields, outlet):
    assert document_metadata("The mayor spoke on Monday.", fields).outlet == outlet


def test_epoch_and_text_date_fields():
    assert document_metadata("Text.", {"timestamp": 1394470371208}).date == "2014-03-10"
    assert document_metadata("Text.", {"date": "5 March 2024"}).date == "2024-03-05"


def test_outlet_from_the_text():
    agency = document_metadata("WASHINGTON (Reuters) - The Senate voted on Tuesday.", {})
    assert (agency.outlet, agency.outlet_domain) == ("Reuters", None)
    credit = document_metadata("The Senate voted on Tuesday. (Example.com/Jane Doe)\n© 2024 Big Media Group", {})
    assert (credit.outlet, credit.outlet_domain, credit.publisher) == ("Example", "example.com", "Big Media Group")
    footer = document_metadata("The Senate voted on Tuesday.\n© 2024 Daily Planet Media. All rights reserved.", {})
    assert (footer.outlet, footer.publisher) == ("Daily Planet Media", "Daily Planet Media")


def test_nothing_stated_nothing_invented():
    meta = document_metadata("The council met on 12 March 2024 and Reuters reported it on example.com.", {})
    assert meta == Metadata(None, None, None)


def test_date_line_in_the_page():
    text = "Town library saved\nPublished 3 March 2024\nThe council voted on Monday to keep it open."
    meta = document_metadata(text, {})
    assert (meta.title, meta.date) == ("Town library saved", "2024-03-03")


def test_outlet_from_domain():
    assert outlet_from_domain("news.bbc.co.uk") == ("Bbc", "bbc.co.uk")
    assert outlet_from_domain("TRIBUNnews.com Network") == ("TRIBUNnews", "tribunnews.com")
    assert outlet_from_domain("no domain here") is None
    assert outlet_from_domain("file.notarealsuffix") is None


def test_character_references_in_a_title_are_decoded_once(tmp_path):
    """A page's parser decoded its title already: a title showing "&amp;" keeps it; a field read
    as given (a sidecar's, a JSON record's) is decoded."""
    body = "<p>" + "The council met on Monday to discuss the new harbour &amp;amp; plan and its costs. " * 3 + "</p>"
    (tmp_path / "a.html").write_text(f"<html><head><title>Writing &amp;amp; in markup</title></head>"
                                     f"<body><article>{body}</article></body></html>", encoding="utf-8")
    (tmp_path / "b.html").write_text((tmp_path / "a.html").read_text(), encoding="utf-8")
    (tmp_path / "b.meta.json").write_text('{"title": "AT&amp;T deal"}', encoding="utf-8")
    pages = sorted(read_records([tmp_path]), key=lambda r: r.id)
    titles = [document_metadata(r.text, r.fields, decoded=r.decoded).title for r in pages]
    assert titles == ["Writing &amp; in markup", "AT&T deal"]
    assert "the new harbour &amp; plan" in pages[0].text
    assert story_metadata("Text.", {"title": "AT&amp;T deal"}, clean_corpus(["Text."])[0]).title == "AT&T deal"
