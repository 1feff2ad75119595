"""Domain exceptions and the positioned problems that validation reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors make the file invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    record: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        about = f"{self.record}: " if self.record else ""
        return f"{where}: {self.severity.value}: {about}{self.message}"

    @property
    def is_error(self) -> bool:
        """Whether this problem makes the file invalid."""
        return self.severity is Severity.ERROR


class TimelineError(Exception):
    """Base class of every error the timeline package raises on purpose."""


class InvalidDate(TimelineError, ValueError):
    """A date string is not one of the accepted forms or is not a real day."""


class InvalidTimeline(TimelineError):
    """An events file has errors; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [problem for problem in problems if problem.is_error]
        super().__init__("\n".join(str(problem) for problem in errors))


class UnreadableArticle(TimelineError):
    """An article file cannot be read or decoded."""


class UnknownSource(TimelineError, KeyError):
    """A source to cite is not in the events file's sources (add it there first)."""

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownStory(TimelineError, KeyError):
    """The story asked for is not in the events file."""

    def __str__(self) -> str:
        return str(self.args[0])
