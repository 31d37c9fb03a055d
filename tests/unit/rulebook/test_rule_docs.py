"""`renovcheck rules docs`: one page per rule and language, generated from the rule files."""
from click.testing import CliRunner

from checker.rulebook import rule_docs
from checker.cli import cli


def test_every_rule_has_a_page_in_each_language_and_the_index_links_it(rulebook):
    pages = rule_docs.pages(rulebook)
    for lang in rule_docs.LANGS:
        index = pages[f"{lang}/README.md"]
        for rule in rulebook.rules:
            page = pages[f"{lang}/{rule.id}.md"]
            assert page.startswith(f"# {rule.id} {rule.title[lang]}\n")
            assert rule.citation["phrase"] in page
            assert f"]({rule.id}.md)" in index
            for example in rule.examples:
                assert f"### {example['name']}\n" in page
    assert len(pages) == 2 * (len(rulebook.rules) + 1)


def test_docs_command_writes_the_pages_and_removes_stale_ones(tmp_path, rulebook):
    stale = tmp_path / "zh" / "OLD-99.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "docs", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    expected = rule_docs.pages(rulebook)
    assert {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.md")} == set(expected)
    for name, content in expected.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == content
