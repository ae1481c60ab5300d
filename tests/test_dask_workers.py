"""corpus.dask_workers: dedup on a Dask cluster gives the local engine's bytes.

Fast tests run on an in-process cluster (threads, processes=False); the ones
marked slow start worker processes, to catch pickling and hash-seed bugs, and
kill a worker in the middle of a run."""

import gzip
import json
import os
import random
import signal

import pytest

distributed = pytest.importorskip("distributed", reason="dask.distributed not installed (pip install samestory[dask])")

from corpus.dask_workers import DaskUnavailable, DaskWorkers, connect  # noqa: E402
from corpus.dedup import DedupSettings, deduplicate  # noqa: E402
from corpus.dedup_settings import KEEP_POLICIES  # noqa: E402
from corpus.read import InputError, read_unparsed  # noqa: E402

WORDS = [f"{stem}{n}" for stem in ("ka", "lo", "mi", "ne", "pu", "ra", "si", "to") for n in range(40)]


def article(rng: random.Random, words: int = 150) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def edited(text: str, rng: random.Random, changes: int) -> str:
    words = text.split()
    for _ in range(changes):
        words[rng.randrange(len(words))] = f"new{rng.randrange(10**6)}"
    return " ".join(words)


def corpus_folder(tmp_path, seed: int = 5, count: int = 240):
    """JSON Lines (plain and gzip), CSV and a text file: originals, copies,
    chains of copies (a copy of a copy of a copy), exact ties (the same text
    under several ids, same dates), bad lines and a repeated id."""
    rng = random.Random(seed)
    texts, dates = [], []
    for i in range(count):
        roll = rng.random()
        if i and roll < 0.25:
            texts.append(edited(texts[rng.randrange(i)], rng, rng.choice((1, 3, 40))))   # a copy, light or heavy
        elif i and roll < 0.35:
            texts.append(edited(texts[i - 1], rng, 2))                                    # a chain
        elif i and roll < 0.42:
            texts.append(texts[rng.randrange(i)])                                        # a tie
        else:
            texts.append(article(rng, rng.randrange(60, 200)))
        dates.append(f"2024-03-{1 + rng.randrange(3):02d}" if rng.random() < 0.8 else "")
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [{"id": f"a{i}", "text": texts[i], "date": dates[i]} for i in range(0, 150)]
    lines = [json.dumps(row) for row in rows]
    lines[7:7] = ["{not json", ""]
    lines.append(json.dumps({"id": "a3", "text": "a repeated id"}))
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "b.jsonl.gz").write_bytes(gzip.compress("".join(
        json.dumps({"id": i, "text": texts[i], "date": dates[i]}) + "\n" for i in range(150, 210)).encode()))
    (folder / "c.csv").write_text("id,text,date\n" + "".join(f"c{i},{texts[i]},{dates[i]}\n"
                                                            for i in range(210, count)), encoding="utf-8")
    (folder / "d.txt").write_text(texts[5], encoding="utf-8")
    return folder


def run(paths, tmp_path, name, workers=None, **options) -> tuple[bytes, bytes, list[str]]:
    kept, duplicates = tmp_path / f"{name}-kept.jsonl", tmp_path / f"{name}-dups.jsonl"
    errors = []
    deduplicate(lambda known: read_unparsed(paths, known=known), DedupSettings(**options), str(kept), str(duplicates),
                on_error=lambda error: errors.append(str(error)), workers=workers)
    return kept.read_bytes(), duplicates.read_bytes(), errors


@pytest.fixture(scope="module")
def threads_client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=False, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        yield client


@pytest.mark.parametrize("keep", KEEP_POLICIES)
def test_every_keep_policy_gives_the_local_bytes(tmp_path, threads_client, keep):
    folder = corpus_folder(tmp_path)
    local = run([folder], tmp_path, "local", keep=keep, batch_size=17, jobs=1)
    dask = run([folder], tmp_path, "dask", DaskWorkers(threads_client), keep=keep, batch_size=17)
    assert dask == local
    assert local[1].count(b"\n") > 40 and len(local[2]) == 2          # copies removed, errors reported
    assert any(isinstance(json.loads(line)["id"], int) for line in local[1].splitlines())    # ids keep their type


def test_units_of_any_size_and_other_settings_give_the_local_bytes(tmp_path, threads_client):
    folder = corpus_folder(tmp_path, seed=9)
    for batch_size, threshold, ngram in ((1, 0.8, 5), (64, 0.6, 3), (1000, 0.9, 4)):
        options = dict(batch_size=batch_size, threshold=threshold, ngram=ngram)
        assert run([folder], tmp_path, "dask", DaskWorkers(threads_client), **options) == \
            run([folder], tmp_path, "local", jobs=2, **options)


def test_errors_come_in_input_order_from_the_cluster(tmp_path, threads_client):
    folder = corpus_folder(tmp_path, seed=3)
    kept, duplicates, errors = run([folder], tmp_path, "dask", DaskWorkers(threads_client), batch_size=5)
    assert errors[0].endswith(":8: bad JSON: Expecting property name enclosed in double quotes (column 2)")
    assert "duplicate id 'a3'" in errors[1]


def test_an_executor_not_owned_leaves_the_client_open(threads_client):
    with DaskWorkers(threads_client) as workers:
        assert workers.jobs == 4
        assert list(workers.map(abs, range(-30, 0))) == [(i, abs(i)) for i in range(-30, 0)]
    assert threads_client.status == "running"


def test_an_unreachable_scheduler_is_one_line_within_the_timeout():
    with pytest.raises(DaskUnavailable, match=r"cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 1 s"):
        connect("tcp://127.0.0.1:9", jobs=1, timeout=1)


@pytest.mark.slow
def test_worker_processes_give_the_local_bytes(tmp_path):
    """Separate processes: items and results pickled, each process its own hash seed."""
    folder = corpus_folder(tmp_path, seed=11)
    local = run([folder], tmp_path, "local", keep="longest", batch_size=9, jobs=2)
    with connect(None, jobs=2, timeout=30) as workers:
        assert run([folder], tmp_path, "dask", workers, keep="longest", batch_size=9) == local
    assert workers.client is None


@pytest.mark.slow
def test_a_worker_killed_mid_run_changes_nothing(tmp_path):
    """SIGKILL to one worker process once a third of the units are taken: the
    scheduler runs its tasks again, the output is the same."""
    folder = corpus_folder(tmp_path, seed=13, count=400)
    local = run([folder], tmp_path, "local", batch_size=4, jobs=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        victim = next(iter(client.run(os.getpid).values()))
        killed = []

        def progress(stage, done, total):
            if stage == "sketching" and done > 120 and not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(done)

        kept, duplicates = tmp_path / "kept.jsonl", tmp_path / "dups.jsonl"
        deduplicate(lambda known: read_unparsed([folder], known=known), DedupSettings(batch_size=4), str(kept),
                    str(duplicates), progress=progress, on_error=lambda error: None, workers=DaskWorkers(client))
        assert killed and (kept.read_bytes(), duplicates.read_bytes()) == local[:2]
        assert victim not in client.run(os.getpid).values()


def test_a_failed_run_on_the_cluster_leaves_no_output(tmp_path, threads_client):
    """The first bad record stops the run (no on_error): neither output is written."""
    folder = corpus_folder(tmp_path)
    kept, duplicates = tmp_path / "kept.jsonl", tmp_path / "dups.jsonl"
    with pytest.raises(InputError, match="bad JSON"):
        deduplicate(lambda known: read_unparsed([folder], known=known), DedupSettings(batch_size=5), str(kept),
                    str(duplicates), workers=DaskWorkers(threads_client))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in"]
