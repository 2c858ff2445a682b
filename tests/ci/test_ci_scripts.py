"""The CI scripts' own logic, against the contract stand-in for build.py (fast, no parser)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ci_repo import Repo

SAMPLE = "双鸭山市医疗保障局2024年部门预算\n部门收支总表\n"


def open_pull_request(repo: Repo, files: dict[str, str | bytes]) -> None:
    repo.git("checkout", "-q", "-b", "contribution")
    for rel, content in files.items():
        repo.write(rel, content)
    repo.commit("add documents")


# ---------------------------------------------------------------- changed_documents.py


def test_lists_added_documents_and_maps_metadata(fake_repo: Repo) -> None:
    fake_repo.write("source_docs/hebei/old-2023-budget.txt", SAMPLE)
    fake_repo.write("source_docs/gone-2022-budget.txt", SAMPLE)
    fake_repo.commit("existing documents")
    fake_repo.git("rm", "-q", "source_docs/gone-2022-budget.txt")
    open_pull_request(
        fake_repo,
        {
            "source_docs/heilongjiang/shuangyashan-2024-budget.txt": SAMPLE,
            "source_docs/hebei/old-2023-budget.meta.toml": 'region = "河北省"\n',
            "source_docs/notes.docx": b"PK\x03\x04",
            "README.md": "not a source document\n",
        },
    )
    proc = fake_repo.script("changed_documents.py", "--base", "main")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "source_docs/hebei/old-2023-budget.txt",
        "source_docs/heilongjiang/shuangyashan-2024-budget.txt",
    ]


def test_metadata_without_document_is_reported(fake_repo: Repo) -> None:
    open_pull_request(fake_repo, {"source_docs/lonely-2024-budget.meta.toml": "title = 'x'\n"})
    proc = fake_repo.script("changed_documents.py", "--base", "main")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "source_docs/lonely-2024-budget.meta.toml" in proc.stderr
    assert "without a document" in proc.stderr


def test_diff_is_against_the_merge_base(fake_repo: Repo) -> None:
    open_pull_request(fake_repo, {"source_docs/mine-2024-budget.txt": SAMPLE})
    fake_repo.git("checkout", "-q", "main")
    fake_repo.write("source_docs/someone-else-2024-budget.txt", SAMPLE)
    fake_repo.commit("main moved on")
    fake_repo.git("checkout", "-q", "contribution")
    proc = fake_repo.script("changed_documents.py", "--base", "main")
    assert proc.stdout.splitlines() == ["source_docs/mine-2024-budget.txt"]


# ---------------------------------------------------------------- pr_report.py


def test_report_shows_identity_tables_checks_and_problems(fake_repo: Repo, tmp_path: Path) -> None:
    open_pull_request(fake_repo, {"source_docs/hlj/shuangyashan-2024-budget.txt": SAMPLE})
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    proc = fake_repo.script("pr_report.py", "--base", "main", summary=summary)
    assert proc.returncode == 0, proc.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")  # appended, as GitHub expects
    assert "`source_docs/hlj/shuangyashan-2024-budget.txt`" in text
    assert "| 机构 bureau | 双鸭山市医疗保障局 |" in text
    assert "| 年度 fiscal year | 2024 |" in text
    assert "预算 budget · 部门 department" in text
    assert "| summary | 部门收支总表 | page 3, line 120 | 14 |" in text
    assert "**Checks: 1 passed, 1 failed, 0 skipped**" in text
    failed_row = (
        "| expenditure.parent_equals_children | expenditure | 20805 | total "
        "| 310.20 | 301.20 | -9.00 | 款 = sum of 项 &#124; printed |"
    )
    assert failed_row in text
    assert "| warning | page 3, line 130 | summary | row without amounts |" in text
    assert "shuangyashan-2024-budget.txt: 双鸭山市医疗保障局 2024" in proc.stdout


def test_unreadable_document_fails_with_reason(fake_repo: Repo, tmp_path: Path) -> None:
    open_pull_request(
        fake_repo,
        {
            "source_docs/good-2024-budget.txt": SAMPLE,
            "source_docs/broken-2024-budget.txt": b"\x00\x01\x02binary",
        },
    )
    summary = tmp_path / "summary.md"
    proc = fake_repo.script("pr_report.py", "--base", "main", "--summary", str(summary))
    assert proc.returncode == 1
    assert "source_docs/broken-2024-budget.txt: cannot be read: binary data, not text" in proc.stderr
    text = summary.read_text(encoding="utf-8")
    assert "**This document could not be read.**" in text
    assert "binary data, not text: NUL bytes found" in text
    assert "双鸭山市医疗保障局" in text  # the readable one is still reported


def test_crash_of_the_checker_is_an_error_with_its_traceback(fake_repo: Repo) -> None:
    open_pull_request(fake_repo, {"source_docs/crash-2024-budget.txt": "CRASH"})
    proc = fake_repo.script("pr_report.py", "source_docs/crash-2024-budget.txt")
    assert proc.returncode == 1
    assert "source_docs/crash-2024-budget.txt: cannot be read" in proc.stderr
    assert "simulated parser crash" in proc.stderr


def test_github_annotation_names_the_file(fake_repo: Repo) -> None:
    open_pull_request(fake_repo, {"source_docs/empty-2024-budget.pdf": b""})
    fake_repo.env["GITHUB_ACTIONS"] = "true"
    proc = fake_repo.script("pr_report.py", "--base", "main")
    assert proc.returncode == 1
    assert "::error file=source_docs/empty-2024-budget.pdf::cannot be read: the file is empty" in proc.stdout


def test_no_changed_document_passes(fake_repo: Repo, tmp_path: Path) -> None:
    open_pull_request(fake_repo, {"docs/about.md": "# about\n"})
    summary = tmp_path / "summary.md"
    proc = fake_repo.script("pr_report.py", "--base", "main", summary=summary)
    assert proc.returncode == 0
    assert "No document under `source_docs/` was added or changed." in summary.read_text()


def test_orphan_metadata_fails_the_report(fake_repo: Repo, tmp_path: Path) -> None:
    open_pull_request(fake_repo, {"source_docs/lonely-2024-budget.meta.toml": "title = 'x'\n"})
    summary = tmp_path / "summary.md"
    proc = fake_repo.script("pr_report.py", "--base", "main", summary=summary)
    assert proc.returncode == 1
    assert "lonely-2024-budget.meta.toml" in summary.read_text()


# ---------------------------------------------------------------- datapackage_fresh.py


def build_and_commit_package(repo: Repo) -> None:
    command = [sys.executable, "build.py", "data", "--out", "datapackage"]
    subprocess.run(command, cwd=repo.path, check=True, capture_output=True)
    repo.commit("data package")


def test_fresh_package_passes_and_stale_one_fails(fake_repo: Repo, tmp_path: Path) -> None:
    fake_repo.write("source_docs/a-2024-budget.txt", SAMPLE)
    build_and_commit_package(fake_repo)
    assert fake_repo.script("datapackage_fresh.py", "--rev", "HEAD").returncode == 0

    open_pull_request(fake_repo, {"source_docs/b-2024-budget.txt": SAMPLE})  # no new package
    summary = tmp_path / "summary.md"
    proc = fake_repo.script("datapackage_fresh.py", "--rev", "HEAD", summary=summary)
    assert proc.returncode == 1
    assert "Differs: datapackage/documents.csv" in proc.stdout
    assert "+source_docs/b-2024-budget.txt," in proc.stdout
    assert "run `bash scripts/build.sh`" in proc.stderr
    assert "`datapackage/documents.csv` | differs" in summary.read_text()


def test_extra_and_missing_files_are_named(fake_repo: Repo) -> None:
    fake_repo.write("source_docs/a-2024-budget.txt", SAMPLE)
    build_and_commit_package(fake_repo)
    fake_repo.write("datapackage/old.csv", "x\n")
    (fake_repo.path / "datapackage" / "datapackage.json").unlink()
    proc = fake_repo.script("datapackage_fresh.py")  # the working tree, not HEAD
    assert proc.returncode == 1
    assert "Only in the committed datapackage/: old.csv" in proc.stdout
    assert "Only in the rebuilt package (not committed): datapackage.json" in proc.stdout
    assert fake_repo.script("datapackage_fresh.py", "--rev", "HEAD").returncode == 0
