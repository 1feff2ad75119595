"""./run on a machine that has only Python: it makes .venv, installs requirements.txt into it
only when that file changes, starts streamlit from the project folder with the arguments given,
and fetches pip itself where ensurepip is missing (Debian without python3-venv).

Each test runs the real script on a scratch copy whose requirements.txt names small local
wheels and whose `streamlit` is a stand-in module that reports how it was started, so nothing is
downloaded; where pip has to be fetched, it comes from a package index served on 127.0.0.1.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.browser_support import serving
from tests.conftest import ROOT

# The Python this test run is built on (outside its venv): what `python3` is on a fresh machine.
BASE_PYTHON = Path(sys._base_executable)
DEBIAN_PYTHON = Path("/usr/bin/python3")
STAND_IN = """\
import json, os, sys
print(json.dumps({"argv": sys.argv[1:], "cwd": os.getcwd(), "prefix": sys.prefix,
                  "events": os.environ.get("TIMELINE_EVENTS")}))
"""


def make_wheel(folder: Path, name: str, version: str) -> Path:
    """A pure-Python wheel of one module `name` holding VERSION; return its path."""
    path = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    files = {
        f"{name}.py": f"VERSION = {version!r}\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{file},,\n" for file in [*files, f"{info}/RECORD"])
    with zipfile.ZipFile(path, "w") as wheel:
        for file, text in {**files, f"{info}/RECORD": record}.items():
            wheel.writestr(file, text)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch project: the real ./run, a stand-in streamlit, and two local wheels."""
    folder = tmp_path / "project"
    (folder / "streamlit").mkdir(parents=True)
    shutil.copy2(ROOT / "run", folder / "run")
    (folder / "streamlit" / "__main__.py").write_text(STAND_IN)
    (folder / "wheels").mkdir()
    make_wheel(folder / "wheels", "marker_one", "1.0")
    make_wheel(folder / "wheels", "marker_two", "2.0")
    (folder / "requirements.txt").write_text("./wheels/marker_one-1.0-py3-none-any.whl\n")
    return folder


def run_script(
    project: Path, *args: str, python: Path | str = BASE_PYTHON, cwd: Path | None = None, **env
) -> subprocess.CompletedProcess:
    """Run ./run the way a user types it, with nothing of this test run's venv around it."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "TIMELINE_EVENTS"}
        and not key.startswith("PIP_")
    }
    environment.update(
        PYTHON=str(python), PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", **env
    )
    return subprocess.run(
        [str(project / "run"), *args],
        cwd=cwd or project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def started(result: subprocess.CompletedProcess) -> dict:
    """What the stand-in streamlit reported, after checking that ./run got that far."""
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.splitlines()[-1])


def venv_imports(project: Path, module: str) -> str:
    """Where .venv's python finds module."""
    return subprocess.run(
        [project / ".venv" / "bin" / "python", "-c", f"import {module}; print({module}.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def pythons() -> list[Path]:
    """The Python of this test run and, where it is another one, Debian's own: when it is 3.11+
    and has ensurepip (without it, pip would come from PyPI; the test index covers that case)."""
    found = [BASE_PYTHON]
    if DEBIAN_PYTHON.exists() and DEBIAN_PYTHON.resolve() != BASE_PYTHON.resolve():
        usable = subprocess.run(
            [DEBIAN_PYTHON, "-c", "import sys, ensurepip; sys.exit(sys.version_info < (3, 11))"],
            capture_output=True,
        )
        if usable.returncode == 0:
            found.append(DEBIAN_PYTHON)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("python", pythons(), ids=str)
def test_installs_into_its_own_venv_once_per_change_of_requirements(project, tmp_path, python):
    first = run_script(project, "--server.port", "8502", "--theme.base", "a b", python=python)
    report = started(first)
    assert report["argv"] == ["run", "app.py", "--server.port", "8502", "--theme.base", "a b"]
    assert Path(report["cwd"]) == project
    assert Path(report["prefix"]) == project / ".venv"
    assert "installing requirements.txt into .venv" in first.stderr
    assert Path(venv_imports(project, "marker_one")).is_relative_to(project / ".venv")
    outside = subprocess.run([python, "-c", "import marker_one"], capture_output=True)
    assert outside.returncode != 0, "the wheel went into the system Python"

    # Unchanged requirements: pip is not run again (it would fail on the missing wheel).
    (project / "wheels" / "marker_one-1.0-py3-none-any.whl").unlink()
    again = run_script(project, python=python)
    assert started(again)["argv"] == ["run", "app.py"]
    assert "installing" not in again.stderr

    (project / "requirements.txt").write_text("./wheels/marker_two-2.0-py3-none-any.whl\n")
    changed = run_script(project, python=python)
    started(changed)
    assert "installing requirements.txt into .venv" in changed.stderr
    assert Path(venv_imports(project, "marker_two")).is_relative_to(project / ".venv")


@pytest.mark.slow
def test_a_relative_events_file_still_names_the_file_where_run_was_typed(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    relative = run_script(project, cwd=elsewhere, TIMELINE_EVENTS="mine.yaml")
    assert started(relative)["events"] == str(elsewhere / "mine.yaml")
    absolute = run_script(project, cwd=elsewhere, TIMELINE_EVENTS="/data/theirs.yaml")
    assert started(absolute)["events"] == "/data/theirs.yaml"


@pytest.mark.slow
def test_a_venv_whose_python_is_gone_is_made_again(project):
    venv = project / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /nonexistent\n")
    (venv / "bin" / "python").symlink_to("/nonexistent/python3")
    report = started(run_script(project))
    assert Path(report["prefix"]) == venv
    assert Path(venv_imports(project, "marker_one")).is_relative_to(venv)


def fake_python(folder: Path, version: str) -> Path:
    """A `python3` that says it is this version and is older than 3.11."""
    path = folder / "python3"
    path.write_text(f"#!/bin/sh\necho {version}\nexit 1\n")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize(
    ("python", "message"),
    [
        ("/nonexistent/python3", "run: cannot find /nonexistent/python3: install Python 3.11 or "
         "newer (Debian: apt install python3), or set PYTHON=/path/to/python3"),
        ("old", "run: the dashboard needs Python 3.11 or newer; {python} is 3.10.4 (set "
         "PYTHON=/path/to/python3.11 or newer)"),
    ],
)  # fmt: skip
def test_a_missing_or_old_python_is_named_with_what_to_do(project, tmp_path, python, message):
    if python == "old":
        python = str(fake_python(tmp_path, "3.10.4"))
    result = run_script(project, python=python)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [message.format(python=python)]
    assert not (project / ".venv").exists()


def test_a_venv_folder_that_is_something_else_is_left_alone(project):
    (project / ".venv").mkdir()
    (project / ".venv" / "notes.txt").write_text("mine")
    result = run_script(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"run: {project}/.venv is in the way and is not a virtual environment: "
        "move it away and run again"
    ]
    assert [path.name for path in (project / ".venv").iterdir()] == ["notes.txt"]


@pytest.fixture(scope="module")
def python_without_ensurepip(tmp_path_factory) -> Path:
    """A copy of this run's base Python whose standard library lacks ensurepip, as Debian's
    does until python3-venv is installed."""
    home = tmp_path_factory.mktemp("no-ensurepip")
    stdlib = Path(sysconfig.get_path("stdlib", vars={"installed_base": sys.base_prefix}))
    (home / "bin").mkdir()
    copy = home / "lib" / stdlib.name
    copy.mkdir(parents=True)
    for entry in stdlib.iterdir():
        if entry.name != "ensurepip":
            (copy / entry.name).symlink_to(entry)
    python = home / "bin" / BASE_PYTHON.name
    shutil.copy2(BASE_PYTHON.resolve(), python)
    check = subprocess.run([python, "-c", "import ensurepip"], capture_output=True, text=True)
    assert "No module named 'ensurepip'" in check.stderr
    return python


def bundled_pip_wheel() -> Path:
    """pip's wheel as this run's Python ships it (or Debian's python3-pip-whl)."""
    stdlib = Path(sysconfig.get_path("stdlib", vars={"installed_base": sys.base_prefix}))
    for folder in (stdlib / "ensurepip" / "_bundled", Path("/usr/share/python-wheels")):
        found = sorted(folder.glob("pip-*-py3-none-any.whl"))
        if found:
            return found[-1]
    pytest.fail("no pip wheel bundled with this Python to serve from the test index")


YANKED = ' data-yanked=""'


class IndexHandler(BaseHTTPRequestHandler):
    """A package index with one project, pip: its simple page (JSON or HTML) and its files."""

    def __init__(self, *args, index: dict, **kwargs) -> None:
        self.index = index
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        files = self.index["files"]
        if self.path == "/simple/pip/" and self.index["format"] == "json":
            listing = [
                {"filename": name, "url": f"/files/{name}", "hashes": {"sha256": digest},
                 **({"yanked": True} if yanked else {})}
                for name, (_, digest, yanked) in files.items()
            ]  # fmt: skip
            body = json.dumps({"meta": {"api-version": "1.1"}, "files": listing}).encode()
            kind = "application/vnd.pypi.simple.v1+json"
        elif self.path == "/simple/pip/":
            body = "".join(
                f'<a href="../../files/{name}#sha256={digest}"{YANKED if yanked else ""}>'
                f"{name}</a><br/>\n"
                for name, (_, digest, yanked) in files.items()
            ).encode()
            kind = "text/html"
        elif self.path.startswith("/files/") and self.path[7:] in files:
            body, kind = files[self.path[7:]][0], "application/octet-stream"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def index() -> Iterator[tuple[str, dict]]:
    """A package index on 127.0.0.1: its URL, and {"format", "files": {name: (bytes, sha256,
    yanked)}} to fill in."""
    content: dict = {"format": "json", "files": {}}
    with serving(functools.partial(IndexHandler, index=content)) as url:
        yield f"{url}/simple", content


def listed(data: bytes, yanked: bool = False, digest: str | None = None) -> tuple:
    return data, digest or hashlib.sha256(data).hexdigest(), yanked


@pytest.mark.slow
@pytest.mark.parametrize("page_format", ["json", "html"])
def test_without_ensurepip_pip_comes_from_the_index(
    project, python_without_ensurepip, index, page_format
):
    url, content = index
    pip = bundled_pip_wheel()
    content["format"] = page_format
    # The newest final release that is not yanked, whatever the order of the listing.
    content["files"] = {
        "pip-99.0-py3-none-any.whl": listed(b"yanked", yanked=True),
        "pip-99.1b1-py3-none-any.whl": listed(b"a pre-release"),
        pip.name: listed(pip.read_bytes()),
        "pip-1.5.6-py3-none-any.whl": listed(b"too old"),
        "pip-99.0.tar.gz": listed(b"a source archive"),
    }
    result = run_script(project, python=python_without_ensurepip, PIP_INDEX_URL=url)
    assert Path(started(result)["prefix"]) == project / ".venv"
    assert result.stderr.splitlines()[:2] == [
        f"run: making .venv with {python_without_ensurepip} {sys.version.split()[0]}",
        "run: this Python has no ensurepip (on Debian: apt install python3-venv); "
        "fetching pip instead",
    ]
    installed = subprocess.run(
        [project / ".venv" / "bin" / "python", "-m", "pip", "--version"],
        capture_output=True,
        text=True,
    ).stdout
    assert installed.startswith(f"pip {pip.name.split('-')[1]} from {project}/.venv/")
    assert Path(venv_imports(project, "marker_one")).is_relative_to(project / ".venv")


def test_a_pip_wheel_that_does_not_match_its_hash_is_not_installed(
    project, python_without_ensurepip, index
):
    url, content = index
    content["files"] = {"pip-24.0-py3-none-any.whl": listed(b"tampered", digest="0" * 64)}
    result = run_script(project, python=python_without_ensurepip, PIP_INDEX_URL=url)
    assert result.returncode == 1
    found = hashlib.sha256(b"tampered").hexdigest()
    assert result.stderr.splitlines()[-1] == (
        f"run: pip-24.0-py3-none-any.whl from {url.removesuffix('/simple')}/files/"
        f"pip-24.0-py3-none-any.whl has sha256 {found}, but the index lists {'0' * 64}: "
        "not installed"
    )
    assert not list((project / ".venv").glob("lib/python*/site-packages/pip"))


def test_an_unreachable_index_is_named(project, python_without_ensurepip, index):
    url, _ = index
    result = run_script(project, python=python_without_ensurepip, PIP_INDEX_URL=url + "/nowhere")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"run: cannot fetch pip from {url}/nowhere/pip/: HTTP Error 404: Not Found"
    )
