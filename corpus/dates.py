"""Dates as documents and their fields state them: never guessed, never relative.

* `parse_date_field`: the value of a date field (JSON, CSV, front matter,
  `--date-field`): ISO 8601, RFC 2822, epoch seconds or milliseconds, or a
  date in words or digits. A value without a zone is taken as UTC.
* `parse_date_text`: the date a short line of a page states ("Kamis, 14
  September 2023 10:00 WIB", "March 3, 2024").

An all-numeric date whose day and month could be swapped (4/5/2024) is read in
the order the same document uses for its unambiguous numeric dates (25/12/2024
means day first); without such evidence it stays unknown. Relative dates
("yesterday", "2 days ago") are never read, so a result never depends on the
day of the run. dateparser (many languages' month and day names) is imported
only when a date is written in words, so the commands that seldom need it
start fast.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

ISO_DATE = re.compile(r"^((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?!\d)")
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d\d)")
WORDY_DATES = (
    re.compile(r"\d{1,2}\.?\s+[^\W\d_]{3,}\.?,?\s+(?:19|20)\d\d"),      # 3 March 2024
    re.compile(r"[^\W\d_]{3,}\.?\s+\d{1,2},?\s+(?:19|20)\d\d"),        # March 3, 2024
)
EPOCH = re.compile(r"\d{9,13}")
DATEPARSER_SETTINGS = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],        # never relative ("yesterday")
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
}


def parse_date_field(value: object, context: str = "") -> dt.datetime | None:
    """The moment a date field states (UTC when it names no zone; midnight when
    it gives no time), None when it states none. `context` is the document,
    for the day/month order of an all-numeric date (see `parse_date_text`)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    text = str(value).strip()
    if isinstance(value, (int, float)) or EPOCH.fullmatch(text):
        seconds = float(text)
        seconds = seconds / 1000 if seconds > 1e11 else seconds
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    parsed = None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            date = parse_date_text(text, context)
            parsed = dt.datetime(date.year, date.month, date.day) if date else None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.timezone.utc)


def parse_date_text(text: str, context: str = "") -> dt.date | None:
    """The date a short text states, None if it states none or an ambiguous one.

    `context` is the document, searched for the day/month order of its numeric dates.
    """
    iso = ISO_DATE.search(text)
    if iso:
        return _date(int(iso[1]), int(iso[2]), int(iso[3]))
    numeric = NUMERIC_DATE.search(text)
    if numeric:
        first, second, year = int(numeric[1]), int(numeric[3]), int(numeric[4])
        day_first = _day_first(first, second, context)
        if day_first is None:
            return None
        return _date(year, second, first) if day_first else _date(year, first, second)
    import dateparser

    spans = [m[0] for pattern in WORDY_DATES for m in pattern.finditer(text)]
    for candidate in spans or [text]:  # a bare "3 March 2024" parses fast; whole lines are slow to fail
        try:
            parsed = dateparser.parse(candidate, settings=DATEPARSER_SETTINGS)
        except (ValueError, OverflowError):
            parsed = None
        if parsed is not None:
            return parsed.date()
    return None


def parse_iso_date(value: str | None) -> dt.date | None:
    """An ISO YYYY-MM-DD date back as a date (None stays None)."""
    return dt.date.fromisoformat(value) if value else None


def _day_first(first: int, second: int, context: str) -> bool | None:
    """Whether a numeric date is day/month/year: from its numbers, else from the context's
    full numeric dates (times like 10.30 and year-less 24/7 are no evidence)."""
    if first > 12 or second > 12 or first == second:
        return first > 12 or first == second
    orders = set()
    for match in NUMERIC_DATE.finditer(context):
        a, b = int(match[1]), int(match[3])
        if a > 12 and 1 <= b <= 12:
            orders.add(True)
        elif b > 12 and 1 <= a <= 12:
            orders.add(False)
    return orders.pop() if len(orders) == 1 else None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
