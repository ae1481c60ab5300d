"""The HTML report in the system's headless Chromium (Debian's `chromium`; Playwright
drives it and never downloads a browser):

    python -m benchmarks.browser screenshot report.html docs/report.png
    python -m benchmarks.browser load report.html --repeat 5

`screenshot` takes the README's picture (after clicking a shared sentence, so its
twins light up). `load` opens the file in a fresh browser several times and prints
medians of: the wall time to the load event, the CPU time the browser spent until
half a second after it (all its processes, read from
Linux's /proc, less what it spends opening an empty page: steadier than wall time
on a shared machine), and the wall time of the first use of the filter box (the id
of the last story's last document: it lists the whole story index, filtered); with any page error or outside request (there must be none)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(html: Path, png: Path, width: int, height: int, click: str) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(html.resolve().as_uri())
        if click and page.locator(click).count():
            page.locator(click).first.click()
            page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(png), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})


def _descendants_cpu() -> float:
    """CPU seconds of every live process below this one (Linux /proc), with what their
    own finished children used."""
    stats = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(stat.parent.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    below, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, (parent, _) in stats.items() if parent in frontier} - below
        below |= frontier
    return sum(stats[pid][1] for pid in below) / os.sysconf("SC_CLK_TCK")


def _open_once(html: Path, problems: list[str]) -> tuple[float, float, float, dict]:
    """(wall s to load, wall s to the index listed, browser CPU s, counts) of one fresh browser."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else (problems.append(f"request: {route.request.url}"), route.abort()))
        start = time.perf_counter()
        page.goto(html.resolve().as_uri(), wait_until="load", timeout=120_000)
        loaded = time.perf_counter() - start
        page.wait_for_timeout(500)       # what the page does right after the load event
        cpu = _descendants_cpu()
        start = time.perf_counter()
        if page.locator("#filter").count():       # look up the last story's last document by id
            query = page.evaluate("document.querySelector('section.story:last-of-type')"
                                  ".getAttribute('data-search').split(' ').pop()")
            page.fill("#filter", query)
            page.wait_for_selector("script.index-rest", state="detached", timeout=120_000)
        filtered = time.perf_counter() - start
        counts = page.evaluate("({stories: document.querySelectorAll('[data-story]').length,"
                               " lazy: document.querySelectorAll('section.lazy').length,"
                               " sentences: document.querySelectorAll('[data-kind]').length})")
    return loaded, filtered, cpu, counts


def load(html: Path, repeat: int) -> dict:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.html"
        empty.write_text("<!DOCTYPE html><title>empty</title>", encoding="utf-8")
        runs, baseline = [], []
        for _ in range(repeat):          # alternate, so that both see the same load on the machine
            baseline.append(_open_once(empty, [])[2])
            runs.append(_open_once(html, problems))
    return {
        "file_mb": round(html.stat().st_size / 1e6, 1), "runs": repeat,
        "load_wall_s": round(statistics.median(r[0] for r in runs), 2),
        "first_filter_wall_s": round(statistics.median(r[1] for r in runs), 2),
        "browser_cpu_s": round(statistics.median(r[2] for r in runs) - statistics.median(baseline), 2),
        "empty_page_cpu_s": round(statistics.median(baseline), 2),
        "load_wall_all_s": [round(r[0], 2) for r in runs],
        **runs[-1][3], "problems": problems,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    shot = commands.add_parser("screenshot")
    shot.add_argument("html", type=Path)
    shot.add_argument("png", type=Path)
    shot.add_argument("--width", type=int, default=1400)
    shot.add_argument("--height", type=int, default=1900, help="pixels from the top of the page")
    shot.add_argument("--click", default="[data-kind=shared]", help="a sentence to click first")
    timing = commands.add_parser("load")
    timing.add_argument("html", type=Path)
    timing.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.command == "screenshot":
        screenshot(args.html, args.png, args.width, args.height, args.click)
    else:
        print(json.dumps(load(args.html, args.repeat)))


if __name__ == "__main__":
    main()
