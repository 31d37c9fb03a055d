"""Issue 12 §3: click's own usage, help headings and parse errors speak the reader's language (zh by default)."""
from click.testing import CliRunner

from checker.cli import cli
from checker.i18n.messages import CLICK_TEXTS


def run(*args):
    return CliRunner().invoke(cli, list(args), prog_name="renovcheck")


def test_parse_errors_are_chinese_by_default():
    result = run("check", "--format", "pdf", "x")
    assert result.exit_code == 2
    assert "错误:'--format' 的值无效:'pdf' 不在可选值" in result.stderr
    assert "Error" not in result.stderr and "Usage" not in result.stderr and "Try" not in result.stderr
    assert "错误:没有选项 '--bogus'" in run("check", "--bogus").stderr
    assert "0 不在范围 x>=1 内" in run("check", "--max-bytes", "0", "x").stderr


def test_parse_errors_are_english_with_lang_en():
    for args in (["check", "--lang", "en"], ["check", "--lang=en"]):
        result = run(*args)
        assert result.exit_code == 2
        assert "Error: Missing argument 'PATHS...'" in result.stderr and "错误" not in result.stderr


def test_help_headings_follow_the_language():
    zh = run("check", "--help").stdout
    assert zh.startswith("用法: renovcheck check") and "\n选项:\n" in zh and "显示本帮助并退出。" in zh
    assert "[默认:text]" in zh and "Show this message" not in zh
    en = run("check", "--help", "--lang", "en").stdout
    assert en.startswith("Usage: renovcheck check") and "\nOptions:\n" in en and "[default: text]" in en


def test_every_catalogued_click_text_keeps_its_placeholders():
    import re

    placeholder = re.compile(r"\{\w+(?:!r)?\}|%\(\w+\)s")
    for english, chinese in CLICK_TEXTS.items():
        assert sorted(placeholder.findall(english)) == sorted(placeholder.findall(chinese)), english
