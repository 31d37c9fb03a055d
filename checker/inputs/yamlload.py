"""Read a YAML or JSON document safely, keeping the line and column of every value.

The document is built from libyaml's event stream rather than with ``yaml.load``: no tag can construct an object,
duplicate keys are refused, every limit is enforced while reading (size, depth, node count after aliases,
string length), and values stay as written (a date remains the text of the date).
"""
from __future__ import annotations

import errno
import hashlib
import math
import os
import re
import stat
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, NoReturn

import yaml

from checker.model.errors import InputError, Problem, Wording
from checker.text.inert import file_name

_Parser: type
try:
    _Parser = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only without libyaml
    _Parser = yaml.SafeLoader

Path = tuple  # of str keys and int indices


@dataclass(frozen=True)
class Limits:
    """Safe defaults; each can be raised by the caller. Documented in the README."""

    max_bytes: int = 5 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 200_000
    max_string: int = 100_000


@dataclass
class Document:
    file: str
    data: object
    positions: dict  # Path -> (line, column), both 1-based
    sha256: str = ""  # of the file's bytes as read (load_file): the store records which file was checked

    def locate(self, path: Path) -> tuple[Path, tuple[int, int] | None]:
        """The position of ``path``, or of its nearest present parent when it is absent."""
        probe = tuple(path)
        while probe:
            if probe in self.positions:
                return probe, self.positions[probe]
            probe = probe[:-1]
        return (), self.positions.get(())


_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_KEY_TAGS = {_CORE + "str"}
_SCALARS: dict = {}  # (tag, text, implicit) -> constructed value; values are immutable (str, int, float, bool, None)
_SCALAR_CACHE_SIZE = 4096
_UNSEEN = object()
_constructor = yaml.constructor.SafeConstructor()
_resolver = yaml.resolver.Resolver()
_JSON_EXPONENT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?[eE][+-]?[0-9]+")


def decode(raw: bytes, file: str, encoding: str | None = None) -> str:
    if encoding and encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            text = raw.decode(encoding)
        except LookupError:
            raise InputError([Problem(file, "input.unknown_encoding", {"encoding": encoding})]) from None
        except UnicodeDecodeError as exc:
            line, col = _byte_position(raw, exc.start)
            raise InputError([Problem(file, "input.bad_encoding", {"encoding": encoding}, line, col)]) from None
        if "\x00" in text:
            raise InputError([Problem(file, "input.binary")])
    else:
        wide = _wide_encoding(raw)
        if wide:  # UTF-16/32 is full of NUL bytes: name it rather than call it binary
            raise InputError([Problem(file, "input.looks_utf16", {"encoding": wide})])
        if b"\x00" in raw:
            raise InputError([Problem(file, "input.binary")])
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, col = _byte_position(raw, exc.start)
            raise InputError([Problem(file, "input.not_utf8", {}, line, col)]) from None
    return text[1:] if text.startswith("\ufeff") else text


_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _wide_encoding(raw: bytes) -> str | None:
    """"UTF-16"/"UTF-32" (with -LE/-BE when there is no byte order mark) when ``raw`` looks like one, else None.

    Without a mark: keys and punctuation are ASCII, so in UTF-16 many odd (or even) bytes are NUL, and in UTF-32
    the two high bytes of every character are; the share of NUL bytes at each position modulo 4 tells which, and
    the byte order."""
    for mark, name in _BOMS:
        if raw.startswith(mark):
            return name
    sample = raw[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    zero = [sample[i::4].count(0) / max(1, len(sample[i::4])) for i in range(4)]
    if min(zero[2], zero[3]) > 0.9 and zero[0] < 0.5:  # below U+10000 the two high bytes are NUL
        return "UTF-32-LE"
    if min(zero[0], zero[1]) > 0.9 and zero[3] < 0.5:
        return "UTF-32-BE"
    if min(zero[1], zero[3]) > 0.3 and max(zero[0], zero[2]) < 0.1:
        return "UTF-16-LE"
    if min(zero[0], zero[2]) > 0.3 and max(zero[1], zero[3]) < 0.1:
        return "UTF-16-BE"
    return None


# a JSON surrogate pair escape ("\ud83d\ude00", as json.dump writes any character beyond U+FFFF), not preceded by an
# escaped backslash; YAML reads \u escapes one at a time and refuses each half
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def _join_surrogate_escapes(text: str) -> tuple[str, dict]:
    """JSON text with each surrogate pair escape written as one ``\\UXXXXXXXX`` escape (which YAML reads).

    Returns the text and, per changed line, the columns (1-based, in the new text) after each replacement: every
    replacement is 2 characters shorter, and positions are mapped back so that line:column stay the file's own."""
    if "\\u" not in text:
        return text, {}
    shifts: dict = {}
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "\\u" not in line or not _SURROGATE_PAIR.search(line):
            out.append(line)
            continue
        pieces, last, ends = [], 0, []
        for match in _SURROGATE_PAIR.finditer(line):
            high, low = int(match.group(2), 16), int(match.group(3), 16)
            code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            pieces.append(line[last:match.start()] + match.group(1) + f"\\U{code:08X}")
            last = match.end()
            ends.append(sum(len(p) for p in pieces) + 1)
        pieces.append(line[last:])
        shifts[number] = ends
        out.append("".join(pieces))
    return "\n".join(out), shifts


def _unshift(positions: dict, shifts: dict) -> None:
    if not shifts:
        return
    for path, (line, column) in positions.items():
        ends = shifts.get(line)
        if ends:
            positions[path] = (line, column + 2 * sum(1 for end in ends if end <= column))


def file_kind(mode: int) -> str:
    """The message key naming what kind of file ``mode`` is (for everything that is not a regular file)."""
    if stat.S_ISLNK(mode):
        return "file.kind.symlink"
    if stat.S_ISDIR(mode):
        return "file.kind.directory"
    if stat.S_ISFIFO(mode):
        return "file.kind.fifo"
    if stat.S_ISSOCK(mode):
        return "file.kind.socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "file.kind.device"
    return "file.kind.other"


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def load_file(file: str, limits: Limits = Limits(), encoding: str | None = None, display: str | None = None) -> Document:
    """Read one dossier. Only a regular file is read: it is opened without blocking (a FIFO would wait for a writer
    forever) and checked with fstat before a byte is read, so a FIFO, socket or device fails at once."""
    name = display or file_name(file)
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        key = "input.broken_link" if exc.errno == errno.ENOENT and os.path.islink(file) else "input.unreadable"
        raise InputError([Problem(name, key, {"reason": exc.strerror or str(exc)})]) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError([Problem(name, "input.not_regular", {"kind": Wording(file_kind(mode))})])
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise InputError([Problem(name, "input.unreadable", {"reason": exc.strerror or str(exc)})]) from None
    finally:
        os.close(fd)
    if len(raw) > limits.max_bytes:
        raise InputError([Problem(name, "input.too_large", {"limit": limits.max_bytes})])
    text = decode(raw, name, encoding)
    shifts: dict = {}
    if file.lower().endswith(".json"):
        text, shifts = _join_surrogate_escapes(text)
    doc = load_text(text, name, limits)
    _unshift(doc.positions, shifts)
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    return doc


def load_text(text: str, file: str, limits: Limits = Limits()) -> Document:
    if not text.strip():
        raise InputError([Problem(file, "input.empty")])
    try:
        return _Builder(file, limits).build(yaml.parse(text, Loader=_Parser))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(part for part in (exc.context, exc.problem) if part)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit (1,000), above ours
            raise InputError([Problem(file, "input.too_deep", {"limit": limits.max_depth}, line, col)]) from None
        key = "input.tab" if "\t" in (exc.problem or "") or _tab_indented(text, mark) else "input.syntax"
        raise InputError([Problem(file, key, {"detail": detail}, line, col)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(file, "input.syntax", {"detail": str(exc)})]) from None


def _tab_indented(text: str, mark: Any) -> bool:
    """Whether the line of a syntax error is indented with a tab (libyaml's message does not say so)."""
    if mark is None:
        return False
    lines = text.split("\n", mark.line + 1)
    if mark.line >= len(lines):
        return False
    line = lines[mark.line]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]


class _Frame:
    __slots__ = ("container", "path", "key", "key_mark", "anchor", "nodes_at_start")

    def __init__(self, container: Any, path: tuple, anchor: str | None, nodes_at_start: int) -> None:
        self.container = container
        self.path = path
        self.key = None
        self.key_mark = None
        self.anchor = anchor
        self.nodes_at_start = nodes_at_start


class _Builder:
    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.positions: dict = {}
        self.anchors: dict = {}  # name -> (value, node count); None while still open
        self.nodes = 0
        self.stack: list[_Frame] = []
        self.root = None
        self.documents = 0

    def fail(self, message_key: str, mark: Any, **params: Any) -> NoReturn:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise InputError([Problem(self.file, message_key, params, line, col)])

    def build(self, events: Iterable[Any]) -> Document:
        for event in events:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self.scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self.start(event, {} if kind is yaml.MappingStartEvent else [])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.end()
            elif kind is yaml.AliasEvent:
                self.alias(event)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    self.fail("input.multiple_documents", event.start_mark)
        if self.documents == 0 or self.root is None:
            raise InputError([Problem(self.file, "input.empty")])
        if not isinstance(self.root, dict):
            raise InputError([Problem(self.file, "input.root_not_mapping", {}, 1, 1)])
        return Document(self.file, self.root, self.positions)

    def count(self, n: int, mark: Any) -> None:
        self.nodes += n
        if self.nodes > self.limits.max_nodes:
            self.fail("input.too_many_nodes", mark, limit=self.limits.max_nodes)

    def check_tag(self, tag: str | None, mark: Any, allowed: Collection[str]) -> None:
        if tag is not None and tag != "!" and tag not in allowed:
            self.fail("input.tag", mark, tag=tag)

    def scalar(self, event: Any) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            self.fail("input.too_many_nodes", event.start_mark, limit=self.limits.max_nodes)
        if len(event.value) > self.limits.max_string:
            self.fail("input.string_too_long", event.start_mark, limit=self.limits.max_string)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.key is None and type(frame.container) is dict:
            if event.tag is not None:
                self.check_tag(event.tag, event.start_mark, _KEY_TAGS)
            self.set_key(frame, event.value, event.start_mark)
            return
        if event.tag is not None:
            self.check_tag(event.tag, event.start_mark, _SCALAR_TAGS)
        # Plain values repeat (true, false, 1, dates…): the resolved value of (tag, text, implicit) is cached.
        key = (event.tag, event.value, event.implicit)
        value = _SCALARS.get(key, _UNSEEN)
        if value is _UNSEEN:
            value = self.construct(event)
            if len(_SCALARS) >= _SCALAR_CACHE_SIZE:
                _SCALARS.clear()
            _SCALARS[key] = value
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        self.place(value, event.start_mark)

    def construct(self, event: Any) -> Any:
        if event.tag in (None, "!"):
            tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit) if event.implicit[0] else _CORE + "str"
        else:
            tag = event.tag
        if tag == _CORE + "str" and event.implicit[0] and _JSON_EXPONENT.fullmatch(event.value):
            tag = _CORE + "float"  # JSON's 1e-5 or 1.5e3: YAML 1.1 would read them as text (it wants a dot and a sign)
        if tag == _CORE + "str" or tag == _CORE + "timestamp":
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        try:
            value = {
                _CORE + "int": _constructor.construct_yaml_int,
                _CORE + "float": _constructor.construct_yaml_float,
                _CORE + "bool": _constructor.construct_yaml_bool,
                _CORE + "null": _constructor.construct_yaml_null,
            }[tag](node)
        except (ValueError, KeyError, yaml.YAMLError):
            self.fail("input.bad_scalar", event.start_mark, value=event.value, tag=tag.rsplit(":", 1)[-1])
        if isinstance(value, float) and not math.isfinite(value):
            self.fail("input.non_finite", event.start_mark, value=event.value)
        return value

    def set_key(self, frame: _Frame, key: Any, mark: Any) -> None:
        if key in frame.container:
            first = self.positions.get(frame.path + (key,), (None, None))
            self.fail("input.duplicate_key", mark, key=key, first_line=first[0])
        frame.key = key
        frame.key_mark = mark

    def child_path(self, frame: _Frame) -> tuple:
        if isinstance(frame.container, dict):
            return frame.path + (frame.key,)
        return frame.path + (len(frame.container),)

    def place(self, value: Any, mark: Any) -> None:
        if not self.stack:
            self.root = value
            self.positions[()] = (mark.line + 1, mark.column + 1)
            return
        frame = self.stack[-1]
        container = frame.container
        if type(container) is dict:
            self.positions[frame.path + (frame.key,)] = (mark.line + 1, mark.column + 1)
            container[frame.key] = value
            frame.key = None
        else:
            self.positions[frame.path + (len(container),)] = (mark.line + 1, mark.column + 1)
            container.append(value)

    def start(self, event: Any, container: Any) -> None:
        self.count(1, event.start_mark)
        tag = _CORE + ("map" if isinstance(container, dict) else "seq")
        self.check_tag(event.tag, event.start_mark, {tag})
        if self.stack and isinstance(self.stack[-1].container, dict) and self.stack[-1].key is None:
            self.fail("input.complex_key", event.start_mark)
        if len(self.stack) >= self.limits.max_depth:
            self.fail("input.too_deep", event.start_mark, limit=self.limits.max_depth)
        path = self.child_path(self.stack[-1]) if self.stack else ()
        self.place(container, event.start_mark)
        if event.anchor:
            self.anchors[event.anchor] = None
        self.stack.append(_Frame(container, path, event.anchor, self.nodes))

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.container, self.nodes - frame.nodes_at_start + 1)

    def alias(self, event: Any) -> None:
        if event.anchor not in self.anchors:
            self.fail("input.unknown_alias", event.start_mark, anchor=event.anchor)
        entry = self.anchors[event.anchor]
        if entry is None:
            self.fail("input.recursive_alias", event.start_mark, anchor=event.anchor)
        value, size = entry
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            if not isinstance(value, str):
                self.fail("input.complex_key", event.start_mark)
            self.set_key(frame, value, event.start_mark)
            return
        self.count(size, event.start_mark)
        self.place(value, event.start_mark)
