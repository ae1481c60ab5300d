"""Progress on standard error for long runs on a terminal (rich), transient:
nothing is left behind, and nothing is shown in pipes or CI (callers pass
`enabled`, usually "not --quiet and standard error is a terminal")."""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Iterator

from corpus import stage_log

if TYPE_CHECKING:
    from corpus.dedup import Progress


@contextlib.contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress | None]:
    """A rich progress bar per stage that counts (dedup's sketching, verification,
    writing), or None."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


@contextlib.contextmanager
def stage_status(command: str, enabled: bool, doing: str = "reading") -> Iterator[None]:
    """A rich spinner saying what `command` is `doing`, then how far the pipeline's
    stage in hand has come (articles read, articles prepared of all) or the last
    one that ended (`corpus.stage_log`), and the seconds since the start: for the
    commands whose work is not one count of items (stories, report)."""
    if not enabled:
        yield
        return
    from rich.console import Console

    started = time.perf_counter()
    with Console(stderr=True).status(f"{command}: {doing}", spinner="dots") as status:
        def show(stage: str, done: int | None, total: int | None) -> None:
            if done is None:
                where = f"{stage} done"
            else:
                where = f"{stage} · {done:,}" + (f" of {total:,}" if total else "")
            status.update(f"{command}: {where} · {time.perf_counter() - started:.0f} s")

        with stage_log.listening(show):
            yield
