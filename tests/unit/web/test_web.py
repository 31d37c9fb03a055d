"""The workbench's routes through Starlette's test client: pages, confinement, token, host, CSRF, escaping, cache."""
from __future__ import annotations

import os
import re
import shutil
import warnings
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES

# the web extra is part of the test extra: a missing package fails here, it is never skipped
warnings.filterwarnings("ignore", message=".*httpx.*")

from starlette.testclient import TestClient  # noqa: E402

from checker.web import security  # noqa: E402
from checker.web.app import make_app  # noqa: E402
from checker.web.workbench import Settings  # noqa: E402

AS_OF = "2026-06-30"
EVIL = "<script>alert(1)</script>"
BIDI = "\u202e"


def _client(roots, tmp_path, token=None, hosts=("testserver",), **settings) -> TestClient:
    waivers = settings.pop("waivers_file", str(tmp_path / "review" / "waivers.yaml"))
    app = make_app(Settings(tuple(str(r) for r in roots), waivers, AS_OF, jobs=1, **settings), set(hosts), token)
    return TestClient(app)


@pytest.fixture
def samples(tmp_path):
    root = tmp_path / "dossiers"
    shutil.copytree(SAMPLES, root)
    return root


@pytest.fixture
def client(samples, tmp_path):
    return _client([samples], tmp_path)


def test_web_extra_is_installed_with_the_test_extra():
    import jinja2  # noqa: F401
    import ruamel.yaml  # noqa: F401
    import uvicorn  # noqa: F401


def test_portfolio_lists_every_sample_with_its_figures_and_strict_headers(client, samples):
    page = client.get("/")
    assert page.status_code == 200
    for name in ("古城南路东、西小区改造", "六铺炕一区1号院央产老旧小区改造", "玉桥南里小区综合整治"):
        assert name in page.text
    assert len(re.findall(r'<tr data-district=', page.text)) == len(list(samples.iterdir()))
    assert page.text.count("<svg") == 2 and "石景山区" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp and page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text and "<style>" not in page.text and " style=" not in page.text
    assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/app.js">']


def test_portfolio_is_english_by_a_switch(client):
    english = client.get("/?lang=en")
    assert "Renovation review workbench" in english.text and 'data-lang="en"' in english.text
    assert "Renovation review workbench" in client.get("/").text  # the choice is kept in a cookie
    assert "老旧小区改造审查工作台" in client.get("/?lang=zh").text


def test_dossier_page_is_the_html_report_section_with_links_to_source_and_rule(client, rulebook):
    page = client.get("/d/0/gucheng-nanlu.yaml")
    assert page.status_code == 200
    assert page.text.count('<article class="finding') == len(rulebook.rules)
    assert 'href="/source/0/gucheng-nanlu.yaml#L31"' in page.text and 'href="/rule/CON-01"' in page.text
    source = client.get("/source/0/gucheng-nanlu.yaml")
    assert 'id="L31"' in source.text and "construction" in source.text
    rule = client.get("/rule/CON-01")
    assert rule.status_code == 200 and "CON-01" in rule.text and "提前告知施工计划" in rule.text
    assert client.get("/rule/NOPE-1").status_code == 404


def test_changing_a_file_on_disk_shows_the_new_verdict_and_unchanged_files_are_not_checked_again(client, samples):
    assert client.get("/").status_code == 200
    calls = []
    bench = client.app.state.bench
    original = bench.analyst().analyse
    bench.analyst().analyse = lambda *a: calls.append(a) or original(*a)
    assert client.get("/").status_code == 200 and calls == []  # everything was cached by the first load
    file = samples / "gucheng-nanlu.yaml"
    before = client.get("/d/0/gucheng-nanlu.yaml").text
    assert "2023-02-25" in before
    file.write_text(file.read_text(encoding="utf-8").replace("2023-02-25", "2023-02-01"), encoding="utf-8")
    after = client.get("/d/0/gucheng-nanlu.yaml").text
    assert len(calls) == 1
    assert _outcome(before, "CON-01") == "fail" and _outcome(after, "CON-01") == "pass"


def _outcome(page: str, rule: str) -> str:
    match = re.search(r'<article class="finding o-(\w+)"[^>]*><div class="head">.*?<span class="rid">' + rule, page)
    return match.group(1)


@pytest.mark.parametrize("address", [
    "/d/0/../README.md", "/d/0/%2e%2e/README.md", "/d/0/..%2fREADME.md", "/d//etc/passwd", "/d/1/gucheng-nanlu.yaml",
    "/source/0/../../../etc/passwd", "/source/0/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/source/0/outside.yaml",
    "/source/0/.hidden.yaml", "/d/0/notes.txt",
])
def test_paths_are_confined_to_the_served_folders(client, samples, tmp_path, address):
    (tmp_path / "outside-target.yaml").write_text("secret: 1\n", encoding="utf-8")
    (samples / ".hidden.yaml").write_text("secret: 2\n", encoding="utf-8")
    (samples / "notes.txt").write_text("secret: 3\n", encoding="utf-8")
    os.symlink(tmp_path / "outside-target.yaml", samples / "outside.yaml")
    page = client.get(address)
    assert page.status_code == 404 and "secret" not in page.text


def test_a_link_out_of_the_folder_is_named_on_the_portfolio_never_read(client, samples, tmp_path):
    (tmp_path / "outside-target.yaml").write_text("secret: 1\n", encoding="utf-8")
    os.symlink(tmp_path / "outside-target.yaml", samples / "outside.yaml")
    page = client.get("/")
    assert "outside.yaml" in page.text and "secret" not in page.text
    assert "符号链接指向所给文件夹之外" in page.text


def test_dossier_text_is_escaped_as_in_the_html_report(samples, tmp_path):
    text = (samples / "gucheng-nanlu.yaml").read_text(encoding="utf-8")
    (samples / "gucheng-nanlu.yaml").write_text(
        text.replace("  name: 古城南路东、西小区改造", f'  name: "{EVIL}{BIDI}x\\e[2J"'), encoding="utf-8")
    client = _client([samples], tmp_path)
    for address in ("/", "/d/0/gucheng-nanlu.yaml", "/source/0/gucheng-nanlu.yaml"):
        page = client.get(address).text
        assert EVIL not in page and BIDI not in page and "\x1b" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "\\u202e" in page
        assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/app.js">']


def test_an_invalid_dossier_is_listed_with_its_located_message(samples, tmp_path):
    (samples / "broken.yaml").write_text("project: {id: X1, name: n, district: 海定区, phase: planning}\n", encoding="utf-8")
    client = _client([samples], tmp_path)
    page = client.get("/").text
    assert "broken.yaml:1:" in page and "海定区" in page and "1 份无法读取" in page
    detail = client.get("/d/0/broken.yaml")
    assert detail.status_code == 200 and "broken.yaml:1:" in detail.text


def test_other_host_names_are_refused(client):
    assert client.get("/", headers={"host": "evil.example"}).status_code == 421


def test_a_token_is_needed_when_one_is_set(samples, tmp_path):
    client = _client([samples], tmp_path, token="s3cret-token")
    refused = client.get("/", follow_redirects=False)
    assert refused.status_code == 403 and "古城" not in refused.text
    assert client.get("/?token=wrong", follow_redirects=False).status_code == 403
    given = client.get("/?token=s3cret-token&lang=en", follow_redirects=False)
    assert given.status_code == 303 and given.headers["location"] == "/?lang=en"
    assert "token" not in given.headers["location"]
    assert client.get("/").status_code == 200  # the cookie now carries it
    other = TestClient(client.app)
    assert other.get("/d/0/gucheng-nanlu.yaml").status_code == 403


def test_serve_refuses_another_host_without_a_token(tmp_path):
    from checker.cli import cli

    result = CliRunner().invoke(cli, ["serve", str(SAMPLES), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "--token" in result.output


def test_confined_names_for_new_files(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "sub").mkdir()
    os.symlink(tmp_path, root / "out")
    assert security.confined(str(root), "new.yaml") == str(root / "new.yaml")
    assert security.confined(str(root), "sub/new.yaml") == str(root / "sub" / "new.yaml")
    for name in ("../new.yaml", "/etc/new.yaml", "out/new.yaml", ".hidden.yaml", "sub/../../x.yaml", "new.txt",
                 "a\\b.yaml", "", "sub/.x/new.yaml"):
        assert security.confined(str(root), name) is None, name


def test_every_workbench_text_is_in_both_languages_and_the_chinese_has_no_english_words():
    from checker.web.texts import WEB_MESSAGES

    allowed = {"Ctrl", "C", "random", "pip", "install", "renovcheck", "web"}  # a key, an option's value, a command
    for key, (zh, en) in WEB_MESSAGES.items():
        assert zh and en and zh != en, key
        if key == "web.switch_lang":
            continue  # the button names the other language in that language: "English" on a Chinese page
        # placeholders, quoted names, commands, options and file suffixes are identifiers, not English words
        commands = r"\{[a-z_]+\}|'[^']*'|renovcheck [a-z]+|[a-z]+ --[a-z-]+|--[a-z-]+|\.[a-z]+\b"
        words = set(re.findall(r"[A-Za-z]+", re.sub(commands, "", zh)))
        assert words <= allowed, (key, words - allowed)


def _post_routes(app):
    found = []
    for route in app.routes:
        if "POST" in (getattr(route, "methods", None) or ()):
            found.append(route.path)
    return found


def test_every_post_needs_the_csrf_token(client):
    routes = _post_routes(client.app)
    assert {"/whatif/answer", "/whatif/save", "/desk/{key:path}/waive", "/desk/{key:path}/review", "/new",
            "/edit/{key:path}"} <= set(routes)
    client.get("/")  # the CSRF cookie
    for path in routes:
        address = path.replace("{key:path}", "0/gucheng-nanlu.yaml")
        assert client.post(address, data={"x": "1"}).status_code == 403, address
        assert client.post(address, data={"csrf": "forged"}).status_code == 403, address
        cookie = client.cookies.get(security.CSRF_COOKIE)
        assert client.post(address, data={"csrf": cookie}, headers={"origin": "http://evil.example"}).status_code == 403




# --- what-if for planners ------------------------------------------------------------------------------------------

def _answer(client, **fields):
    client.get("/")
    form = {"csrf": client.cookies.get(security.CSRF_COOKIE), "base": "0/gucheng-nanlu.yaml"}
    form.update({k.replace("__", "."): v for k, v in fields.items()})
    return client.post("/whatif/answer", data=form)


def _headline(page: str) -> str:
    return re.search(r'id="headline" data-top="([^"]*)"', page).group(1)


def _cli_recommend(dossier, *sets, profile=None):
    import json

    from checker.cli import cli

    args = ["recommend", str(dossier), "--format", "json", *[f"--set={s}" for s in sets]]
    if profile:
        args += ["--profile", str(profile)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["recommended"] or ""


def test_whatif_answers_as_recommend_set_does_and_writes_nothing(client, samples):
    before = sorted(p.name for p in samples.rglob("*"))
    dossier = samples / "gucheng-nanlu.yaml"
    page = client.get("/whatif?base=0/gucheng-nanlu.yaml")
    assert page.status_code == 200 and _headline(page.text) == _cli_recommend(dossier)
    changed = _answer(client, in__community__households="80", in__community__owners_committee="false")
    assert changed.status_code == 200
    expected = _cli_recommend(dossier, "community.households=80", "community.owners_committee=false")
    assert _headline(changed.text) == expected != _cli_recommend(dossier)
    assert "community.households: 1680 → 80" in changed.text  # what changed against the dossier as it is
    assert changed.text.count("<th>") >= 5  # the four modes side by side
    assert sorted(p.name for p in samples.rglob("*")) == before


def test_whatif_shows_the_clis_message_at_the_field(client, samples):
    page = _answer(client, in__community__households="1,200").text
    assert 'data-field="community.households"' in page
    assert "不带千位分隔符和单位" in page  # schema.number_as_text, as `recommend --set` says it
    refused = _answer(client, **{"param.fee_collection_difficult_rate": "7"}).text
    assert 'data-field="param.fee_collection_difficult_rate"' in refused


def test_whatif_thresholds_saved_as_a_profile_that_recommend_reads(client, samples, tmp_path):
    dossier = samples / "gucheng-nanlu.yaml"
    with_threshold = _answer(client, **{"param.large_scale_households": "2000"})
    client.get("/")
    form = {"csrf": client.cookies.get(security.CSRF_COOKIE), "base": "0/gucheng-nanlu.yaml",
            "param.large_scale_households": "2000", "save": "profile", "name": "planner-test"}
    saved = client.post("/whatif/save", data=form)
    assert saved.status_code == 200
    profile = tmp_path / "review" / "profiles" / "planner-test.yaml"
    assert profile.is_file() and "large_scale_households: 2000" in profile.read_text(encoding="utf-8")
    assert _headline(with_threshold.text) == _cli_recommend(dossier, profile=profile)
    again = client.post("/whatif/save", data=form)
    assert again.status_code == 400  # never overwritten


def test_whatif_copy_is_a_new_file_beside_with_comments_kept(client, samples, checker):
    client.get("/")
    form = {"csrf": client.cookies.get(security.CSRF_COOKIE), "base": "0/liupukang-1.yaml",
            "in.community.households": "80", "save": "copy"}
    original = (samples / "liupukang-1.yaml").read_text(encoding="utf-8")
    assert client.post("/whatif/save", data=form).status_code == 200
    assert (samples / "liupukang-1.yaml").read_text(encoding="utf-8") == original
    copy = samples / "liupukang-1-whatif.yaml"
    text = copy.read_text(encoding="utf-8")
    comments = [line.strip() for line in original.splitlines() if line.strip().startswith("#")]
    assert comments and all(c in text for c in comments)
    assert "households: 80" in text
    result = checker.check_file(str(copy))
    assert result.project_id.endswith("-whatif")


# --- reviewer's desk -------------------------------------------------------------------------------------------

def _desk_post(client, action, **fields):
    client.get("/")
    form = {"csrf": client.cookies.get(security.CSRF_COOKIE), **fields}
    return client.post(f"/desk/0/gucheng-nanlu.yaml/{action}", data=form, follow_redirects=False)


def test_a_waiver_granted_at_the_desk_goes_to_the_reviewers_list_and_changes_every_report(client, samples, tmp_path):
    dossier_before = (samples / "gucheng-nanlu.yaml").read_bytes()
    assert _outcome(client.get("/d/0/gucheng-nanlu.yaml").text, "CON-01") == "fail"
    refused = _desk_post(client, "waive", rule_id="CON-01", approved_by="王审查", reason="已书面告知", approved_on="2026-06-01")
    assert refused.status_code == 400 and "expires" in refused.text  # a shall rule needs an expiry (waivers.load)
    waivers = tmp_path / "review" / "waivers.yaml"
    assert not waivers.exists()
    granted = _desk_post(client, "waive", rule_id="CON-01", approved_by="王审查", reason="已书面告知",
                         approved_on="2026-06-01", expires="2026-12-31")
    assert granted.status_code == 303
    assert _outcome(client.get("/d/0/gucheng-nanlu.yaml").text, "CON-01") == "waived"
    assert (samples / "gucheng-nanlu.yaml").read_bytes() == dossier_before  # never into the dossier
    from checker.check import waivers as waiver_mod

    listed = waiver_mod.load(str(waivers), client.app.state.bench.analyst().rulebook)  # what check --waivers reads
    assert [(w.project_id, w.rule_id, w.expires) for w in listed.entries] == [("SJS-GCNL-2023", "CON-01", "2026-12-31")]
    assert _desk_post(client, "waive", remove="0").status_code == 303
    assert _outcome(client.get("/d/0/gucheng-nanlu.yaml").text, "CON-01") == "fail"


def test_a_grant_keeps_the_comments_of_the_reviewers_list(client, tmp_path):
    waivers = tmp_path / "review" / "waivers.yaml"
    waivers.parent.mkdir()
    waivers.write_text("# 区住建委 2026 年豁免清单\nwaivers:\n  # 第一批\n  - {project_id: OTHER-1, rule_id: CON-07, "
                       "approved_by: 李, reason: 已补档, approved_on: 2026-01-05}\n", encoding="utf-8")
    assert _desk_post(client, "waive", rule_id="CON-07", approved_by="王", reason="理由",
                      approved_on="2026-06-01").status_code == 303
    text = waivers.read_text(encoding="utf-8")
    assert "# 区住建委 2026 年豁免清单" in text and "# 第一批" in text and "OTHER-1" in text and "SJS-GCNL-2023" in text


def test_the_review_record_is_written_beside_the_waiver_list_and_shown_escaped(client, samples, tmp_path):
    answer = _desk_post(client, "review", reviewer="王审查", **{"decision.REQ-GEN-01": "pass",
                                                               "comment.REQ-GEN-01": f"长效机制 {EVIL}"})
    assert answer.status_code == 303
    record = tmp_path / "review" / "review.yaml"
    from checker.web import desk

    saved = desk.load_record(client.app.state.bench)["SJS-GCNL-2023"]
    assert record.is_file() and saved["reviewer"] == "王审查"
    assert saved["items"]["REQ-GEN-01"] == {"decision": "pass", "comment": f"长效机制 {EVIL}"}
    assert len(saved["items"]) == len(desk.manual_requirements())
    page = client.get("/desk/0/gucheng-nanlu.yaml").text
    assert EVIL not in page and "长效机制 &lt;script&gt;" in page
    assert "1/6" in client.get("/d/0/gucheng-nanlu.yaml").text
    assert sorted(p.name for p in samples.iterdir()) == sorted(p.name for p in SAMPLES.iterdir())


# --- dossier form ----------------------------------------------------------------------------------------------

class _FormValues(HTMLParser):
    """What a browser sends for a form as the page shows it (inputs, selected options, checked boxes, textareas)."""

    def __init__(self):
        super().__init__()
        self.values, self.select, self.textarea, self.chosen, self.typed = {}, None, None, "", ""

    def add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and (a.get("type") != "checkbox" or "checked" in a):
            self.add(a["name"], a.get("value") or "")
        elif tag == "select":
            self.select, self.chosen = a["name"], ""
        elif tag == "option" and self.select and "selected" in a:
            self.chosen = a.get("value") or ""
        elif tag == "textarea":
            self.textarea, self.typed = a["name"], ""

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            self.add(self.select, self.chosen)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, self.typed)
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.typed += data


def _form_of(page: str) -> dict:
    parser = _FormValues()
    parser.feed(page)
    return parser.values


NEW = {"project.id": "NEW-1", "project.name": "新建小区", "project.district": "海淀区", "project.phase": "planning"}


def _post_form(client, address, **fields):
    client.get("/")
    return client.post(address, data={"csrf": client.cookies.get(security.CSRF_COOKIE), **fields},
                       follow_redirects=False)


def test_the_new_dossier_form_is_the_schema_with_its_chinese_labels_and_units(client):
    page = client.get("/new").text
    for label in ("项目名称", "所在区(北京市16区之一)", "户数", "物业费收缴率"):
        assert label in page
    assert 'name="construction.works_incidents.0.date"' in page  # a list of objects: a blank row to fill
    assert '<option value="海淀区">' in page and "比例 0–1" in page
    assert "Project name" in client.get("/new?lang=en").text


def test_an_invalid_value_gets_the_clis_message_at_its_field(client, samples, tmp_path):
    from checker.cli import cli

    page = _post_form(client, "/new", **NEW, **{"community.households": "1,200", "action": "save", "name": "x.yaml"})
    assert page.status_code == 400 and not (samples / "x.yaml").exists()
    shown = re.findall(r'class="error" data-field="community.households">([^<]+)<', page.text)
    dossier = tmp_path / "same.yaml"
    dossier.write_text("schema_version: 1\nproject: {id: NEW-1, name: 新建小区, district: 海淀区, phase: planning}\n"
                       "community: {households: '1,200'}\n", encoding="utf-8")
    cli_output = CliRunner().invoke(cli, ["check", str(dossier)]).output
    assert len(shown) == 1 and shown[0].replace("&#34;", '"') in cli_output
    assert re.search(r'class="error" data-field="project.district"', _post_form(
        client, "/new", **dict(NEW, **{"project.district": "海定区"}), action="check").text)


def test_a_new_dossier_is_saved_only_as_a_new_file_inside_the_folder(client, samples, checker):
    saved = _post_form(client, "/new", **NEW, **{"community.households": "1200", "action": "save", "name": "new-1.yaml"})
    assert saved.status_code == 303 and saved.headers["location"] == "/d/0/new-1.yaml"
    result = checker.check_file(str(samples / "new-1.yaml"))
    assert result.project_id == "NEW-1"
    assert client.get("/d/0/new-1.yaml").status_code == 200
    for name in ("new-1.yaml", "../escape.yaml", "/tmp/abs.yaml", ".hidden.yaml", "x.txt"):
        refused = _post_form(client, "/new", **NEW, action="save", name=name)
        assert refused.status_code == 400, name
    assert not (samples.parent / "escape.yaml").exists()
    download = _post_form(client, "/new", **NEW, action="download")
    assert download.headers["content-disposition"].startswith("attachment") and "id: NEW-1" in download.text


def test_editing_changes_only_what_changed_and_keeps_comments_and_order(client, samples):
    original = (samples / "liupukang-1.yaml").read_text(encoding="utf-8")
    values = _form_of(client.get("/edit/0/liupukang-1.yaml").text)
    values["community.households"] = ["199"]
    values.update(action=["beside"], name=["liupukang-1-edited.yaml"])
    saved = client.post("/edit/0/liupukang-1.yaml", data=values, follow_redirects=False)
    assert saved.status_code == 303, saved.text[-2000:]
    edited = (samples / "liupukang-1-edited.yaml").read_text(encoding="utf-8")
    assert (samples / "liupukang-1.yaml").read_text(encoding="utf-8") == original
    removed = [line for line in original.splitlines() if line not in edited.splitlines()]
    added = [line for line in edited.splitlines() if line not in original.splitlines()]
    assert removed == ["  households: 210"] and added == ["  households: 199"]
    values.update(action=["in_place"])
    values["community.households"] = ["210"]
    assert client.post("/edit/0/liupukang-1-edited.yaml", data=values, follow_redirects=False).status_code == 303
    assert (samples / "liupukang-1-edited.yaml").read_text(encoding="utf-8") == original
