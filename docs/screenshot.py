"""Screenshot of an HTML report in headless Chromium (the system's; nothing downloaded),
for the README: `python docs/screenshot.py report.html docs/report.png`."""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1500)
    parser.add_argument("--click", default="[data-kind=shared]", help="a sentence to click first (its twins light up)")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
        page.goto(args.html.resolve().as_uri())
        if args.click and page.locator(args.click).count():
            page.locator(args.click).first.click()
        page.screenshot(path=str(args.png), full_page=False)
        browser.close()


if __name__ == "__main__":
    main()
