"""A district's batch as a report folder, opened in headless Chromium (issue 12 §5 asks for 5,000 dossiers < 5 s).

    python bench/html_site.py [COUNT] [WORKDIR]

Generates COUNT dossiers (bench/generate.py, seeded), runs `renovcheck check --format html -o DIR/ --jobs 2`, then
opens the index page and one dossier page in Debian's Chromium (headless, driven by Playwright in one browser, so the
browser's start-up is not counted) and prints the time until each page's load event, with the folder's size. A
single-file HTML report of the same batch (what `-o report.html` writes) is timed too, for comparison.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SINGLE_FILE_UP_TO = 500
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync"]


def open_pages(pages: list) -> list:
    """(name, seconds to the load event, elements on the page) for each (name, path), in one headless browser."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page()
        tab.goto("about:blank")
        for name, path in pages:
            started = time.perf_counter()
            tab.goto(path.as_uri(), wait_until="load", timeout=600_000)
            seconds = time.perf_counter() - started
            out.append((name, seconds, tab.evaluate("document.getElementsByTagName('*').length")))
        browser.close()
    return out


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    work = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="renovcheck-site-"))
    dossiers = work / "dossiers"
    if not dossiers.exists():
        generate.write(dossiers, count)
    site, single = work / "site", work / "single.html"
    as_of = generate.LATEST_REPORT_DATE.isoformat()
    # one file of several hundred MB is what the folder replaces; above 500 dossiers it is not worth the wait
    for target in [f"{site}/"] + ([str(single)] if count <= SINGLE_FILE_UP_TO else []):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "checker", "check", str(dossiers), "--as-of", as_of, "--jobs", "2",
                               "--format", "html", "-o", target], capture_output=True, text=True)
        print(f"check --format html -o {Path(target).name}{'/' if target.endswith('/') else ''}: exit {done.returncode}"
              f" in {time.perf_counter() - started:.1f} s")
    files = list(site.rglob("*.html"))
    size = sum(f.stat().st_size for f in files)
    print(f"report folder: {len(files)} pages, {size / 1e6:.1f} MB; index.html {(site / 'index.html').stat().st_size / 1e6:.2f} MB")
    if single.exists():
        print(f"single file: {single.stat().st_size / 1e6:.1f} MB")
    pages = [("index.html", site / "index.html"), ("d/00001.html", site / "d" / "00001.html")]
    pages += [("single file", single)] if single.exists() else []
    for name, seconds, elements in open_pages(pages):
        print(f"Chromium opens {name}: {seconds:.2f} s to the load event ({elements:,} elements)")
    print(f"work folder: {work}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    main()
