"""The loader's fuzz target, run for a bounded time: no finding allowed.

fuzz/fuzz_load.py runs in a subprocess for FUZZ_SECONDS (20 by default) with a fixed libFuzzer
seed, starting from tests/data/invalid and events.yaml. Any exception, crash, hang or memory
blow-up makes libFuzzer write a crash-, timeout- or oom- file and exit non-zero. Without atheris
the test is skipped, except under CI, which must run it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

TARGET = ROOT / "fuzz" / "fuzz_load.py"
SECONDS = int(os.environ.get("FUZZ_SECONDS", "20"))

pytestmark = pytest.mark.slow


def _require_atheris() -> None:
    if importlib.util.find_spec("atheris") is not None:
        return
    reason = "the fuzz test needs atheris (pip install -r requirements-dev.txt)"
    if os.environ.get("CI"):
        pytest.fail(reason + "; CI must run it", pytrace=False)
    pytest.skip(reason)


def test_the_loader_survives_a_bounded_fuzzing_run(tmp_path):
    _require_atheris()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    result = subprocess.run(
        [sys.executable, str(TARGET), "--seconds", str(SECONDS), "-seed=1",
         f"-artifact_prefix={tmp_path}/", str(corpus)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=SECONDS + 120,
    )  # fmt: skip
    findings = sorted(
        path.name for path in tmp_path.iterdir() if path.name.startswith(("crash-", "timeout-",
                                                                          "oom-", "leak-"))
    )  # fmt: skip
    log = result.stderr[-3000:]
    assert findings == [], log
    assert result.returncode == 0, log
    assert "Done " in result.stderr, "libFuzzer ran to its time limit"
