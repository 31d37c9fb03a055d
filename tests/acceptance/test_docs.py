"""The README stays short, its links resolve, and the committed rule pages are what `rules docs` generates."""
import re

from checker.rulebook import rule_docs
from tests.conftest import ROOT


def test_readme_is_at_most_10_kb_and_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) <= 10 * 1024
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert "renovcheck check sample_projects/" in blocks[0] and "pytest" in blocks[1]
    assert "../shared" not in readme  # the README no longer points outside the repository


def test_every_relative_link_in_readme_and_docs_resolves():
    for page in [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), (page.name, target)


def test_committed_rule_pages_are_current(rulebook):
    for name, content in rule_docs.pages(rulebook).items():
        path = ROOT / "docs" / "rules" / name
        assert path.exists() and path.read_text(encoding="utf-8") == content, f"run: renovcheck rules docs docs/rules ({name})"
