import random
import re

import numpy as np
import pytest

from corpus import clean
from corpus.clean_lines import batch_lines, join_broken_lines, may_hold_mark
from corpus.line_keys import key_of
from corpus.clean import clean_text
from corpus.line_shapes import WORD

PAGES = [
    "Title of the page\n\nFirst paragraph, with a comma; and a stop.\n\n\n  \nÉcole «quoted» — dash–joined words…",
    "",
    "\n\n",
    "ſome Kelvin K sign and İstanbul\tand\u00a0spaces  doubled\r\nnext line\rthird line",
    "Zero\u200bwidth joiner and soft\u00adhyphen inside words.",
    "Straße STRASSE ǅemal ﬁnal ligature.",
    "数字 123 和中文 text. Ελληνικά ΣΊΣΥΦΟΣ words.",
]


def test_lines_and_word_counts_match_the_per_line_definitions():
    batch = batch_lines(PAGES)
    assert len(batch.offsets) == len(PAGES) + 1
    for p, text in enumerate(PAGES):
        expected = [" ".join(raw.replace("\u200b", "").replace("\u00ad", "").split())
                    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        lines = batch.lines[batch.offsets[p] : batch.offsets[p + 1]]
        assert lines == [line for line in expected if line]
    for i, line in enumerate(batch.lines):
        assert batch.words[i] == len(WORD.findall(line)), line
        assert batch.key_words[i] == len(key_of(line).split()), line


def test_key_of_is_case_folded_words_for_ascii_and_other_lines():
    assert key_of("Hello,  World -- it's 2024!") == "hello world it s 2024"
    assert key_of("Straße «École» ſome") == " ".join(WORD.findall("Straße «École» ſome".casefold()))


def test_counted_lines_are_short_or_not_prose_and_labels_are_hashed():
    long_prose = " ".join(["word"] * 25) + "."
    batch = batch_lines(["Title\n\nRead more: A headline here\n\n" + long_prose + "\n\nShort line"])
    assert batch.lines == ["Title", "Read more: A headline here", long_prose, "Short line"]
    assert batch.counted.tolist() == [True, True, False, True]
    assert batch.labelled.tolist() == [False, True, False, False]
    assert batch.label_counted.tolist() == [False, True, False, False]   # not on the first line


@pytest.mark.parametrize("chunk", [1, 2, 3])
def test_chunks_do_not_change_the_result(monkeypatch, chunk):
    texts = ["Menu\n\nA shared line of chrome\n\nBody sentence number %d is plain prose with a stop." % i for i in range(7)]
    whole = clean.clean_corpus(texts)
    monkeypatch.setattr(clean, "CHUNK_TEXTS", chunk)
    assert clean.clean_corpus(texts) == whole
    assert any(r.reason == clean.BOILERPLATE for c in whole for r in c.removed)


def test_word_counts_and_initials_hold_for_any_mix_of_scripts_and_separators():
    rng = random.Random(11)
    pieces = ["word", "Wörd", "ÉCOLE", "é", "«", "»", "“", "—", "–", "…", "数字", "Σ", "_", "x_y", "2024", "ß", " ", " ", "  ",
              "-", "'", "’", "\u00a0", "\t", "\u200b", "İ", "K", ".", ","]
    pages = ["\n".join("".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(rng.randint(1, 5)))
             for _ in range(400)]
    batch = batch_lines(pages)
    for i, line in enumerate(batch.lines):
        assert batch.words[i] == len(WORD.findall(line)), line
    begins = batch.layout.ascii_begins
    for i, line in enumerate(batch.lines):
        a, b = np.searchsorted(begins, [batch.layout.starts[i], batch.layout.ends[i]])
        initials = bytes(batch.layout.data[begins[a:b]]).lower()
        assert initials == bytes(m[0][0] for m in re.finditer(rb"[A-Za-z0-9_]+", line.encode())).lower(), line


def test_lone_surrogates_survive_the_layout():
    batch = batch_lines(["Broken \ud800 text here.\n\nNext line.", "Plain text."])
    assert batch.lines == ["Broken \ud800 text here.", "Next line.", "Plain text."]
    text = "Another \udc00 broken line, long enough.\n\nA second sentence is here."
    assert clean.clean_corpus([text])[0].text == text


@pytest.mark.parametrize("text, joined", [
    ("River Rescue Team\nvolunteers\nwere the first to arrive.", "River Rescue Team volunteers were the first to arrive."),
    ("Tim Relawan Sungai\npara anggota kelompok itu\ntiba lebih dulu di desa.", "Tim Relawan Sungai para anggota kelompok itu tiba lebih dulu di desa."),
    ("It was, in his words, like an\n\nact of war\n\nand nothing less.", "It was, in his words, like an act of war and nothing less."),
    ("Le maire a parlé\n\nà la presse.", "Le maire a parlé à la presse."),
])
def test_a_sentence_broken_across_lines_is_joined(text, joined):
    assert join_broken_lines(text) == joined
    assert clean_text(text + "\n\nA second paragraph follows it here, as the page goes on.").text.startswith(joined)


@pytest.mark.parametrize("text", [
    "The meeting ended.\nnext week it meets again.",          # after a sentence end
    "Read more:\nhow the bridge was built",                   # after a label
    "It ended. Editor: Ann Lee\nann lee",                     # a credit after the last sentence
    "A headline here\n\nThe body starts in capitals.",        # a capitalised line (a subheading may stand above it)
])
def test_lines_that_are_no_broken_sentence_stay_apart(text):
    assert join_broken_lines(text) == text


def test_runs_begun_in_a_range_are_counted_without_finding_them():
    rng = random.Random(13)
    pages = ["".join(rng.choice(["ab", " ", "x_1", "-", "\n", "é", "Z", "..", "  "]) for _ in range(rng.randint(0, 40)))
             for _ in range(60)]
    lay = batch_lines(pages).layout
    starts = np.array([rng.randrange(len(lay.data)) for _ in range(500)], dtype=np.int64)
    ends = np.minimum(starts + np.array([rng.randrange(1, 30) for _ in range(500)]), len(lay.data))
    want = np.searchsorted(lay.ascii_begins, ends) - np.searchsorted(lay.ascii_begins, starts)
    assert (lay.runs_begun(starts, ends) == want).all()


def test_double_spaces_are_found_at_even_and_odd_positions():
    from corpus.line_layout import _double_spaces

    rng = random.Random(17)
    for _ in range(300):
        data = np.frombuffer(bytes(rng.choice(b"  a\n") for _ in range(rng.randint(0, 20))), dtype=np.uint8)
        assert _double_spaces(data).tolist() == np.flatnonzero((data[1:] == 32) & (data[:-1] == 32)).tolist()


def test_occurrences_are_every_place_a_needle_starts_overlaps_included():
    from corpus.line_layout import occurrences

    rng = random.Random(19)
    for needle in (b". (", b"aa", b"a", ".” (".encode()):
        for _ in range(200):
            data = "".join(rng.choice(["a", ".", " ", "(", "”", "b"]) for _ in range(rng.randint(0, 30))).encode()
            want = [at for at in range(len(data)) if data.startswith(needle, at)]
            assert occurrences(np.frombuffer(data, dtype=np.uint8), needle).tolist() == want


def test_lines_holding_a_needle_are_those_whose_text_does():
    pages = ["One. (Two) and: three\nNo bracket here.\nEnd.\u201d (AP)", "a|b\n\n. (", ""]
    batch = batch_lines(pages)
    for needle in (". (", ":", "|", ".\u201d ("):
        assert batch.layout.lines_with(needle.encode()).tolist() == [needle in line for line in batch.lines]


@pytest.mark.parametrize("pages", [["One line here.\nAnother, with words."], ["Doubled  spaces here.\nNext line."]])
def test_each_line_finds_its_runs_among_the_begins(pages):
    lay = batch_lines(pages * 3).layout
    first, last = lay.line_begins()
    assert first.tolist() == np.searchsorted(lay.ascii_begins, lay.starts).tolist()
    assert last.tolist() == np.searchsorted(lay.ascii_begins, lay.ends).tolist()


def test_mark_hints_are_found_on_the_bytes_of_every_line_unless_a_character_folds_to_ascii():
    rng = random.Random(4)
    pieces = ["©", "(c)", "(C)", "Copyright", "COPYRIGHT", "http", "HTTP", "www.", "WWW.", "é", "ß", "\u212a", "K", "ſ",
              "x", " ", "w", "h", "ttp", "«", "’", "c)", "(", "—", "İ", "ı"]
    for _ in range(300):
        pages = ["\n".join("".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(rng.randint(1, 5)))
                 for _ in range(rng.randint(1, 6))]
        if rng.random() < 0.5:   # no character that case folding or re.IGNORECASE makes ASCII letters
            pages = [p.replace("ß", "b").replace("\u212a", "k").replace("ſ", "s").replace("İ", "i").replace("ı", "i") for p in pages]
        batch = batch_lines(pages)
        assert batch.may_hold_marks(np.arange(len(batch.lines))).tolist() == list(map(may_hold_mark, batch.lines))


def test_line_counts_merged_keep_parents_and_add_documents():
    from corpus.clean_lines import LineCounts

    a = LineCounts.of_hashes(np.array([5, 3, 5, 9], dtype=np.uint64), np.array([0, 7, 0, 3], dtype=np.uint64))
    b = LineCounts.of_hashes(np.array([3, 11], dtype=np.uint64))
    merged = LineCounts.merged([a, b])
    assert merged.hashes.tolist() == [3, 5, 9, 11]
    assert merged.documents.tolist() == [2, 2, 1, 1]
    assert merged.parents.tolist() == [7, 0, 3, 0]
    assert (a + b).hashes.tolist() == merged.hashes.tolist()
    plain = LineCounts.merged([b, b])
    assert plain.parents is None and plain.documents.tolist() == [2, 2]
