"""Where a report goes: stdout, or a regular file that is written whole or not at all.

``--output`` is checked before any work: it may only name a regular file (or a file yet to be made in an existing
folder), never a device node, FIFO, socket, directory or symbolic link, and never one of the run's inputs. The report
is written to a temporary file in the same folder, flushed to disk and renamed over the old one, so a failure part-way
(an unreadable dossier, a full disk, SIGINT, SIGTERM) leaves the old file as it was and no temporary file behind.
An existing file keeps its permissions. When a run ends with exit 2 (no result) the report of an earlier run is
removed, so nothing downstream can take it for this run's result (see ``discard_stale``).
"""
from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any, TypeGuard

from checker.model.errors import InputError, Problem, Wording
from checker.check.pipeline import DOSSIER_SUFFIXES, is_a_report
from checker.text.inert import file_name
from checker.inputs.yamlload import file_kind

# formats a person reads on a terminal; every other one is for a program and is written as UTF-8 bytes
HUMAN_FORMATS = ("text", "concise")

Write = Callable[[str], object]  # takes a piece of the document
# makes the document piece by piece through the write it is given (str pieces; bytes when the document is binary)
Produce = Callable[[Callable[[Any], object]], object]


class OutputError(Exception):
    """The report could not be written; the message says why and that the old file is untouched."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.key)
        self.problem = problem


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def check_target(output: str, inputs: Sequence[str] = ()) -> None:
    """Refuse an ``--output`` that is not a regular file, is one of ``inputs``, or lies in no folder.

    Raises InputError (exit 2) before any work is done. Called again just before the rename."""
    shown = file_name(output)
    st = _existing_target(output, shown, inputs)
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise InputError([Problem(shown, "output.not_regular", {"kind": Wording(file_kind(st.st_mode))})])


def _existing_target(path: str, shown: str, inputs: Sequence[str]) -> os.stat_result | None:
    """The target's own lstat (None when it is yet to be made in an existing folder); refuses an input."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise InputError([Problem(shown, "output.no_folder")]) from None
        return None
    except OSError as exc:
        raise InputError([Problem(shown, "output.failed", {"reason": exc.strerror or str(exc)})]) from None
    if any(_identity(p) == (st.st_dev, st.st_ino) for p in inputs):
        raise InputError([Problem(shown, "output.is_input")])
    return st


def _write_error(output: str, exc: OSError) -> OutputError:
    shown = file_name(output)
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return OutputError(Problem(shown, "output.disk_full"))
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(Problem(shown, "output.read_only", {"reason": exc.strerror or str(exc)}))
    if code == errno.ENOENT:
        return OutputError(Problem(shown, "output.no_folder"))
    return OutputError(Problem(shown, "output.failed", {"reason": exc.strerror or str(exc)}))


def write_stdout(produce: Callable[[Write], object], human: bool) -> None:
    """``produce(write)`` onto stdout. Program formats go out as UTF-8 bytes whatever the locale; a human format is
    encoded for the terminal, showing as ``\\uNNNN`` what the terminal's encoding cannot (never a crash)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream without bytes underneath (some test harnesses): it takes text
        produce(sys.stdout.write)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    encoding = "utf-8" if not human else (getattr(sys.stdout, "encoding", None) or "utf-8")
    errors = "strict" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else "backslashreplace"
    # lone surrogates (bytes of a file name that is not UTF-8) never reach here: names are escaped when found
    produce(lambda piece: buffer.write(piece.encode(encoding, errors)))
    buffer.flush()


def write_file(produce: Produce, output: str, inputs: Sequence[str] = (), finish: Callable[[], object] = lambda: None,
               binary: bool = False) -> None:
    """``produce(write)`` into ``output`` atomically: temporary file in the same folder, fsync, rename.
    ``write`` takes text (UTF-8), or bytes when ``binary`` (a workbook).

    ``finish`` runs after the document is complete and before the rename; if it raises, nothing is written.
    The temporary file is removed on any exception, KeyboardInterrupt and SystemExit included."""
    check_target(output, inputs)
    folder = os.path.dirname(os.path.abspath(output))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".renovcheck-", suffix=".tmp")
    except OSError as exc:
        raise _write_error(output, exc) from None
    try:
        try:
            handle: IO[Any]
            with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as handle:
                produce(handle.write)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise _write_error(output, exc) from None
        finish()
        check_target(output, inputs)  # again: the path may have changed while the report was made
        try:
            old = os.stat(output)
            mode = stat.S_IMODE(old.st_mode)  # an existing report keeps its permissions
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # mkstemp makes 0600; a new report gets what any new file would get here
        try:
            os.chmod(tmp, mode)
            os.replace(tmp, output)
        except OSError as exc:
            raise _write_error(output, exc) from None
        _sync_folder(folder)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (best effort: not every file system lets a folder be fsynced)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def discard_stale(output: str | None) -> bool:
    """After a run with no result (exit 2): remove the regular file at ``output`` (an earlier run's report).

    Only called for an ``--output`` that passed ``check_target`` (so never an input, a link or a device). A file
    with a dossier's suffix is removed only when it is recognisably our report: a run that refused to overwrite a
    dossier found inside a checked folder must not delete it instead."""
    if not output or output == "-":
        return False
    if output.lower().endswith(DOSSIER_SUFFIXES) and not is_a_report(output):
        return False
    try:
        if not stat.S_ISREG(os.lstat(output).st_mode):
            return False
        os.unlink(output)
    except OSError:
        return False  # a read-only folder: the message of the failure already says the report was not written
    return True


# --- a report that is a folder of pages (--format html -o DIR/) ----------------------------------------------------

SITE_MARK = ".renovcheck-report"  # written into every report folder of ours: only such a folder is ever replaced
SITE_FORMATS = ("html",)


def is_site_target(path: str | None, fmt: str) -> TypeGuard[str]:
    """``-o DIR/`` (or an existing folder) with a format that can be written as a folder of pages."""
    if fmt not in SITE_FORMATS or not path or path == "-":
        return False
    if path.endswith(("/", os.sep)):
        return True
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def check_site_target(path: str, inputs: Sequence[str] = ()) -> None:
    """Refuse a report folder that is a link, one of the inputs, or a folder with anything but a report of ours."""
    shown = file_name(path)
    target = path.rstrip("/" + os.sep) or path
    st = _existing_target(target, shown, inputs)
    if st is None:
        return
    if not stat.S_ISDIR(st.st_mode):
        raise InputError([Problem(shown, "output.site_not_folder", {"kind": Wording(file_kind(st.st_mode))})])
    entries = os.listdir(target)
    if entries and SITE_MARK not in entries:
        raise InputError([Problem(shown, "output.site_not_ours")])


def write_site(pages: Mapping[str, str], path: str, inputs: Sequence[str] = ()) -> None:
    """Write ``pages`` (relative path -> text) as a folder, whole or not at all: a temporary folder beside the
    target is filled, then swapped in; the report folder of an earlier run is removed only after the swap."""
    check_site_target(path, inputs)
    target = os.path.abspath(path.rstrip("/" + os.sep) or path)
    parent = os.path.dirname(target)
    try:
        fresh = tempfile.mkdtemp(dir=parent, prefix=".renovcheck-")
    except OSError as exc:
        raise _write_error(path, exc) from None
    umask = os.umask(0)
    os.umask(umask)
    old = None
    try:
        try:
            for relative, document in sorted(pages.items()):
                full = os.path.join(fresh, relative)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(document)
            with open(os.path.join(fresh, SITE_MARK), "w", encoding="utf-8") as handle:
                handle.write("renovcheck report folder: replaced whole by the next run that writes here\n")
            for folder, _subfolders, _files in os.walk(fresh):
                os.chmod(folder, 0o777 & ~umask)  # mkdtemp makes 0700; a report folder reads like any other
            check_site_target(path, inputs)
            if os.path.isdir(target):
                old = tempfile.mkdtemp(dir=parent, prefix=".renovcheck-old-")
                os.rename(target, os.path.join(old, "report"))
            os.rename(fresh, target)
        except OSError as exc:
            raise _write_error(path, exc) from None
        _sync_folder(parent)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        if old is not None and not os.path.exists(target):
            os.rename(os.path.join(old, "report"), target)  # put the earlier report back
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
