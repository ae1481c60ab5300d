"""benchmarks.generate_stories: a deterministic month of news made of stories."""

import collections
import datetime
import gzip
import itertools
import json
import re

import numpy as np
import pytest

from benchmarks import generate_stories
from benchmarks.generate import EPOCH
from corpus import neighbours
from corpus.shingles import shingle_hashes

NAME = re.compile(r"(?<=[a-z,] )[A-Z]\w+")      # a capitalised word inside a sentence: a name or place


@pytest.fixture(scope="module")
def sample():
    return list(generate_stories.generate_stories(3_000, seed=4, days=10))


def by_story(records):
    stories = collections.defaultdict(list)
    for record in records:
        stories[record["story"]].append(record)
    return stories


def test_same_seed_same_corpus_other_seed_other_corpus(sample):
    assert list(generate_stories.generate_stories(3_000, seed=4, days=10)) == sample
    assert list(generate_stories.generate_stories(50, seed=5, days=10)) != sample[:50]


def test_records_look_like_dated_news(sample):
    assert all(list(r) == ["id", "date", "title", "outlet", "text", "story", "copy_of"] for r in sample)
    assert len({r["id"] for r in sample}) == len(sample)
    dates = [datetime.datetime.fromisoformat(r["date"]) for r in sample]
    assert dates == sorted(dates)
    assert EPOCH <= dates[0] and dates[-1] < EPOCH + datetime.timedelta(days=10)
    assert 3_000 <= np.mean([len(r["text"].encode()) for r in sample]) <= 3_600
    assert all(r["title"] and r["outlet"] for r in sample)


def test_stories_have_power_law_sizes_and_last_a_few_days(sample):
    stories = by_story(sample)
    sizes = np.array([len(reports) for reports in stories.values()])
    assert 0.5 < np.mean(sizes == 1) < 0.8 and sizes.max() >= 30
    for reports in stories.values():
        dates = [datetime.datetime.fromisoformat(r["date"]) for r in reports]
        assert max(dates) - min(dates) <= datetime.timedelta(days=generate_stories.MAX_SPAN_DAYS)


def test_reports_of_a_story_share_names_not_wording(sample):
    originals = [r for r in sample if r["copy_of"] is None]
    names = [set(NAME.findall(r["text"])) for r in originals]
    shingles = [shingle_hashes(r["text"]) for r in originals[:250]]
    same_names, other_names, same_wording = [], [], []
    for i, j in itertools.combinations(range(250), 2):
        shared = len(names[i] & names[j])
        if originals[i]["story"] == originals[j]["story"]:
            same_names.append(shared)
            same_wording.append(neighbours.exact_jaccard(shingles[i], shingles[j]))
        else:
            other_names.append(shared)
            assert neighbours.exact_jaccard(shingles[i], shingles[j]) < 0.1
    assert len(same_names) > 30
    assert np.mean(same_names) > 5 * np.mean(other_names)    # others share first names, weekdays, a place
    assert max(same_wording) < 0.25           # independent wordings: a quote or two in common at most


def test_copies_are_near_duplicates_of_an_earlier_report_of_their_story(sample):
    position = {r["id"]: k for k, r in enumerate(sample)}
    copies = [r for r in sample if r["copy_of"]]
    assert 0.05 < len(copies) / len(sample) < 0.2
    jaccards = []
    for copy in copies:
        source = sample[position[copy["copy_of"]]]
        assert position[source["id"]] < position[copy["id"]] and source["story"] == copy["story"]
        assert source["copy_of"] is None
        jaccards.append(neighbours.exact_jaccard(shingle_hashes(copy["text"]), shingle_hashes(source["text"])))
    assert min(jaccards) >= 0.8
    assert np.mean(np.array(jaccards) < 1.0) > 0.5        # most are edited, not verbatim


def test_lookalike_stories_share_place_and_leading_person_not_the_event():
    schedule = generate_stories.plan(20_000, 30, np.random.default_rng(1))
    lookalikes = np.flatnonzero(schedule.lookalike_of >= 0)
    assert 0.1 < len(lookalikes) / schedule.stories < 0.2
    earlier = schedule.lookalike_of[lookalikes]
    assert np.all(earlier < lookalikes)
    assert np.all(schedule.place[lookalikes] == schedule.place[earlier])
    assert np.all(schedule.lead[lookalikes] == schedule.lead[earlier])
    assert np.all(np.diff(schedule.minute) >= 0) and len(schedule.story) == 20_000
    first_seen = schedule.story[np.sort(np.unique(schedule.story, return_index=True)[1])]
    assert np.array_equal(first_seen, np.arange(schedule.stories))


def test_lookalikes_in_text_share_the_leading_person(sample):
    writer = generate_stories._StoryWriter(4)
    schedule = generate_stories.plan(3_000, 10, writer.rng)
    stories = by_story(sample)
    checked = 0
    for story in np.flatnonzero(schedule.lookalike_of >= 0).tolist():
        lead = writer.person(int(schedule.lead[story])).split()[-1]     # a surname is one person's
        earlier = f"story-{schedule.lookalike_of[story]:06d}"
        texts = [r["text"] for r in stories[f"story-{story:06d}"] + stories[earlier]]
        assert sum(lead in text for text in texts) >= len(texts) // 2
        checked += 1
    assert checked > 50


def test_write_stories_plain_and_gzip_and_command_line(tmp_path, capsys):
    plain, packed = tmp_path / "s.jsonl", tmp_path / "s.jsonl.gz"
    generate_stories.write_stories(plain, 400, seed=2, days=5)
    generate_stories.write_stories(packed, 400, seed=2, days=5)
    text = plain.read_text(encoding="utf-8")
    assert gzip.decompress(packed.read_bytes()).decode("utf-8") == text
    assert [json.loads(line) for line in text.splitlines()] == list(generate_stories.generate_stories(400, 2, 5))
    assert generate_stories.main(["40", str(tmp_path / "x.jsonl"), "--seed", "3", "--days", "2"]) == 0
    assert len((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()) == 40
    assert "40 articles" in capsys.readouterr().err


def test_distinct_people_places_and_organisations_get_distinct_names():
    rng = np.random.default_rng(0)
    numbers = np.concatenate([np.arange(100_000), rng.integers(0, generate_stories.NAME_CODES // 3, 100_000)])
    names = {(kind, number): generate_stories.coded_name(kind, number, salt=12345)
             for kind in range(generate_stories.NAME_KINDS) for number in np.unique(numbers).tolist()}
    assert len({name.casefold() for name in names.values()}) == len(names)
    assert all(re.fullmatch(r"[A-Z][a-z]{4,}", name) for name in names.values())
    assert generate_stories.coded_name(0, 7, salt=1) != generate_stories.coded_name(0, 7, salt=2)
    with pytest.raises(ValueError):
        generate_stories.coded_name(0, generate_stories.NAME_CODES // 3 + 1)


def test_no_two_people_of_a_corpus_share_a_surname():
    writer = generate_stories._StoryWriter(3)
    people = {person for story in range(2_000)
              for person in writer.story(f"s{story}", story % 50, 2 * story, 100, 1).people}
    surnames = collections.Counter(person.split()[-1] for person in people)
    assert len(people) > 5_000 and surnames.most_common(1)[0][1] == 1


def test_a_bilingual_corpus_has_half_its_reports_in_a_second_vocabulary_that_keeps_names_and_numbers():
    plain = list(generate_stories.generate_stories(600, seed=2, days=5))
    both = list(generate_stories.generate_stories(600, seed=2, days=5, bilingual=True))
    assert both == list(generate_stories.generate_stories(600, seed=2, days=5, bilingual=True))
    assert [r["story"] for r in both] == [r["story"] for r in plain]
    second = {r["id"] for r, p in zip(both, plain) if r["text"] != p["text"]}
    assert 0.35 < len(second) / len(plain) < 0.65
    for record, original in zip(both, plain):
        kept = lambda text: re.findall(r"\b(?:[A-Z]\w*|\w*\d\w*)\b", text)   # noqa: E731
        assert kept(record["text"]) == kept(original["text"])
        if record["copy_of"]:
            assert (record["id"] in second) == (record["copy_of"] in second)
    rewritten = next(r for r in both if r["id"] in second)
    assert not set(re.findall(r"\b[a-z]+\b", rewritten["text"])) & set(re.findall(r"\b[a-z]+\b", plain[0]["text"]))
