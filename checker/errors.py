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

    def render(self, lang: str) -> str:
        from checker.messages import text

        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        params = {k: text(v.key, lang) if isinstance(v, Wording) else v for k, v in self.params.items()}
        body = text(self.key, lang, **params)
        if self.pointer:
            body = f"{self.pointer}: {body}"
        return f"{where}: {body}"


class InputError(Exception):
    """A dossier, rule file or profile that cannot be used. Holds every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].key if problems else "input error")
        self.problems = problems

    def render(self, lang: str) -> str:
        return "\n".join(p.render(lang) for p in self.problems)


class EngineError(Exception):
    """The rule engine misbehaved; the dossier gets no verdict rather than a wrong one."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params
