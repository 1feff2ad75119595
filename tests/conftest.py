"""Shared paths for the tests, and a private cache folder for everything they start."""

import os
import tempfile
from pathlib import Path

import pytest

from timeline.cache import CACHE_DIR_VARIABLE

ROOT = Path(__file__).resolve().parent.parent

# Set before any test runs, so the dashboards and commands the tests start inherit it: tests
# must neither read entries a user's dashboard wrote nor leave their own in the user's home.
os.environ[CACHE_DIR_VARIABLE] = tempfile.mkdtemp(prefix="timeline-test-cache-")


@pytest.fixture
def root() -> Path:
    """The project's top folder."""
    return ROOT
