"""corpus.urls: inputs named by URL, read through fsspec (here its in-memory store and file://)."""

import json
import sys

import pytest

fsspec = pytest.importorskip("fsspec", reason="fsspec not installed (pip install samestory[dask])")

from corpus.dedup import DedupSettings, deduplicate  # noqa: E402
from corpus.read import InputError, read_records, read_unparsed  # noqa: E402
from tests.dedup_corpus import texts_with_copies  # noqa: E402

def jsonl(seed: int, prefix: str, count: int = 40) -> bytes:
    """Articles and light edits of earlier ones, as JSON Lines."""
    texts = texts_with_copies(seed, count, every=4, words=100)
    return "".join(json.dumps({"id": f"{prefix}{i}", "text": text}) + "\n" for i, text in enumerate(texts)).encode()


@pytest.fixture
def stores(tmp_path):
    """The same two files in a local folder and in fsspec's memory store."""
    memory = fsspec.filesystem("memory")
    local = tmp_path / "crawl"
    (local / "day2").mkdir(parents=True)
    files = {"day1.jsonl": jsonl(1, "a"), "day2/part.jsonl": jsonl(2, "b"), ".hidden.jsonl": b"{]\n", "notes.bin": b"x"}
    for name, data in files.items():
        (local / name).write_bytes(data)
        memory.pipe(f"/crawl-{id(tmp_path)}/{name}", data)
    yield local, f"memory:///crawl-{id(tmp_path)}"
    memory.rm(f"/crawl-{id(tmp_path)}", recursive=True)


def dedup(paths, tmp_path, name, workers=None):
    kept, duplicates = tmp_path / f"{name}-kept.jsonl", tmp_path / f"{name}-dups.jsonl"
    deduplicate(lambda known: read_unparsed(paths, known=known), DedupSettings(batch_size=7, jobs=2), str(kept),
                str(duplicates), workers=workers)
    return kept.read_bytes(), duplicates.read_bytes()


def test_a_folder_by_url_reads_as_the_local_folder(stores):
    local, url = stores
    assert [(r.id, r.source.rsplit("/", 1)[1]) for r in read_records([url])] == \
        [(r.id, r.source.rsplit("/", 1)[1]) for r in read_records([local])]
    assert [r.id for r in read_records([url + "/day*.jsonl"])] == [f"a{i}" for i in range(40)]


def test_dedup_by_url_on_a_cluster_writes_the_local_bytes(stores, tmp_path):
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed")
    from corpus.dask_workers import DaskWorkers

    local, url = stores
    expected = dedup([local], tmp_path, "local")
    assert expected[1].count(b"\n") >= 10
    assert dedup([url], tmp_path, "url") == expected
    with distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        assert dedup([url], tmp_path, "dask", DaskWorkers(client)) == expected


def test_a_missing_url_or_fsspec_is_one_error(stores, monkeypatch):
    _, url = stores
    with pytest.raises(InputError, match="no such file or folder"):
        list(read_records([url + "/nothing.jsonl"]))
    monkeypatch.setitem(sys.modules, "fsspec", None)
    monkeypatch.setitem(sys.modules, "fsspec.core", None)
    with pytest.raises(InputError, match=r"reading URLs needs fsspec: pip install 'samestory\[dask\]'"):
        list(read_records([url]))
