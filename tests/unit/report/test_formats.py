"""Every report format for the sample projects: SARIF against the schema, JUnit and HTML parsed, annotations matched,
Markdown and HTML escaping of untrusted dossier text, and the HTML page rendered in headless Chromium."""
import json
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from tests.conftest import ROOT, SAMPLES, invoke_cli
from tests.conftest import skip_unless_ci
from checker.report import ReportContext

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
EVIL = "<script>alert(1)</script>"
EVIL_FILE = "<img src=x onerror=alert(2)>.yaml"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """The four samples plus a hostile dossier (script in its name, file name and waiver), as relative paths."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SAMPLES, root / "dossiers")
    text = (SAMPLES / "gucheng-nanlu.yaml").read_text(encoding="utf-8")
    text = text.replace("  id: SJS-GCNL-2023", "  id: EVIL-1").replace("  name: 古城南路东、西小区改造", f"  name: \"\\e[2J{EVIL}\\nforged line\"")
    text += ("waivers:\n"
             f"  - {{rule_id: CON-01, reason: \"{EVIL} | *bold* [link](http://x.test) ![i](http://x.test/i.png)\","
             f" approved_by: \"<b>mallory</b>\", expires: \"2025-12-31\"}}\n"
             f"  - {{rule_id: CON-07, reason: \"line one\\nline two %0A ::error::forged\", approved_by: \"a,b:c\","
             f" expires: \"2020-01-01\"}}\n")
    (root / "dossiers" / EVIL_FILE).write_text(text, encoding="utf-8")
    # the same two waivers granted by the reviewer: only these apply (the dossier's are requests)
    (root / "waivers.yaml").write_text(
        "waivers:\n"
        f"  - {{project_id: EVIL-1, rule_id: CON-01, reason: \"{EVIL} | *bold* [link](http://x.test) ![i](http://x.test/i.png)\","
        f" approved_by: \"<b>mallory</b>\", approved_on: \"2019-01-01\", expires: \"2025-12-31\"}}\n"
        f"  - {{project_id: EVIL-1, rule_id: CON-07, reason: \"line one\\nline two %0A ::error::forged\", approved_by: \"a,b:c\","
        f" approved_on: \"2019-01-01\", expires: \"2020-01-01\"}}\n", encoding="utf-8")
    return root


GATE = ("--as-of", "2025-12-31", "--waivers", "waivers.yaml")


@pytest.fixture(scope="session")
def reports(corpus):
    out = {}
    for fmt, langs in (("json", "en"), ("text", "en"), ("github", "en"), ("sarif", "zh en"), ("junit", "zh en"),
                       ("markdown", "zh en"), ("html", "zh en")):
        for lang in langs.split():
            res = invoke_cli("check", "dossiers", "--format", fmt, "--lang", lang, *GATE, cwd=corpus)
            assert res.returncode == 1, res.stderr
            assert res.stderr == ""
            out[fmt, lang] = res.stdout
    return out


def _json(reports, lang="en"):
    return json.loads(reports["json", lang])


def _summary_line(report):
    with_gaps = sum(1 for d in report["dossiers"] if d["gaps"])
    return f"{len(report['dossiers'])} dossiers, {with_gaps} with gaps"


def test_every_format_can_be_written_to_a_file(corpus, reports, tmp_path):
    for fmt in ("sarif", "html"):
        target = tmp_path / f"report.{fmt}"
        res = invoke_cli("check", "dossiers", "--format", fmt, *GATE, "--output", target, cwd=corpus)
        assert res.returncode == 1 and res.stdout == ""
        assert target.read_text(encoding="utf-8") == reports[fmt, "zh"]


def test_sarif_is_valid_and_describes_every_rule(reports, rulebook):
    if not SARIF_SCHEMA.exists():
        skip_unless_ci(f"SARIF schema not found at {SARIF_SCHEMA} (the shared schemas folder is absent)")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        doc = json.loads(reports["sarif", lang])
        errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]]
        assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    run = json.loads(reports["sarif", "en"])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    # every rule of the rulebook, then the mode advisory's descriptor (a sample declares a mode that does not fit)
    assert [r["id"] for r in rules] == [r.id for r in rulebook.rules] + ["MODE-01"]
    assert rules[-1]["defaultConfiguration"]["level"] == "note" and rules[-1]["properties"]["advisory"] is True
    level = {"shall": "error", "should": "warning", "may": "note"}
    for described, rule in zip(rules, rulebook.rules):
        assert described["shortDescription"]["text"] == rule.title["en"]
        assert described["properties"]["title"] == rule.title  # both languages
        assert described["properties"]["citation"]["phrase"] == rule.citation["phrase"]
        assert ReportContext(rulebook).rule_text(rule.id, "message") in described["fullDescription"]["text"]
        assert described["defaultConfiguration"]["level"] == level[rulebook.force_of(rule)]
    assert json.loads(reports["sarif", "zh"])["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"]["text"] \
        == rulebook.rules[0].title["zh"]


def test_sarif_results_are_located_levelled_suppressed_and_fingerprinted(reports, corpus):
    report = _json(reports)
    run = json.loads(reports["sarif", "en"])["runs"][0]
    expected = [(d["file"], f["rule_id"], f["location"]["line"], f["location"]["column"], f["outcome"])
                for d in report["dossiers"] for f in d["findings"]
                if f["outcome"] in ("fail", "missing", "waived", "not_taken") or f["flags"] or f["not_needed_reason"]]
    got = []
    for r in run["results"]:
        loc = r["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:")) and loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert run["artifacts"][loc["artifactLocation"]["index"]]["location"]["uri"] == uri
        if r["properties"].get("advisory"):  # MODE-01: advice, not a finding (tests/test_advisories_and_neutral_recommend.py)
            assert r["kind"] == "informational" and r["level"] == "none" and r["ruleId"] == "MODE-01"
            continue
        if r["properties"]["outcome"] == "missing":  # an open question, not an observed failure (SARIF §3.27.9)
            assert r["kind"] == "open" and r["level"] == "none"
        elif r["kind"] == "informational":  # a may-rule's option not taken, or a flagged pass: SARIF requires level none
            assert r["level"] == "none" and r["properties"]["outcome"] in ("not_taken", "pass")
        else:
            assert r["kind"] == "fail"
            assert r["level"] == {"shall": "error", "should": "warning", "may": "note"}[r["properties"]["force"]]
        got.append((uri, r["ruleId"], loc["region"]["startLine"], loc["region"]["startColumn"], r["properties"]["outcome"]))
        assert len(r["partialFingerprints"]["renovcheckGap/v2"]) == 32
    from urllib.parse import unquote

    assert [(unquote(u), *rest) for u, *rest in got] == expected
    waived = [r for r in run["results"] if r["properties"]["outcome"] == "waived"]
    assert len(waived) == 1 and waived[0]["suppressions"][0]["status"] == "accepted"
    assert EVIL in waived[0]["suppressions"][0]["justification"]
    # a gap whose field is absent is located at its nearest present parent
    missing = next(f for d in report["dossiers"] for f in d["findings"] if f["outcome"] == "missing" and f["location"]["path"] != f["path"])
    assert missing["location"]["line"] >= 1
    # fingerprints hash project id, file and rule: not the lines; a new dossier reusing a project id is new
    from checker.report.sarif_format import fingerprint

    zaoyuan = [r for r in run["results"] if r["properties"]["project"]["id"] == "DX-ZY-2022"]
    for r in zaoyuan:
        assert r["partialFingerprints"]["renovcheckGap/v2"] == fingerprint("DX-ZY-2022", "./dossiers//zaoyuan.json", r["ruleId"])
    moved = corpus / "moved"
    moved.mkdir(exist_ok=True)
    text = (corpus / "dossiers" / "zaoyuan.json").read_text(encoding="utf-8")
    (moved / "zaoyuan.json").write_text("\n\n" + text, encoding="utf-8")
    again = json.loads(invoke_cli("check", "moved/zaoyuan.json", "--format", "sarif", cwd=corpus).stdout)["runs"][0]
    assert [r["ruleId"] for r in again["results"]] == [r["ruleId"] for r in zaoyuan]
    assert not {r["partialFingerprints"]["renovcheckGap/v2"] for r in again["results"]} & {
        r["partialFingerprints"]["renovcheckGap/v2"] for r in zaoyuan}


def test_junit_has_one_case_per_rule_per_dossier_and_failures_for_gaps(reports, rulebook):
    report = _json(reports)
    root = ET.fromstring(reports["junit", "en"].encode("utf-8"))
    suites = root.findall("testsuite")
    assert len(suites) == len(report["dossiers"])
    total_gaps = 0
    for suite, dossier in zip(suites, report["dossiers"]):
        cases = suite.findall("testcase")
        assert len(cases) == len(rulebook.rules) == int(suite.get("tests"))
        gaps = [f for f in dossier["findings"] if f["gap"]]
        failures = [c for c in cases if c.find("failure") is not None]
        assert len(failures) == len(gaps) == int(suite.get("failures"))
        for case, f in zip(failures, gaps):
            assert case.get("name").startswith(f["rule_id"] + " ")
            failure = case.find("failure")
            assert f"{dossier['file']}:{f['location']['line']}:{f['location']['column']}" in failure.get("message")
            assert f["message"] in failure.text and "remedy" in failure.text
        skipped = [c for c in cases if c.find("skipped") is not None]
        assert len(skipped) == sum(1 for f in dossier["findings"] if f["outcome"] in ("not_applicable", "waived"))
        total_gaps += len(gaps)
    assert int(root.get("failures")) == total_gaps
    assert "不符合" in reports["junit", "zh"] or "缺少材料" in reports["junit", "zh"]


def test_github_annotations_match_the_findings_and_cannot_be_forged(reports):
    report = _json(reports)
    lines = reports["github", "en"].splitlines()
    # first the run's metadata: judgement date, the reviewer's waiver list, evidence not verified
    assert lines[0].startswith("::notice title=renovcheck::Judgement date: 2025-12-31")
    assert "waivers.yaml" in lines[0] and "not verified" in lines[0]
    # then each dossier's mode advisory (MODE-01), a notice on the file, before the findings and within the cap
    advised = [d["file"] for d in report["dossiers"] for a in d["advisories"]]
    assert advised and lines[1:1 + len(advised)] == [
        line for line in lines if line.startswith("::notice file=") and ",title=MODE-01::MODE-01 " in line]
    lines = lines[1 + len(advised):]
    pattern = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.+)$")
    from checker.report.github_format import MAX_ANNOTATIONS

    gaps = [(d["file"], f["location"]["line"] or 0, f["location"]["column"] or 0, f["rule_id"],
             ("error" if f["gap"] else "warning") if f["outcome"] in ("fail", "missing") else "notice", f["force"])
            for d in report["dossiers"] for f in d["findings"]
            if f["outcome"] in ("fail", "missing", "not_taken") or f["flags"] or f["not_needed_reason"]]
    assert len(gaps) > MAX_ANNOTATIONS  # the corpus is large enough to show the cap
    # a waived gap stays visible as a notice, right after the failing gaps
    waived = [(d["file"], f["location"]["line"], f["location"]["column"], f["rule_id"], "notice", f["force"])
              for d in report["dossiers"] for f in d["findings"] if f["outcome"] == "waived"]
    assert waived
    # the most severe first (failing, waived, the rest; then shall, should, may), in file order within each;
    # the run's metadata notice counts as one of GitHub's annotations
    rank = {"error": 0, "notice": 2, "warning": 1}
    ranked = sorted(sorted(gaps) + waived, key=lambda g: (
        0.5 if g in waived else rank[g[4]], ["shall", "should", "may"].index(g[5])))
    expected = [(g[0], str(g[1]), str(g[2]), g[3], g[4]) for g in ranked[:MAX_ANNOTATIONS - 1 - len(advised)]]
    parsed = [pattern.match(line) for line in lines[:-2]]
    assert all(parsed), [line for line, m in zip(lines, parsed) if not m][:3]
    got = [(m.group(2).replace("%3A", ":").replace("%2C", ","), m.group(3), m.group(4), m.group(5).split(" ")[0], m.group(1))
           for m in parsed]
    assert got == expected
    shown = MAX_ANNOTATIONS - 1 - len(advised)
    assert lines[-2] == (f"Annotated the {shown} most severe findings; {len(gaps) + len(waived) - shown} more "
                         "were not annotated (GitHub shows at most 50 per job): see the full report")
    assert lines[-1] == _summary_line(report)
    assert any(f"file=dossiers/{EVIL_FILE}," in line for line in lines)
    # text with newlines, percent signs, colons and commas cannot end an annotation or start another one
    from checker.report.github_format import command

    line = command("error", "one\ntwo %0A\r\n::error::forged", file="a,b:c.yaml", line="3", col="1", title="t\nx")
    assert "\n" not in line and "\r" not in line
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3,col=1,title=t%0Ax::one%0Atwo %250A%0D%0A::error::forged"


def test_markdown_has_tables_per_dimension_then_gaps_and_escapes_dossier_text(reports):
    md = reports["markdown", "en"]
    assert md.startswith("## renovcheck: " + _summary_line(_json(reports)))
    assert "| Dimension | pass | fail | missing | waived | not applicable | not taken (optional) | gaps |" in md
    assert md.count("| Orderly construction |") == 5
    assert "**Gaps (" in md and "- ❌ **CON" in md
    assert "### All dossiers, worst first" in md
    # dossier text outside a code span is HTML-escaped; file and project names are code spans (shown literally,
    # no link, mention or HTML), and inside <summary> they are escaped <code>
    outside_code = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", md)
    assert EVIL not in outside_code and "<b>mallory</b>" not in outside_code and "<img" not in outside_code
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "`\\x1b[2J<script>alert(1)</script>\\x0aforged line`" in md
    assert not re.search(r"(?<!\\)\]\(http", md)  # no live link or image from the dossier
    assert "\\[link\\](http:\u2060//x.test)" in md  # and no autolink: a WORD JOINER breaks the URL
    zh = reports["markdown", "zh"]
    assert "| 维度 | 符合 | 不符合 | 缺少材料 | 已豁免 | 不适用 | 未采用(可选) | 差距 |" in zh


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.attrs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_bilingual_and_escapes_everything(reports):
    page = reports["html", "zh"]
    parser = _Collector()
    parser.feed(page)
    assert parser.tags.count("script") == 1 and "img" not in parser.tags and "b" in parser.tags  # our <b id=shown>
    text = "".join(parser.text)
    assert EVIL in text and "<b>mallory</b>" in text and EVIL_FILE in text  # shown as text
    for name, value in parser.attrs:
        assert not (name.startswith("on")), name
        if name in ("src", "href"):
            assert value.startswith("#"), value  # no external resource, no navigation away
    assert "http://" not in page.replace("http://x.test", "") and "https://" not in page
    csp = next(
        v for n, v in parser.attrs if n == "content" and "default-src" in (v or ""))
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "style-src 'sha256-" in csp
    # both languages are in the page, the chosen one shown first
    for key_text in ("施工管理规范化", "Orderly construction", "逐条结论", "Findings", "只看差距", "gaps only"):
        assert key_text in page
    assert 'data-lang="zh"' in page and 'data-lang="en"' in reports["html", "en"]
    # filters by dimension, force and outcome; every finding carries its data
    for select in ('id="f-dimension"', 'id="f-force"', 'id="f-outcome"', 'id="f-gaps"'):
        assert select in page
    assert page.count('<article class="finding') == 5 * len(_json(reports)["dossiers"][0]["findings"])


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_html_renders_in_headless_chromium_and_injected_markup_stays_text(reports, tmp_path):
    browser = _chromium()
    if browser is None:
        skip_unless_ci("Chromium is not installed (apt-get install -y chromium); .ci/render_html_report.sh "
                    "renders the sample report by hand")
    page = tmp_path / "report.html"
    page.write_text(reports["html", "en"], encoding="utf-8")
    profile = tempfile.mkdtemp()
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
             f"--user-data-dir={profile}", "--window-size=1280,2000"]
    try:
        dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=60).stdout
        filtered = {frag: subprocess.run(flags + ["--dump-dom", page.as_uri() + frag], capture_output=True, text=True,
                                         timeout=60).stdout for frag in ("#outcome=waived", "#gaps=1&force=shall")}
        shot = tmp_path / "report.png"
        subprocess.run(flags + [f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=60)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert 'data-js="ready"' in dom  # our script ran (its CSP hash is right) and applied the filters
    parser = _Collector()
    parser.feed(dom)
    assert parser.tags.count("script") == 1 and "img" not in parser.tags
    assert EVIL in "".join(parser.text)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    # the filters work in a real browser (preselected through the URL fragment)
    report = _json(reports)
    visible = lambda d: len(re.findall(r'<article class="finding[^"]*"(?![^>]*\shidden)[^>]*>', d))  # noqa: E731
    assert visible(dom) == sum(len(d["findings"]) for d in report["dossiers"])
    assert visible(filtered["#outcome=waived"]) == report["summary"]["counts"]["waived"] == 1
    gaps = sum(1 for d in report["dossiers"] for f in d["findings"] if f["gap"] and f["force"] == "shall")
    assert visible(filtered["#gaps=1&force=shall"]) == gaps > 0


def test_text_report_shows_waivers_and_the_batch_table(reports):
    text = reports["text", "en"]
    assert "All dossiers, worst first (--fail-on shall)" in text
    assert "waived: approved by <b>mallory</b>" in text
    assert "expired on 2020-01-01: this counts as a gap again" in text
    # control characters from the dossier cannot act on the terminal or forge a report line
    assert "\x1b" not in text and "\\x1b[2J<script>alert(1)</script>\\x0aforged line" in text
    assert not any(line.startswith("forged line") for line in text.splitlines())
