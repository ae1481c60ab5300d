"""A document's outlet, title and publication date: read where stated, never guessed.

Sources, first that answers wins:

1. the record's own fields (front matter, JSON, CSV columns): title/headline,
   date/published…, outlet/site/publisher/source, or the domain of its url
   (character references in a title or outlet decoded, as in the text);
2. what `corpus.clean` took off the page:
   * outlet: the dateline ("SITE.CO.ID, CITY --" gives the site's domain,
     "CITY (Agency) -" the agency), else a bracketed credit with a domain at the
     end of a paragraph ("(Site.com/Author)"), else the copyright holder. The
     credit nearest the content wins over a network's copyright footer, which
     is kept apart as `publisher`;
   * title: the headline line;
   * date: the first dedicated date line. Dates mentioned inside sentences are
     events, not the publication date, and are never used.

An outlet read from a domain is its registrable label ("news.site.co.uk" ->
"Site"), written as the page writes it, capitalised when the page uses one case.

Dates are read by `corpus.dates`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from tld import get_tld

from corpus import clean
from corpus.dates import parse_date_field, parse_date_text
from corpus.decode import decode_entities

TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("date", "published", "publishedat", "publishdate", "pubdate", "datepublished", "datetime", "timestamp")
OUTLET_KEYS = ("outlet", "site", "sitename", "publisher", "source", "hostname", "domain", "url", "link")

HOLDER = re.compile(r"(?:©|\(c\)|\bcopyright\b)\s*(?:(?:19|20)\d\d\s*[-–]?\s*)*(?P<holder>.+)", re.IGNORECASE)
DOMAIN = re.compile(r"(?:https?://)?(?P<host>[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,})\b", re.IGNORECASE)


@dataclass
class Metadata:
    """What a document states about itself; None where it does not say."""

    outlet: str | None
    title: str | None
    date: str | None                 # ISO YYYY-MM-DD
    outlet_domain: str | None = None  # registrable domain the outlet was read from
    publisher: str | None = None      # copyright holder, when the page names one


def document_metadata(raw_text: str, fields: dict, cleaned: clean.Cleaned | None = None,
                      decoded: tuple[str, ...] = ()) -> Metadata:
    """The outlet, title and date of one document (see the module notes for the rules;
    `decoded`: the fields a page's parser decoded, `Record.decoded`)."""
    if cleaned is None:
        cleaned = clean.clean_text(raw_text)
    by_key = _by_key(fields, decoded)
    outlet, domain = _outlet_from_fields(by_key)
    publisher = None
    for removed in cleaned.removed:
        if removed.reason == clean.COPYRIGHT:
            publisher = publisher or _copyright_holder(removed.text)
    if outlet is None:
        outlet, domain = _outlet_from_page(cleaned.removed, publisher)
    return Metadata(outlet, _title(by_key, cleaned), _date(by_key, cleaned, raw_text), domain, publisher)


def story_metadata(raw_text: str, fields: dict, cleaned: clean.Cleaned, decoded: tuple[str, ...] = ()) -> Metadata:
    """What the story commands read of `document_metadata`: the title and
    date alike, the outlet and publisher left None (not looked for)."""
    by_key = _by_key(fields, decoded)
    return Metadata(None, _title(by_key, cleaned), _date(by_key, cleaned, raw_text))


def _by_key(fields: dict, decoded: tuple[str, ...]) -> dict:
    """The fields by `_field_key`, a string's character references decoded once: as in
    the text, unless a page's parser decoded it already (an `.html` title)."""
    return {_field_key(k): decode_entities(v) if isinstance(v, str) and k not in decoded else v
            for k, v in fields.items() if v not in (None, "")}


def _title(by_key: dict, cleaned: clean.Cleaned) -> str | None:
    title = next((str(by_key[k]).strip() for k in TITLE_KEYS if k in by_key), None)
    return title or next((r.text for r in cleaned.removed if r.reason == clean.HEADLINE), None)


def _date(by_key: dict, cleaned: clean.Cleaned, raw_text: str) -> str | None:
    """The date a field gives, else a date line clean took out, as ISO YYYY-MM-DD."""
    stated = next((d for d in (parse_date_field(by_key[k], raw_text) for k in DATE_KEYS if k in by_key) if d), None)
    date = stated.date() if stated else None
    if date is None:
        lines = (r.text for r in cleaned.removed if r.reason == clean.DATE)
        date = next((d for d in (parse_date_text(line, raw_text) for line in lines) if d), None)
    return date.isoformat() if date else None


@functools.lru_cache(maxsize=4096)
def _field_key(name) -> str:
    """A field name as the rules look it up: case-folded, without separators ("Site_Name" -> "sitename")."""
    return re.sub(r"[\W_]", "", str(name).casefold())


def outlet_from_domain(text: str) -> tuple[str, str] | None:
    """(outlet name, registrable domain) of a domain or URL, None if it is not one."""
    match = DOMAIN.search(text)
    if not match:
        return None
    host = match["host"]
    parsed = get_tld(host.casefold(), fix_protocol=True, as_object=True, fail_silently=True)
    if parsed is None or not parsed.domain:
        return None
    labels = host.split(".")
    label = labels[len(labels) - len(parsed.tld.split(".")) - 1]
    name = label.capitalize() if label in (label.lower(), label.upper()) else label
    return name, parsed.fld


def _outlet_from_fields(by_key: dict) -> tuple[str | None, str | None]:
    for key in OUTLET_KEYS:
        if key not in by_key:
            continue
        value = str(by_key[key]).strip()
        from_domain = outlet_from_domain(value) if DOMAIN.fullmatch(value) or "://" in value else None
        if from_domain:
            return from_domain
        if "://" not in value and "/" not in value:
            return value, None
    return None, None


def _outlet_from_page(removed: list[clean.Removed], publisher: str | None) -> tuple[str | None, str | None]:
    """The dateline, then a bracketed credit with a domain, then the copyright holder."""
    for piece in removed:
        if piece.reason == clean.DATELINE:
            from_domain = outlet_from_domain(piece.text)
            if from_domain:
                return from_domain
            agency = re.search(r"\(([^()]+)\)", piece.text)
            if agency and _is_name(agency[1]):
                return agency[1].strip(), None
    for piece in removed:
        if piece.reason == clean.CREDIT and piece.text.startswith("("):
            from_domain = outlet_from_domain(piece.text)
            if from_domain:
                return from_domain
    if publisher:
        return outlet_from_domain(publisher) or (publisher, None)
    return None, None


def _copyright_holder(line: str) -> str | None:
    """'© 2024 Holder Name, a subsidiary…' -> 'Holder Name' (None if it is not a name)."""
    match = HOLDER.search(line)
    if not match:
        return None
    holder = re.split(r"[,;|]|\.(?:\s|$)", match["holder"])[0].strip()
    return holder if _is_name(holder) else None


def _is_name(text: str) -> bool:
    """A few words, each capitalised (domains allowed): a proper name."""
    words = re.findall(r"\w+", DOMAIN.sub(" ", text))
    return 0 < len(text.split()) <= 6 and all(w[0].isupper() or w[0].isdigit() for w in words)
