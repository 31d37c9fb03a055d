"""Evidence verification: does each file a dossier cites as evidence exist, under the reviewer's root, unchanged?

A dossier's ``evidence: [{file, sha256, page}]`` entries are the submitter's words. With ``--evidence-root DIR``
every entry is checked: the path is relative, has no ``..``, stays under the root after following symlinks, names a
regular file, and that file's SHA-256 equals the ``sha256`` given (when one is given). Entries that do not verify
are removed from the data before facts are built, so a measure whose only evidence fails is not evidenced (a shall
rule then reads ``missing``) and its finding names the file and why. Without the option nothing is verified and
every report says so.
"""
from __future__ import annotations

import copy
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

VERIFIED = "verified"
NOT_VERIFIED = "not_verified"  # no --evidence-root: nothing was checked
ABSOLUTE = "absolute"  # an absolute path (or a drive/UNC path)
PARENT = "parent"  # a `..` component
OUTSIDE_ROOT = "outside_root"  # resolves (through a symlink) to a place outside the root
NOT_FOUND = "not_found"
NOT_REGULAR = "not_regular"  # a directory, device, FIFO or socket
UNREADABLE = "unreadable"
SHA256_MISMATCH = "sha256_mismatch"
STATUSES = (VERIFIED, NOT_VERIFIED, ABSOLUTE, PARENT, OUTSIDE_ROOT, NOT_FOUND, NOT_REGULAR, UNREADABLE,
            SHA256_MISMATCH)


@dataclass(frozen=True)
class Check:
    path: tuple  # dossier path of the entry, e.g. ("construction", "plan_notice", "evidence", 0)
    file: str  # as written in the dossier
    sha256: str | None
    status: str
    line: int | None = None
    column: int | None = None

    @property
    def measure(self) -> str:
        """The dotted path of the measure the entry belongs to."""
        return ".".join(map(str, self.path[:-2]))

    @property
    def dotted(self) -> str:
        return ".".join(map(str, self.path))

    def as_dict(self) -> dict:
        return {"path": self.dotted, "file": self.file, "sha256": self.sha256, "status": self.status,
                "location": {"line": self.line, "column": self.column} if self.line else None}


def entries(data: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """(path, entry) of every evidence entry in the dossier: items of any list under a key named ``evidence``."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "evidence" and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict) and isinstance(item.get("file"), str):
                        yield prefix + (key, i), item
            else:
                yield from entries(value, prefix + (key,))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from entries(item, prefix + (i,))


class Verifier:
    """Checks evidence files under one root; each file is hashed once per run."""

    def __init__(self, root: str | None):
        self.root = os.path.realpath(root) if root is not None else None
        self._hashes: dict = {}

    def status(self, file: str, sha256: str | None) -> str:
        if self.root is None:
            return NOT_VERIFIED
        parts = file.replace("\\", "/").split("/")
        if file.startswith(("/", "\\")) or (len(file) > 1 and file[1] == ":") or os.path.isabs(file):
            return ABSOLUTE
        if ".." in parts:
            return PARENT
        if "\x00" in file:
            return NOT_FOUND
        real = os.path.realpath(os.path.join(self.root, *[p for p in parts if p not in ("", ".")]))
        if os.path.commonpath([self.root, real]) != self.root:
            return OUTSIDE_ROOT
        try:
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            return NOT_FOUND
        except OSError:
            return UNREADABLE
        if not stat.S_ISREG(mode):
            return NOT_REGULAR
        if not sha256:
            return VERIFIED
        digest = self._digest(real)
        if digest is None:
            return UNREADABLE
        return VERIFIED if digest == sha256.lower() else SHA256_MISMATCH

    def _digest(self, real: str) -> str | None:
        if real not in self._hashes:
            try:
                # O_NONBLOCK: a file swapped for a FIFO between stat and open cannot hang the run
                fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
                with os.fdopen(fd, "rb") as handle:
                    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                        return None
                    digest = hashlib.sha256()
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
                self._hashes[real] = digest.hexdigest()
            except OSError:
                self._hashes[real] = None
        return self._hashes[real]

    def check(self, doc: Any) -> list:
        """A Check for every evidence entry of the document, in document order."""
        out = []
        for path, entry in entries(doc.data):
            line, column = doc.positions.get(path, (None, None))
            sha = entry.get("sha256") if isinstance(entry.get("sha256"), str) else None
            out.append(Check(path, entry["file"], sha, self.status(entry["file"], sha), line, column))
        return out


def without_unverified(data: Any, checks: list) -> Any:
    """A copy of ``data`` without the evidence entries that did not verify (``data`` itself is not changed).

    A list left empty is removed, so the measure reads as having no evidence, as if none had been given.
    """
    rejected = [c for c in checks if c.status not in (VERIFIED, NOT_VERIFIED)]
    if not rejected:
        return data
    data = copy.deepcopy(data)
    by_list: dict = {}
    for c in rejected:
        by_list.setdefault(c.path[:-1], []).append(c.path[-1])
    for list_path, indexes in by_list.items():
        parent = data
        for key in list_path[:-1]:
            parent = parent[key]
        kept = [item for i, item in enumerate(parent[list_path[-1]]) if i not in set(indexes)]
        if kept:
            parent[list_path[-1]] = kept
        else:
            del parent[list_path[-1]]
    return data


def relevant(checks: list, finding: Any) -> list:
    """The rejected evidence a finding relies on: entries of a measure the finding's field or missing fields are in."""
    paths = [finding.path] + list(finding.missing_paths)
    out = []
    for c in checks:
        if c.status in (VERIFIED, NOT_VERIFIED):
            continue
        measure = c.measure
        if any(p == measure or p.startswith(measure + ".") or measure.startswith(p + ".") for p in paths if p):
            out.append(c)
    return out
