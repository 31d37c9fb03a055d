"""Waivers in the dossier: applied, expired (a gap again), not yet valid, unused, unknown; the date they are judged at."""
import json

from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "gucheng-nanlu.yaml"  # operating, report_date 2025-06-30, has shall gaps


def _report(cli, path, *args):
    res = cli("check", path, "--format", "json", "--lang", "en", *args)
    assert res.returncode in (0, 1), res.stderr
    return res, json.loads(res.stdout)["dossiers"][0]


def _gaps(dossier):
    return [f["rule_id"] for f in dossier["findings"] if f["gap"]]


def _with_waivers(tmp_path, entries, text=None, name="waived.yaml"):
    body = text if text is not None else SAMPLE.read_text(encoding="utf-8")
    lines = ["waivers:"]
    for e in entries:
        lines.append(f"  - rule_id: {e['rule_id']}")
        for key in ("reason", "approved_by", "expires", "approved_on"):
            if key in e:
                lines.append(f"    {key}: {json.dumps(e[key], ensure_ascii=False)}")
    path = tmp_path / name
    path.write_text(body.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _waiver(rule_id, expires="2025-12-31", **extra):
    return dict(rule_id=rule_id, reason="街道已书面确认 / confirmed in writing", approved_by="古城街道办 王某",
                expires=expires, **extra)


def test_valid_waivers_turn_every_gap_into_waived_and_the_run_passes(cli, tmp_path):
    _, before = _report(cli, SAMPLE)
    gaps = _gaps(before)
    assert gaps, "the sample needs a gap for this test"
    path = _with_waivers(tmp_path, [_waiver(r) for r in gaps])
    res, after = _report(cli, path)
    assert res.returncode == 0
    assert _gaps(after) == []
    for f in after["findings"]:
        if f["rule_id"] in gaps:
            assert f["outcome"] == "waived" and f["gap"] is False
            assert f["waiver"]["status"] == "applied" and f["waiver"]["approved_by"] == "古城街道办 王某"
            assert f["waiver"]["outcome"] in ("fail", "missing")
            assert f["waiver"]["location"]["line"] > 100
    assert after["counts"]["waived"] == len(gaps)
    assert after["waivers"]["date"] == "2025-06-30" and after["waivers"]["date_source"] == "report_date"
    text = cli("check", path, "--lang", "en").stdout
    assert "waived: approved by 古城街道办 王某, valid until 2025-12-31" in text
    assert "waivers judged at 2025-06-30 (from the dossier's project.dates.report_date)" in text
    assert "已豁免" in cli("check", path).stdout


def test_an_expired_waiver_counts_as_a_gap_again_and_says_so(cli, tmp_path):
    _, before = _report(cli, SAMPLE)
    rule = _gaps(before)[0]
    path = _with_waivers(tmp_path, [_waiver(rule, expires="2025-06-29")])  # report_date is 2025-06-30
    res, after = _report(cli, path)
    assert res.returncode == 1
    finding = next(f for f in after["findings"] if f["rule_id"] == rule)
    assert finding["outcome"] in ("fail", "missing") and finding["gap"] is True
    assert finding["waiver"]["status"] == "expired"
    en = cli("check", path, "--lang", "en").stdout
    assert "expired on 2025-06-29: this counts as a gap again" in en
    assert "已于 2025-06-29 到期,重新计为差距" in cli("check", path).stdout
    # the day itself is still covered (expires is inclusive)
    _, same_day = _report(cli, _with_waivers(tmp_path, [_waiver(rule, expires="2025-06-30")], name="b.yaml"))
    assert next(f for f in same_day["findings"] if f["rule_id"] == rule)["outcome"] == "waived"


def test_unused_unknown_duplicate_and_not_yet_valid_waivers_are_reported(cli, tmp_path):
    _, before = _report(cli, SAMPLE)
    gap = _gaps(before)[0]
    passing = next(f["rule_id"] for f in before["findings"] if f["outcome"] == "pass")
    path = _with_waivers(tmp_path, [
        _waiver(gap), _waiver(gap, expires="2026-01-31"), _waiver(passing), _waiver("XYZ-99"),
        _waiver(_gaps(before)[-1], approved_on="2025-07-01")])
    _, after = _report(cli, path)
    statuses = [w["status"] for w in after["waivers"]["entries"]]
    assert statuses == ["applied", "duplicate", "unused", "unknown_rule", "not_yet_valid"]
    text = cli("check", path, "--lang", "en").stdout
    assert "XYZ-99: no rule has this id" in text
    assert f"{passing}: unused" in text


def test_without_report_date_the_today_option_decides_and_is_reported(cli, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    assert '    report_date: "2025-06-30"\n' in text
    text = text.replace('    report_date: "2025-06-30"\n', "")
    _, before = _report(cli, SAMPLE)
    rule = _gaps(before)[0]
    path = _with_waivers(tmp_path, [_waiver(rule, expires="2025-12-31")], text=text)
    _, early = _report(cli, path, "--today", "2025-12-31")
    late_res, late = _report(cli, path, "--today", "2026-01-01")
    assert early["waivers"]["date"] == "2025-12-31" and early["waivers"]["date_source"] == "option"
    assert next(f for f in early["findings"] if f["rule_id"] == rule)["outcome"] == "waived"
    assert next(f for f in late["findings"] if f["rule_id"] == rule)["waiver"]["status"] == "expired"
    assert "the --today option" in cli("check", path, "--lang", "en", "--today", "2026-01-01").stdout
    _, system = _report(cli, path)
    assert system["waivers"]["date_source"] == "system"


def test_report_date_wins_over_the_today_option(cli, tmp_path):
    _, before = _report(cli, SAMPLE)
    path = _with_waivers(tmp_path, [_waiver(_gaps(before)[0], expires="2025-12-31")])
    _, after = _report(cli, path, "--today", "2030-01-01")
    assert after["waivers"]["date_source"] == "report_date"
    assert after["waivers"]["entries"][0]["status"] == "applied"


def test_bad_today_and_incomplete_waivers_exit_2_without_a_report(cli, tmp_path):
    for bad in ("2025-02-30", "tomorrow", "2025-1-1"):
        res = cli("check", SAMPLE, "--today", bad, "--lang", "en")
        assert res.returncode == 2 and res.stdout == "" and "--today" in res.stderr, bad
    path = _with_waivers(tmp_path, [{"rule_id": "CON-01", "reason": "r", "expires": "2025-13-01"}])
    out = tmp_path / "report.json"
    res = cli("check", path, "--lang", "en", "--format", "json", "--output", out)
    assert res.returncode == 2 and res.stdout == "" and not out.exists()
    assert "approved_by" in res.stderr and "Traceback" not in res.stderr
    assert "waivers/0/expires" in res.stderr and f"{path}:" in res.stderr


def test_waivers_in_the_schema_and_the_template(cli):
    schema = json.loads(cli("schema").stdout)
    items = schema["properties"]["waivers"]["items"]
    assert set(items["required"]) == {"rule_id", "reason", "approved_by", "expires"}
    assert "waivers" in cli("init").stdout
