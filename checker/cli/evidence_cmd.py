"""``renovcheck evidence``: every evidence file the dossiers cite, with its status — a reviewer's checklist."""
from __future__ import annotations

import json
import sys

import click

from checker.inputs import evidence
from checker.schema import validation as schema
from checker.cli.common import (
    EXIT_GAPS, EXIT_OK, check_evidence_root, dossier_files, emit, encoding_option, evidence_root_option, guarded,
    lang_option, max_bytes_option, output_option,
)
from checker.model.errors import InputError
from checker.i18n.messages import text
from checker.report import visible
from checker.inputs.yamlload import Limits, load_file

_MARK = {evidence.VERIFIED: "✓", evidence.NOT_VERIFIED: "·"}


@click.command("evidence")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@evidence_root_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式 / output format")
@lang_option
@output_option
@encoding_option
@max_bytes_option
@guarded
def evidence_list(paths: tuple[str, ...], evidence_root: str | None, fmt: str, lang: str, output: str | None,
                  encoding: str | None, max_bytes: int) -> None:
    """列出档案引用的证明材料及核对结果 / List every evidence file the dossiers cite, with its status.

    With --evidence-root each file is checked: relative path without .., inside the root (symlinks included),
    a regular file, SHA-256 as given. Exit codes: 0 every file verified (or no --evidence-root: nothing checked),
    1 some file did not verify, 2 unreadable or invalid input.
    """
    check_evidence_root(evidence_root, lang)
    files = dossier_files(paths, [output])
    verifier = evidence.Verifier(evidence_root)
    listed, problems = [], []
    for path, display in files:
        try:
            doc = load_file(path, Limits(max_bytes=max_bytes), encoding, display)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(schema.validate(doc))
        listed.append((doc.file, verifier.check(doc)))
    if problems:
        raise InputError(problems)
    checks = [c for _, file_checks in listed for c in file_checks]
    rejected = sum(1 for c in checks if c.status not in (evidence.VERIFIED, evidence.NOT_VERIFIED))
    counts = {"total": len(checks), "verified": sum(1 for c in checks if c.status == evidence.VERIFIED),
              "rejected": rejected, "unchecked": sum(1 for c in checks if c.status == evidence.NOT_VERIFIED)}
    if fmt == "json":
        body = {"format": "renovcheck-evidence", "format_version": 1, "evidence_root": evidence_root,
                "dossiers": [{"file": file, "evidence": [c.as_dict() for c in file_checks]} for file, file_checks in listed],
                "summary": counts}
        emit(json.dumps(body, ensure_ascii=False, indent=2) + "\n", output, "json")
    else:
        root = evidence_root if evidence_root is not None else text("evidence.no_root", lang)
        lines = [text("evidence.list_title", lang, root=root)]
        for file, file_checks in listed:
            lines.append(file)
            if not file_checks:
                lines.append("  " + text("evidence.none", lang))
            for c in file_checks:
                where = f"{file}:{c.line}:{c.column}" if c.line else file
                sha = f"  sha256 {c.sha256}" if c.sha256 else ""
                lines.append(f"  {_MARK.get(c.status, '✗')} {c.file}  [{text('evidence.status.' + c.status, lang)}]"
                             f"  {c.dotted}  {where}{sha}")
        lines.append(text("evidence.summary", lang, **counts))
        emit("\n".join(visible(line) for line in lines) + "\n", output)
    sys.exit(EXIT_GAPS if rejected else EXIT_OK)
