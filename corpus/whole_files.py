"""Whole-file documents: txt/md with front matter, html (main text by
trafilatura), each with an optional sidecar `<name>.meta.json`."""

from __future__ import annotations

import csv
import json
import re
import warnings
from pathlib import Path
from typing import BinaryIO, Iterator

from corpus.decode import BinaryFile, normalise_text, plain_text, text_encoding
from corpus.records import InputError, InvalidRecord, Item, ReadOptions, checked_record, json_type


def whole_file(stream: BinaryIO, source: str, doc_id: str, fmt: str, options: ReadOptions,
                sidecar: Path | None) -> Iterator[Item]:
    data = stream.read()
    try:
        text = normalise_text(data.decode(text_encoding(data, True), "replace"))
        if fmt == "txt":              # character references left in plain text are decoded (a page's, by its parser)
            text, fields = _front_matter(text, source)
            text = plain_text(text)
        else:
            text, fields = _html_main_text(text, source)
        parsed = tuple(fields) if fmt == "html" else ()
        sidecar_fields = _sidecar_fields(sidecar)
        fields.update(sidecar_fields)
        decoded = tuple(name for name in parsed if name not in sidecar_fields)   # a sidecar's are as given
        yield checked_record(doc_id, text, source, None, fields, options, decoded=decoded), None
    except (InvalidRecord, BinaryFile) as problem:
        yield InputError(source, str(problem), None, doc_id)
    except InputError as error:
        error.record_id = doc_id
        yield error


_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)
_KEY_VALUE = re.compile(r"([\w][\w .-]*?)[ \t]*:(?:[ \t]+(.*?))?[ \t]*")
_LIST_ITEM = re.compile(r"[ \t]*-[ \t]+(.*?)[ \t]*")


def _front_matter(text: str, source: str) -> tuple[str, dict]:
    """Split YAML-style front matter off the top of a text.

    A safe subset of YAML, no dependency: `key: value` lines (values stay
    strings, quotes removed), `[a, b]` flow lists, `- item` lists under an
    empty `key:`, blank and `#` comment lines. Anything else is an error
    naming the line, rather than a guess.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}
    fields: dict = {}
    key = None
    for number, line in enumerate(match.group(1).splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item, pair = _LIST_ITEM.fullmatch(line), _KEY_VALUE.fullmatch(line)
        if item and key is not None and isinstance(fields[key], list):
            fields[key].append(_scalar(item.group(1)))
        elif pair and not line[0].isspace():
            key, value = pair.group(1), pair.group(2)
            fields[key] = [] if value is None else _flow_value(value)
        else:
            raise InputError(source, f"front matter: cannot read '{line.strip()}' (only key: value lines)", number)
    return text[match.end():], {k: (None if v == [] else v) for k, v in fields.items()}


def _flow_value(value: str) -> str | list[str]:
    if value.startswith("[") and value.endswith("]"):
        return [_scalar(part) for part in next(csv.reader([value[1:-1]], skipinitialspace=True), [])]
    return _scalar(value)


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return json.loads(value)
        except ValueError:
            return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return re.sub(r"\s+#.*\Z", "", value)


_AMPERSANDS = re.compile(r"&(amp|#0*38|#[xX]0*26);")   # a "&" the page shows, escaped once more for trafilatura
HTML_FIELDS = ("title", "author", "date", "sitename", "url", "hostname", "description", "language")


def _html_main_text(html: str, source: str) -> tuple[str, dict]:
    """Main text and metadata of a page. When trafilatura finds no main text
    (tiny or unusual pages) fall back to its baseline extractor, then to all
    visible text. The file date trafilatura adds (today) is not kept. The date comes
    from the page's markup (meta tags, structured data, time elements, the URL), not
    from htmldate's search of the text, whose last resort is a guess (a copyright
    year as 1 January); dates the text states are `corpus.metadata`'s. trafilatura decodes
    character references once more after its parser did (`html.unescape` of the text and
    fields; not its fallbacks' text): a page's "&amp;" is given to it as "&amp;amp;", so
    that a title showing "&amp;lt;" stays so."""
    import trafilatura
    from trafilatura.settings import set_date_params
    escaped = _AMPERSANDS.sub(r"&amp;\1;", html)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = trafilatura.bare_extraction(escaped, with_metadata=True, include_comments=False,
                                               date_extraction_params=set_date_params(extensive=False))
        text = (document.text if document else None) or ""
        if not text.strip():
            text = trafilatura.baseline(html)[1] or trafilatura.html2txt(html)
        if document is None and html.strip():
            document = trafilatura.extract_metadata(escaped, extensive=False)
    fields = {name: getattr(document, name) for name in HTML_FIELDS if document and getattr(document, name)}
    return normalise_text(text), fields


def _sidecar_fields(path: Path | None) -> dict:
    if path is None or not path.is_file():
        return {}
    try:
        value = json.loads(path.read_bytes())
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror}") from None
    except ValueError as error:
        raise InputError(str(path), f"bad JSON: {error}") from None
    if not isinstance(value, dict):
        raise InputError(str(path), f"metadata is a JSON {json_type(value)}, not an object")
    return value
