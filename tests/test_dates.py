"""Dates are read as stated, in any of the usual forms, and never guessed."""

import datetime as dt

import pytest

from corpus.dates import parse_date_field, parse_date_text, parse_iso_date


@pytest.mark.parametrize(
    "text, context, expected",
    [
        ("13/9/2023", "", dt.date(2023, 9, 13)),
        ("9/13/2023", "", dt.date(2023, 9, 13)),
        ("9/11/2023", "", None),
        ("9/11/2023", "It began on 25/12/2022.", dt.date(2023, 11, 9)),
        ("9/11/2023", "It began on 12/25/2022.", dt.date(2023, 9, 11)),
        ("9/11/2023", "At 10.30 the 24/7 desk opened.", None),  # times and year-less numbers are no evidence
        ("7/7/2023", "", dt.date(2023, 7, 7)),
        ("2023-09-14", "", dt.date(2023, 9, 14)),
        ("31/2/2023", "", None),
        ("Senin 18 Sep 2023 14:26 WIB", "", dt.date(2023, 9, 18)),
        ("Updated March 3, 2024 at 5:00 p.m. ET", "", dt.date(2024, 3, 3)),
        ("2023 World Cup", "", None),
    ],
)
def test_parse_date_text(text, context, expected):
    assert parse_date_text(text, context) == expected


@pytest.mark.parametrize("value, expected", [
    ("2023-09-13", "2023-09-13T00:00:00+00:00"),
    ("2023-09-13T10:30:00+07:00", "2023-09-13T10:30:00+07:00"),
    ("2023-09-13T10:30:00Z", "2023-09-13T10:30:00+00:00"),
    ("Wed, 13 Sep 2023 10:30:00 +0000", "2023-09-13T10:30:00+00:00"),
    ("13 September 2023", "2023-09-13T00:00:00+00:00"),
    ("13/9/2023", "2023-09-13T00:00:00+00:00"),
    (1394470371208, "2014-03-10T16:52:51.208000+00:00"),
    ("1394470371", "2014-03-10T16:52:51+00:00"),
])
def test_parse_date_field(value, expected):
    assert parse_date_field(value).isoformat() == expected


@pytest.mark.parametrize("value", [None, "", True, "yesterday", "3 days ago", "not a date", "September", "9/11/2023"])
def test_unknown_or_relative_dates_are_none(value):
    assert parse_date_field(value) is None


def test_a_field_uses_the_document_for_the_order_of_day_and_month():
    assert parse_date_field("9/11/2023", "It began on 25/12/2022.").date() == dt.date(2023, 11, 9)


def test_parse_iso_date():
    assert parse_iso_date("2023-09-14") == dt.date(2023, 9, 14)
    assert parse_iso_date(None) is None
