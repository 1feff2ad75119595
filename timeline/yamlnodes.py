"""Safe YAML composition into position-carrying nodes, with caps checked before parsing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import yaml
from yaml.composer import Composer
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from timeline.errors import TimelineError

MAX_DEPTH = 64
# libyaml's composer recurses in C: a few thousand nested brackets crash the whole process,
# so files that might nest deeply are composed by the pure-Python composer, which we cap.
_CLoader = getattr(yaml, "CSafeLoader", None)
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


class YamlSyntaxError(TimelineError):
    """The text is not YAML this package accepts; carries a 1-based position."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column in the file."""

    line: int
    column: int


def position(node: Node) -> Position:
    """Where a node starts, 1-based."""
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def compose(text: str, max_depth: int = MAX_DEPTH) -> Node | None:
    """Compose one YAML document into nodes (no construction, so no tags run); None if empty."""
    loader = None
    try:
        with _syntax_errors(text):
            # PyYAML's reader checks every character already when the loader is built.
            loader = _loader(text, max_depth)
            return loader.get_single_node()
    finally:
        if loader is not None:
            loader.dispose()


Entry = tuple[Node, Node, Iterator[Node]]


class TopLevel:
    """A document composed one top-level entry, and one list item, at a time.

    Composed whole, a 100,000-event file is millions of nodes: gigabytes, most of the time
    spent in the garbage collector. Read this way, only the item being validated is in memory.
    Syntax errors surface as YamlSyntaxError from `entries()`, where the parser meets them.
    """

    def __init__(self, text: str, max_depth: int = MAX_DEPTH) -> None:
        self.text = text
        self.max_depth = max_depth
        # Known once entries() is exhausted: the root (None for an empty document), its
        # collection values left empty, and where the first alias is, if there is one.
        self.root: Node | None = None
        self.alias: Position | None = None

    def entries(self) -> Iterator[Entry]:
        """(key, value, items) for each top-level entry of a mapping root.

        A list value is yielded empty, its items composed on demand by `items`; other values
        come whole. Nothing more is yielded once an alias has been seen, though the rest of the
        document is still composed, so that a later syntax error is still the one reported.
        """
        loader = None
        try:
            with _syntax_errors(self.text):
                loader = _loader(self.text, self.max_depth)
                if isinstance(loader, _DepthCappedLoader):
                    yield from self._composed_entries(loader.get_single_node())
                else:
                    yield from self._streamed_entries(loader)
        finally:
            if loader is not None:
                loader.dispose()

    def _parsed(self, items: Iterator[Node]) -> Iterator[Node]:
        """Items read by the consumer, outside entries(): their syntax errors need the same care."""
        with _syntax_errors(self.text):
            yield from items

    def _composed_entries(self, root: Node | None) -> Iterator[Entry]:
        """Entries of a document the depth-capped loader has already composed whole."""
        self.root = root
        if root is not None and has_reused_node(root):
            self.alias = find_alias(self.text)
        if self.alias is not None or not isinstance(root, MappingNode):
            return
        for key, value in root.value:
            if isinstance(value, SequenceNode):
                yield key, _emptied(value), iter(value.value)
            else:
                yield key, value, iter(())

    def _streamed_entries(self, loader: _EventComposer) -> Iterator[Entry]:
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            loader.get_event()
            return
        document = loader.get_event()
        if not loader.check_event(MappingStartEvent):
            self.root = _shell(loader)
        else:
            start = loader.get_event()
            root = MappingNode(
                loader.resolve(MappingNode, None, start.implicit) if start.tag in (None, "!")
                else start.tag,
                [], start.start_mark, None, flow_style=start.flow_style,
            )  # fmt: skip
            if start.anchor is not None:
                loader.anchors[start.anchor] = root
            while not loader.check_event(MappingEndEvent):
                key = loader.compose_node(root, None)
                if loader.check_event(SequenceStartEvent):
                    value = _sequence_start(loader)
                    items = _items(loader, value)
                    if loader.alias_mark is None:
                        yield key, value, self._parsed(_until_alias(items, loader))
                    for _ in items:  # whatever the consumer left unread
                        pass
                else:
                    value = _shell(loader)
                    if loader.alias_mark is None:
                        yield key, value, iter(())
                root.value.append((key, value))
            root.end_mark = loader.get_event().end_mark
            self.root = root
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", document.start_mark,
                "but found another document", loader.get_event().start_mark,
            )  # fmt: skip
        if loader.alias_mark is not None:
            self.alias = Position(loader.alias_mark.line + 1, loader.alias_mark.column + 1)


@contextmanager
def _syntax_errors(text: str) -> Iterator[None]:
    """PyYAML's errors, as positioned YamlSyntaxErrors."""
    try:
        yield
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, text) from None
    except yaml.reader.ReaderError:
        raise _control_character(text) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(f"YAML syntax: {error}", 1, 1) from None


def _loader(text: str, max_depth: int) -> _EventComposer | _DepthCappedLoader:
    if _CLoader is not None and not _could_nest_deeper_than(text, max_depth):
        return _EventComposer(text)
    return _DepthCappedLoader(text, max_depth)


def _could_nest_deeper_than(text: str, max_depth: int) -> bool:
    """A cheap bound on nesting depth: every open bracket plus two levels per indent column."""
    open_brackets = depth = 0
    if "[" in text or "{" in text:
        for bracket in _BRACKET.finditer(text):
            if bracket[0] in "[{":
                depth += 1
                open_brackets = max(open_brackets, depth)
            elif depth:
                depth -= 1
    # A line of nothing but "- - - -" nests as deep as it is long.
    deep_indent = max(0, (max_depth - open_brackets - 2) // 2 + 1)
    return open_brackets + 2 > max_depth or (
        re.search(rf"{_LINE_BREAK}[ \-?\t]{{{deep_indent},}}", "\n" + text) is not None
    )


_BRACKET = re.compile(r"[\[\]{}]")
# Everywhere str.splitlines() breaks a line (YAML 1.1 also breaks at U+0085 and U+2028). The
# scan above runs behind one "\n", so the first line starts after a break too: matching the
# break itself is 6x faster than a look-behind at every offset (57 MB: 2.1 s -> 0.34 s).
_LINE_BREAK = "[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]"


def has_reused_node(root: Node) -> bool:
    """Whether some node is reachable twice: that only happens through an alias."""
    seen: set[int] = set()
    for node in walk(root):
        if id(node) in seen:
            return True  # before walking into it again: an alias may make a cycle
        seen.add(id(node))
    return False


def walk(root: Node) -> Iterator[Node]:
    """Every node of a tree, parents before children; one reachable twice comes twice."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)


class _EventComposer(_CLoader or yaml.SafeLoader):
    """PyYAML's own composer, run over libyaml's events so that it can stop between items."""

    compose_scalar_node = Composer.compose_scalar_node
    compose_sequence_node = Composer.compose_sequence_node
    compose_mapping_node = Composer.compose_mapping_node

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.anchors: dict[str, Node] = {}
        self.alias_mark: yaml.Mark | None = None

    def compose_node(self, parent, index):  # PyYAML calls it with these two arguments
        if self.alias_mark is None and self.check_event(AliasEvent):
            self.alias_mark = self.peek_event().start_mark
        return Composer.compose_node(self, parent, index)


def _sequence_start(loader: _EventComposer) -> SequenceNode:
    """Read a sequence's start event into an empty SequenceNode (its end mark comes later)."""
    start = loader.peek_event()
    if start.anchor is not None and start.anchor in loader.anchors:
        loader.compose_node(None, None)  # raises PyYAML's duplicate-anchor error
    loader.get_event()
    tag = start.tag
    if tag is None or tag == "!":
        tag = loader.resolve(SequenceNode, None, start.implicit)
    node = SequenceNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
    if start.anchor is not None:
        loader.anchors[start.anchor] = node
    return node


def _items(loader: _EventComposer, sequence: SequenceNode) -> Iterator[Node]:
    """Compose a sequence's items one at a time, then read its end event."""
    index = 0
    while not loader.check_event(SequenceEndEvent):
        yield loader.compose_node(sequence, index)
        index += 1
    sequence.end_mark = loader.get_event().end_mark


def _until_alias(items: Iterator[Node], loader: _EventComposer) -> Iterator[Node]:
    """Items up to the first one holding an alias: validating aliased trees could explode."""
    for item in items:
        if loader.alias_mark is not None:
            return
        yield item


def _shell(loader: _EventComposer) -> Node:
    """The next node, but a collection comes back empty: its items are composed and dropped."""
    if loader.check_event(SequenceStartEvent):
        node = _sequence_start(loader)
        for _ in _items(loader, node):
            pass
        return node
    if loader.check_event(MappingStartEvent) and loader.peek_event().anchor is None:
        start = loader.get_event()
        tag = start.tag
        if tag is None or tag == "!":
            tag = loader.resolve(MappingNode, None, start.implicit)
        node = MappingNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        while not loader.check_event(MappingEndEvent):
            loader.compose_node(node, None)
            loader.compose_node(node, None)
        node.end_mark = loader.get_event().end_mark
        return node
    return loader.compose_node(None, None)


def _emptied(node: SequenceNode) -> SequenceNode:
    return SequenceNode(node.tag, [], node.start_mark, node.end_mark, flow_style=node.flow_style)


class _DepthCappedLoader(yaml.SafeLoader):
    """The pure-Python composer, refusing to nest deeper than a cap."""

    def __init__(self, text: str, max_depth: int) -> None:
        super().__init__(text)
        self._max_depth = max_depth
        self._depth = 0

    def compose_node(self, parent, index):  # PyYAML calls it with these two arguments
        self._depth += 1
        try:
            if self._depth > self._max_depth:
                mark = self.peek_event().start_mark
                raise YamlSyntaxError(
                    f"nesting is deeper than {self._max_depth} levels "
                    f"(expected at most {self._max_depth})",
                    mark.line + 1,
                    mark.column + 1,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _control_character(text: str) -> YamlSyntaxError:
    """The first character YAML refuses to read, with its exact position."""
    found = _NOT_PRINTABLE.search(text)
    index = found.start() if found else 0
    line, column = _line_column(text, index)
    return YamlSyntaxError(
        f"control character U+{ord(text[index]):04X} is not allowed in YAML (expected "
        "printable text; remove it or write it as an escape in a double-quoted string)",
        line,
        column,
    )


def _syntax_error(error: yaml.MarkedYAMLError, text: str) -> YamlSyntaxError:
    if _NOT_PRINTABLE.search(text) and "characters are not allowed" in str(error.problem):
        return _control_character(text)
    unclosed = _unclosed_quote(error, text)
    if unclosed is not None:
        return unclosed
    mark = error.problem_mark or error.context_mark
    problem = error.problem or "invalid YAML"
    message = f"YAML syntax: {problem}"
    if error.context and error.context_mark and mark and error.context_mark.line != mark.line:
        message += f" ({error.context} at line {error.context_mark.line + 1})"
    if "duplicate anchor" in str(error.context) and mark is not None:
        name = re.match(r"&([^\s,\[\]{}]+)", text[mark.index :]) if mark.index is not None else None
        first = error.context_mark.line + 1 if error.context_mark else "?"
        message = (
            f"duplicate anchor '&{name[1] if name else '?'}' (first defined at line {first}); "
            "remove the anchors (expected every value written out: aliases are not allowed)"
        )
    elif (
        "expected a single document" in str(error.context)
        or "but found another document" in problem
    ):
        message = "the file holds several YAML documents (expected one; remove the extra '---')"
    elif "'\\t'" in problem or _tab_near(text, mark):
        message += " (YAML does not allow tabs for indentation; use spaces)"
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    return YamlSyntaxError(message, line, column)


# A line whose value starts with a quote: `key: "...`, `- "...` or `- key: '...`.
_OPENS_QUOTE = re.compile(r"[ ]*(?:-[ ]+)*(?:[\w.-]+:[ ]+|-[ ]+)([\"'])")
# What starts a line of YAML structure: a key, a list item or a comment. A value left open
# runs on over such lines; a quoted value meant to continue runs on over prose.
_STRUCTURE = re.compile(r"[ ]*(?:[\w.-]+:(?:[ ]|$)|-(?:[ ]|$)|#)")
# A whole quoted scalar by YAML's rules: backslash escapes in double quotes, '' in single
# (whose first quote does not end the value, however the pattern backtracks).
_QUOTED = {
    '"': re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL),
    "'": re.compile(r"'(?:[^']|'')*'(?!')"),
}
_PARSER_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# How far above an error to look for the quote that caused it.
_QUOTE_LOOKBACK = 200


def _unclosed_quote(error: yaml.MarkedYAMLError, text: str) -> YamlSyntaxError | None:
    """The error at the line where a quoted value opened and was not closed, when that is
    what the parser tripped over further down; None otherwise.

    Either the quote never closes (the scanner says so, from where it opened), or the next
    quote character down the file closed it and the parser failed right there, on the line
    that quote is on or the next one.
    """
    context, problem = str(error.context), str(error.problem)
    mark = error.problem_mark
    if mark is None:
        return None
    # Split as the parser counts lines (a lone CR, NEL, LS and PS break lines too), so that a
    # mark's line indexes the line it names.
    lines = _PARSER_LINE_BREAK.split(text, maxsplit=mark.line + 1)[: mark.line + 1]
    if mark.line >= len(lines):
        return None
    if context == "while scanning a quoted scalar" and error.context_mark is not None:
        start = error.context_mark
        # The quote that never closes may itself be the closing quote of one opened above.
        found = _quote_closed_at(lines, start.line, start.column)
        if found is None:
            end = "the end of the file" if "end of stream" in problem else f"line {mark.line + 1}"
            quote = lines[start.line][start.column] if start.line < len(lines) else '"'
            return _not_closed(start.line, start.column, quote, f"found none before {end}")
    else:
        found = _quote_closed_at(lines, mark.line, mark.column)
        if found is None and mark.line:
            found = _quote_closed_at(lines, mark.line - 1, len(lines[mark.line - 1]))
    if found is None:
        return None
    line, column, closed_line, closed_column = found
    quote = lines[line][column]
    return _not_closed(
        line, column, quote,
        f"found the next {quote} only at line {closed_line + 1}, column {closed_column + 1}",
    )  # fmt: skip


def _quote_closed_at(lines: list[str], line: int, column: int) -> tuple[int, int, int, int] | None:
    """(line, column) where a quoted value opened above `line` without closing on its own line
    and (line, column) of the quote that closed it, at or before `column` of `line` (0-based);
    None if no such value is within reach."""
    for opened in range(line - 1, max(line - _QUOTE_LOOKBACK, 0) - 1, -1):
        found = _OPENS_QUOTE.match(lines[opened])
        if found is None:
            continue
        quote, start = found[1], found.start(1)
        if _QUOTED[quote].match(lines[opened], start):
            continue  # closed on its own line
        following = next((text for text in lines[opened + 1 : line + 1] if text.strip()), "")
        if not _STRUCTURE.match(following):
            continue  # the value goes on over prose: written over several lines on purpose
        rest = "\n".join([lines[opened][start:], *lines[opened + 1 : line + 1]])
        whole = _QUOTED[quote].match(rest)
        if whole is None:
            return None
        closed_line = opened + whole[0].count("\n")
        closed_column = (
            len(whole[0]) - 1 - whole[0].rfind("\n") - 1 if closed_line > opened
            else start + len(whole[0]) - 1
        )  # fmt: skip
        if closed_line == line and closed_column <= column:
            return opened, start, closed_line, closed_column
        return None
    return None


def _not_closed(line: int, column: int, quote: str, found: str) -> YamlSyntaxError:
    return YamlSyntaxError(
        f"YAML syntax: the quoted value opened here is not closed on this line (expected a "
        f"closing {quote} before the line ends; {found})",
        line + 1,
        column + 1,
    )


def _tab_near(text: str, mark: yaml.Mark | None) -> bool:
    """Whether the line of a syntax error starts with a tab or has one at the error."""
    if mark is None:
        return False
    line = text.split("\n")[mark.line] if mark.line < text.count("\n") + 1 else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return "\t" in indent or line[mark.column : mark.column + 1] == "\t"


def find_alias(text: str) -> Position:
    """Where the first alias (`*name`) of a text is; only called once reuse has been seen."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return Position(event.start_mark.line + 1, event.start_mark.column + 1)
    except yaml.YAMLError:
        pass  # libyaml composed what PyYAML's parser refuses: fall back to the text
    found = re.search(r"(?:^|(?<=[\s\[{,]))\*[^\s,\[\]{}]+", text, re.MULTILINE)
    return Position(*_line_column(text, found.start())) if found else Position(1, 1)


__all__ = [
    "MappingNode",
    "Node",
    "Position",
    "ScalarNode",
    "SequenceNode",
    "TopLevel",
    "YamlSyntaxError",
    "compose",
    "find_alias",
    "has_reused_node",
    "position",
]
