"""The README's tables of sample results and of catalogue coverage say what the tool says."""
import json
import re

from tests.conftest import SAMPLES
from tests.conftest import documentation


def _rows(title_cell: str) -> list[list[str]]:
    """The body rows of the README table whose header starts with ``title_cell``."""
    lines = documentation().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {title_cell} |"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_sample_table_is_current(cli):
    res = cli("check", SAMPLES, "--format", "json", "--as-of", "2026-11-25")  # the date the docs table states
    report = json.loads(res.stdout)
    actual = {}
    for dossier in report["dossiers"]:
        c = dossier["counts"]
        shall_gaps = sum(1 for f in dossier["findings"] if f["gap"] and f["force"] == "shall")
        actual[dossier["file"].rsplit("/", 1)[-1]] = [c["pass"], c["fail"], c["missing"], c["not_applicable"], c["not_taken"],
                                                   shall_gaps]
    table = {row[0].strip("`"): [int(x) for x in row[3:9]] for row in _rows("file")}
    assert table == actual


def test_coverage_table_is_current(cli):
    doc = json.loads(cli("rules", "coverage", "--format", "json").stdout)
    rows = _rows("dimension")
    order = ["general", "construction", "operations", "governance", "evaluation"]
    for row, dimension in zip(rows, order):
        counts = doc["by_dimension"][dimension]
        expected = [counts["requirements"], counts["checked"], counts["manual"]]
        assert [int(x) for x in row[1:4]] == expected, dimension
    total = rows[len(order)]
    assert total[0] == "total"
    t = doc["totals"]
    assert [int(x) for x in total[1:5]] == [t["requirements"], t["checked"], t["manual"], t["rules"]]
    manual = re.search(r"Left to manual review[^:]*: (.*?)\. `renovcheck rules coverage`",
                       documentation(), re.S).group(1)
    for entry in doc["manual"]:
        assert entry["phrase"] in manual.replace("\n", ""), entry["id"]
