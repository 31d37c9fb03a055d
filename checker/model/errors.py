"""Errors that end a check with exit code 2. They carry a message key, not text, so both languages exist."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Wording:
    """A message parameter that is itself a message key (a kind of file, say): worded in the problem's language."""

    key: str


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, at a position when there is one (1-based)."""

    file: str
    key: str
    params: dict = field(default_factory=dict)
    line: int | None = None
    column: int | None = None
    pointer: str = ""
    hint: tuple = ()  # (message key, params): how to fix it ("did you mean 丰台区?"), said after the problem

    def render(self, lang: str) -> str:
        from checker.i18n.messages import text

        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        params = {k: _worded(v, lang) for k, v in self.params.items()}
        body = text(self.key, lang, **params)
        if self.hint:
            key, hint_params = self.hint
            body += ("。" if lang == "zh" else ". ") + text(key, lang, **{k: _worded(v, lang) for k, v in hint_params.items()})
        if self.pointer:
            body = f"{self.pointer}: {body}"
        return f"{where}: {body}"


def _worded(value: object, lang: str) -> object:
    """A Wording in the problem's language; "a|b" keys are alternatives, joined with a slash."""
    from checker.i18n.messages import text

    if not isinstance(value, Wording):
        return value
    return "/".join(text(k, lang) for k in value.key.split("|"))


class InputError(Exception):
    """A dossier, rule file or profile that cannot be used. Holds every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].key if problems else "input error")
        self.problems = problems

    def render(self, lang: str) -> str:
        return "\n".join(p.render(lang) for p in self.problems)


class EngineError(Exception):
    """The rule engine misbehaved; the dossier gets no verdict rather than a wrong one."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        self.file = "-"  # the dossier it happened in, once the batch that checked it says (checker/check/batch.py)
