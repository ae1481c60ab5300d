"""Shared test corpora built here (never copied from ../shared/data)."""

import gc
import tempfile

import pytest

from corpus.read import Record


@pytest.fixture(autouse=True)
def private_tempdir(tmp_path_factory, monkeypatch):
    """Spill files and spooled input go to a folder of the test's own."""
    spool = tmp_path_factory.mktemp("spool")
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    return spool


@pytest.fixture(autouse=True)
def usual_garbage_collection():
    """A command run in the test process (`corpus.workers.collect_garbage_seldom`)
    leaves the cycle collector as it found it."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)

FLOOD = (
    "Heavy rain flooded the river town of Marlow Creek on Sunday, forcing 2,400 residents to leave their homes. "
    "Mayor Tessa Holbrook said the Lanner River rose 4.2 metres overnight and breached the old levee near the mill. "
    "Rescue crews used boats to reach families trapped on rooftops along Quarry Lane. "
    "The regional weather office warned that more rain would fall on Monday and Tuesday. "
    "Shelters opened at the Marlow Creek high school and the community hall."
)
FLOOD_OTHER = (
    "Marlow Creek residents returned on Monday to find mud and debris after the Lanner River flood. "
    "Mayor Tessa Holbrook estimated damage at 18 million dollars and asked for state help. "
    "About 2,400 people spent the night in shelters, she said, and the levee near the mill will be rebuilt. "
    "Forecasters expect the river to fall below flood level by Wednesday."
)
ELECTION = (
    "Voters in the northern province of Kestrel Bay elected Amadou Fenwick as governor on Saturday. "
    "Fenwick, a former port engineer, won 54 percent of the vote against incumbent Lorna Vasquez. "
    "Turnout reached 61 percent, the electoral commission said, the highest since 2009. "
    "Fenwick promised to expand the ferry network and cut harbour fees in his first hundred days."
)


def two_event_records() -> list[Record]:
    """Two flood reports and a re-post of one, and an unrelated election report."""
    texts = {"flood-a": FLOOD, "flood-b": FLOOD_OTHER, "vote": ELECTION, "flood-a-repost": FLOOD + "\n\nShare this article"}
    return [Record(id=i, text=t, source=f"{i}.txt") for i, t in texts.items()]


def mixed_language_report():
    """The flood story with its second report marked as written in another language."""
    from corpus.overlap import story_overlap
    from corpus.assemble import _story_docs, build_report
    from corpus.pipeline import prepare

    report = build_report(two_event_records())
    prepared = prepare(two_event_records())
    _, docs = _story_docs(prepared, [0, 1, 3])
    languages = dict(zip(("flood-a", "flood-b", "flood-a-repost"), ("en", "xx", None)))
    for doc in docs:
        doc.language = languages[doc.id]
    for info in report.documents:
        info.language = languages.get(info.id, info.language)
    report.stories[0].overlap = story_overlap(docs)
    return report
