"""Safe YAML composition into position-carrying nodes, with caps checked before parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
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
    fast = _CLoader is not None and _depth_upper_bound(text) <= max_depth
    loader = None
    try:
        # PyYAML's reader checks every character already when the loader is built.
        loader = _CLoader(text) if fast else _DepthCappedLoader(text, max_depth)
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, text) from None
    except yaml.reader.ReaderError:
        raise _control_character(text) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(f"YAML syntax: {error}", 1, 1) from None
    finally:
        if loader is not None:
            loader.dispose()


def _depth_upper_bound(text: str) -> int:
    """A cheap bound on nesting depth: every open bracket plus two levels per indent column."""
    deepest_indent = 0
    for line in text.splitlines():
        # A line of nothing but "- - - -" nests as deep as it is long.
        indent = len(line) - len(line.lstrip(" -?\t"))
        deepest_indent = max(deepest_indent, indent)
    open_brackets = depth = 0
    for char in text:
        if char in "[{":
            depth += 1
            open_brackets = max(open_brackets, depth)
        elif char in "]}" and depth:
            depth -= 1
    return open_brackets + 2 * deepest_indent + 2


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
    "YamlSyntaxError",
    "compose",
    "find_alias",
    "position",
]
