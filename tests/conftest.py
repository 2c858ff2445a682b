"""Shared fixtures: the data package built once per test session from the real documents."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from yibao.build import build_data

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DOCS = ROOT / "source_docs"
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"
# the four real documents, relative to source_docs/
REAL = (
    "hebei/chengde-shuangqiao-2024-budget.txt",
    "heilongjiang/heilongjiang-province-2020-budget.txt",
    "heilongjiang/shuangyashan-2024-budget.txt",
    "liaoning/anshan-2025-budget.md",
)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data package built from source_docs/ into a temporary folder."""
    out = tmp_path_factory.mktemp("package") / "datapackage"
    status = build_data(SOURCE_DOCS, out, log=io.StringIO())
    # 1: a document of source_docs/ could not be read. The pull request that added it failed its
    # report; on main it must not block the tests (and so the deployment) of every other one.
    assert status in (0, 1)
    read = {row["source_file"] for row in read_csv(out / "documents.csv") if row["status"] != "error"}
    assert {f"source_docs/{relative}" for relative in REAL} <= read
    return out


@pytest.fixture(scope="session")
def seeds_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data package built from plain copies of the seed texts, without metadata files."""
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is not there")
    sources = tmp_path_factory.mktemp("seeds")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, sources / seed.name)
    out = tmp_path_factory.mktemp("seeds-package") / "datapackage"
    assert build_data(sources, out, log=io.StringIO()) == 0
    return out
