"""Fuzzing timeline.load.parse_timeline with atheris: any exception, crash or hang is a finding.

parse_timeline documents no exception at all: every problem of a file is returned, positioned,
in Timeline.problems. So the target treats any exception as a finding, and checks the promises
a returned Timeline makes: problems have a line >= 0 and a message, events are in sort_key order,
every kept event refers only to records that were kept, and a file loaded without problems
loads the same through the exact path (use_fast_path=False) as through the fast one.

    python fuzz/fuzz_load.py --seconds 60                 # seeds: tests/data/invalid, events.yaml
    python fuzz/fuzz_load.py --seconds 60 -jobs=4 -workers=4
    python fuzz/fuzz_load.py crash-0123abcd               # run one input again (a reproducer)

Other arguments go to libFuzzer as they are (-max_len, -seed, -artifact_prefix, corpus folders).
See fuzz/README.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Only our code is instrumented: instrumenting PyYAML's pure-Python parser slows every run
# tenfold and turns its slow but bounded paths into false timeouts.
with atheris.instrument_imports(include=["timeline"]):
    from timeline.load import parse_timeline
    from timeline.model import Timeline

CORPUS = ROOT / "tests" / "data" / "invalid"
SEED_FILES = [
    *sorted(CORPUS.glob("*.yaml")),
    ROOT / "events.yaml",
    ROOT / "tests" / "data" / "small" / "events.yaml",
]
DICTIONARY = Path(__file__).resolve().parent / "yaml.dict"
# Long enough for whole events files, short enough for thousands of runs a second; seeds
# longer than this are cut to it.
MAX_LEN = 16_384
DEFAULT_FLAGS = [f"-max_len={MAX_LEN}", "-timeout=30", "-rss_limit_mb=2048", f"-dict={DICTIONARY}"]


class Finding(AssertionError):
    """parse_timeline returned a Timeline that breaks one of its promises."""


def fuzz_one_input(data: bytes) -> None:
    """Parse any bytes as an events file (article paths resolve like the corpus's)."""
    timeline = parse_timeline(data, "fuzz.yaml", CORPUS)
    check(timeline)
    if not timeline.problems:
        # It may have come through the fast path, which promises the exact path's result.
        exact = parse_timeline(data, "fuzz.yaml", CORPUS, use_fast_path=False)
        if not same(timeline, exact):
            raise Finding("the fast path and the exact path load different timelines")


def check(timeline: Timeline) -> None:
    """Raise Finding unless the timeline keeps the promises of parse_timeline."""
    for problem in timeline.problems:
        if problem.line < 0 or problem.column < 0 or not problem.message:
            raise Finding(f"badly positioned problem: {problem!r}")
    keys = [event.sort_key for event in timeline.events]
    if keys != sorted(keys):
        raise Finding("events are not in sort_key order")
    kept = {event.id for event in timeline.events}
    for event in timeline.events:
        held = [
            *(story in timeline.stories for story in event.stories),
            *(place in timeline.places for place in event.places),
            *(actor in timeline.actors for actor in event.actors),
            *(cited.source in timeline.sources for cited in event.sources),
            *(figure.source in timeline.sources for figure in event.figures),
            *(link.event in kept for link in event.links),
        ]
        if not all(held):
            raise Finding(f"event '{event.id}' refers to a record that was left out")


def same(first: Timeline, second: Timeline) -> bool:
    """Whether two timelines hold the same records and problems."""
    sections = ("sources", "places", "actors", "stories", "events", "problems")
    return all(getattr(first, name) == getattr(second, name) for name in sections)


def seed_folder() -> str:
    """A temporary folder holding the seed files, each cut to MAX_LEN bytes."""
    folder = Path(tempfile.mkdtemp(prefix="fuzz-load-seeds-"))
    for path in SEED_FILES:
        (folder / path.name).write_bytes(path.read_bytes()[:MAX_LEN])
    return str(folder)


def libfuzzer_arguments(argv: list[str]) -> list[str]:
    """Turn `--seconds N` into -max_total_time=N, add defaults, and the seeds after any folders.

    libFuzzer saves new inputs in the first folder given; files given instead of folders are
    run once each (reproducing a finding), without seeds.
    """
    program, *rest = argv
    flags: list[str] = []
    inputs: list[str] = []
    while rest:
        argument = rest.pop(0)
        if argument == "--seconds":
            flags.append(f"-max_total_time={int(rest.pop(0))}")
        elif argument.startswith("--seconds="):
            flags.append(f"-max_total_time={int(argument.split('=', 1)[1])}")
        elif argument.startswith("-"):
            flags.append(argument)
        else:
            inputs.append(argument)
    given = {flag.split("=", 1)[0] for flag in flags}
    flags += [flag for flag in DEFAULT_FLAGS if flag.split("=", 1)[0] not in given]
    if all(Path(item).is_dir() for item in inputs):
        inputs.append(seed_folder())
    return [program, *flags, *inputs]


def main() -> None:
    atheris.Setup(libfuzzer_arguments(sys.argv), fuzz_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
