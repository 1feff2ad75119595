"""Reading one YAML value of events.yaml: text, slug, choice, number, date, url or list.

Each reader returns the value, or None after reporting to `Problems` what was expected, what was
found and where. YAML 1.1's traps (a bare `no`, `012` or `10:30` read as a boolean, a number or a
time) are named in the message, with the fix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import yaml
from yaml.error import Mark

from timeline.dates import FuzzyDate, parse_date
from timeline.errors import InvalidDate, Problem, Severity
from timeline.model import is_web_address
from timeline.schema import SLUG
from timeline.yamlnodes import MappingNode, Node, ScalarNode, SequenceNode

# The problem of a required text left empty (the form reads it as "nothing chosen").
EMPTY_TEXT = "expected text, found an empty string"

MAX_NUMBER_CHARS = 40

_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?")
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"


_IMPLICIT_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


def explicit_tag(node: Node) -> str | None:
    """The tag a node was given explicitly (`!!python/object`, `!!int "x"`), shortened."""
    if node.tag not in _IMPLICIT_TAGS or (
        isinstance(node, ScalarNode) and node.style and node.tag != _STR_TAG
    ):
        return node.tag.replace("tag:yaml.org,2002:", "!!")
    return None


class TooManyProblems(Exception):
    """The most errors worth reporting have been reported: reading on would only bury them."""


class Problems:
    """The problems found so far, each positioned; stops the pass at max_errors errors."""

    def __init__(self, name: str, max_errors: int) -> None:
        self.name = name
        self.max_errors = max_errors
        self.found: list[Problem] = []
        self.error_count = 0

    def error(self, node: Node, message: str, record: str | None = None) -> None:
        self.add(node, Severity.ERROR, message, record)

    def warn(self, node: Node, message: str, record: str | None = None) -> None:
        self.add(node, Severity.WARNING, message, record)

    def add(self, node: Node, severity: Severity, message: str, record: str | None) -> None:
        """Record a problem at a node's position."""
        self.add_at(node.start_mark, severity, message, record)

    def add_at(self, mark: Mark, severity: Severity, message: str, record: str | None) -> None:
        """Record a problem at a position kept from a node (a yaml Mark)."""
        self.found.append(
            Problem(self.name, mark.line + 1, mark.column + 1, severity, message, record)
        )
        if severity is Severity.ERROR:
            self.error_count += 1
            if self.error_count >= self.max_errors:
                raise TooManyProblems

    def errors_since(self, count: int) -> bool:
        """Whether any error was reported after the first `count` problems."""
        return any(problem.is_error for problem in self.found[count:])


class Scalars:
    """Readers of one value each: they return it, or None after reporting why it is unusable."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def refuse_tag(self, node: Node, field: str | None, record: str | None) -> bool:
        """Report an explicit tag on a value; True when there was one."""
        tag = explicit_tag(node)
        if tag is None:
            return False
        where = f"{field}: " if field else ""
        self.problems.error(
            node, f"{where}tag '{tag}' is not allowed (expected plain YAML: tags are never run; "
            "remove it)", record,
        )  # fmt: skip
        return True

    def sequence(self, node: Node, field: str, record: str | None) -> list[Node] | None:
        if self.refuse_tag(node, field, record):
            return None
        if isinstance(node, SequenceNode):
            return list(node.value)
        if _is_null(node):
            self.problems.error(node, f"{field}: expected a list, found nothing", record)
        else:
            hint = f" (write [{node.value}])" if isinstance(node, ScalarNode) else ""
            self.problems.error(
                node, f"{field}: expected a list, found {describe(node)}{hint}", record
            )
        return None

    def text(self, node: Node | None, field: str, record: str | None) -> str | None:
        """A text value; YAML 1.1 booleans, numbers and dates written bare are refused."""
        if node is None or self.refuse_tag(node, field, record):
            return None
        if not isinstance(node, ScalarNode):
            self.problems.error(node, f"{field}: expected text, found {describe(node)}", record)
            return None
        if node.tag == _STR_TAG:
            if not node.value.strip():
                self.problems.error(node, f"{field}: {EMPTY_TEXT}", record)
                return None
            return node.value
        if node.tag == _NULL_TAG:
            self.problems.error(node, f"{field}: expected text, found nothing", record)
            return None
        self.problems.error(node, f"{field}: expected text, found {_trap(node)}", record)
        return None

    def texts(self, node: Node | None, field: str, record: str | None) -> tuple[str, ...]:
        if node is None:
            return ()
        items = self.sequence(node, field, record) or []
        values = (self.text(item, f"{field} item", record) for item in items)
        return tuple(value for value in values if value is not None)

    def slug(self, node: Node | None, field: str, record: str | None) -> str | None:
        value = self.text(node, field, record)
        if value is None or SLUG.fullmatch(value):
            return value
        suggestion = "-".join(re.findall(r"[a-z0-9]+", value.lower()))
        hint = f", e.g. '{suggestion}'" if suggestion else ""
        self.problems.error(
            node,
            f"{field}: '{value}' is not a slug (expected lowercase letters, digits and single "
            f"hyphens{hint})",
            record,
        )
        return None

    def choice(
        self, node: Node | None, field: str, choices: Iterable[str], record: str | None
    ) -> str | None:
        value = self.text(node, field, record)
        if value is None or value in choices:
            return value
        close = difflib.get_close_matches(value, list(choices), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        self.problems.error(
            node,
            f"{field}: unknown value '{value}' ({hint}expected one of: {', '.join(choices)})",
            record,
        )
        return None

    def number(
        self,
        node: Node | None,
        field: str,
        record: str | None,
        low: float | None = None,
        high: float | None = None,
    ) -> float | None:
        if node is None or self.refuse_tag(node, field, record):
            return None
        if not isinstance(node, ScalarNode) or node.tag == _NULL_TAG:
            self.problems.error(node, f"{field}: expected a number, found {describe(node)}", record)
            return None
        raw = node.value.strip()
        if node.tag == _STR_TAG:
            what = f"the text '{_short(raw)}'"
            if node.style and (_PLAIN_INT.fullmatch(raw) or _PLAIN_FLOAT.fullmatch(raw)):
                what += " (remove the quotes)"
            self.problems.error(node, f"{field}: expected a number, found {what}", record)
            return None
        if len(raw) > MAX_NUMBER_CHARS:
            self.problems.error(
                node,
                f"{field}: expected a number of at most {MAX_NUMBER_CHARS} characters, found "
                f"one of {len(raw):,}",
                record,
            )
            return None
        if not (_PLAIN_INT.fullmatch(raw) or _PLAIN_FLOAT.fullmatch(raw)):
            self.problems.error(
                node,
                f"{field}: expected a plain decimal number such as 1000 or 49.99, found "
                f"'{_short(raw)}'",
                record,
            )
            return None
        value = float(raw)
        if (low is not None and value < low) or (high is not None and value > high):
            self.problems.error(
                node,
                f"{field}: {raw} is out of range (expected {_number(low)} to {_number(high)})",
                record,
            )
            return None
        return value

    def date(self, node: Node | None, field: str, record: str | None) -> FuzzyDate | None:
        if node is None or self.refuse_tag(node, field, record):
            return None
        if not isinstance(node, ScalarNode) or node.tag == _NULL_TAG or not node.value.strip():
            self.problems.error(node, f"{field}: expected a date, found {describe(node)}", record)
            return None
        try:
            return parse_date(node.value)
        except InvalidDate as error:
            message = str(error) if field == "date" else f"{field}: {error}"
            self.problems.error(node, message, record)
            return None

    def url(self, node: Node | None, field: str, record: str | None) -> str | None:
        value = self.text(node, field, record)
        if value is None:
            return None
        if not is_web_address(value):
            self.problems.error(
                node,
                f"{field}: '{_short(value)}' is not a web address (expected a URL starting "
                "with http:// or https://)",
                record,
            )
            return None
        return value


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL_TAG


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: float | None) -> str:
    return "any" if value is None else f"{value:g}"


def describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL_TAG:
        return "nothing"
    if node.tag == _STR_TAG:
        return f"the text '{_short(node.value)}'"
    return _trap(node)


def _trap(node: ScalarNode) -> str:
    """Describe a bare scalar that YAML 1.1 reads as something other than text."""
    raw = _short(node.value)
    kind = node.tag.rsplit(":", 1)[-1]
    meaning = ""
    if len(node.value) <= MAX_NUMBER_CHARS:
        try:
            value = yaml.safe_load(node.value)
        except (yaml.YAMLError, ValueError, OverflowError):
            value = None
        if kind == "bool":
            meaning = f", which YAML 1.1 reads as the boolean {str(value).lower()}"
        elif kind in ("int", "float") and str(value) != node.value.strip():
            meaning = f", which YAML 1.1 reads as the number {value}"
        elif kind == "timestamp":
            meaning = ", which YAML reads as a date"
    if kind == "bool":
        return f"'{raw}'{meaning or ', which YAML 1.1 reads as a boolean'}; quote it: \"{raw}\""
    if kind in ("int", "float", "timestamp"):
        return f"'{raw}'{meaning or ', which YAML reads as a number'}; quote it: \"{raw}\""
    return f"'{raw}'"
