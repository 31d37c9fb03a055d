"""The MODE-01 advisory in every check format, the spreadsheets included (issue 11 §3): the rectification CSV
gives it a row of its own without a number, the workbook a column of the summary sheet. Advice, never a gap."""
import csv
import io

import pytest

from checker.i18n.messages import text
from checker.report import BINARY_FORMATS, FORMATS, ReportContext, advisory_text, formatter
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def advised(checker):
    """The sample that declares the professional mode, which the guide's words do not advise there."""
    result = checker.check_file(str(SAMPLES / "liupukang-1.yaml"), "liupukang-1.yaml")
    assert [a.id for a in result.advisories] == ["MODE-01"]
    return result


def _workbook_cells(data: bytes) -> list:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [(sheet, row) for sheet in book.sheetnames for row in book[sheet].iter_rows(values_only=True)]


def _shown(name: str, out) -> str:
    """Everything a reader of the output sees, as one text."""
    if name in BINARY_FORMATS:
        return "\n".join(" ".join(str(c) for c in row if c is not None) for _sheet, row in _workbook_cells(out))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", FORMATS)
def test_every_format_names_the_advisory(advised, rulebook, name, lang):
    book, result = rulebook, advised
    out = formatter(name).render([result], ReportContext(book, lang=lang))
    shown = _shown(name, out)
    assert "MODE-01" in shown and "professional" in shown
    assert ("建议性提示" if lang == "zh" else "advisory") in shown  # in the reader's language
    if name in ("text", "concise", "rectification-csv", "xlsx"):  # the others escape for their medium
        assert advisory_text(result.advisories[0], lang) in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rectification_csv_gives_the_advisory_a_row_without_a_number(advised, rulebook, lang):
    book, result = rulebook, advised
    ctx = ReportContext(book, lang=lang)
    rows = list(csv.reader(io.StringIO(formatter("rectification-csv").render([result], ctx).lstrip("\ufeff"))))
    advised = [r for r in rows[1:] if r[4] == "MODE-01"]
    assert len(advised) == 1
    row = advised[0]
    assert row[0] == result.project_id and row[3] == "" and row[6] == text("rect.advisory", lang)
    assert row[7] == advisory_text(result.advisories[0], lang) and row[-3:] == ["", "", ""]
    numbered = [r for r in rows[1:] if r[3]]
    assert len(numbered) == len(result.gaps(ctx.fail_on))  # the advisory is not counted as a gap
    assert rows[-1] == row  # after the dossier's gaps


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_summary_carries_the_advisory_and_its_gap_counts_do_not(advised, rulebook, lang):
    book, result = rulebook, advised
    ctx = ReportContext(book, lang=lang)
    cells = _workbook_cells(formatter("xlsx").render([result], ctx))
    summary = [row for sheet, row in cells if sheet == text("xlsx.sheet.summary", lang)]
    assert summary[0][-1] == text("xlsx.advisory", lang)
    assert summary[1][-1] == advisory_text(result.advisories[0], lang)
    assert summary[1][3] == len(result.gaps(ctx.fail_on))
    findings = [row for sheet, row in cells if sheet == text("xlsx.sheet.findings", lang)]
    assert len(findings) - 1 == len(result.findings)  # one row per finding, as before


def test_a_dossier_without_advice_has_an_empty_advisory_cell_and_no_advisory_row(rulebook, checker):
    result = checker.check_file(str(SAMPLES / "gucheng-nanlu.yaml"), "gucheng-nanlu.yaml")
    assert result.advisories == []
    ctx = ReportContext(rulebook)
    cells = _workbook_cells(formatter("xlsx").render([result], ctx))
    assert [row for sheet, row in cells if sheet == "汇总"][1][-1] in (None, "")
    assert "MODE-01" not in formatter("rectification-csv").render([result], ctx)
