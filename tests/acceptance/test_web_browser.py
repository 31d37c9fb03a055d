"""The workbench in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright, never a downloaded
browser): the portfolio of the samples, a dossier, a what-if change, an invalid value in the dossier form and a
waiver grant, each seen as a reviewer sees it, with the page's own script running under its CSP.

With RENOVCHECK_SCREENSHOTS=DIR the screenshots of every page in zh and en are also written to DIR (how
docs/img/ was made: see docs/workbench.md).
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time

import pytest

from tests.conftest import SAMPLES, skip_unless_ci

AS_OF = "2026-06-30"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def _chromium() -> str | None:
    for path in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if path and os.path.exists(path):
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        skip_unless_ci("Chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_unless_ci("Playwright for Python is not installed (it is in the test extra)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    """Started after the browser and stopped before it: the engine's child process, forked while the browser runs,
    holds Playwright's pipes open until it stops (the workbench stops it on shutdown), and closing the browser
    waits for them."""
    import uvicorn

    from checker.web.app import make_app
    from checker.web.workbench import Settings

    root = tmp_path_factory.mktemp("served") / "sample_projects"
    shutil.copytree(SAMPLES, root)
    waivers = root / ".renovcheck-review" / "waivers.yaml"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = make_app(Settings((str(root),), str(waivers), AS_OF, jobs=1))
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the workbench did not start"
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "root": root, "waivers": waivers}
    instance.should_exit = True
    thread.join(30)
    assert not thread.is_alive(), "the workbench did not stop"


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.problems = []  # CSP violations, script errors, missing resources: there must be none
    refused_form = "the server responded with a status of 400"  # a form sent back with its messages, on purpose
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" and refused_form not in m.text
           else None)
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    yield tab
    context.close()


def _shoot(tab, name: str) -> None:
    folder = os.environ.get("RENOVCHECK_SCREENSHOTS")
    if folder:
        tab.screenshot(path=os.path.join(folder, f"{name}.png"))


def _both_languages(tab, url: str, name: str) -> None:
    """Screenshots of one page in zh and, by the page's own switch, in en."""
    tab.goto(url)
    _shoot(tab, f"{name}-zh")
    tab.click("#lang")
    tab.wait_for_selector('html[data-lang="en"]')
    _shoot(tab, f"{name}-en")
    shot = tab.screenshot()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 20_000
    tab.click("#lang")
    tab.wait_for_selector('html[data-lang="zh"]')


def test_portfolio_of_the_samples_sorts_and_filters(page, server):
    page.goto(server["url"] + "/")
    assert page.get_attribute("html", "data-js") == "ready"  # app.js ran: the CSP let it
    rows = page.locator("#portfolio tbody tr")
    assert rows.count() == len(list(SAMPLES.iterdir()))
    assert page.locator("svg.chart").count() == 2
    page.click("#portfolio th:nth-child(8)")  # total gaps, ascending
    page.click("#portfolio th:nth-child(8)")  # descending
    gaps = [int(t) for t in page.locator("#portfolio tbody td.gaps").all_inner_texts()]
    assert gaps == sorted(gaps, reverse=True) and len(set(gaps)) > 1
    page.fill("#f-text", "玉桥")
    assert page.locator("#portfolio tbody tr:not([hidden])").count() == 1
    assert "1 / 4" in page.inner_text("#shown")
    page.fill("#f-text", "")
    page.select_option("#f-district", "西城区")
    assert page.locator("#portfolio tbody tr:not([hidden])").count() == 1
    assert page.problems == []
    page.select_option("#f-district", "")
    _both_languages(page, server["url"] + "/", "portfolio")


def test_a_dossier_links_each_finding_to_its_line(page, server):
    page.goto(server["url"] + "/")
    page.click("text=古城南路东、西小区改造")
    page.wait_for_url("**/d/0/gucheng-nanlu.yaml")
    assert page.locator("article.finding").count() > 40
    page.click("article.o-fail >> nth=0 >> a.src")
    page.wait_for_url(re.compile(r".*/source/0/gucheng-nanlu\.yaml#L\d+$"))
    target = page.url.rsplit("#", 1)[1]
    highlighted = page.evaluate("getComputedStyle(document.querySelector('tr:target')).backgroundColor")
    assert page.evaluate("document.querySelector('tr:target').id") == target
    assert highlighted not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.problems == []
    _both_languages(page, server["url"] + "/d/0/gucheng-nanlu.yaml", "dossier")
    _both_languages(page, server["url"] + "/source/0/gucheng-nanlu.yaml#L31", "source")


def test_changing_a_whatif_input_changes_the_recommendation(page, server):
    from playwright.sync_api import expect

    page.goto(server["url"] + "/whatif?base=0/gucheng-nanlu.yaml")
    before = page.get_attribute("#headline", "data-top")
    page.fill('[name="in.community.households"]', "80")
    page.select_option('[name="in.community.owners_committee"]', "false")
    # Playwright's own polling: a string predicate for wait_for_function is evaluated as code, which the page's
    # CSP (script-src 'self') refuses once it has to poll, so that form failed whenever the page answered slowly
    expect(page.locator("#headline")).not_to_have_attribute("data-top", before or "", timeout=30_000)
    assert page.get_attribute("#headline", "data-top") == "community_trusteeship" != before
    assert "1680 → 80" in page.inner_text("#answer")
    assert page.problems == []
    _shoot(page, "whatif-changed-zh")
    _both_languages(page, server["url"] + "/whatif?base=0/liupukang-1.yaml", "whatif")


def test_an_invalid_value_in_the_dossier_form_shows_the_located_message(page, server):
    page.goto(server["url"] + "/new")
    page.fill('[name="project.id"]', "NEW-9")
    page.fill('[name="project.name"]', "浏览器测试小区")
    page.select_option('[name="project.district"]', "海淀区")
    page.select_option('[name="project.phase"]', "planning")
    page.evaluate("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
    page.fill('[name="community.households"]', "1,200")
    page.click('button[value="check"]')
    message = page.locator('.error[data-field="community.households"]')
    message.wait_for()
    assert "不带千位分隔符" in message.inner_text()
    assert page.locator('[name="community.households"]').input_value() == "1,200"  # kept as typed, to correct
    assert page.problems == []
    _shoot(page, "form-error-zh")
    _both_languages(page, server["url"] + "/new", "form")


def test_granting_a_waiver_at_the_desk_changes_the_report(page, server):
    page.goto(server["url"] + "/d/0/gucheng-nanlu.yaml")
    first = page.locator("article.finding", has=page.locator("span.rid", has_text="CON-01"))
    assert "o-fail" in first.get_attribute("class")
    page.click("#to-desk")
    page.select_option("#rule_id", "CON-01")
    page.fill("#approved_by", "王审查(区住建委)")
    page.fill("#reason", "施工公告已补发,居民书面确认")
    page.fill("#approved_on", "2026-06-01")
    page.fill("#expires", "2026-12-31")
    page.click("#grant button[type=submit]")
    page.wait_for_selector('tr.granted[data-rule="CON-01"]')
    assert "CON-01" in server["waivers"].read_text(encoding="utf-8")
    _both_languages(page, page.url, "desk")
    page.goto(server["url"] + "/d/0/gucheng-nanlu.yaml")
    first = page.locator("article.finding", has=page.locator("span.rid", has_text="CON-01"))
    assert "o-waived" in first.get_attribute("class")
    assert page.problems == []
