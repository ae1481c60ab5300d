import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import shingles, term_characters
from corpus.shingles import batch_shingle_hashes, shingle_hashes, tokens

MASK = (1 << 64) - 1


# An independent, plain-Python statement of the documented hash definition.
def _mix(x: int) -> int:
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def _word_hash(word: str) -> int:
    base = int(shingles.BASE)
    return _mix(sum(c * pow(base, i, 1 << 64) for i, c in enumerate(word.encode("utf-8", "surrogatepass"))) & MASK)


def _position(j: int) -> int:
    return _mix(((j + 1) * 0x9E3779B97F4A7C15) & MASK) | 1


def reference_hashes(text: str, n: int) -> list[int]:
    words = [_word_hash(w) for w in tokens(text)]
    if not words:
        return []
    groups = [words] if len(words) <= n else [words[i : i + n] for i in range(len(words) - n + 1)]
    return sorted({_mix(sum(h * _position(j) for j, h in enumerate(g)) & MASK) for g in groups})


TEXTS = [
    "",
    "   ...  !!! ",
    "one",
    "Two words",
    "Presiden Joko Widodo bertemu dengan para menteri di Istana Negara, Jakarta, pada hari Senin.",
    "The quick brown fox jumps over the lazy dog. The quick brown fox jumps again!",
    "Straße STRASSE straße — «Grüße» aus Köln; ΣΊΣΥΦΟΣ σίσυφος; snake_case_name x_1",
    "emoji 😀 between words 🇮🇩 and a lone surrogate \ud800 here",
    "東京 は 日本 の 首都 です 。 北京 是 中国 的 首都",
    "a a a a a a a a a a a a",
    "tab\tseparated\nlines\r\nand\u00a0no-break\u2009thin spaces",
]


def test_tokens_are_casefolded_word_runs():
    assert tokens("Hello, WORLD—it's 2024!") == ["hello", "world", "it", "s", "2024"]
    assert tokens("Straße snake_case Köln") == ["strasse", "snake_case", "köln"]
    assert tokens("") == [] and tokens("?!") == []


def test_shingles_of_short_and_long_texts():
    assert shingles.shingles("a b c", 5) == ["a b c"]
    assert shingles.shingles("a b c d e f", 5) == ["a b c d e", "b c d e f"]
    assert shingles.shingles("", 5) == []


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("n", [1, 3, 5])
def test_hashes_follow_the_documented_definition(text, n):
    got = shingle_hashes(text, n)
    assert got.dtype == np.uint64
    assert got.tolist() == reference_hashes(text, n)


def test_hash_sets_are_sorted_distinct_and_sized_as_shingles():
    text = "x y z " * 20 + "and then something else entirely different"
    got = shingle_hashes(text, 3)
    assert np.all(got[1:] > got[:-1])
    assert len(got) == len(set(shingles.shingles(text, 3)))


def test_word_order_and_case():
    assert not np.array_equal(shingle_hashes("a b c d e"), shingle_hashes("e d c b a"))
    assert np.array_equal(shingle_hashes("Alpha BETA gamma"), shingle_hashes("alpha beta, GAMMA!"))


def test_fewer_than_n_words_give_one_shingle_and_no_words_none():
    assert len(shingle_hashes("only three words", 5)) == 1
    assert not np.array_equal(shingle_hashes("only three words", 5), shingle_hashes("only three", 5))
    assert len(shingle_hashes("", 5)) == 0 and len(shingle_hashes(" - ", 5)) == 0


def test_batch_equals_single_texts(monkeypatch):
    texts = TEXTS * 3 + ["word " * 400, "z"]
    for chunk_bytes in (shingles.CHUNK_BYTES, 64, 1):   # one chunk, many chunks, texts beyond the cached powers
        monkeypatch.setattr(shingles, "CHUNK_BYTES", chunk_bytes)
        shingles._cached_powers.cache_clear()
        flat, offsets = batch_shingle_hashes(texts, 4)
        assert offsets.dtype == np.int64 and len(offsets) == len(texts) + 1 and offsets[0] == 0
        for i, text in enumerate(texts):
            assert flat[offsets[i] : offsets[i + 1]].tolist() == reference_hashes(text, 4)
    shingles._cached_powers.cache_clear()


def test_empty_batch():
    flat, offsets = batch_shingle_hashes([], 5)
    assert len(flat) == 0 and offsets.tolist() == [0]


def test_rejects_n_below_one():
    with pytest.raises(ValueError):
        batch_shingle_hashes(["a b"], 0)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab cÄß_-.1\u00e9\u0130\u03a3\u4e00\U0001F600\u200b\n")), max_size=40), max_size=6),
       st.integers(1, 4))
def test_batch_matches_definition_on_random_texts(texts, n):
    flat, offsets = batch_shingle_hashes(texts, n)
    for i, text in enumerate(texts):
        assert flat[offsets[i] : offsets[i + 1]].tolist() == reference_hashes(text, n)


def test_same_hashes_in_a_process_with_another_hash_seed():
    code = "import json; from corpus.shingles import shingle_hashes; print(json.dumps([shingle_hashes(t, 5).tolist() for t in %r]))" % TEXTS
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [shingle_hashes(t, 5).tolist() for t in TEXTS]


def test_word_character_table_is_exactly_re_word():
    every = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    by_re = np.frombuffer(re.sub(r"\W", "\x00", every).encode("utf-32-le", "surrogatepass"), dtype=np.uint32) != 0
    assert np.array_equal((term_characters._character_table() & term_characters.WORD) != 0, by_re)
