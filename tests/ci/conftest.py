"""Fixtures for the CI script tests: temporary repositories playing a pull request."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # ci_repo, under any import mode
from ci_repo import REAL_BUILD, Repo, make_repo


@pytest.fixture
def fake_repo(tmp_path: Path) -> Iterator[Repo]:
    yield make_repo(tmp_path / "repo", real=False)


@pytest.fixture
def real_repo(tmp_path: Path) -> Iterator[Repo]:
    if not REAL_BUILD.exists():
        pytest.skip("build.py is not there yet")
    yield make_repo(tmp_path / "repo", real=True)
