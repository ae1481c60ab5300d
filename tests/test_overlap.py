"""Shared and unique sentences of a story, and the pairwise overlap table."""


import numpy as np
import pytest
from rapidfuzz import fuzz

from corpus import overlap, shingles, sketch
from corpus.clean import clean_corpus
from corpus.metadata import document_metadata
from corpus.neighbours import containment, exact_jaccard
from corpus.matching import _carried, LINK_THRESHOLD, SHARED_THRESHOLD, SIMILAR_THRESHOLD, sentence_key, story_common_words
from corpus.overlap import Occurrence, OverlapDoc, StoryOverlap, story_overlap
from corpus.read import bundled_sample, read_records
from corpus.sentences import split_sentences


def make_docs(texts: dict[str, str], outlets: dict[str, str | None] | None = None) -> list[OverlapDoc]:
    outlets = outlets or {}
    hash_sets = [shingles.shingle_hashes(t, 5) for t in texts.values()]
    signatures = sketch.signatures(hash_sets, 64, 1)
    return [
        OverlapDoc(doc_id, outlets.get(doc_id), split_sentences(text), hashes, signature)
        for (doc_id, text), hashes, signature in zip(texts.items(), hash_sets, signatures)
    ]


def shared_texts(result: StoryOverlap) -> list[list[tuple[str, str]]]:
    return [[(o.document, o.text) for o in s.occurrences] for s in result.shared]


def unique_texts(result: StoryOverlap) -> list[tuple[str, str]]:
    return [(u.document, u.text) for u in result.unique]


# --- the bundled sample -----------------------------------------------------------

@pytest.fixture(scope="module")
def sample() -> StoryOverlap:
    records = list(read_records([bundled_sample()]))
    cleaned = clean_corpus([r.text for r in records])
    texts = {r.id[:3]: c.text for r, c in zip(records, cleaned)}
    outlets = {r.id[:3]: document_metadata(r.text, r.fields, c).outlet for r, c in zip(records, cleaned)}
    return story_overlap(make_docs(texts, outlets))


def test_sample_quote_two_outlets_translated_is_shared(sample):
    quote = [s for s in sample.shared if "tradisi persahabatan" in s.occurrences[0].text]
    assert len(quote) == 1
    assert [o.document for o in quote[0].occurrences] == ["000", "002"]
    assert quote[0].occurrences[0].text.endswith("Rusia-DPRK,” tambah KCNA.")
    assert quote[0].occurrences[1].text.endswith("Rusia-Korut,” ungkap KCNA.")
    assert SHARED_THRESHOLD <= quote[0].similarity < 100
    assert not any("tradisi persahabatan" in u.text for u in sample.unique)
    pair = next(p for p in sample.pairs if (p.a, p.b) == ("000", "002"))
    assert pair.shared_sentences >= 1


CHROME = [
    "Advertisement", "Baca Juga", "Berita Lainnya", "Terpopuler", "Komentar", "Gunakan Google",
    "Rekomendasi untuk Anda", "Ikuti kami di", "Berita Terkini", "All Right Reserved", "My post content",
    "1 min read", "Rep:", "Red:", "Penulis:", "Editor:", "Foto:", "©", "REPUBLIKA.CO.ID", "Nama Penulis",
]


def test_sample_no_unique_sentence_is_chrome(sample):
    assert [u.text for u in sample.unique if any(c in u.text for c in CHROME)] == []
    assert all(len(u.text.split()) >= 3 for u in sample.unique)


# Invented pages of one story in two languages, each with furniture of its own kind: a
# related link glued between two sentences, a prompt below the article, a bracketed photo
# note, a source tag with a dash, a credit tail, a title-case headline below a label.
FURNISHED = {
    "en1": ("The river burst its banks on Monday night and flooded three villages, the disaster agency said. "
            "Read more: New Bridge Over The River Will Open In The Spring Rescue teams reached the villages at dawn "
            "with boats and food.\n\nAbout two hundred families spent the night in a school, officials said.\n\n"
            "Get The Daily Wire App\n\nJust tap on the icons to reach the download page."),
    "en2": ("Floodwater covered the main road into the valley after the river rose two metres overnight, residents "
            "said. (Photo: dok. Disaster Agency)\n\nThe agency sent boats to the three villages on Tuesday morning "
            "and set up kitchens. (AGENCY – 5 December 2021)\n\nIt expects the water to fall within days, a "
            "spokesman said. Reporting by Ann Lee; Editing by Bo Kim\n\nThe road stays closed until then, and the "
            "rescue work may go on until spring."),
    "id1": ("Sungai meluap pada Senin malam dan merendam tiga desa, kata badan bencana daerah. Baca juga: Banjir "
            "Rendam Ratusan Rumah di Tiga Desa Setelah itu, tim penyelamat tiba di desa dengan perahu dan makanan."
            "\n\nSekitar dua ratus keluarga bermalam di sekolah, kata petugas.\n\nBaca juga:\n\n"
            "Mengapa Sungai Mudah Meluap Saat Hujan?\n\nPetugas masih mendata kerugian warga di ketiga desa itu."),
    "id2": ("Air menutup jalan utama ke lembah setelah sungai naik dua meter dalam semalam, kata warga. "
            "[Foto: tangkapan layar]\n\nBadan bencana mengirim perahu ke tiga desa pada Selasa pagi dan membuka "
            "dapur umum.\n\nEditor: Sari Dewi\n\nKlik ikon di bawah ini untuk mengunduh aplikasi kami."),
}
FURNITURE = ["Read more", "New Bridge", "tap on the icons", "dok.", "AGENCY", "Reporting by", "Baca juga",
             "Banjir Rendam", "Mengapa Sungai", "tangkapan layar", "Klik ikon", "Editor"]


def test_no_unique_sentence_of_furnished_pages_is_furniture():
    cleaned = clean_corpus(list(FURNISHED.values()))
    result = story_overlap(make_docs(dict(zip(FURNISHED, (c.text for c in cleaned)))))
    assert [u.text for u in result.unique if any(f in u.text for f in FURNITURE)] == []
    kept = [u.text for u in result.unique]
    for sentence in ["Rescue teams reached the villages at dawn with boats and food.",
                     "Setelah itu, tim penyelamat tiba di desa dengan perahu dan makanan.",
                     "Petugas masih mendata kerugian warga di ketiga desa itu."]:
        assert sentence in kept


def test_sample_each_reports_own_content_is_unique(sample):
    unique = unique_texts(sample)
    assert any(d == "001" and "RIA, merilis video" in t and "Artyom" in t for d, t in unique)
    assert any(d == "003" and "peluru artileri" in t for d, t in unique)
    assert any(d == "004" and "KTT ASEAN ke-43 di Jakarta" in t for d, t in unique)


def test_sample_unique_grouped_by_outlet_then_report(sample):
    order = [(u.outlet, u.document) for u in sample.unique]
    assert list(dict.fromkeys(order)) == [
        ("Republika", "000"), ("Republika", "001"), ("Republika", "002"), ("Serambinews", "003"), (None, "004"),
    ]


# --- constructed English stories ---------------------------------------------------------

def test_verbatim_and_lightly_edited_sentences_are_shared():
    docs = make_docs({
        "a": "The storm destroyed forty homes in the coastal town overnight. Rescue teams arrived at dawn.",
        "b": "The storm destroyed 40 homes in the small coastal town overnight. The mayor asked for help.",
        "c": "Officials counted the damage on Monday. Rescue teams arrived at dawn.",
    })
    result = story_overlap(docs)
    assert shared_texts(result) == [
        [("a", "The storm destroyed forty homes in the coastal town overnight."),
         ("b", "The storm destroyed 40 homes in the small coastal town overnight.")],
        [("a", "Rescue teams arrived at dawn."), ("c", "Rescue teams arrived at dawn.")],
    ]
    assert result.shared[1].similarity == 100
    assert unique_texts(result) == [("b", "The mayor asked for help."), ("c", "Officials counted the damage on Monday.")]


def test_short_sentences_match_only_identically():
    docs = make_docs({"a": "He declined to comment. The firm was fined.", "b": "She declined to comment. The firm was fined."})
    result = story_overlap(docs)
    assert shared_texts(result) == [[("a", "The firm was fined."), ("b", "The firm was fined.")]]
    assert [u.text for u in result.unique] == ["He declined to comment.", "She declined to comment."]


def test_unrelated_sentences_are_not_shared():
    docs = make_docs({
        "a": "The central bank raised interest rates by a quarter point on Thursday.",
        "b": "The central bank will publish its next report on the economy in March.",
    })
    assert story_overlap(docs).shared == []


def test_a_sentence_repeated_in_one_report_is_not_shared_and_listed_once():
    text = "The bridge will reopen to traffic next month after repairs. Drivers welcomed the news."
    docs = make_docs({"a": f"{text}\nThe bridge will reopen to traffic next month after repairs.", "b": "Nothing else happened today here."})
    result = story_overlap(docs)
    assert result.shared == []
    assert [u.text for u in result.unique if u.document == "a"] == [
        "The bridge will reopen to traffic next month after repairs.", "Drivers welcomed the news.",
    ]


def test_every_occurrence_is_listed():
    line = "The prime minister will visit the flooded region on Friday morning."
    result = story_overlap(make_docs({"a": line, "b": f"Floods hit the north. {line}", "c": f"{line}\n{line}"}))
    assert shared_texts(result) == [[("a", line), ("b", line), ("c", line), ("c", line)]]


def test_groups_do_not_chain_unrelated_sentences():
    a = "The minister said the new bridge over the river will open to traffic next spring after long delays."
    b = ("The minister said the new bridge over the river will open to all traffic by next summer after repeated "
         "delays and cost overruns.")
    c = "The minister said the bridge will open to all traffic by next summer after repeated delays and cost overruns in the budget."
    ratio = lambda x, y: fuzz.ratio(sentence_key(x), sentence_key(y))  # noqa: E731
    assert ratio(a, b) >= SHARED_THRESHOLD and ratio(b, c) >= SHARED_THRESHOLD and ratio(a, c) < LINK_THRESHOLD
    result = story_overlap(make_docs({"a": a, "b": b, "c": c}))
    assert shared_texts(result) == [[("b", b), ("c", c)]]
    assert [s.occurrences[0] for s in result.similar] == [Occurrence("a", a)]   # the same news, other details
    assert unique_texts(result) == []


# --- told in other words ------------------------------------------------------------

def similar_texts(result: StoryOverlap) -> list[list[tuple[str, str]]]:
    return [[(o.document, o.text) for o in s.occurrences] for s in result.similar]


def scores(a: str, b: str) -> tuple[float, float]:
    ka, kb = sentence_key(a), sentence_key(b)
    return fuzz.ratio(ka, kb), fuzz.token_set_ratio(ka, kb)


def test_paraphrase_with_added_attribution_is_told_elsewhere_not_unique():
    a = "The flooded bridge on Main Street will stay closed until engineers finish their inspection, the mayor said on Monday."
    b = ("City officials said on Tuesday that the flooded bridge on Main Street would stay closed (at least for now) "
         "until engineers have finished an inspection.")
    ratio, _ = scores(a, b)
    assert ratio < SHARED_THRESHOLD
    result = story_overlap(make_docs({"a": f"{a} Schools reopened in the valley.", "b": f"{b} Farmers counted their losses."}))
    assert result.shared == []
    assert similar_texts(result) == [[("a", a), ("b", b)]]
    assert SIMILAR_THRESHOLD <= result.similar[0].similarity < 100
    assert unique_texts(result) == [("a", "Schools reopened in the valley."), ("b", "Farmers counted their losses.")]


def test_indonesian_quote_in_a_longer_sentence_is_told_elsewhere():
    a = "Menteri Keuangan mengatakan anggaran untuk perbaikan jalan desa akan dinaikkan dua kali lipat pada tahun depan."
    b = ("“Anggaran untuk perbaikan jalan desa akan dinaikkan dua kali lipat tahun depan (2025),” kata Menteri Keuangan "
         "dalam jumpa pers di Jakarta, Senin.")
    assert scores(a, b)[0] < SHARED_THRESHOLD
    result = story_overlap(make_docs({"a": a, "b": b}))
    assert similar_texts(result) == [[("a", a), ("b", b)]]
    assert result.unique == []


def test_sentences_sharing_only_the_storys_names_are_not_told_elsewhere():
    texts = {
        "a": "President Maria Santos of the Republic of Lorvania met Prime Minister John Okafor in the capital on Friday.",
        "b": "President Maria Santos of the Republic of Lorvania signed a trade deal with Prime Minister John Okafor.",
        "c": "Prime Minister John Okafor thanked President Maria Santos of the Republic of Lorvania for her visit.",
    }
    assert all(ratio < SHARED_THRESHOLD <= word_set for ratio, word_set in (scores(texts["a"], texts["b"]),
                                                                          scores(texts["a"], texts["c"])))
    later = {   # the names run through every report, as a story's protagonists do
        "a": "Crowds cheered as Prime Minister John Okafor and President Maria Santos of Lorvania waved.",
        "b": "Reporters asked President Maria Santos of the Republic of Lorvania about Prime Minister John Okafor's health.",
        "c": "It was the first time President Maria Santos of Lorvania and Prime Minister John Okafor spoke.",
    }
    result = story_overlap(make_docs({d: f"{texts[d]} {later[d]}" for d in texts}))
    assert result.shared == [] and result.similar == []
    assert [u.text for u in result.unique if u.text in texts.values()] == list(texts.values())


def test_a_copy_kept_out_of_a_shared_group_is_told_there_not_unique():
    quote = "I am so excited to be hosting the show again."        # a's copy of b's sentence (ratio 82) ...
    longer = "I am so excited to be hosting the show again, she told reporters."
    longest = f"{longer[:-1]} at the studio in Burbank."            # ... which groups with c's (83), unlike a's (67)
    again = "So the show is again what I am hosting, excited to be back."   # every word of the quote is common
    assert fuzz.ratio(sentence_key(quote), sentence_key(longer)) >= SHARED_THRESHOLD
    assert fuzz.ratio(sentence_key(quote), sentence_key(longest)) < LINK_THRESHOLD
    result = story_overlap(make_docs({"a": quote, "b": longer, "c": f"{longest} {again}"}))
    assert shared_texts(result) == [[("b", longer), ("c", longest)]]
    assert similar_texts(result) == [[("a", quote), ("b", longer)]]
    assert unique_texts(result) == [("c", again)]


def test_a_sentence_found_word_for_word_in_a_longer_one_is_told_there_not_unique():
    told = "The boats searched the levee again."             # its content words: "searched" alone
    longer = "Officials said on Monday that the boats searched the levee again after the storm had passed over the valley."
    others = "Again the boats came back to the levee at dawn. The levee was searched again by boats that searched all night."
    docs = make_docs({"a": told, "b": longer, "c": others})
    assert story_common_words([[sentence_key(s) for s in d.sentences] for d in docs]) == {"the", "levee", "again", "boats"}
    assert fuzz.ratio(sentence_key(told), sentence_key(longer)) < LINK_THRESHOLD
    result = story_overlap(docs)
    assert similar_texts(result) == [[("a", told), ("b", longer)]]
    assert [u.document for u in result.unique] == ["c", "c"]


@pytest.mark.parametrize("told, longer, others", [
    ('"The boats searched the levee again and found the two missing fishermen," the mayor said at dawn.',
     '"The boats searched the levee again and found the two missing fishermen. Both are in hospital and the search '
     'is over," police told reporters on the bank. The mayor said so at dawn.',
     "At dawn the mayor said two boats found the levee and searched again for the missing fishermen. "
     "The missing boats and the two fishermen searched the levee again, found at dawn, the mayor said."),
    ('"Kereta ini merupakan kereta cepat pertama di Indonesia dan juga pertama di Asia Tenggara," kata Presiden '
     'dalam peresmian.',
     '"Kereta ini merupakan kereta cepat pertama di Indonesia dan juga pertama di Asia Tenggara. Kecepatannya 350 km '
     'per jam dan namanya diambil dari bunyinya," ujar Presiden di stasiun. Presiden tiba dalam peresmian, kata '
     'menteri.',
     "Dalam peresmian di Asia Tenggara, Presiden juga kata kereta cepat ini merupakan pertama di Indonesia dan "
     "kereta pertama. Indonesia juga merupakan Tenggara Asia, kata Presiden dalam peresmian kereta cepat ini di "
     "kereta pertama dan pertama."),
])
def test_half_a_sentence_carried_word_for_word_is_told_there_not_unique(told, longer, others):
    # a quote with another attribution, or inside a longer quote: not whole inside the other sentence, and
    # every word of it runs through the story (no content word left to compare), yet a long run of its
    # words is the other's word for word
    docs = make_docs({"a": told, "b": longer, "c": others})
    assert f" {sentence_key(told)} " not in f" {sentence_key(longer.split(chr(10))[0])} "
    common = story_common_words([[sentence_key(s) for s in d.sentences] for d in docs])
    assert set(sentence_key(told).split()) <= common
    result = story_overlap(docs)
    assert [("a", told), ("b", docs[1].sentences[0])] in similar_texts(result)
    assert "a" not in [u.document for u in result.unique]


def test_a_run_of_words_carries_a_sentence_only_when_long_and_half_of_it():
    quote = "the boats searched the levee again and found the two missing fishermen"
    assert _carried(f"{quote} the mayor said at dawn", f"police said {quote} both are in hospital")
    assert _carried("kata presiden kereta ini merupakan kereta cepat pertama di indonesia dan asia",
                    "kereta ini merupakan kereta cepat pertama di indonesia dan asia tenggara ujar menteri")
    # nine words in common: a title and a name, not the sentence
    assert not _carried("the head of the disaster agency in java said the fire was out",
                        "the head of the disaster agency in java said roads would reopen next week")
    # ten words, but less than half of the shorter sentence
    assert not _carried("kepala badan penanggulangan bencana daerah kabupaten malang mengatakan kebakaran di savana itu "
                        "sudah padam pada minggu malam setelah tiga hari", "kepala badan penanggulangan bencana "
                        "daerah kabupaten malang mengatakan jalan menuju kawah dibuka kembali pekan depan untuk wisatawan")


def test_short_sentences_sharing_one_bigram_are_compared():
    a, b = "Bitcoin enthusiasm weathers chaotic week", "Bitcoin's enthusiasts weather chaotic week"
    assert fuzz.ratio(sentence_key(a), sentence_key(b)) >= SHARED_THRESHOLD     # one bigram in common: "chaotic week"
    assert shared_texts(story_overlap(make_docs({"a": a, "b": b}))) == [[("a", a), ("b", b)]]


def test_common_words_recur_through_most_reports():
    reports = [
        ["kim met putin", "kim left", "the rocket flew"],
        ["putin and kim spoke", "kim smiled", "a rocket flew"],
        ["kim arrived", "kim waved", "the rocket rose"],
        ["putin waited", "the end"],
    ]
    # kim: 3 of 4 reports, 6 sentences; rocket: 3 reports but once each (one fact);
    # putin: 3 reports, 3 sentences; the: 3 reports, 3 sentences
    assert story_common_words(reports) == {"kim"}
    assert story_common_words(reports[:2]) == set()               # two reports: nothing is common
    assert story_common_words(reports + [["the end", "the start"]] * 2) == {"the"}   # 5 of 6 reports, 7 sentences


def test_unrelated_sentences_are_not_told_elsewhere():
    docs = make_docs({
        "a": "The central bank raised interest rates by a quarter point on Thursday after a long debate.",
        "b": "The central bank will publish its next report on the state of the economy in March.",
    })
    result = story_overlap(docs)
    assert result.similar == [] and len(result.unique) == 2


def test_a_shared_sentence_can_be_the_counterpart_and_pairs_are_listed_once():
    told = "The flooded bridge on Main Street will stay closed until engineers finish their inspection, the mayor said."
    other = ("Officials said the flooded bridge on Main Street would stay closed (at least for now) until engineers "
             "have finished an inspection.")
    result = story_overlap(make_docs({"a": told, "b": f"{other}\n{other}", "c": other}))
    assert [[o.document for o in s.occurrences] for s in result.shared] == [["b", "b", "c"]]
    assert similar_texts(result) == [[("a", told), ("b", other)]]
    assert result.unique == []


def test_pair_table():
    texts = {
        "a": "The storm destroyed forty homes in the coastal town overnight. Rescue teams arrived at dawn.",
        "b": "Rescue teams arrived at dawn. The storm destroyed forty homes in the coastal town overnight. More rain is due.",
        "c": "Something else entirely happened in another place today.",
    }
    docs = make_docs(texts)
    result = story_overlap(docs)
    assert [(p.a, p.b) for p in result.pairs] == [("a", "b"), ("a", "c"), ("b", "c")]
    ab = result.pairs[0]
    assert ab.jaccard == round(exact_jaccard(docs[0].shingles, docs[1].shingles), 4) > 0
    assert ab.containment_ab == round(containment(docs[0].shingles, docs[1].shingles), 4)
    assert ab.containment_ba == round(containment(docs[1].shingles, docs[0].shingles), 4)
    assert ab.jaccard_estimate == round(sketch.estimate_jaccard(docs[0].signature, docs[1].signature), 4)
    assert [p.shared_sentences for p in result.pairs] == [2, 0, 0]
    assert result.pairs[1].jaccard == 0.0


def test_common_shingles_are_counted_alike_pair_by_pair_and_by_one_sparse_product(monkeypatch):
    base = "The storm destroyed forty homes in the coastal town overnight and rescue teams arrived at dawn"
    texts = {f"d{i}": " ".join(base.split()[: 6 + i]) + f" then report {i} went on alone with words of its own {i}."
             for i in range(7)}
    texts["empty"] = "Nothing."
    docs = make_docs(texts)
    monkeypatch.setattr(overlap, "SPARSE_FROM", 100)
    by_pairs = story_overlap(docs).pairs
    monkeypatch.setattr(overlap, "SPARSE_FROM", 2)
    assert story_overlap(docs).pairs == by_pairs
    assert {p.jaccard for p in by_pairs if "empty" not in (p.a, p.b)} != {0.0}
    assert [p.jaccard for p in by_pairs] == [round(exact_jaccard(docs[a].shingles, docs[b].shingles), 4)
                                             for a in range(len(docs)) for b in range(a + 1, len(docs))]


def test_unknown_outlet_comes_last_and_outlets_keep_first_seen_order():
    docs = make_docs(
        {"a": "Alpha happened here today.", "b": "Beta happened there today.", "c": "Gamma happened somewhere today.",
         "d": "Delta happened anywhere today."},
        {"a": None, "b": "Zeta News", "c": "Alpha Post", "d": "Zeta News"},
    )
    assert [(u.outlet, u.document) for u in story_overlap(docs).unique] == [
        ("Zeta News", "b"), ("Zeta News", "d"), ("Alpha Post", "c"), (None, "a"),
    ]


def test_deterministic_and_empty():
    texts = {f"d{i}": f"Report {i} says the river rose two metres overnight in the valley. Item {i} closes it." for i in range(6)}
    assert story_overlap(make_docs(texts)) == story_overlap(make_docs(texts))
    assert story_overlap([]) == StoryOverlap([], [], [], [])
    empty = make_docs({"a": "", "b": ""})
    assert story_overlap(empty).shared == [] and story_overlap(empty).pairs[0].jaccard == 0.0


def test_large_story_accounts_for_every_sentence():
    rng = np.random.default_rng(7)
    vocabulary = [f"w{i}" for i in range(3000)]
    base = ["Then " + " ".join(rng.choice(vocabulary, 18)) + "." for _ in range(400)]
    texts = {}
    for d in range(60):
        picks = rng.choice(len(base), 40, replace=False)
        texts[f"d{d}"] = " ".join(s.replace("w1", "x1", 1) if d % 2 else s for s in (base[p] for p in picks))
    docs = make_docs(texts)
    result = story_overlap(docs)
    assert len(result.pairs) == 60 * 59 // 2
    assert len(result.shared) > 100
    occurrences = sum(len(s.occurrences) for s in result.shared)
    assert result.similar == []
    assert occurrences + len(result.unique) == sum(len(d.sentences) for d in docs)
    assert all(isinstance(o, Occurrence) for s in result.shared for o in s.occurrences)


def test_sample_translated_invitation_quote_is_told_elsewhere_not_unique(sample):
    told = [s for s in sample.similar if "dengan sopan mengundang" in s.occurrences[0].text]
    assert [[o.document for o in s.occurrences] for s in told] == [["000", "002"]]
    assert "dengan sopan mengundang" in told[0].occurrences[1].text
    assert not any("dengan sopan mengundang" in u.text for u in sample.unique)


# --- first seen ----------------------------------------------------------------------

def with_dates(docs: list[OverlapDoc], dates: dict[str, str | None]) -> list[OverlapDoc]:
    for doc in docs:
        doc.date = dates.get(doc.id)
    return docs


FIRST_SEEN_TEXTS = {
    "a": "Rescue teams arrived at the flooded village at dawn on Sunday. The mayor thanked them.",
    "b": "Rescue teams arrived at the flooded village at dawn on Sunday. Schools stayed closed.",
    "c": "Crews reached the flooded village at dawn on Sunday, the rescue teams said. Farmers counted losses.",
}


def test_first_seen_is_the_earliest_dated_report_carrying_the_sentence():
    docs = with_dates(make_docs(FIRST_SEEN_TEXTS), {"a": "2024-03-05", "b": "2024-03-04", "c": "2024-03-01"})
    result = story_overlap(docs)
    assert [[o.document for o in s.occurrences] for s in result.shared] == [["a", "b"]]
    assert result.shared[0].first_seen == "b"          # c is earlier but does not carry it


def test_first_seen_skips_undated_reports_and_is_null_without_dates():
    docs = make_docs(FIRST_SEEN_TEXTS)
    assert story_overlap(docs).shared[0].first_seen is None
    assert story_overlap(with_dates(docs, {"b": "2024-03-04"})).shared[0].first_seen == "b"


def test_first_seen_ties_go_to_the_earlier_report_in_input_order():
    docs = with_dates(make_docs(FIRST_SEEN_TEXTS), {"a": "2024-03-04", "b": "2024-03-04"})
    assert story_overlap(docs).shared[0].first_seen == "a"


def test_first_seen_of_a_sentence_told_in_other_words():
    a = "The flooded bridge on Main Street will stay closed until engineers finish their inspection, the mayor said on Monday."
    b = ("City officials said on Tuesday that the flooded bridge on Main Street would stay closed (at least for now) "
         "until engineers have finished an inspection.")
    docs = make_docs({"a": a, "b": b})
    assert story_overlap(docs).similar[0].first_seen is None
    result = story_overlap(with_dates(docs, {"a": "2024-03-06", "b": "2024-03-05"}))
    assert [o.document for o in result.similar[0].occurrences] == ["a", "b"]
    assert result.similar[0].first_seen == "b"


# --- languages -------------------------------------------------------------------------

QUOTE = "We will rebuild every school in the valley before the rains return, the governor told reporters."
MIXED = {
    "en-1": f"Floods hit the Lanner valley in Marlow on Sunday. {QUOTE}",
    "en-2": f"{QUOTE} Shelters in Marlow held 2,400 people.",
    "id-1": f"Banjir melanda lembah Lanner di Marlow pada Minggu. {QUOTE} Sebanyak 2.400 warga mengungsi.",
}


def with_languages(docs: list[OverlapDoc], languages: dict[str, str | None]) -> list[OverlapDoc]:
    for doc in docs:
        doc.language = languages.get(doc.id)
    return docs


def test_sentences_are_compared_within_one_language_only():
    unknown = story_overlap(make_docs(MIXED))
    assert [[o.document for o in s.occurrences] for s in unknown.shared] == [["en-1", "en-2", "id-1"]]
    result = story_overlap(with_languages(make_docs(MIXED), {"en-1": "en", "en-2": "en", "id-1": "id"}))
    assert [[o.document for o in s.occurrences] for s in result.shared] == [["en-1", "en-2"]]
    assert ("id-1", QUOTE) in unique_texts(result)          # unique among the reports of its own language
    assert [(g.language, g.documents) for g in result.languages] == [("en", ["en-1", "en-2"]), ("id", ["id-1"])]


def test_cross_language_pairs_show_the_names_and_numbers_they_share():
    result = story_overlap(with_languages(make_docs(MIXED), {"en-1": "en", "en-2": "en", "id-1": "id"}))
    pairs = {(p.a, p.b): p for p in result.pairs}
    assert not pairs[("en-1", "en-2")].cross_language and pairs[("en-1", "en-2")].shared_names is None
    assert pairs[("en-1", "id-1")].cross_language and pairs[("en-2", "id-1")].cross_language
    assert pairs[("en-1", "id-1")].shared_names == ["Lanner", "Marlow"]
    assert pairs[("en-2", "id-1")].shared_names == ["Marlow", "2,400"]
    assert pairs[("en-1", "id-1")].shared_sentences == 0


def test_a_report_of_unknown_language_is_compared_with_every_report():
    result = story_overlap(with_languages(make_docs(MIXED), {"en-1": "en", "id-1": "id"}))
    assert [[o.document for o in s.occurrences] for s in result.shared] == [["en-1", "en-2"]]
    assert [(g.language, g.documents) for g in result.languages] == [("en", ["en-1"]), ("id", ["id-1"]),
                                                                     (None, ["en-2"])]
    assert not any(p.cross_language for p in result.pairs if "en-2" in (p.a, p.b))


def test_one_language_changes_nothing():
    plain = story_overlap(make_docs(MIXED))
    same = story_overlap(with_languages(make_docs(MIXED), {d: "en" for d in MIXED}))
    assert (same.pairs, same.shared, same.similar, same.unique) == (plain.pairs, plain.shared, plain.similar, plain.unique)
    assert [(g.language, g.documents) for g in same.languages] == [("en", list(MIXED))]
