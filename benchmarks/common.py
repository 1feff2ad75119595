"""What every benchmark does the same way: a synthetic file, a probe in a fresh interpreter,
medians over runs, the line that says where it was measured, and the time a whole run took."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
# Probes see the project and nothing of the caller's environment (no cache folder, no events
# file), so every run starts from the same state.
CLEAN_ENV = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}


def synthetic_file(count: int, path: Path) -> Path:
    """Write the synthetic events file of `count` events (seed 1) to path and return path."""
    subprocess.run(
        [sys.executable, "-m", "timeline", "synth", "--events", str(count), "--seed", "1",
         "--out", str(path)], cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return path


def fresh_process(code: str, *args: str, env: Mapping[str, str] = CLEAN_ENV) -> dict:
    """Run code in a fresh interpreter (as a file: Dask's processes re-import it) with args,
    and return the JSON object it prints last."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(code)
    try:
        result = subprocess.run(
            [sys.executable, handle.name, *args], cwd=ROOT, capture_output=True, text=True,
            check=True, env=dict(env),
        )  # fmt: skip
    finally:
        os.unlink(handle.name)
    return json.loads(result.stdout.strip().splitlines()[-1])


def medians(results: list[dict]) -> dict:
    """The median of every number over several runs' results; the last run's other values."""
    merged = dict(results[-1])
    for key, value in merged.items():
        if isinstance(value, float | int) and not isinstance(value, bool):
            merged[key] = statistics.median(result[key] for result in results)
    return merged


def probe_medians(code: str, path: Path, runs: int) -> dict:
    """Medians of what code measured over `runs` fresh interpreters, each given PATH (the
    events file) and CACHE (a cache folder beside it)."""
    cache = path.with_name(path.stem + "-cache")
    code = f"PATH = {str(path)!r}\nCACHE = {str(cache)!r}\n" + code
    return medians([fresh_process(code) for _ in range(runs)])


def measured_on() -> str:
    """When and on what the figures were measured: today, the machine, its cores, Python."""
    return (
        f"Measured {date.today().isoformat()} on {platform.machine()} ({os.cpu_count()} cores), "
        f"Python {platform.python_version()}"
    )


def run_timed(main: Callable[[], int]) -> NoReturn:
    """Run a benchmark's main, say how long the whole run took, and exit with its status."""
    started = time.perf_counter()
    status = main()
    print(f"took {time.perf_counter() - started:.0f} s")
    sys.exit(status)
