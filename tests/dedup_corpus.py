"""Generated texts with planted light edits, for the dedup tests of Parquet and URL inputs."""

import random

WORDS = [f"{stem}{n}" for stem in ("ba", "de", "fi", "go", "hu", "ja") for n in range(50)]


def texts_with_copies(seed: int, count: int, every: int = 3, words: int = 120) -> list[str]:
    """`count` texts: every `every`-th a one-word edit of an earlier one, the others new."""
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(count):
        if i and i % every == 0:
            edited = out[rng.randrange(i)].split()
            edited[rng.randrange(len(edited))] = "edited"
            out.append(" ".join(edited))
        else:
            out.append(" ".join(rng.choice(WORDS) for _ in range(words)))
    return out
