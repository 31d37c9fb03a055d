"""The gate's configuration: ``[tool.renovcheck]`` in ``pyproject.toml`` or ``.renovcheck.yaml``.

Found by walking up from the working directory (the first folder holding either file wins; in one folder
``.renovcheck.yaml`` comes first), or named with ``--config``. It holds the options a gate repeats on every run;
a flag given on the command line overrides it. Relative paths in it are relative to its own folder, so the gate
behaves the same from any working directory. It is the reviewer's file, like the waiver list: a gate must pin or
protect it (README, "Trust model").
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from checker.model.errors import InputError, Problem
from checker.inputs.yamlload import Document, Limits, load_file

YAML_NAME = ".renovcheck.yaml"
PYPROJECT = "pyproject.toml"
# keys whose value is a path (relative to the configuration file's folder)
PATH_KEYS = ("profile", "waivers", "evidence-root", "baseline", "output")
# the guide's own words for the forces, accepted wherever a force is asked for (--fail-on 宜)
FORCE_WORDS = {"应": "shall", "宜": "should", "可": "may"}


@dataclass
class Config:
    file: str | None = None  # None: no configuration file was found
    values: dict = field(default_factory=dict)  # key (as written in the file) -> value, paths resolved

    def get(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)


def find(start: str | None = None) -> str | None:
    """The configuration file nearest to ``start`` (default: the working directory), walking up; None if none."""
    folder = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(folder, YAML_NAME)
        if os.path.isfile(candidate):
            return candidate
        candidate = os.path.join(folder, PYPROJECT)
        if os.path.isfile(candidate) and _has_tool_table(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return b"[tool.renovcheck]" in handle.read()
    except OSError:
        return False


def load(path: str | None = None) -> Config:
    """The configuration named by ``path``, or the one found upwards; an empty Config when there is none.

    Raises InputError (exit 2) with located problems when the file is unreadable or does not match
    schemas/config.schema.json."""
    from checker.schema import validation as schema

    file = path or find()
    if file is None:
        return Config()
    shown = _shown(file)
    if os.path.basename(file) == PYPROJECT or file.endswith(".toml"):
        doc = _load_toml(file, shown)
    else:
        doc = load_file(file, Limits(max_bytes=1 << 20), display=shown)
        if doc.data is None:
            doc = Document(doc.file, {}, doc.positions)
    if not isinstance(doc.data, dict):
        raise InputError([Problem(shown, "config.not_a_table")])
    problems = schema.validate(doc, "config.schema.json")
    if problems:
        raise InputError(problems)
    folder = os.path.dirname(os.path.abspath(file))
    values = dict(doc.data)
    for key in PATH_KEYS:
        if key in values and not (key == "profile" and _is_bundled_name(values[key])):
            values[key] = _relative(os.path.join(folder, values[key]))
    if "reports" in values:
        values["reports"] = [_resolve_report(spec, folder) for spec in values["reports"]]
    if "fail-on" in values:
        values["fail-on"] = FORCE_WORDS.get(values["fail-on"], values["fail-on"])
    return Config(shown, values)


def _load_toml(file: str, shown: str) -> Document:
    import tomllib

    try:
        with open(file, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise InputError([Problem(shown, "input.unreadable", {"reason": exc.strerror or str(exc)})]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(shown, "config.bad_toml", {"detail": str(exc)})]) from None
    table = data.get("tool", {}).get("renovcheck", {})
    if isinstance(table, dict) and hasattr(table.get("as-of"), "isoformat"):
        table["as-of"] = table["as-of"].isoformat()  # a bare TOML date: the same day as the quoted string
    # tomllib gives no positions: problems are located by their path in the table (tool.renovcheck/<key>)
    return Document(shown, table, {})


def _is_bundled_name(value: str) -> bool:
    return "/" not in value and os.sep not in value and not value.endswith((".yaml", ".yml", ".json"))


def _relative(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path


def _resolve_report(spec: str, folder: str) -> str:
    fmt, _, path = spec.partition("=")
    return f"{fmt}={_relative(os.path.join(folder, path))}"


def _shown(file: str) -> str:
    from checker.text.inert import file_name

    return file_name(_relative(file))
