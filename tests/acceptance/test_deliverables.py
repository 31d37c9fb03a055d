"""Deliverables for a reviewer (issue 12 §5), through the CLI: the rectification list in Markdown, HTML and CSV, and
the HTML report printed on A4 (cover page, manual-review checklist, evidence list, no controls)."""
import csv
import io
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES, skip_unless_ci

AS_OF = "2025-12-31"


def _check(*args):
    from checker.cli import cli

    return CliRunner().invoke(cli, ["check", *map(str, args), "--as-of", AS_OF])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The samples plus a dossier whose name tries a spreadsheet formula and markup."""
    root = tmp_path_factory.mktemp("rect")
    shutil.copytree(SAMPLES, root / "dossiers")
    text = (SAMPLES / "gucheng-nanlu.yaml").read_text(encoding="utf-8")
    text = text.replace("  id: SJS-GCNL-2023", "  id: EVIL-2").replace(
        "  name: 古城南路东、西小区改造", "  name: \"=HYPERLINK(\\\"http://x.test\\\")<b>x</b>\"")
    (root / "dossiers" / "evil.yaml").write_text(text, encoding="utf-8")
    return root / "dossiers"


def _gap_rules(folder, name):
    """The gaps the JSON report gives for one dossier (what the rectification list must list)."""
    import json

    out = _check(folder / name, "--format", "json")
    data = json.loads(out.output)
    return sorted(f["rule_id"] for d in data["dossiers"] for f in d["findings"]
                  if f["outcome"] in ("fail", "missing") and f["force"] == "shall")


def test_rectification_csv_lists_every_gap_with_blank_fill_in_fields_and_a_bom(hostile, tmp_path):
    out = tmp_path / "rect.csv"
    res = _check(hostile, "--format", "rectification-csv", "-o", out)
    assert res.exit_code == 1, res.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: spreadsheet software reads Chinese right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    head = rows[0]
    assert head[:2] == ["项目编号", "项目名称"] and head[-3:] == ["整改期限", "联系人", "完成情况"]
    liupukang = [r for r in rows[1:] if r[0] == "XC-LPK1-2025" and r[3]]  # numbered: the gaps, not its MODE-01 row
    assert sorted(r[4] for r in liupukang) == _gap_rules(hostile, "liupukang-1.yaml")
    assert all(r[-3:] == ["", "", ""] and r[head.index("整改措施")] for r in liupukang)
    evil = [r for r in rows[1:] if r[0] == "EVIL-2"]
    assert evil and all(r[1].startswith("'=HYPERLINK") for r in evil)  # no formula runs


def test_rectification_markdown_and_html_per_dossier(hostile, tmp_path):
    md_out, html_out = tmp_path / "rect.md", tmp_path / "rect.html"
    assert _check(hostile, "--format", "rectification-md", "-o", md_out).exit_code == 1
    assert _check(hostile, "--format", "rectification-html", "-o", html_out, "--lang", "en").exit_code == 1
    md = md_out.read_text(encoding="utf-8")
    assert md.startswith("# 整改清单") and "| 整改期限 | 联系人 | 完成情况 |" in md
    assert md.count("\n## ") == 5  # one section per dossier
    assert "<b>" not in md and "&lt;b&gt;" in md
    page = html_out.read_text(encoding="utf-8")
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert page.count('<section class="dossier">') == 5
    assert "break-before:page" in page and "@page{size:A4" in page
    assert "<th>Deadline</th><th>Contact</th>" in page
    for rule in _gap_rules(hostile, "liupukang-1.yaml"):
        assert f"<code>{rule}</code>" in page
    _style_allowed_by_hash(page)


def _style_allowed_by_hash(page):
    import base64
    import hashlib

    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    csp = re.search(r'Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert f"style-src &#x27;sha256-{digest}&#x27;" in csp and "default-src &#x27;none&#x27;" in csp


def test_html_has_cover_checklist_and_evidence_list(tmp_path):
    from checker.rulebook.coverage import load_catalog

    out = tmp_path / "r.html"
    res = _check(SAMPLES / "gucheng-nanlu.yaml", "--format", "html", "-o", out, "--reviewer", "张<审查>")
    assert res.exit_code == 1, res.output
    page = out.read_text(encoding="utf-8")
    assert "张&lt;审查&gt;" in page and "审查人签字" in page and "复核人签字" in page
    assert "有 2 项差距,需整改" in page and AS_OF in page
    manual = [r["id"] for r in load_catalog().requirements if r.get("manual")]
    assert manual and all(f'<span class="rid">{rid}</span>' in page for rid in manual)
    assert "证明材料清单" in page and "evidence/gucheng/" in page
    _style_allowed_by_hash(page)


def _tool(name):
    found = shutil.which(name)
    if not found:
        skip_unless_ci(f"{name} is not installed (.ci/run installs chromium and poppler-utils)")
    return found


def test_html_prints_on_a4_with_cover_pages_and_without_controls(tmp_path):
    browser, pdftotext, pdfinfo = _tool("chromium"), _tool("pdftotext"), _tool("pdfinfo")
    out = tmp_path / "r.html"
    assert _check(SAMPLES, "--format", "html", "-o", out, "--reviewer", "张审查").exit_code == 1
    pdf = tmp_path / "r.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", out.as_uri()], capture_output=True, timeout=120, check=True)
    info = subprocess.run([pdfinfo, pdf], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)", info), info
    pages = subprocess.run([pdftotext, "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    pages = pages.split("\f")
    covers = [p for p in pages if "审查封面" in p]
    assert len(covers) == 4 and all("审查人签字" in p and "张审查" in p for p in covers)
    assert all("逐条结论" not in p for p in covers)  # the cover is a page of its own
    text = "\f".join(pages)
    assert "只看差距" not in text and "中文 / English" not in text  # no filter bar, no language button
    assert "人工核查清单" in text and "证明材料清单" in text


def test_xlsx_has_findings_summary_and_rules_sheets_with_chinese_intact(hostile, tmp_path):
    import openpyxl

    refused = _check(hostile, "--format", "xlsx")
    assert refused.exit_code == 2 and "--output" in refused.output  # binary: never onto a terminal
    out = tmp_path / "r.xlsx"
    res = _check(hostile, "--format", "xlsx", "-o", out)
    assert res.exit_code == 1, res.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["发现", "汇总", "规则"]
    findings = list(book["发现"].iter_rows(values_only=True))
    assert findings[0][:4] == ("项目编号", "项目名称", "档案文件", "规则")
    from checker.rulebook import rules as rulebook

    rule_count = len(rulebook.load().rules)
    assert len(findings) - 1 == 5 * rule_count  # every finding of the five dossiers
    assert any(r[1] == "古城南路东、西小区改造" and r[3] == "CON-01" for r in findings)
    assert all(r[1].startswith("'=") for r in findings[1:] if r[0] == "EVIL-2")  # no formula runs
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert len(summary) == 1 + 5 and summary[0][:4] == ("文件", "项目编号", "项目", "差距")
    gaps = {r[1]: r[3] for r in summary[1:]}
    assert gaps["XC-LPK1-2025"] == len(_gap_rules(hostile, "liupukang-1.yaml"))
    rules = list(book["规则"].iter_rows(values_only=True))
    assert len(rules) == 1 + rule_count and rules[1][0] == "CON-01" and rules[1][3] == "提前告知施工计划"
