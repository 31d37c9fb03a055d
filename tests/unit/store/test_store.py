"""The store (issue #12): check --store records a run whole; a file that is not a usable store is refused with
exit 2 and left as it was; export/import round-trips; history and portfolio show exactly the changes made to a
batch between three as-of dates (expected values derived from the rules' words, below)."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from checker.cli import cli as main
from tests.unit.store.store_backends import backends

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "sample_projects"
DATES = ("2025-06-30", "2025-12-31", "2026-06-30")


def run(*args, env=None):
    return CliRunner(env=env).invoke(main, [str(a) for a in args])


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(folder: Path, name: str, data: dict) -> None:
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def batch_on(folder: Path, step: int) -> Path:
    """The batch as it stands at DATES[step]: three projects; A and B edited between the checks, C never.

    A (古城南路, 石景山区): its plan notice is dated 2023-02-25, 4 days before construction starts on 2023-03-01;
      CON-01 asks for at least notice_days = 7 days (rules/parameters.yaml), so it fails. Before the second check
      the date is corrected to 2023-02-20 (9 days: CON-01 passes); before the third it is put back (fails again).
    B (玉桥南里, 通州区): completed 2024-11-30, no evaluation in the dossier. EVA-01..03 (one 应 sentence) fall due
      evaluation_due_days = 365 days after completion, on 2025-11-30: not due at the first check, missing at the
      second; before the third an evaluation by a professional body with survey and report is added (all pass).
    C (枣园, 大兴区): unchanged; every rule that reads the as-of date is already decided the same way at all three
      dates (evaluation due 2023-11-30; no open complaint), so its history shows no change.
    """
    folder.mkdir(parents=True, exist_ok=True)
    a = _yaml(SAMPLES / "gucheng-nanlu.yaml")
    a["construction"]["plan_notice"]["date"] = "2023-02-20" if step == 1 else "2023-02-25"
    _write(folder, "a.yaml", a)
    b = _yaml(SAMPLES / "yuqiao-nanli.yaml")
    if step == 2:
        b["project"]["dates"]["report_date"] = "2026-06-30"  # the dossier now describes the evaluation too
        b["evaluation"] = {
            "comprehensive_evaluation": {"done": True, "by": "某规划设计研究院", "professional_body": True,
                                         "independent": True, "date": "2026-03-01",
                                         "covers": {"design_defects": True, "construction_quality": True,
                                                    "use_and_maintenance": True},
                                         "evidence": [{"file": "evidence/yuqiao/evaluation.pdf"}]},
            "facility_use_rate": 0.7,
            "satisfaction_rate": 0.9,
            "satisfaction_survey": {"done": True, "date": "2026-02-15", "sample_size": 300,
                                    "evidence": [{"file": "evidence/yuqiao/survey.pdf"}]},
            "report": {"done": True, "resident_feedback": True, "expert_opinion": True,
                       "evidence": [{"file": "evidence/yuqiao/report.pdf"}]},
        }
    _write(folder, "b.yaml", b)
    shutil.copy(SAMPLES / "zaoyuan.json", folder / "c.json")
    return folder


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def three_checks(request, tmp_path_factory):
    """The batch checked (and recorded) at each of the three dates; the store (a SQLite file, a PostgreSQL URL)."""
    base = tmp_path_factory.mktemp("three")
    store = backends(base)[request.param]()
    for step, day in enumerate(DATES):
        folder = batch_on(base / f"batch{step}", step)
        jobs = ("--jobs", "2") if step == 2 else ()  # results (and the dossier facts recorded) from worker processes
        result = run("check", folder, "--as-of", day, "--format", "json", "--store", store, *jobs)
        assert result.exit_code == 1, result.output  # every check of the batch has gaps (A's CON-12 at least)
        assert "已记入存储" in result.stderr
    return store


def history_json(store, project):
    result = run("history", project, "--store", store, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_history_shows_exactly_the_changes(three_checks):
    a = history_json(three_checks, "SJS-GCNL-2023")["points"]
    assert [p["as_of"] for p in a] == list(DATES)
    assert "CON-01" in a[0]["open"]
    assert (a[1]["closed"], a[1]["opened"], a[1]["reopened"]) == ([{"rule_id": "CON-01", "outcome": "pass"}], [], [])
    assert (a[2]["closed"], a[2]["opened"], a[2]["reopened"]) == ([], [], ["CON-01"])
    assert a[1]["gaps"] == a[0]["gaps"] - 1 and a[2]["gaps"] == a[0]["gaps"]
    b = history_json(three_checks, "TZ-YQNL-2024")["points"]
    assert not any(rule.startswith("EVA-") for rule in b[0]["open"])
    assert (b[1]["opened"], b[1]["closed"], b[1]["reopened"]) == (["EVA-01", "EVA-02", "EVA-03"], [], [])
    assert b[1]["gaps_by_dimension"]["evaluation"] == 3
    assert b[2]["closed"] == [{"rule_id": r, "outcome": "pass"} for r in ("EVA-01", "EVA-02", "EVA-03")]
    assert (b[2]["opened"], b[2]["reopened"], b[2]["gaps_by_dimension"]["evaluation"]) == ([], [], 0)
    assert (b[0]["satisfaction_rate"], b[2]["satisfaction_rate"]) == (None, 0.9)
    c = history_json(three_checks, "DX-ZY-2022")["points"]
    assert all((p["opened"], p["closed"], p["reopened"]) == ([], [], []) for p in c[1:])
    assert c[0]["open"] == c[1]["open"] == c[2]["open"]


def test_history_text_names_the_changes(three_checks):
    out = run("history", "TZ-YQNL-2024", "--store", three_checks).stdout
    assert "共 3 次检查,首次审查日 2025-06-30,最近 2026-06-30" in out
    second = out.split("审查日 2025-12-31")[1].split("审查日 2026-06-30")[0]
    assert "新出现:" in second and "EVA-01 改造完成后由专业机构全面评估" in second
    third = out.split("审查日 2026-06-30")[1]
    assert "已解决(现在的结果):" in third and "EVA-02 评估考察设施使用效率和居民满意度(符合)" in third
    c = run("history", "DX-ZY-2022", "--store", three_checks).stdout
    assert c.count("与上次检查相比差距无变化") == 2


def test_history_formats(three_checks):
    md = run("history", "SJS-GCNL-2023", "--store", three_checks, "--format", "markdown", "--lang", "en").stdout
    assert "- reopened (closed before): CON\\-01 Construction plan announced in advance" in md.replace("CON-01", "CON\\-01")
    page = run("history", "SJS-GCNL-2023", "--store", three_checks, "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 1 and "<script" not in page
    assert page.count("<circle") == 5 * 3  # four dimensions and the total, at three checks
    again = run("history", "SJS-GCNL-2023", "--store", three_checks, "--format", "html").stdout
    assert page == again


def test_unknown_project(three_checks):
    result = run("history", "NO-SUCH", "--store", three_checks)
    assert result.exit_code == 2 and "没有项目 NO-SUCH 的记录" in result.stderr and result.stdout == ""


# --- what a run records ------------------------------------------------------------------------------------------

def test_check_records_the_run(tmp_path):
    store = tmp_path / "s.db"
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - project_id: SJS-GCNL-2023\n    rule_id: CON-12\n    reason: 管线单位责任,已约谈\n"
                       "    approved_by: 区住建委\n    approved_on: '2025-01-10'\n    expires: '2026-01-31'\n",
                       encoding="utf-8")
    result = run("check", SAMPLES, "--as-of", "2025-12-31", "--waivers", waivers, f"--store={store}")
    assert result.exit_code in (0, 1), result.output
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    (as_of, source, profile, waivers_file, waivers_sha, book_sha, fail_on), = db.execute(
        "SELECT as_of, as_of_source, profile_name, waivers_file, waivers_sha256, rulebook_sha256, fail_on FROM run")
    assert (as_of, source, profile, fail_on) == ("2025-12-31", "option", "default", "shall")
    assert waivers_sha == hashlib.sha256(waivers.read_bytes()).hexdigest() and waivers_file == str(waivers)
    assert len(book_sha) == 64
    rows = db.execute("SELECT file, file_sha256, project_id, district, phase, id FROM dossier_run ORDER BY seq").fetchall()
    assert [r[2] for r in rows] == ["SJS-GCNL-2023", "XC-LPK1-2025", "TZ-YQNL-2024", "DX-ZY-2022"]
    assert [r[3] for r in rows] == ["石景山区", "西城区", "通州区", "大兴区"]
    for file, sha, *_ in rows:
        assert sha == hashlib.sha256(Path(file).read_bytes()).hexdigest()
    from checker.rulebook import rules as rb

    rule_count = len(rb.load().rules)
    assert db.execute("SELECT COUNT(*) FROM outcome").fetchone()[0] == 4 * rule_count
    waived = db.execute("SELECT o.outcome, w.status, w.source, w.approved_by FROM outcome o JOIN dossier_run d ON "
                        "d.id = o.dossier_run_id JOIN waiver w ON w.dossier_run_id = d.id AND w.rule_id = o.rule_id "
                        "WHERE d.project_id = 'SJS-GCNL-2023' AND o.rule_id = 'CON-12'").fetchall()
    assert waived == [("waived", "applied", "reviewer", "区住建委")]
    values = db.execute("SELECT field_values FROM outcome o JOIN dossier_run d ON d.id = o.dossier_run_id "
                        "WHERE d.project_id = 'SJS-GCNL-2023' AND rule_id = 'CON-01'").fetchone()[0]
    assert json.loads(values) == {"construction.plan_notice.date": "2023-02-25",
                                  "project.dates.construction_start": "2023-03-01"}


def _refused(store: Path, *check_args):
    before = store.read_bytes()
    result = run("check", SAMPLES / "zaoyuan.json", "--as-of", "2025-12-31", f"--store={store}", *check_args)
    assert result.exit_code == 2 and result.stdout == ""
    assert store.read_bytes() == before
    assert not Path(str(store) + "-wal").exists()
    return result.stderr


def test_not_a_store_is_refused_untouched(tmp_path):
    text_file = tmp_path / "notes.db"
    text_file.write_text("这不是数据库\n", encoding="utf-8")
    assert "不是 renovcheck 的存储" in _refused(text_file)
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    assert "不是 renovcheck 的存储" in _refused(other)
    assert "is not a renovcheck store" in _refused(other, "--lang", "en")


def test_corrupt_and_newer_stores_are_refused(tmp_path):
    good = tmp_path / "good.db"
    assert run("check", SAMPLES / "zaoyuan.json", "--as-of", "2025-12-31", f"--store={good}").exit_code == 1
    newer = tmp_path / "newer.db"
    shutil.copy(good, newer)
    db = sqlite3.connect(newer)
    db.execute("UPDATE alembic_version SET version_num = 'rc9999'")
    db.commit()
    db.close()
    assert "结构版本 rc9999 比本版 renovcheck 新" in _refused(newer)
    corrupt = tmp_path / "corrupt.db"
    data = bytearray(good.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the header survives, the schema page does not
    corrupt.write_bytes(bytes(data))
    assert "已损坏" in _refused(corrupt)
    assert run("history", "DX-ZY-2022", "--store", corrupt).exit_code == 2


def test_a_foreign_postgresql_database_is_refused_untouched(tmp_path):
    url = backends(tmp_path)["postgresql"]()
    from sqlalchemy import create_engine, inspect, text

    from checker.store import url_of

    engine = create_engine(url_of(url))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE ledger (entry text)"))
    result = run("check", SAMPLES / "zaoyuan.json", "--as-of", "2025-12-31", f"--store={url}")
    assert result.exit_code == 2 and "不是 renovcheck 的存储" in result.stderr and result.stdout == ""
    assert run("portfolio", "--store", url).exit_code == 2
    with engine.connect() as connection:
        assert inspect(connection).get_table_names() == ["ledger"]
    engine.dispose()


def test_store_option_before_a_folder_is_explained(tmp_path):
    result = run("check", "--store", SAMPLES, SAMPLES / "zaoyuan.json", "--as-of", "2025-12-31")
    assert result.exit_code == 2 and "--store 写在档案路径之后" in result.stderr


def test_a_store_that_cannot_record_leaves_no_report(tmp_path):
    result = run("check", SAMPLES / "zaoyuan.json", f"--store={tmp_path / 'no' / 'such' / 'x.db'}",
                 "--output", tmp_path / "report.json", "--format", "json")
    assert result.exit_code == 2 and not (tmp_path / "report.json").exists()


# --- export and import --------------------------------------------------------------------------------------------

def test_export_import_round_trip(three_checks, tmp_path):
    first = tmp_path / "backup.jsonl"
    assert run("store", "export", "--store", three_checks, "--output", first).exit_code == 0
    lines = first.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {"format": "renovcheck-store-export", "schema": "rc0001"}
    assert [json.loads(line)["as_of"] for line in lines[1:]] == list(DATES)
    copy = tmp_path / "copy.db"
    imported = run("store", "import", first, "--store", copy)
    assert imported.exit_code == 0 and "新增 3 次运行" in imported.stderr
    again = run("store", "import", first, "--store", copy)
    assert again.exit_code == 0 and "新增 0 次运行,已有而跳过 3 次" in again.stderr
    second = tmp_path / "second.jsonl"
    run("store", "export", "--store", copy, "--output", second)
    assert second.read_bytes() == first.read_bytes()
    assert history_json(copy, "TZ-YQNL-2024") == history_json(three_checks, "TZ-YQNL-2024")


def test_import_refuses_a_bad_file_whole(three_checks, tmp_path):
    backup = tmp_path / "backup.jsonl"
    run("store", "export", "--store", three_checks, "--output", backup)
    lines = backup.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(lines[:2] + ["{not json"] + lines[3:]) + "\n", encoding="utf-8")
    target = tmp_path / "target.db"
    result = run("store", "import", broken, "--store", target)
    assert result.exit_code == 2 and f"{broken}:3:" in result.stderr and not target.exists()
    not_export = tmp_path / "x.jsonl"
    not_export.write_text('{"format": "something-else"}\n', encoding="utf-8")
    assert run("store", "import", not_export, "--store", target).exit_code == 2 and not target.exists()


# --- portfolio ----------------------------------------------------------------------------------------------------

def portfolio_data(store, day, *extra):
    """The portfolio's plain data (checker/store/queries.py), as every format renders it."""
    from checker.store import open_store, queries

    opened = open_store(str(store), write=False)
    try:
        return queries.portfolio(opened, day, *extra)
    finally:
        opened.close()


def test_portfolio_shows_exactly_the_changes(three_checks):
    first, second, third = (portfolio_data(three_checks, day) for day in DATES)
    assert first.projects == second.projects == third.projects == 3

    def delta(after, before):
        counts = lambda p: {rule: n for rule, _dim, n in p.by_rule}  # noqa: E731
        a, b = counts(after), counts(before)
        return {rule: a.get(rule, 0) - b.get(rule, 0) for rule in set(a) | set(b) if a.get(rule, 0) != b.get(rule, 0)}

    # A's plan notice corrected (CON-01 closed); B's evaluation fell due on 2025-11-30 (EVA-01..03 open)
    assert delta(second, first) == {"CON-01": -1, "EVA-01": 1, "EVA-02": 1, "EVA-03": 1}
    # A's plan notice back to 4 days (CON-01 reopened); B evaluated (EVA-01..03 closed)
    assert delta(third, second) == {"CON-01": 1, "EVA-01": -1, "EVA-02": -1, "EVA-03": -1}
    assert second.by_dimension["evaluation"] - first.by_dimension["evaluation"] == 3
    # EVA-01: A evaluated by a professional body in 2024 (done at every date); C by the street's own group, not a
    # professional body, and due since 2023-11-30 (overdue at every date); B not due, then overdue, then done
    states = lambda p: {s: n for s, n in p.evaluations.items() if n}  # noqa: E731
    assert states(first) == {"done": 1, "overdue": 1, "not_due": 1}
    assert states(second) == {"done": 1, "overdue": 2}
    assert states(third) == {"done": 2, "overdue": 1}
    assert [row[0] for row in second.evaluation_list] == ["DX-ZY-2022", "TZ-YQNL-2024"]
    # between the first and the second check B's evaluation fell due: the store knows the date, not the outcome
    between = portfolio_data(three_checks, "2025-12-01")
    assert states(between) == {"done": 1, "overdue": 1, "due": 1}
    assert [(row[0], row[3], row[4]) for row in between.evaluation_list] == [
        ("DX-ZY-2022", "2023-11-30", "overdue"), ("TZ-YQNL-2024", "2025-11-30", "due")]
    # satisfaction: A 0.88 and C 0.86 at every check, B 0.90 from the third; facility use: A 0.78, B 0.70 (third)
    assert third.trends == [("2025-06", 0.87, 2, 0.78, 1), ("2025-12", 0.87, 2, 0.78, 1),
                            ("2026-06", 0.88, 3, 0.74, 2)]
    declared = {}
    for mode, _recommended, _fits, n in third.modes:
        declared[mode] = declared.get(mode, 0) + n
    assert declared == {"professional": 2, "owner_self_management": 1}  # A and B professional, C self-managed
    assert portfolio_data(three_checks, "2025-01-01").projects == 0


def test_portfolio_by_district(three_checks):
    tongzhou = portfolio_data(three_checks, DATES[1], "通州区")
    assert tongzhou.projects == 1 and tongzhou.by_dimension.get("evaluation") == 3  # EVA-01..03, the shall ones
    assert [d for d, *_ in tongzhou.by_district] == ["通州区"]
    assert portfolio_data(three_checks, DATES[2], "通州区").by_dimension.get("evaluation", 0) == 0
    out = run("portfolio", "--store", three_checks, "--as-of", DATES[1], "--district", "通州区").stdout
    assert "项目 1 个" in out and "TZ-YQNL-2024 | 玉桥南里小区综合整治 | 通州区 | 2025-11-30 | 逾期" in out


def test_portfolio_formats(three_checks, tmp_path):
    args = ("portfolio", "--store", three_checks, "--as-of", DATES[2])
    md = run(*args, "--format", "markdown").stdout
    assert "| 评估改进常态化 |" in md and "## 按规则的差距(多者在前)" in md
    page = run(*args, "--format", "html").stdout
    assert page.count("<svg") == 3 and "<script" not in page and "2026\\-06" not in page
    table = run(*args, "--format", "csv").stdout
    assert table.startswith("\ufeff") and "2026-06,88.0%,3,74.0%,2" in table
    book = tmp_path / "p.xlsx"
    assert run(*args, "--format", "xlsx", "--output", book).exit_code == 0
    from openpyxl import load_workbook

    sheets = load_workbook(book).sheetnames
    assert sheets == ["按维度", "按规则", "按区", "评估", "评估到期", "趋势", "服务模式"]
    again = tmp_path / "q.xlsx"
    run(*args, "--format", "xlsx", "--output", again)
    assert again.read_bytes() == book.read_bytes()
    assert run(*args, "--format", "xlsx").exit_code == 2  # binary: only with --output


def test_fiscal(three_checks, tmp_path):
    args = ("portfolio", "--fiscal", "--store", three_checks, "--as-of", DATES[2])
    import csv as csv_module

    rows = list(csv_module.reader(run(*args).stdout.lstrip("\ufeff").splitlines()))
    head = rows[0]
    assert head[:6] == ["项目编号", "项目名称", "所在区", "阶段", "审查日", "评估状态"]
    by_id = {row[0]: dict(zip(head, row)) for row in rows[1:]}
    assert list(by_id) == ["DX-ZY-2022", "SJS-GCNL-2023", "TZ-YQNL-2024"]  # by district: 大兴, 石景山, 通州
    b = by_id["TZ-YQNL-2024"]
    assert (b["评估状态"], b["评估机构"], b["评估日期"], b["专业机构"], b["居民满意度"], b["设施使用率"],
            b["满意度调查样本数"], b["评估报告"], b["改进方案"]) == (
        "已完成", "某规划设计研究院", "2026-03-01", "是", "90.0%", "70.0%", "300", "是", "未说明")
    assert not any(rule.startswith("EVA-") for rule in b["剩余差距(规则)"].split(", "))
    c = by_id["DX-ZY-2022"]
    assert (c["评估状态"], c["专业机构"]) == ("逾期", "否") and "EVA-01" in c["剩余差距(规则)"]
    book = tmp_path / "fiscal.xlsx"
    assert run(*args, "--format", "xlsx", "--output", book).exit_code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(book)["财政绩效评价"]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == head
    assert run(*args, "--format", "html").exit_code == 2


def test_dossier_text_is_inert_in_every_output(tmp_path):
    hostile = "=HYPERLINK(\"http://x\")<script>alert(1)</script> @team #1 \x1b[31m"
    folder = tmp_path / "batch"
    folder.mkdir()
    data = json.loads((SAMPLES / "zaoyuan.json").read_text(encoding="utf-8"))
    data["project"]["name"] = hostile
    (folder / "c.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    store = tmp_path / "s.db"
    run("check", folder, "--as-of", "2025-12-31", f"--store={store}")
    fiscal = run("portfolio", "--fiscal", "--store", store, "--as-of", "2025-12-31").stdout
    assert ',"\'=HYPERLINK' in fiscal and "\x1b" not in fiscal
    for fmt in ("html",):
        for command in (("history", "DX-ZY-2022"), ("portfolio", "--as-of", "2025-12-31")):
            out = run(*command, "--store", store, "--format", fmt).stdout
            assert "<script>alert" not in out and "&lt;script&gt;" in out
    md = run("history", "DX-ZY-2022", "--store", store, "--format", "markdown").stdout
    assert "<script>" not in md and "@\u2060team" in md
    text = run("portfolio", "--store", store, "--as-of", "2025-12-31").stdout
    assert "\x1b" not in text and "\\x1b[31m" in text


def test_chinese_outputs_have_no_english_words(three_checks, tmp_path):
    from tests.unit.i18n.test_zh_output import english_words

    commands = [("history", "TZ-YQNL-2024", "--format", fmt) for fmt in ("text", "markdown", "html")]
    commands += [("portfolio", "--as-of", DATES[2], "--format", fmt) for fmt in ("text", "markdown", "csv", "html")]
    commands += [("portfolio", "--fiscal", "--as-of", DATES[2])]
    for command in commands:
        out = run(*command, "--store", three_checks).stdout
        assert english_words(re.sub(r"<style>.*?</style>", " ", out, flags=re.S)) == [], command


def test_a_first_check_without_gaps_says_so(three_checks):
    out = run("history", "TZ-YQNL-2024", "--store", three_checks).stdout
    first = out.split("\n审查日 2025-06-30")[1].split("\n审查日 2025-12-31")[0]
    assert "首次检查时没有差距" in first and "无变化" not in first


def test_a_rule_left_out_is_neither_closed_nor_new(tmp_path):
    """A check with --select looks at some rules only: a gap it did not look at is not closed (and when a later
    check sees it again, it is not new either)."""
    store = tmp_path / "s.db"
    sample = SAMPLES / "gucheng-nanlu.yaml"  # its plan notice is 4 days before the works: CON-01 fails (7 days)
    for day, select in (("2025-06-30", ()), ("2025-09-30", ("--select", "EVA")), ("2025-12-31", ())):
        run("check", sample, "--as-of", day, *select, f"--store={store}")
    points = history_json(store, "SJS-GCNL-2023")["points"]
    assert "CON-01" in points[0]["open"] and "CON-01" not in points[1]["open"]
    assert points[1]["closed"] == [] and "CON-01" in points[1]["not_checked"]
    assert "CON-01" in points[2]["open"]
    assert "CON-01" not in points[2]["opened"] + points[2]["reopened"] and points[2]["not_checked"] == []
