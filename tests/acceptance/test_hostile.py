"""Hostile and broken dossiers through the installed CLI: exit 2, one clear located message naming the file, no
traceback, nothing on stdout, within a few seconds and a bounded amount of memory. And the two that must work."""
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.conftest import documentation

TIME_LIMIT_S = 5.0
MEMORY_LIMIT_MB = 300
SAMPLE = SAMPLES / "yuqiao-nanli.yaml"


# The peak RSS a child reports includes the memory of the process that forked it (Linux records the old address
# space's high-water mark at exec), and pytest itself grows past the limit in a full run. So a small Python process
# forks and execs renovcheck and reports the grandchild's own peak, measured by wait4.
_MEASURE = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def run_measured(*args, timeout=30):
    """Run the installed renovcheck; (exit code, stdout, stderr, seconds, peak RSS in MB of it and its children)."""
    exe = Path(sys.executable).parent / "renovcheck"
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", _MEASURE, rss.name, str(exe), *map(str, args)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        killer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        killer.start()
        try:
            out, err = proc.communicate()
        finally:
            killer.cancel()
        peak_kb = int(rss.read() or 0)
    seconds = time.monotonic() - start
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), seconds, peak_kb / 1024




def _valid_text():
    return SAMPLE.read_text(encoding="utf-8")


def make_duplicate_key(path):
    path.write_text("schema_version: 1\nproject:\n  id: A\n  id: B\n", encoding="utf-8")
    return "4:3", "重复的键", "duplicate key"


def make_unclosed_bracket(path):
    path.write_text("schema_version: 1\ncommunity: {households: 3\n", encoding="utf-8")
    return ":3:", "语法错误", "syntax error"


def make_tab_indentation(path):
    path.write_text("schema_version: 1\nproject:\n\tid: A\n", encoding="utf-8")
    return "3:1", "制表符", "tab characters"


def make_python_tag(path):
    path.write_text("schema_version: 1\nproject: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    return "2:10", "标签", "tag"


def make_alias_bomb(path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):  # 10^10 nodes once expanded
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ":", "别名炸弹", "alias bomb"


def make_50_mb(path):
    with open(path, "wb") as handle:
        handle.write(b"schema_version: 1\nnotes: |\n")
        line = b"  " + b"x" * 1022 + b"\n"
        for _ in range(50 * 1024):
            handle.write(line)
    return None, "上限", "larger than the limit"


def make_deep_nesting(path):
    path.write_text("schema_version: 1\nproject: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    return "2:", "嵌套超过", "nesting deeper"


def make_deep_json(path):
    path.write_text('{"a": ' * 10_000 + "1" + "}" * 10_000, encoding="utf-8")
    return "1:", "嵌套超过", "nesting deeper"


def make_gbk(path):
    path.write_bytes(_valid_text().encode("gbk"))
    return ":", "不是 UTF-8", "not UTF-8"


def make_binary(path):
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    return None, "二进制", "binary"


def make_empty(path):
    path.write_bytes(b"")
    return None, "文件为空", "empty"


def make_json_array_root(path):
    path.write_text('[{"schema_version": 1}]\n', encoding="utf-8")
    return "1:1", "最外层必须是键值映射", "top level of a dossier must be a mapping"


def make_impossible_date(path):
    text = re.sub(r'construction_start: "?[0-9-]+"?', 'construction_start: "2023-02-30"', _valid_text())
    assert "2023-02-30" in text
    path.write_text(text, encoding="utf-8")
    return ":", "2023-02-30", "2023-02-30"


def make_number_as_text(path):
    text = re.sub(r"households: [0-9]+", 'households: "1,200户"', _valid_text())
    assert "1,200户" in text
    path.write_text(text, encoding="utf-8")
    return ":", "只写数字", "write the digits only"


HOSTILE = {
    "duplicate_key.yaml": make_duplicate_key,
    "unclosed_bracket.yaml": make_unclosed_bracket,
    "tab_indentation.yaml": make_tab_indentation,
    "python_tag.yaml": make_python_tag,
    "alias_bomb.yaml": make_alias_bomb,
    "fifty_megabytes.yaml": make_50_mb,
    "deep_nesting.yaml": make_deep_nesting,
    "deep_nesting.json": make_deep_json,
    "gbk.yaml": make_gbk,
    "binary.yaml": make_binary,
    "empty.yaml": make_empty,
    "array_root.json": make_json_array_root,
    "impossible_date.yaml": make_impossible_date,
    "number_as_text.yaml": make_number_as_text,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_refused_cleanly_in_both_languages(name, tmp_path):
    path = tmp_path / name
    where, zh_words, en_words = HOSTILE[name](path)
    for lang, words in (("zh", zh_words), ("en", en_words)):
        code, out, err, seconds, peak_mb = run_measured("check", path, "--lang", lang, "--format", "json")
        assert code == 2, (lang, code, err)
        assert out == "", "nothing on stdout that could pass for a result"
        assert "Traceback" not in err and "internal error" not in err
        first = err.strip().splitlines()[0]
        assert first.startswith(str(path)), first
        if where:
            assert first.startswith(str(path) + ":") and where in first, first
        assert words in err, (lang, err)
        assert seconds < TIME_LIMIT_S, seconds
        assert peak_mb < MEMORY_LIMIT_MB, peak_mb


def test_gbk_is_accepted_with_an_explicit_encoding(tmp_path):
    path = tmp_path / "gbk.yaml"
    make_gbk(path)
    code, out, err, _, _ = run_measured("check", path, "--encoding", "gbk", "--format", "json")
    assert code in (0, 1), err
    assert '"renovcheck-report"' in out


def test_utf8_with_a_byte_order_mark_simply_works(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    plain = tmp_path / "plain.yaml"
    shutil.copy(SAMPLE, plain)
    code, out, err, _, _ = run_measured("check", path, "--format", "json")
    plain_code, plain_out, _, _, _ = run_measured("check", plain, "--format", "json")
    assert code == plain_code and code in (0, 1), err
    assert out.replace("bom.yaml", "plain.yaml") == plain_out


def test_a_hostile_file_in_a_batch_means_no_report(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "good.yaml")
    make_alias_bomb(tmp_path / "bomb.yaml")
    code, out, err, seconds, _ = run_measured("check", tmp_path, "--format", "json")
    assert code == 2 and out == "" and "bomb.yaml" in err and seconds < TIME_LIMIT_S


def test_limits_have_safe_documented_defaults():
    from checker.inputs.yamlload import Limits

    limits = Limits()
    readme = documentation()
    assert limits.max_bytes == 5 * 1024 * 1024 and "5 MiB" in readme
    assert f"{limits.max_depth}" in readme and f"{limits.max_nodes:,}" in readme and f"{limits.max_string:,}" in readme
