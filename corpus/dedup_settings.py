"""The knobs of a dedup run, importable without numpy: the command declares
its options from them and starts its workers before it loads the pipeline
(`corpus.dedup`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

KEEP_POLICIES = ("first", "longest", "earliest")
BATCH_SIZE = 500           # small units: little work left to one process at the end

Progress = Callable[[str, int, "int | None"], None]   # (stage, done, total or None)


@dataclass(frozen=True)
class DedupSettings:
    """Every knob of a dedup run; defaults are the command's defaults."""

    threshold: float = 0.8
    ngram: int = 5
    num_perm: int = 128
    seed: int = 1
    keep: str = "first"
    jobs: int = 1
    batch_size: int = BATCH_SIZE
