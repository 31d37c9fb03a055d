"""Issue 12 §5: `--format html -o DIR/` writes a report folder — an index page and one page per dossier — so a
district's batch opens at once in a browser; the folder is replaced whole, and never one that is not ours."""
import re
import shutil

from click.testing import CliRunner

from checker.cli import cli
from tests.conftest import SAMPLES, skip_unless_ci

DOSSIERS = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".yaml", ".json"))


def run(*args):
    return CliRunner().invoke(cli, ["check", *map(str, args), "--as-of", "2026-11-25"], prog_name="renovcheck")


def test_an_index_and_one_page_per_dossier_linked_both_ways(tmp_path):
    site = tmp_path / "report"
    result = run(SAMPLES, "--format", "html", "-o", f"{site}/")
    assert result.exit_code == 1, result.output  # the samples have gaps
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert pages == ["d/00001.html", "d/00002.html", "d/00003.html", "d/00004.html", "index.html"]
    index = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="(d/\d{5}\.html)"><code>([^<]+)</code>', index)
    assert sorted(name.rsplit("/", 1)[-1] for _href, name in links) == DOSSIERS
    for href, name in links:
        page = (site / href).read_text(encoding="utf-8")
        assert '<a href="../index.html">' in page and f"<code>{name}</code>" in page
        assert "Content-Security-Policy" in page and page.count('<section class="dossier"') == 1
    assert 'class="dossier"' not in index  # the index stays small however many dossiers there are


def test_the_folder_is_replaced_whole_and_only_when_it_is_ours(tmp_path):
    site = tmp_path / "report"
    assert run(SAMPLES, "--format", "html", "-o", f"{site}/").exit_code == 1
    only_one = tmp_path / "one"
    only_one.mkdir()
    shutil.copy(SAMPLES / "zaoyuan.json", only_one)
    assert run(only_one, "--format", "html", "-o", site).exit_code in (0, 1)  # an existing folder of ours
    assert sorted(p.name for p in (site / "d").iterdir()) == ["00001.html"]  # nothing of the earlier run is left
    foreign = tmp_path / "papers"
    foreign.mkdir()
    (foreign / "minutes.docx").write_text("a person's file", encoding="utf-8")
    result = run(SAMPLES, "--format", "html", "-o", f"{foreign}/")
    assert result.exit_code == 2 and "不是 renovcheck 以前写的报告文件夹" in result.stderr
    assert sorted(p.name for p in foreign.iterdir()) == ["minutes.docx"]
    result = run(SAMPLES, "--format", "html", "-o", f"{SAMPLES}/")
    assert result.exit_code == 2 and "输入" in result.stderr
    assert not list(tmp_path.glob(".renovcheck-*"))  # no temporary folder left behind


def test_a_report_folder_from_report_too(tmp_path):
    site = tmp_path / "html"
    result = run(SAMPLES, "--format", "concise", "--report", f"html={site}/")
    assert result.exit_code == 1
    assert (site / "index.html").is_file() and len(list((site / "d").iterdir())) == len(DOSSIERS)


def test_each_page_of_the_folder_works_in_chromium(tmp_path):
    """The index has no filter bar: its script must still switch the language (it once stopped at the first
    missing filter), and a dossier page filters as the one-file report does."""
    import shutil as sh

    executable = sh.which("chromium")
    if executable is None:
        skip_unless_ci("chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    site = tmp_path / "report"
    assert run(SAMPLES, "--format", "html", "-o", f"{site}/").exit_code == 1
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((site / "index.html").as_uri())
        assert page.get_attribute("html", "data-js") == "ready"
        page.click("#lang")
        assert page.get_attribute("html", "data-lang") == "en"
        page.click("#batch tbody tr:first-child a")
        assert re.search(r"/d/\d{5}\.html$", page.url) and page.get_attribute("html", "data-js") == "ready"
        shown = int(page.text_content("#shown"))
        page.select_option("#f-outcome", "fail")
        assert 0 < int(page.text_content("#shown")) < shown
        page.click('a[href="../index.html"]')
        assert page.url.endswith("/index.html")
        browser.close()
    assert errors == []
