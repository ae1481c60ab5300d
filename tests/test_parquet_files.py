"""corpus.parquet_files: Parquet in (files and folders, row group by row group), Parquet out."""

import datetime
import json
import sys

import pytest

pa = pytest.importorskip("pyarrow", reason="pyarrow not installed (pip install samestory[dask])")
import pyarrow.parquet as pq  # noqa: E402

from corpus.dedup import DedupSettings, deduplicate  # noqa: E402
from tests.dedup_corpus import texts_with_copies  # noqa: E402
from corpus.read import InputError, ReadOptions, read_records, read_unparsed  # noqa: E402


def rows(count: int = 60) -> list[dict]:
    return [{"id": 1000 + i, "text": text, "date": datetime.date(2024, 1, 1 + i % 28), "score": i / 2}
            for i, text in enumerate(texts_with_copies(2, count))]


def dedup(paths, tmp_path, name, output="kept.jsonl", workers=None, read_options=ReadOptions(), **options):
    kept, duplicates = tmp_path / f"{name}-{output}", tmp_path / f"{name}-dups.jsonl"
    deduplicate(lambda known: read_unparsed(paths, read_options, known=known), DedupSettings(**options), str(kept),
                str(duplicates), workers=workers)
    return kept, duplicates.read_bytes()


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(record, default=str) + "\n" for record in records), encoding="utf-8")
    return path


def test_a_parquet_file_gives_the_duplicates_of_the_same_json_lines(tmp_path):
    records = rows()
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "in.parquet", row_group_size=7)
    as_jsonl = write_jsonl(tmp_path / "in.jsonl", records)
    kept, duplicates = dedup([tmp_path / "in.parquet"], tmp_path, "parquet", batch_size=10)
    _, jsonl_duplicates = dedup([as_jsonl], tmp_path, "jsonl", batch_size=10)
    assert duplicates == jsonl_duplicates and duplicates.count(b"\n") >= 15
    assert isinstance(json.loads(duplicates.splitlines()[0])["id"], int)
    first = json.loads(kept.read_text().splitlines()[0])
    assert first == {"id": 1000, "text": records[0]["text"], "date": "2024-01-01", "score": 0.0}


def test_a_folder_of_parquet_files_with_numbered_rows_and_the_dask_engine(tmp_path):
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed")
    from corpus.dask_workers import DaskWorkers

    folder = tmp_path / "in"
    folder.mkdir()
    records = [{"body": text} for text in texts_with_copies(4, 40)]
    pq.write_table(pa.Table.from_pylist(records[:25]), folder / "part-0.parquet", row_group_size=4)
    pq.write_table(pa.Table.from_pylist(records[25:]), folder / "part-1.parquet", row_group_size=4)
    read = [record.id for record in read_records([folder], text_field="body")]
    assert read[:2] == ["part-0:1", "part-0:2"] and read[25] == "part-1:1"
    body = ReadOptions(text_field="body")
    local = dedup([folder], tmp_path, "local", read_options=body, batch_size=6)
    with distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        on_dask = dedup([folder], tmp_path, "dask", workers=DaskWorkers(client), read_options=body, batch_size=6)
    assert on_dask[1] == local[1] and on_dask[0].read_bytes() == local[0].read_bytes()


def test_kept_records_written_as_parquet(tmp_path):
    records = rows(30)
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "in.parquet")
    kept, duplicates = dedup([tmp_path / "in.parquet"], tmp_path, "out", output="kept.parquet")
    table = pq.read_table(kept)
    removed = {json.loads(line)["id"] for line in duplicates.splitlines()}
    assert table.column("id").to_pylist() == [r["id"] for r in records if r["id"] not in removed]
    assert table.column("text").to_pylist()[0] == records[0]["text"]


def test_bad_rows_are_errors_naming_the_row(tmp_path):
    pq.write_table(pa.Table.from_pylist([{"id": "a", "text": "some words"}, {"id": "b", "text": None}]),
                   tmp_path / "in.parquet")
    errors = []
    records = list(read_records([tmp_path / "in.parquet"], on_error=errors.append))
    assert [record.id for record in records] == ["a"]
    assert str(errors[0]) == f"{tmp_path / 'in.parquet'}:2: field 'text' is a JSON null, not a string"


def test_without_pyarrow_a_parquet_file_is_one_error_saying_what_to_install(tmp_path, monkeypatch):
    pq.write_table(pa.Table.from_pylist([{"id": "a", "text": "words"}]), tmp_path / "in.parquet")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(InputError, match=r"in.parquet: Parquet needs pyarrow: pip install 'samestory\[dask\]'"):
        list(read_records([tmp_path / "in.parquet"]))
