"""Conflict events from news articles: load, validate, sort, query and extract them."""

from timeline.dates import FuzzyDate, Precision, parse_date
from timeline.errors import InvalidDate, InvalidTimeline, Problem, Severity, TimelineError
from timeline.load import load, load_timeline, parse_timeline
from timeline.model import Actor, Citation, Event, Figure, Link, Place, Source, Story, Timeline

__all__ = [
    "Actor",
    "Citation",
    "Event",
    "Figure",
    "FuzzyDate",
    "InvalidDate",
    "InvalidTimeline",
    "Link",
    "Place",
    "Precision",
    "Problem",
    "Severity",
    "Source",
    "Story",
    "Timeline",
    "TimelineError",
    "load",
    "load_timeline",
    "parse_date",
    "parse_timeline",
]
