"""Reading untrusted YAML into plain data that remembers where each value was.

Routine files come from coaches and from strangers on the internet, so this
reader is deliberately narrow:

* safe loading only: no Python object tags, no custom tags of any kind;
* no anchors or aliases: they are the vehicle of "billion laughs" memory bombs,
  and the exercise library (``use: id``) is the way to reuse text;
* duplicate keys are an error (YAML would silently keep the last one);
* bounded size and nesting depth, strict UTF-8;
* no terminal control characters, bidi overrides or invisible-only text in any
  key or value, even written as YAML escapes (``"\\e[2J"``): see
  :mod:`trainer.untrusted_text`;
* every scalar stays a string (``null``/``~``/empty become ``None``), so a cue
  that says ``no`` stays "no" and ``sides: on`` is not a boolean; the models
  convert numbers themselves.

Mappings and sequences come back as :class:`MarkedDict` and :class:`MarkedList`,
which record the :class:`~trainer.routine.issues.Position` of every key and item
so that a validation error can name the exact line and column. A caller that
needs positions only for a file with problems may ask for plain data instead
(``read_yaml(path, marked=False)``): built straight from libyaml's events, three
to four times faster, under the same rules (a file with anything unusual in it
is read the careful way instead).
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import Any

import yaml
import yaml.reader
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from trainer.routine.issues import Issue, Position, RoutineFileError
from trainer.untrusted_text import describe_character, first_forbidden, only_invisible

try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = None  # type: ignore[misc,assignment]

MAX_FILE_BYTES = 1_000_000
#: A routine file is read within this many seconds or refused (a hung mount, a pipe).
MAX_READ_SECONDS = 2.0
MAX_DEPTH = 32
MAX_NODES = 20_000


class MarkedDict(dict[Any, Any]):
    """A dict that knows where it, each key and each value stand in the file."""

    position: Position
    key_positions: dict[str, Position]
    value_positions: dict[str, Position]

    def copy_from(self, other: MarkedDict, keys: list[str] | None = None) -> None:
        """Copy ``keys`` (default: all) from ``other``, positions included."""
        for key in other if keys is None else keys:
            self[key] = other[key]
            self.key_positions[key] = other.key_positions[key]
            self.value_positions[key] = other.value_positions[key]

    @classmethod
    def empty_at(cls, position: Position) -> MarkedDict:
        marked = cls()
        marked.position = position
        marked.key_positions = {}
        marked.value_positions = {}
        return marked


class MarkedList(list[Any]):
    """A list that knows where it and each item stand in the file."""

    position: Position
    item_positions: list[Position]


class _MarkedComposing:
    """Composition and construction rules shared by both loaders below: marked,
    string-only data within fixed bounds. Mixed in ahead of PyYAML's Composer."""

    _path: Path
    _depth: int
    _nodes: int

    def _start(self, path: Path) -> None:
        self._path = path
        self._depth = 0
        self._nodes = 0

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        # Every plain scalar becomes text anyway (see construct_plain), so only
        # null and the merge key need telling apart; skipping PyYAML's regex
        # resolvers for the rest is a large part of reading speed.
        if kind is ScalarNode and implicit[0]:
            if value in _NULLS:
                return _NULL_TAG
            return _MERGE_TAG if value == "<<" else _STR_TAG
        resolved: str = super().resolve(kind, value, implicit)  # type: ignore[misc]
        return resolved

    def position(self, node_or_mark: Any) -> Position:
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        return Position(self._path, mark.line + 1, mark.column + 1)

    # Composition: refuse aliases and bound depth/size before anything is built.
    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):  # type: ignore[attr-defined]
            event = self.peek_event()  # type: ignore[attr-defined]
            raise _Refused(
                self.position(event),
                f"aliases (*{event.anchor}) are not allowed in routine files; write the "
                "value out, or put shared exercises in the library and `use:` them",
            )
        event = self.peek_event()  # type: ignore[attr-defined]
        if getattr(event, "anchor", None):
            raise _Refused(
                self.position(event),
                f"anchors (&{event.anchor}) are not allowed in routine files; put shared "
                "exercises in the library and `use:` them",
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(self.position(event), f"file has more than {MAX_NODES} values")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(
                    self.position(event), f"data is nested more than {MAX_DEPTH} levels deep"
                )
            node: Node = super().compose_node(parent, index)  # type: ignore[misc]
            return node
        finally:
            self._depth -= 1

    def construct_plain(self, node: Node) -> Any:
        """Build plain marked data from ``node``, refusing any tag but YAML's own basics."""
        if node.tag not in _PLAIN_TAGS[type(node)]:
            raise _Refused(
                self.position(node),
                f"the tag {node.tag} is not allowed; routine files hold plain text, "
                "numbers, lists and mappings only",
            )
        if isinstance(node, MappingNode):
            return self._construct_marked_mapping(node)
        if isinstance(node, SequenceNode):
            marked_list = MarkedList(self.construct_plain(child) for child in node.value)
            marked_list.position = self.position(node)
            marked_list.item_positions = [self.position(child) for child in node.value]
            return marked_list
        assert isinstance(node, ScalarNode)
        if node.tag == "tag:yaml.org,2002:null":
            return None
        return self._checked_text(node, newlines=True)

    def _checked_text(self, node: ScalarNode, *, newlines: bool) -> str:
        """The scalar's text, refused if it could drive a terminal or shows nothing."""
        text = str(node.value)
        problem = _text_problem(text, newlines=newlines)
        if problem is not None:
            raise _Refused(self.position(node), problem)
        return text

    def _construct_marked_mapping(self, node: MappingNode) -> MarkedDict:
        if any(key.tag == "tag:yaml.org,2002:merge" for key, _ in node.value):
            raise _Refused(self.position(node), "merge keys (<<) are not allowed in routine files")
        marked = MarkedDict.empty_at(self.position(node))
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Refused(
                    self.position(key_node), "a key must be a plain word, not a list or mapping"
                )
            key = self._checked_text(key_node, newlines=False)
            if key in marked:
                first = marked.key_positions[key]
                raise _Refused(
                    self.position(key_node),
                    f"duplicate key '{key}' (first given on line {first.line}); "
                    "YAML would silently keep only the last one",
                )
            marked.key_positions[key] = self.position(key_node)
            marked.value_positions[key] = self.position(value_node)
            marked[key] = self.construct_plain(value_node)
        return marked


def _text_problem(text: str, *, newlines: bool) -> str | None:
    """Why ``text`` may not be a key (``newlines`` False) or value in a routine; None if it may."""
    if text.isascii() and text.isprintable() and not text.isspace():
        return None  # nearly every scalar: nothing to look for
    forbidden = first_forbidden(text, newlines=newlines)
    if forbidden is not None:
        what = "a key" if not newlines else "text"
        return (
            f"{what} has the control character {describe_character(text[forbidden])}; "
            "routine text must be plain (no terminal escapes, bidi overrides"
            + (" or line breaks)" if not newlines else ")")
        )
    if only_invisible(text):
        return (
            "text is made only of invisible characters (spaces, zero-width or format "
            "characters); write visible words or leave the field out"
        )
    return None


_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

_PLAIN_TAGS = {
    ScalarNode: {
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:timestamp",
    },
    SequenceNode: {"tag:yaml.org,2002:seq"},
    MappingNode: {"tag:yaml.org,2002:map"},
}


class _PureLoader(_MarkedComposing, yaml.SafeLoader):
    """PyYAML's pure-Python parser: always available."""

    def __init__(self, text: str, path: Path) -> None:
        yaml.SafeLoader.__init__(self, text)
        self._start(path)


if CParser is not None:

    class _FastLoader(_MarkedComposing, Composer, SafeConstructor, Resolver, CParser):
        """libyaml's C parser (about ten times faster) feeding the same Python composer,
        so every check above still applies event by event."""

        def __init__(self, text: str, path: Path) -> None:
            CParser.__init__(self, text)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._start(path)

    _Loader: type[_PureLoader] | type[_FastLoader] = _FastLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _Loader = _PureLoader


class _Refused(Exception):
    def __init__(self, position: Position, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.message = message


class _NotReadable(Exception):
    """The path is not something a routine can be read from; the message says why."""


def _pseudo_filesystems() -> frozenset[int]:
    return frozenset(os.stat(root).st_dev for root in ("/proc", "/sys") if os.path.isdir(root))


_PSEUDO_FILESYSTEMS = _pseudo_filesystems()


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most ``limit + 1`` bytes of ``path``, which must be a regular file on a real
    filesystem, read within :data:`MAX_READ_SECONDS`.

    A symlink to a FIFO, a device or a kernel file such as ``/proc/kmsg`` would
    otherwise block the reader (and the kiosk) forever: the file is opened
    non-blocking, checked with ``fstat`` (so the check and the read see the same
    file), and read in chunks against a deadline.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _NotReadable(f"not a regular file ({_file_kind(info.st_mode)}); cannot read it")
        if info.st_dev in _PSEUDO_FILESYSTEMS:
            raise _NotReadable("a kernel file (/proc or /sys), not a routine; cannot read it")
        if info.st_size == 0:
            return b""
        deadline = time.monotonic() + MAX_READ_SECONDS
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            try:
                chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            except BlockingIOError:
                chunk = None
            if chunk == b"":
                break
            if chunk:
                chunks.append(chunk)
                size += len(chunk)
            if time.monotonic() > deadline:
                raise _NotReadable(f"the file did not finish reading in {MAX_READ_SECONDS:g} s")
            if chunk is None:
                time.sleep(0.01)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _file_kind(mode: int) -> str:
    kinds = [
        (stat.S_ISFIFO, "a pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ]
    return next((name for test, name in kinds if test(mode)), "a special file")


def _refusal(path: Path, line: int, column: int, message: str) -> RoutineFileError:
    return RoutineFileError(Issue(path, line, column, "", message))


def read_yaml(path: Path, *, marked: bool = True) -> Any:
    """Parse ``path`` into plain data, or raise :class:`RoutineFileError`.

    ``marked`` (the default): :class:`MarkedDict` and :class:`MarkedList`, which
    know where everything stands. Otherwise plain dicts and lists, built
    straight from libyaml's events (see :func:`_plain_data`), for callers that
    need positions only for a file that turns out to have problems. A file the
    quick way is unsure of is read the careful way, so a file is refused, and
    for the same reason, either way (and then comes back marked).
    """
    text = _read_text(path)
    if not marked:
        parser = CParser(text) if CParser is not None else yaml.SafeLoader(text)
        try:
            return _plain_data(parser)
        except (_Unsure, yaml.YAMLError):
            pass  # the careful reader decides, and says where
        finally:
            parser.dispose()
    return _marked_data(text, path)


def _read_text(path: Path) -> str:
    """The file's text, refused when unreadable, too big, not UTF-8 or with control characters."""
    try:
        raw = read_regular_file(path)
    except _NotReadable as exc:
        raise _refusal(path, 1, 1, str(exc)) from None
    except OSError as exc:
        raise _refusal(path, 1, 1, f"cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise _refusal(
            path, 1, 1, f"file is larger than {MAX_FILE_BYTES // 1000} kB; a routine is far smaller"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _refusal(path, line, column, "file is not UTF-8 text (save it as UTF-8)") from None
    # Checked here rather than left to a parser: the C and Python ones differ.
    control = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if control is not None:
        offset = control.start()
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        message = f"file has a control character (#x{ord(control.group()):04x})"
        raise _refusal(path, line, column, message)
    return text


def _marked_data(text: str, path: Path) -> Any:
    """``text`` composed node by node with every position kept: the careful reader."""
    loader = _Loader(text, path)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _refusal(path, 1, 1, "file is empty")
        return loader.construct_plain(node)
    except _Refused as refused:
        raise RoutineFileError(Issue.at(refused.position, "", refused.message)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise _refusal(path, line, column, f"YAML syntax: {problem}") from None
    except yaml.YAMLError as exc:
        raise _refusal(path, 1, 1, f"YAML: {exc}") from None
    except RecursionError:
        raise _refusal(path, 1, 1, f"data is nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


class _Unsure(Exception):
    """The quick reader met something only the careful reader may judge."""


#: What a mapping waits for when its next event is a key, and what a list holds instead.
_KEY_NEXT = object()
_IN_A_LIST = object()


def _plain_data(parser: Any) -> Any:
    """The one document of ``parser``'s events as plain data, or :class:`_Unsure`.

    The quick twin of :class:`_MarkedComposing`, three to four times faster:
    no nodes, no positions, a loop over the events. It accepts a file only
    where the careful reader would read the very same data, so the safety
    checks hold on every file: anything that reader refuses or reads
    differently (an anchor, an alias, any tag, a merge key, a key that is a list
    or mapping or given twice, text with control or only invisible characters,
    too deep, too many values, not exactly one document) makes it unsure.
    Duplicate keys in particular are looked for here: dict assignment would
    silently keep the last one.
    """
    get_event = parser.get_event
    if type(get_event()) is not StreamStartEvent or type(get_event()) is not DocumentStartEvent:
        raise _Unsure  # an empty file: the careful reader says so
    containers: list[Any] = []  # the open mappings and lists, innermost last
    waiting: list[Any] = []  # for each: the key its next value goes under, or a marker
    nodes = 0
    while True:
        event = get_event()
        kind = type(event)
        if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            nodes += 1
            if event.anchor is not None or event.tag is not None:
                raise _Unsure
            if nodes > MAX_NODES or len(containers) >= MAX_DEPTH:
                raise _Unsure
            a_key = bool(containers) and waiting[-1] is _KEY_NEXT
            if kind is ScalarEvent:
                text = event.value
                plain = event.implicit[0]
                if plain and text == "<<":
                    raise _Unsure  # a merge key, or the merge tag as a value: refused
                if a_key:
                    if text in containers[-1] or _text_problem(text, newlines=False):
                        raise _Unsure
                    waiting[-1] = text
                    continue
                if plain and text in _NULLS:
                    value: Any = None
                elif _text_problem(text, newlines=True):
                    raise _Unsure
                else:
                    value = text
            else:
                if a_key:
                    raise _Unsure  # a list or mapping as a key
                mapping = kind is MappingStartEvent
                containers.append({} if mapping else [])
                waiting.append(_KEY_NEXT if mapping else _IN_A_LIST)
                continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = containers.pop()
            waiting.pop()
        else:
            raise _Unsure  # an alias (or anything else the careful reader judges)
        if not containers:
            break
        under = waiting[-1]
        if under is _IN_A_LIST:
            containers[-1].append(value)
        else:
            containers[-1][under] = value
            waiting[-1] = _KEY_NEXT
    if type(get_event()) is not DocumentEndEvent or type(get_event()) is not StreamEndEvent:
        raise _Unsure  # more than one document
    return value
