"""Readers: every format, id rule, encoding and input error of corpus.read."""

import gzip
import io
import json
import os
import pickle
import random
import unicodedata
from pathlib import Path

import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import record_files
from corpus.decode import plain_text
from corpus.read import InputError, LineBatch, Record, UniqueIds, bundled_sample, read_records, read_unparsed
from corpus.record_files import parse_lines, raw_text

BBC = Path("/work/shared/data/bbc-news/bbc")


def read(paths, **options) -> list[Record]:
    return list(read_records([str(p) for p in paths], **options))


def read_skipping(paths, **options) -> tuple[list[Record], list[InputError]]:
    errors: list[InputError] = []
    return list(read_records([str(p) for p in paths], errors.append, **options)), errors


def error_of(paths, **options) -> InputError:
    with pytest.raises(InputError) as caught:
        read(paths, **options)
    return caught.value


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


# ---- plain text, folders, ids ----

def test_single_text_file_id_is_its_name_without_extension(tmp_path):
    (tmp_path / "a").mkdir()
    path = tmp_path / "a" / "b.txt"
    path.write_text("Some news.\n", encoding="utf-8")
    [record] = read([path])
    assert (record.id, record.text, record.source, record.line, record.fields) == ("b", "Some news.\n", str(path), None, {})


def test_folder_ids_are_relative_posix_paths_in_sorted_order(tmp_path):
    names = ["z.txt", "a/2.md", "a/10.txt", "b/c/d.txt", "a.txt"]
    random.Random(4).shuffle(names)                  # creation order must not matter
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"text of {name}", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")    # other types in a folder are passed over
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("hidden", encoding="utf-8")
    ids = [r.id for r in read([tmp_path])]
    assert ids == ["a/10", "a/2", "a", "b/c/d", "z"]
    assert ids == [r.id for r in read([tmp_path])]


def test_extensions_are_case_insensitive_and_compression_is_stripped_from_ids(tmp_path):
    (tmp_path / "README.TXT").write_text("upper case", encoding="utf-8")
    (tmp_path / "x.txt.gz").write_bytes(gzip.compress("zipped".encode()))
    (tmp_path / "y.TXT.ZST").write_bytes(zstandard.ZstdCompressor().compress("zstd text".encode()))
    records = read([tmp_path])
    assert [(r.id, r.text) for r in records] == [("README", "upper case"), ("x", "zipped"), ("y", "zstd text")]


def test_multi_frame_zstd_is_read_to_the_end(tmp_path):
    compressor = zstandard.ZstdCompressor()
    path = tmp_path / "two.txt.zst"
    path.write_bytes(compressor.compress(b"first frame, ") + compressor.compress(b"second frame"))
    assert read([path])[0].text == "first frame, second frame"


def test_bundled_sample_reads():
    records = read([bundled_sample()])
    assert len(records) == 5 and all(r.text.strip() and r.fields == {} for r in records)


# ---- front matter and sidecars ----

def test_front_matter_goes_to_fields_and_out_of_the_text(tmp_path):
    path = tmp_path / "story.md"
    path.write_text(
        "---\r\ntitle: \"Flood: rivers rise\"\r\ndate: 2024-03-01\r\noutlet: 'Ann''s Paper'\r\n"
        "url: https://example.org/a#top\r\n# a comment\r\ntags: [rain, 'north coast']\r\n"
        "authors:\r\n  - A. Writer\r\n  - B. Writer\r\nempty:\r\n---\r\nThe text.\r\n", encoding="utf-8")
    [record] = read([path])
    assert record.text == "The text.\n"
    assert record.fields == {"title": "Flood: rivers rise", "date": "2024-03-01", "outlet": "Ann's Paper",
                             "url": "https://example.org/a#top", "tags": ["rain", "north coast"],
                             "authors": ["A. Writer", "B. Writer"], "empty": None}
    assert record.date == "2024-03-01"


def test_front_matter_that_cannot_be_read_is_an_error_naming_the_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("---\ntitle: ok\nnested:\n  key: value\n---\ntext", encoding="utf-8")
    error = error_of([path])
    assert str(error) == f"{path}:4: front matter: cannot read 'key: value' (only key: value lines)"
    assert error.record_id == "bad"


def test_a_leading_rule_without_closing_is_text(tmp_path):
    path = tmp_path / "rule.md"
    path.write_text("---\nJust text after a rule.\n", encoding="utf-8")
    assert read([path])[0].text == "---\nJust text after a rule.\n"


def test_sidecar_metadata_goes_to_fields_and_wins_over_front_matter(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"---\ntitle: from front matter\nsite: x\n---\nBody."))
    (tmp_path / "a.meta.json").write_text(json.dumps({"title": "from sidecar", "date": "2024-01-02"}), encoding="utf-8")
    [record] = read([tmp_path])                      # the sidecar itself is not a document
    assert record.fields == {"title": "from sidecar", "site": "x", "date": "2024-01-02"}
    assert (record.id, record.text, record.date) == ("a", "Body.", "2024-01-02")


@pytest.mark.parametrize("content, reason", [("{oops", "bad JSON: "), ("[1, 2]", "metadata is a JSON array, not an object")])
def test_bad_sidecar_is_an_error_naming_the_sidecar(tmp_path, content, reason):
    (tmp_path / "a.txt").write_text("Body.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(content, encoding="utf-8")
    assert str(error_of([tmp_path / "a.txt"])).startswith(f"{tmp_path / 'a.meta.json'}: {reason}")


# ---- HTML ----

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Storm closes harbour | The Coast Herald</title>
<meta property="og:site_name" content="The Coast Herald">
<meta property="article:published_time" content="2024-02-11T08:00:00Z"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport pages</a></li>
<li><a href="/weather">Weather desk</a></li></ul></nav>
<article><h1>Storm closes harbour</h1>
<p>A winter storm closed the main harbour on Sunday after waves damaged the northern pier, port officials said.</p>
<p>Ferries to the islands were cancelled and fishing boats stayed in port while engineers inspected the breakwater.</p>
<p>The harbour master said repairs could take several weeks, depending on the weather over the coming days.</p>
</article>
<footer><p>Copyright The Coast Herald. Subscribe to our newsletter. Privacy policy and cookie settings.</p></footer>
</body></html>"""


def test_html_main_text_without_navigation_or_footer(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [record] = read([path])
    assert "waves damaged the northern pier" in record.text
    assert "repairs could take several weeks" in record.text
    for chrome in ("Sport pages", "Weather desk", "Subscribe", "Privacy policy"):
        assert chrome not in record.text
    assert record.fields["title"] == "Storm closes harbour"
    assert record.fields["sitename"] == "The Coast Herald"
    assert record.fields["date"] == "2024-02-11" == record.date
    assert "filedate" not in record.fields


def test_html_date_is_the_markups_never_a_guess_from_a_copyright_year(tmp_path):
    undated = PAGE.replace('<meta property="article:published_time" content="2024-02-11T08:00:00Z">', "")
    path = tmp_path / "undated.html"
    path.write_text(undated.replace("<p>Copyright The Coast Herald.", "<p>Copyright 2023 The Coast Herald."), encoding="utf-8")
    [record] = read([path])
    assert "date" not in record.fields and record.date is None
    modified = PAGE.replace("</head>", '<meta property="article:modified_time" content="2024-02-14T08:00:00Z"></head>')
    path.write_text(modified, encoding="utf-8")
    assert read([path])[0].date == "2024-02-11"        # published, not modified


def test_html_with_little_text_falls_back_to_the_visible_text(tmp_path):
    path = tmp_path / "tiny.htm"
    path.write_text("<html><head><title>T</title></head><body><p>Brief note.</p></body></html>", encoding="utf-8")
    assert "Brief note." in read([path])[0].text


def test_html_without_text_is_an_empty_text_error(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><body>  </body></html>", encoding="utf-8")
    assert str(error_of([path])) == f"{path}: empty text"


# ---- JSON Lines ----

def test_jsonl_carries_every_field_and_converts_ids_to_text(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [
        {"title": "T", "id": 17, "text": "First.", "date": "2024-05-01", "nested": {"a": [1, 2]}},
        {"id": "x", "text": "Second.", "date": 20240502},
    ])
    first, second = read([path])
    assert (first.id, first.text, first.line, first.date) == ("17", "First.", 1, "2024-05-01")
    assert list(first.fields) == ["title", "id", "text", "date", "nested"]
    assert first.fields["nested"] == {"a": [1, 2]} and first.fields["id"] == 17
    assert (second.id, second.line, second.date) == ("x", 2, "20240502")


def test_jsonl_values_are_those_json_reads_where_orjson_would_differ(tmp_path):
    lines = ['{"id": "a", "text": "A", "n": 18446744073709551616, "m": 18446744073709551615}',
             '{"id": "b", "text": "B", "x": [{"n": -9223372036854775809}], "y": {"z": [1e19, 2.5]}}',
             '{"id": "c", "text": "C", "n": NaN, "i": -Infinity, "s": "\\ud800", "big": 1e400}',
             '{"id": "d", "text": "\\u00e9t\u00e9", "f": 0.1, "k": 1, "k": 2}']
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(lines) + '\n{"id": "e", "text": 1e999999999999999999999999}\n{"id": "f"', encoding="utf-8")
    records, errors = read_skipping([path])
    assert [repr(r.fields) for r in records] == [repr(json.loads(line)) for line in lines]
    assert [str(e) for e in errors] == [f"{path}:5: field 'text' is a JSON number, not a string",
                                        f"{path}:6: bad JSON: Expecting ',' delimiter (column 11)"]


@pytest.mark.parametrize("depth", [400, 1010, 1100])
def test_deeply_nested_jsonl_is_read_as_json_reads_it(depth):
    line = '{"id": "a", "text": "A", "x": ' + "[" * depth + "]" * depth + "}"
    (got,) = record_files._line_rows([line.encode()], 1, "s")
    expected = record_files._jsonl_row(line, 1, "s")
    assert str(got) == str(expected) if isinstance(expected, InputError) else got[2] == expected[2]


def test_jsonl_blank_lines_are_passed_over_but_counted(tmp_path):
    path = tmp_path / "d.ndjson"
    path.write_text('\n{"id": "a", "text": "A"}\r\n   \n{"id": "b", "text": "B"}', encoding="utf-8")
    assert [(r.id, r.line) for r in read([path])] == [("a", 2), ("b", 4)]


def test_custom_id_text_and_date_fields(tmp_path):
    path = write_jsonl(tmp_path / "d.json-lines", [{"key": "k1", "body": "Body text.", "published": "2024-01-01"}])
    [record] = read([path], id_field="key", text_field="body", date_field="published")
    assert (record.id, record.text, record.date) == ("k1", "Body text.", "2024-01-01")


def test_file_without_any_id_field_numbers_records_by_line(tmp_path):
    (tmp_path / "sub").mkdir()
    write_jsonl(tmp_path / "sub" / "d.jsonl", [{"text": "A"}, {"text": "B"}])
    assert [r.id for r in read([tmp_path])] == ["sub/d:1", "sub/d:2"]


def test_ids_missing_in_part_of_a_file_are_errors(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "a", "text": "A"}, {"text": "B"}, {"id": None, "text": "C"}])
    records, errors = read_skipping([path])
    assert [r.id for r in records] == ["a"]
    assert [str(e) for e in errors] == [f"{path}:{n}: no id field 'id' (the file's first record has one)" for n in (2, 3)]


def test_an_id_after_records_without_ids_is_an_error(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"text": "A"}, {"id": "b", "text": "B"}])
    assert str(error_of([path])) == (f"{path}:2: has an id field 'id' but the file's first record has none; "
                                     "give all records an id or none")


def test_an_id_that_is_not_text_or_integer_is_an_error(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": [1], "text": "A"}])
    assert str(error_of([path])) == f"{path}:1: id field 'id' is a JSON array, not a string or integer"


def test_missing_text_field_names_the_fields_found(tmp_path):
    path = write_jsonl(tmp_path / "data.jsonl", [{"id": "1", "title": "T", "body": "B"}])
    error = error_of([path])
    assert str(error) == f"{path}:1: no field 'text' (fields: id, title, body); use --text-field"
    assert (error.record_id, error.raw) == ("1", '{"id": "1", "title": "T", "body": "B"}')


def test_text_that_is_not_a_string_is_an_error(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "1", "text": ["a", "b"]}])
    assert str(error_of([path])) == f"{path}:1: field 'text' is a JSON array, not a string"


def test_character_references_in_text_fields_and_plain_files_are_decoded_and_the_fields_kept(tmp_path):
    text = "AT&amp;T &#124; Q&A &quot;5G&quot; at ?a=1&region=2"
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "&amp;1", "text": text}])
    csv_path = tmp_path / "d.csv"
    csv_path.write_text(f"id,text\nc1,{text}\n", encoding="utf-8")
    (tmp_path / "t.md").write_text(f"---\ntitle: AT&amp;T\n---\n{text}\n", encoding="utf-8")
    records = read([path, csv_path, tmp_path / "t.md"])
    assert [r.text.strip() for r in records] == ['AT&T | Q&A "5G" at ?a=1&region=2'] * 3
    assert records[0].id == "&amp;1" and records[0].fields["text"] == records[1].fields["text"] == text
    assert records[2].fields["title"] == "AT&amp;T"                # decoded where read (corpus.metadata)
    path = write_jsonl(tmp_path / "e.jsonl", [{"id": "1", "text": "&nbsp;&#32;"}])
    assert str(error_of([path])) == f"{path}:1: empty text"


@pytest.mark.parametrize("text", ["", "  \n\t "])
def test_empty_text_is_an_error(tmp_path, text):
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "1", "text": text}])
    assert str(error_of([path])) == f"{path}:1: empty text"
    (tmp_path / "e.txt").write_text(text, encoding="utf-8")
    assert str(error_of([tmp_path / "e.txt"])) == f"{tmp_path / 'e.txt'}: empty text"


def test_bad_json_line_names_line_and_column_and_reading_goes_on(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "text": "A"}\n{"id": "b", "text": \n["not", "an object"]\n{"id": "c", "text": "C"}\n',
                    encoding="utf-8")
    records, errors = read_skipping([path])
    assert [r.id for r in records] == ["a", "c"]
    assert [str(e) for e in errors] == [f"{path}:2: bad JSON: Expecting value (column 21)",
                                        f"{path}:3: a JSON array, not an object"]
    assert [e.raw for e in errors] == ['{"id": "b", "text": ', '["not", "an object"]']
    assert str(error_of([path])) == f"{path}:2: bad JSON: Expecting value (column 21)"


def test_duplicate_ids_name_the_first_occurrence(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [{"id": "0", "text": "x"}, {"id": 17, "text": "A"}])
    b = write_jsonl(tmp_path / "b.jsonl", [{"id": "1", "text": "x"}, {"id": "2", "text": "x"},
                                          {"id": "3", "text": "x"}, {"id": "17", "text": "B"}])
    records, errors = read_skipping([a, b])
    assert [r.text for r in records if r.id == "17"] == ["A"]
    [error] = errors
    assert str(error) == f"{b}:4: duplicate id '17' (first seen at {a}:2)"
    assert (error.record_id, error.raw) == ("17", '{"id": "17", "text": "B"}')


def test_two_files_with_one_id_and_one_file_given_twice_are_duplicates(tmp_path):
    (tmp_path / "a.txt").write_text("A", encoding="utf-8")
    (tmp_path / "a.md").write_text("A again", encoding="utf-8")
    assert str(error_of([tmp_path])) == f"{tmp_path / 'a.txt'}: duplicate id 'a' (first seen at {tmp_path / 'a.md'})"
    assert "duplicate id 'a'" in str(error_of([tmp_path / "a.txt", tmp_path / "a.txt"]))


# ---- CSV and TSV ----

def test_csv_rows_carry_every_column_and_quoted_newlines_keep_row_start_lines(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('\ufeffid,text,outlet,date\r\n1,"First, with comma",Paper A,2024-01-01\r\n'
                    '2,"Two\r\nlines",Paper B,\r\n\r\n3,Third,,\r\n', encoding="utf-8")
    records = read([path])
    assert [(r.id, r.line, r.text) for r in records] == [("1", 2, "First, with comma"), ("2", 3, "Two\nlines"), ("3", 6, "Third")]
    assert records[0].fields == {"id": "1", "text": "First, with comma", "outlet": "Paper A", "date": "2024-01-01"}
    assert records[0].date == "2024-01-01" and records[1].date is None
    assert records[1].fields["text"] == "Two\r\nlines"           # fields are carried through untouched


def test_csv_row_with_wrong_field_count_is_an_error_and_the_next_rows_are_read(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text\n1,A\n2,B,extra\n3,C\n", encoding="utf-8")
    records, errors = read_skipping([path])
    assert [r.id for r in records] == ["1", "3"]
    assert [(str(e), e.raw) for e in errors] == [(f"{path}:3: 3 fields, header has 2", "2,B,extra")]


def test_csv_without_id_column_numbers_rows_by_line_and_large_fields_are_read(tmp_path):
    path = tmp_path / "big.csv"
    big = "word " * 40_000                                        # over csv's default 128 KB field limit
    path.write_text(f'text,extra\n"{big}",x\nSmall,y\n', encoding="utf-8")
    records = read([path])
    assert [r.id for r in records] == ["big:2", "big:3"] and len(records[0].text) == len(big)


def test_csv_header_problems(tmp_path):
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    assert str(error_of([tmp_path / "empty.csv"])) == f"{tmp_path / 'empty.csv'}:1: empty file (no header row)"
    (tmp_path / "rep.csv").write_text("id,text,text\n1,a,b\n", encoding="utf-8")
    assert "repeated column names" in str(error_of([tmp_path / "rep.csv"]))


def test_tsv_keeps_quotes_as_text(tmp_path):
    path = tmp_path / "d.tsv"
    path.write_text('id\ttext\n1\t"Quoted" he said\n2\tplain\n', encoding="utf-8")
    assert [r.text for r in read([path])] == ['"Quoted" he said', "plain"]


# ---- compressed record files ----

def test_jsonl_gz_and_zst_stream_records(tmp_path):
    lines = "".join(json.dumps({"id": str(i), "text": f"T{i}"}) + "\n" for i in range(3))
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    (tmp_path / "b.csv.zst").write_bytes(zstandard.ZstdCompressor().compress(b"id,text\nz,Z\n"))
    assert [r.id for r in read([tmp_path / "a.jsonl.gz", tmp_path / "b.csv.zst"])] == ["0", "1", "2", "z"]


def test_truncated_gzip_keeps_the_records_before_and_names_the_file(tmp_path):
    lines = "".join(json.dumps({"id": str(i), "text": "word " * 50}) + "\n" for i in range(2000))
    data = gzip.compress(lines.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    records, errors = read_skipping([path])
    assert 0 < len(records) < 2000
    [error] = errors
    assert str(error).startswith(f"{path}: corrupt gzip stream: Compressed file ended")


@pytest.mark.parametrize("name, data, kind", [
    ("x.txt.gz", b"not gzip at all", "gzip"),
    ("x.txt.zst", b"not zstd at all", "zstd"),
    ("x.jsonl.zst", zstandard.ZstdCompressor().compress(b'{"id": 1, "text": "abc"}\n' * 500)[:-10], "zstd"),
])
def test_corrupt_compressed_streams_are_errors(tmp_path, name, data, kind):
    (tmp_path / name).write_bytes(data)
    assert str(error_of([tmp_path / name])).startswith(f"{tmp_path / name}: corrupt {kind} stream: ")


# ---- encodings ----

LATIN = ("Le président a déclaré que l'économie française traverse une crise. Les élèves sont allés à "
         "l'école près de la forêt. Über fünf Millionen Bürger, Straße. Le café coûte 2 £.\n")


def test_latin1_text_is_detected(tmp_path):
    (tmp_path / "l.txt").write_bytes(LATIN.encode("latin-1"))
    (tmp_path / "l.jsonl").write_bytes(json.dumps({"id": "j", "text": LATIN}, ensure_ascii=False).encode("latin-1"))
    assert [r.text for r in read([tmp_path / "l.txt", tmp_path / "l.jsonl"])] == [LATIN, LATIN]


@pytest.mark.skipif(not (BBC / "sport" / "199.txt").exists(), reason="evaluation data not present")
def test_the_latin1_bbc_article_decodes_its_pound_sign():
    [record] = read([BBC / "sport" / "199.txt"])
    assert "£15.8m" in record.text
    assert "\ufffd" not in record.text


def test_invalid_utf8_bytes_become_replacement_characters(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes("Café und Grüße: ".encode() + b"\xff\xfe!" + " Ende.".encode())
    [record] = read([path])
    assert record.text.startswith("Café und Grüße: ") and "\ufffd" in record.text and record.text.endswith(" Ende.")


def test_boms_are_removed_and_utf16_is_read(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbfWith BOM")
    (tmp_path / "b.txt").write_bytes("UTF-16 text é".encode("utf-16"))
    assert [r.text for r in read([tmp_path])] == ["With BOM", "UTF-16 text é"]


def test_text_is_nfc_with_newline_line_ends(tmp_path):
    (tmp_path / "a.txt").write_bytes(unicodedata.normalize("NFD", "Café\r\nZürich\rEnd").encode())
    assert read([tmp_path / "a.txt"])[0].text == "Café\nZürich\nEnd"


@pytest.mark.parametrize("name", ["image.txt", "blob.jsonl"])
def test_binary_files_are_errors(tmp_path, name):
    (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert str(error_of([tmp_path / name])) == f"{tmp_path / name}: binary file (NUL bytes); not text"


# ---- paths ----

def test_unknown_extension_lists_the_supported_ones(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK")
    message = str(error_of([tmp_path / "notes.docx"]))
    assert message.startswith(f"{tmp_path / 'notes.docx'}: unknown file type '.docx' (supported: .txt .md .html")
    assert ".jsonl" in message and ".gz/.zst" in message


def test_input_format_reads_files_with_unknown_extensions(tmp_path):
    write_jsonl(tmp_path / "dump.data", [{"id": "1", "text": "A"}])
    assert [(r.id, r.text) for r in read([tmp_path / "dump.data"], input_format="jsonl")] == [("1", "A")]


def test_missing_paths_empty_folders_and_unmatched_globs(tmp_path):
    assert str(error_of([tmp_path / "nope.txt"])) == f"{tmp_path / 'nope.txt'}: no such file or folder"
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "x.pdf").write_bytes(b"%PDF")
    assert str(error_of([tmp_path / "empty"])).startswith(f"{tmp_path / 'empty'}: no supported files (supported: .txt")
    assert "no supported files" in str(error_of([tmp_path / "*.jsonl"]))


def test_an_empty_path_is_an_error_not_the_current_folder():
    assert str(error_of([""])) == "'': empty path"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_an_error(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("x", encoding="utf-8")
    path.chmod(0)
    assert str(error_of([path])) == f"{path}: cannot read: Permission denied"


def test_errors_in_one_path_do_not_stop_the_next(tmp_path):
    (tmp_path / "ok.txt").write_text("fine", encoding="utf-8")
    records, errors = read_skipping([tmp_path / "missing.txt", tmp_path / "ok.txt"])
    assert [r.id for r in records] == ["ok"] and len(errors) == 1


def test_globs_with_double_star_are_sorted_and_ids_relative_to_the_fixed_prefix(tmp_path, monkeypatch):
    for name in ["data/2024/b.jsonl", "data/2023/a.jsonl", "data/top.jsonl", "data/2023/x.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        write_jsonl(tmp_path / name, [{"text": name}]) if name.endswith(".jsonl") else (tmp_path / name).write_text(name)
    monkeypatch.chdir(tmp_path)
    assert [r.id for r in read(["data/**/*.jsonl"])] == ["2023/a:1", "2024/b:1", "top:1"]
    assert [r.id for r in read(["data/*/*"])] == ["2023/a:1", "2023/x", "2024/b:1"]
    assert [r.id for r in read(["data/202[3]"])] == ["2023/a:1", "2023/x"]    # a folder matched is walked


# ---- standard input ----

def test_stdin_jsonl_is_sniffed(tmp_path):
    stdin = io.BytesIO(b'\xef\xbb\xbf  \n{"id": "a", "text": "A"}\n{"id": "b", "text": "B"}\n')
    records = read(["-"], stdin=stdin)
    assert [(r.id, r.source, r.line) for r in records] == [("a", "<stdin>", 2), ("b", "<stdin>", 3)]


def test_stdin_text_is_one_document(tmp_path):
    [record] = read(["-"], stdin=io.BytesIO("Plain text {not json}\r\n".encode()))
    assert (record.id, record.text, record.line) == ("stdin", "Plain text {not json}\n", None)


@pytest.mark.parametrize("data", [b"", b" \n\n", gzip.compress(b"")])
def test_empty_stdin_says_so(data):
    assert str(error_of(["-"], stdin=io.BytesIO(data))) == "<stdin>: standard input is empty (give PATHS or pipe articles in)"


def test_stdin_format_can_be_given_and_compression_is_sniffed():
    data = gzip.compress(b"id,text\n7,Seven\n")
    assert [(r.id, r.text) for r in read(["-"], stdin=io.BytesIO(data), input_format="csv")] == [("7", "Seven")]
    data = zstandard.ZstdCompressor().compress(b'{"text": "no ids"}\n')
    assert [r.id for r in read(["-"], stdin=io.BytesIO(data))] == ["stdin:1"]


def test_corrupt_compressed_stdin_is_an_error():
    data = gzip.compress(b'{"id": "a", "text": "A"}\n' * 3)[:-12]
    assert str(error_of(["-"], stdin=io.BytesIO(data))).startswith("<stdin>: corrupt gzip stream: ")


class CountingStream(io.RawIOBase):
    """A byte stream that counts how much of it has been read."""

    def __init__(self, data: bytes):
        self.data, self.consumed = io.BytesIO(data), 0

    def readable(self):
        return True

    def readinto(self, buffer):
        size = self.data.readinto(buffer)
        self.consumed += size
        return size


@pytest.mark.parametrize("compress", [False, True])
def test_records_stream_without_reading_everything_first(compress):
    rng = random.Random(1)
    words = ["".join(rng.choices("abcdefghij", k=6)) for _ in range(1000)]
    data = "".join(json.dumps({"id": str(i), "text": " ".join(rng.choices(words, k=60))}) + "\n" for i in range(20_000))
    data = gzip.compress(data.encode(), compresslevel=1) if compress else data.encode()   # 8 MB plain, 3 MB gzip
    stream = CountingStream(data)
    records = read_records(["-"], stdin=stream)
    assert next(records).id == "0"
    assert stream.consumed < len(data) / 10
    assert sum(1 for _ in records) == 19_999


# ---- properties ----

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                           max_leaves=8)
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"), min_size=1).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(texts, st.dictionaries(st.text().filter(lambda k: k not in ("id", "text")), json_values, max_size=4)),
                min_size=1, max_size=5))
def test_every_jsonl_field_is_carried_through_in_order(tmp_path_factory, items):
    path = tmp_path_factory.mktemp("prop") / "d.jsonl"
    originals = [{**extra, "id": f"r{i}", "text": text} for i, (text, extra) in enumerate(items)]
    write_jsonl(path, originals)
    records = read([path])
    assert [r.fields for r in records] == originals
    assert [list(r.fields) for r in records] == [list(o) for o in originals]
    assert [r.text for r in records] == [plain_text(o["text"]) for o in originals]


@settings(max_examples=60, deadline=None)
@given(texts.filter(lambda t: not t.startswith("---")))
def test_any_utf8_text_file_reads_back_normalised(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("prop") / "t.txt"
    path.write_bytes(text.encode())
    assert read([path])[0].text == plain_text(text)


# ---- the real corpus ----

@pytest.mark.slow
@pytest.mark.skipif(not BBC.exists(), reason="evaluation data not present")
def test_bbc_folder_reads_all_articles_and_its_readme():
    records = read([BBC])
    assert len(records) == 2226                      # 2,225 articles + README.TXT (extensions are case-insensitive)
    assert records[0].id == "README" and records[1].id == "business/001"
    assert len({r.id for r in records}) == 2226


# ---- unparsed JSON Lines (read_unparsed, parse_lines) ----

def parsed_items(items) -> list:
    """read_unparsed's items, every LineBatch parsed: (id, source, line, raw) or the error's text."""
    out = []
    for item in items:
        for one in (parse_lines(item) if isinstance(item, LineBatch) else [item]):
            out.append(str(one) if isinstance(one, InputError) else (one[0].id, one[0].source, one[0].line,
                                                                     raw_text(one[1])))
    return out


LINES = {"record": '{"id": "r%d", "text": "T\\r\\nx"}', "blank": "", "spaces": "  \t", "bad": "{nope"}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(LINES)), st.sampled_from(["\n", "\r\n", "\r"])), max_size=12),
       st.booleans(), st.sampled_from([1, 2, 5, 64, 1 << 16]))
def test_jsonl_lines_are_numbered_as_universal_newlines_say(tmp_path_factory, lines, ends_last, block):
    """Every kind of line end, blocks split anywhere: the line numbers that
    Python's text mode gives, parsed here or from unparsed batches."""
    text = "".join(LINES[kind].replace("%d", str(number)) + (end if ends_last or number < len(lines) - 1 else "")
                   for number, (kind, end) in enumerate(lines))
    path = tmp_path_factory.mktemp("ends") / "d.jsonl"
    path.write_bytes(text.encode())
    numbered = list(enumerate(io.StringIO(text, newline=None), start=1))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(record_files, "BLOCK_BYTES", block)
        records, errors = read_skipping([path])
        unparsed = parsed_items(read_unparsed([path]))
    assert [(r.id, r.line, r.text) for r in records] == [
        (json.loads(line)["id"], number, "T\nx") for number, line in numbered if line.startswith('{"id"')]
    assert [e.line for e in errors] == [number for number, line in numbered if line.startswith("{nope")]
    messages = iter(map(str, errors))
    assert unparsed == [(json.loads(line)["id"], str(path), number, line.rstrip("\n")) if line.startswith('{"id"')
                        else next(messages) for number, line in numbered if line.startswith("{")]


def test_unparsed_reading_gives_what_read_records_gives(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(b'\xef\xbb\xbf{"id": "a1", "text": "A"}\r\n\n[1]\n'
                                       b'{"id": "a2", "text": "\xff bad byte"}')
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(b'{"text": "numbered"}\n{"text": ""}\n'))
    (tmp_path / "c.csv").write_text("id,text\nc1,C\nc2\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("plain text", encoding="utf-8")
    (tmp_path / "e.jsonl").write_bytes('{"id": "e1", "text": "à la café, déjà été"}\n'.encode("cp1252"))
    records, errors = read_skipping([tmp_path])
    items = list(read_unparsed([tmp_path]))
    assert {item.source for item in items if isinstance(item, LineBatch)} == {str(tmp_path / "a.jsonl"),
                                                                              str(tmp_path / "b.jsonl.gz")}
    assert [type(item).__name__ for item in items if not isinstance(item, LineBatch)] == [
        "tuple", "InputError", "tuple", "tuple"]                       # c.csv's rows, d.txt, e.jsonl (not UTF-8)
    expected = iter([str(error) for error in errors])
    assert [item if isinstance(item, str) else item[:3] for item in parsed_items(items)] == [
        ("a1", str(tmp_path / "a.jsonl"), 1), next(expected), ("a2", str(tmp_path / "a.jsonl"), 4),
        ("b:1", str(tmp_path / "b.jsonl.gz"), 1), next(expected),
        ("c1", str(tmp_path / "c.csv"), 2), next(expected), ("d", str(tmp_path / "d.txt"), None),
        ("e1", str(tmp_path / "e.jsonl"), 1)]
    assert [r.text for r in records] == ["A", "\ufffd bad byte", "numbered", "C", "plain text",
                                        "à la café, déjà été"]


def test_a_batch_of_a_plain_file_travels_without_its_bytes(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": str(i), "text": "words " * 50} for i in range(2000)])
    plain, zipped = tmp_path / "d.jsonl", tmp_path / "z.jsonl.gz"
    zipped.write_bytes(gzip.compress(path.read_bytes()))
    batch = next(item for item in read_unparsed([plain]) if item.first > 1)
    travelled = pickle.loads(pickle.dumps(batch))
    assert len(pickle.dumps(batch)) < 500 < batch.size
    assert travelled.lines == batch.lines
    assert [r.id for r, _ in parse_lines(travelled)] == [r.id for r, _ in parse_lines(batch)]
    assert len(pickle.dumps(next(read_unparsed([zipped])))) > batch.size      # a stream's bytes go along
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="input changed while it was being read"):
        pickle.loads(pickle.dumps(batch)).lines


def test_errors_survive_pickling():
    error = pickle.loads(pickle.dumps(InputError("a.jsonl", "bad JSON", 3, "x", "{raw")))
    assert (str(error), error.record_id, error.raw) == ("a.jsonl:3: bad JSON", "x", "{raw")


def test_records_survive_pickling_with_every_field():
    record = Record("7", "Text\n", "a.jsonl", 3, {"id": 7, "text": "Text\n", "date": "2024-05-01"}, "2024-05-01", True)
    assert pickle.loads(pickle.dumps(record)) == record
    assert pickle.loads(pickle.dumps(Record("x", "t", "<stdin>"))) == Record("x", "t", "<stdin>")


def test_unique_ids_take_runs_and_name_the_first_place():
    taken = UniqueIds()
    assert taken.add(["a", "b"], ["f", "f"], [1, 2]) == []
    assert taken.add(["c", "a", "c"], ["g", "g", "g"], [1, 2, 3]) == [1, 2]
    assert str(taken.duplicate("a", "g", 2, None)) == "g:2: duplicate id 'a' (first seen at f:1)"
    assert str(taken.duplicate("c", "h", None, None)) == "h: duplicate id 'c' (first seen at g:1)"
