"""A pull request played end to end with the project's real `build.py check`.

A temporary repository gets the project's build.py and yibao/, a branch adds a copy of the
双鸭山 2024 seed (or an unreadable file), and the CI scripts run as the workflow runs them.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from ci_repo import ROOT, Repo, seed_text

DOC = "source_docs/heilongjiang/shuangyashan-2024-budget.txt"


def add_on_branch(repo: Repo, files: dict[str, str | bytes]) -> None:
    repo.git("checkout", "-q", "-b", "contribution")
    for rel, content in files.items():
        repo.write(rel, content)
    repo.commit("contribution")


@pytest.fixture
def seed() -> str:
    text = seed_text()
    if text is None:
        pytest.skip("the 双鸭山 2024 seed is not available")
    return text


def test_summary_names_document_bureau_year_and_checks(real_repo: Repo, seed: str, tmp_path: Path) -> None:
    add_on_branch(real_repo, {DOC: seed})
    listed = real_repo.script("changed_documents.py", "--base", "main")
    assert listed.stdout.splitlines() == [DOC]

    summary = tmp_path / "step-summary.md"
    proc = real_repo.script("pr_report.py", "--base", "main", summary=summary)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = summary.read_text(encoding="utf-8")
    assert f"`{DOC}`" in text
    assert "双鸭山市医疗保障局" in text
    assert "| 年度 fiscal year | 2024 |" in text
    assert "预算 budget" in text
    assert "**Tables found: " in text
    assert "**Checks: " in text
    assert "summary" in text  # the 收支总表 is among the tables found


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("source_docs/bad/binary-2024-budget.txt", bytes(range(256)) * 8),
        ("source_docs/bad/empty-2024-budget.pdf", b""),
    ],
)
def test_unreadable_document_fails_naming_file_and_reason(
    real_repo: Repo, tmp_path: Path, name: str, content: bytes
) -> None:
    add_on_branch(real_repo, {name: content})
    summary = tmp_path / "step-summary.md"
    proc = real_repo.script("pr_report.py", "--base", "main", summary=summary)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    first = proc.stderr.splitlines()[0]
    assert first.startswith(f"{name}: cannot be read: ")
    assert len(first) > len(f"{name}: cannot be read: ") + 5  # a reason, not just the verdict
    assert "**This document could not be read.**" in summary.read_text(encoding="utf-8")


def test_committed_package_is_checked_against_the_real_build(real_repo: Repo, seed: str) -> None:
    real_repo.write(DOC, seed)
    command = [sys.executable, "build.py", "data", "--out", "datapackage"]
    subprocess.run(command, cwd=real_repo.path, check=True, capture_output=True)
    real_repo.commit("document and its data package")
    fresh = real_repo.script("datapackage_fresh.py", "--rev", "HEAD")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr

    add_on_branch(real_repo, {DOC: seed.replace("2024", "2025", 1)})
    stale = real_repo.script("datapackage_fresh.py", "--rev", "HEAD")
    assert stale.returncode == 1
    assert "Differs: datapackage/" in stale.stdout


def toml_example(page: Path) -> str:
    """The metadata example of a contributor page (its ```toml block, indentation removed)."""
    block = re.search(r"```toml\n(.*?)\n\s*```", page.read_text(encoding="utf-8"), re.S)
    assert block, f"no TOML example in {page.name}"
    return textwrap.dedent(block.group(1)) + "\n"


@pytest.mark.parametrize("page", [ROOT / "CONTRIBUTING.md", ROOT / "docs" / "contribute.md"], ids=lambda p: p.name)
def test_documented_metadata_example_is_accepted(real_repo: Repo, seed: str, tmp_path: Path, page: Path) -> None:
    real_repo.write(DOC, seed)
    real_repo.commit("document")
    meta = DOC.removesuffix(".txt") + ".meta.toml"
    add_on_branch(real_repo, {meta: toml_example(page)})  # only the metadata changes

    summary = tmp_path / "step-summary.md"
    proc = real_repo.script("pr_report.py", "--base", "main", summary=summary)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = summary.read_text(encoding="utf-8")
    assert f"`{DOC}`" in text  # the .meta.toml change is reported as a change of its document
    assert "| 机构 bureau | 双鸭山市医疗保障局 |" in text
