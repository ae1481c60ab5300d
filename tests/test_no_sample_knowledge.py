"""The code must serve any news corpus: nothing under corpus/ or cli/ may know
the bundled sample (its file names, outlets or phrases)."""

import re
from pathlib import Path

from corpus.read import bundled_sample

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["republika", "serambinews", "tribun", "kcna", "vostochny", "kosmodrom", "artyom", "korut", "pyongyang", "kremlin"]


def code_text() -> str:
    files = sorted((ROOT / "corpus").rglob("*.py")) + sorted((ROOT / "cli").rglob("*.py"))
    assert files
    return "\n".join(f.read_text(encoding="utf-8").casefold() for f in files)


def sample_trigrams() -> set[str]:
    grams = set()
    for path in bundled_sample().glob("*.txt"):
        words = re.findall(r"\w+", path.read_text(encoding="utf-8").casefold())
        grams.update(" ".join(words[i : i + 3]) for i in range(len(words) - 2))
    return grams


def test_no_sample_file_names_in_code():
    code = code_text()
    stems = [p.stem for p in bundled_sample().glob("*.txt")]
    assert len(stems) == 5
    for stem in stems:
        assert stem.split("_")[1] not in code


def test_no_sample_outlets_or_names_in_code():
    code = code_text()
    assert [name for name in NAMES if name in code] == []


def test_no_sample_phrases_in_code():
    code_words = " ".join(re.findall(r"\w+", code_text()))
    found = sorted(g for g in sample_trigrams() if not g.isdigit() and f" {g} " in f" {code_words} ")
    assert found == []
