"""Issue 13 in CI: names that try to forge workflow commands or break the summary, documents of
every kind the build reads, a newcomer claiming a published document, and a bad document on main.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ci_repo import ROOT, Repo, seed_text

DOC = "source_docs/heilongjiang/shuangyashan-2024-budget.txt"
FORGED = "::warning file=README.md,line=1::forged annotation"


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


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ")]


@pytest.mark.parametrize("on_github", [False, True])
def test_hostile_file_names_forge_nothing(fake_repo: Repo, tmp_path: Path, monkeypatch, on_github: bool) -> None:
    """A name with a newline and a workflow command, backticks, pipes and an escape sequence:
    no line of the log starts with it, the summary's tables keep their columns."""
    names = [
        f"source_docs/x/evil\n{FORGED}\n.txt",
        "source_docs/x/tick`s | pipe <b>bold</b> \x1b[31mred.txt",
        "source_docs/x/empty `` name.txt",
    ]
    # the first and the last cannot be read (empty): they get annotations too
    add_on_branch(
        fake_repo, {name: "某市医疗保障局2024年部门预算\n" for name in names} | {names[0]: b"", names[2]: b""}
    )
    if on_github:
        fake_repo.env["GITHUB_ACTIONS"] = "true"
    summary = tmp_path / "summary.md"
    proc = fake_repo.script("pr_report.py", "--base", "main", summary=summary)
    assert proc.returncode == 1
    output = proc.stdout + proc.stderr
    assert "\x1b" not in output
    commands = [line for line in output.splitlines() if line.startswith("::")]
    if on_github:
        # only our own: the stop/resume pair around untrusted output, and the annotations
        assert commands[0].startswith("::stop-commands::")
        assert all(re.match(r"::(stop-commands::[0-9a-f]{32}|[0-9a-f]{32}::|error file=)", line) for line in commands)
        annotation = next(line for line in commands if "evil" in line)
        assert "evil%0A%3A%3Awarning file=README.md%2Cline=1%3A%3Aforged" in annotation  # escaped, one line
    else:
        assert commands == []
    assert f"evil\\n{FORGED}\\n.txt" in output  # shown escaped, on one line
    text = summary.read_text(encoding="utf-8")
    assert FORGED not in text.splitlines()
    assert "<b>" not in text and "\x1b" not in text
    header = next(line for line in table_rows(text) if line.startswith("| status |"))
    overview = [line for line in table_rows(text) if "evil" in line or "tick" in line or "empty" in line]
    assert len(overview) == 3
    assert all(line.count(" | ") == header.count(" | ") for line in overview), (header, overview)


def test_every_document_kind_is_reported(fake_repo: Repo, tmp_path: Path) -> None:
    files = {
        f"source_docs/x/doc-{suffix}.{suffix}": "某市医疗保障局2024年部门预算\n"
        for suffix in ("markdown", "text", "TXT")
    }
    add_on_branch(fake_repo, files)
    listed = fake_repo.script("changed_documents.py", "--base", "main")
    assert sorted(listed.stdout.splitlines()) == sorted(files)
    summary = tmp_path / "summary.md"
    proc = fake_repo.script("pr_report.py", "--base", "main", summary=summary)
    assert proc.returncode == 0, proc.stderr
    for name in files:
        assert f"`{name}`" in summary.read_text(encoding="utf-8")


def test_newcomer_claiming_a_published_document_is_rejected(real_repo: Repo, seed: str, tmp_path: Path) -> None:
    """main publishes 双鸭山 2024; a pull request adds another file claiming the same bureau, year
    and kind. The report says it would not be published and fails; the data package built on the
    branch keeps the published one (and is what datapackage_fresh expects)."""
    real_repo.write(DOC, seed)
    build = [sys.executable, "build.py", "data", "--out", "datapackage"]
    subprocess.run(build, cwd=real_repo.path, check=True, capture_output=True)
    real_repo.commit("published document")
    newcomer = "source_docs/zz/shuangyashan-again.txt"
    add_on_branch(real_repo, {newcomer: seed + "\n（另一份副本）\n"})  # other bytes, same claim

    summary = tmp_path / "summary.md"
    proc = real_repo.script("pr_report.py", "--base", "main", summary=summary)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.splitlines()[0].startswith(f"{newcomer}: not published: ")
    assert f"the published {DOC} is already this bureau, year and kind" in proc.stderr
    assert "**This document would not be published.**" in summary.read_text(encoding="utf-8")

    rebuilt = subprocess.run(build, cwd=real_repo.path, capture_output=True, text=True)
    assert rebuilt.returncode == 1
    documents = (real_repo.path / "datapackage" / "documents.csv").read_text(encoding="utf-8-sig")
    assert DOC in documents and newcomer not in documents
    rejected = (real_repo.path / "datapackage" / "rejected_files.csv").read_text(encoding="utf-8-sig")
    assert newcomer in rejected and "the published one stays" in rejected
    real_repo.commit("data package")
    fresh = real_repo.script("datapackage_fresh.py", "--rev", "HEAD")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr


def test_replacing_the_published_file_is_no_conflict(real_repo: Repo, seed: str, tmp_path: Path) -> None:
    real_repo.write(DOC, seed)
    subprocess.run([sys.executable, "build.py", "data"], cwd=real_repo.path, check=True, capture_output=True)
    real_repo.commit("published document")
    real_repo.git("checkout", "-q", "-b", "contribution")
    real_repo.git("mv", DOC, "source_docs/heilongjiang/shuangyashan-2024-budget-corrected.txt")
    real_repo.commit("renamed")
    proc = real_repo.script("pr_report.py", "--base", "main", summary=tmp_path / "summary.md")
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --------------------------------------------------------------------------- a bad document on main

FAKE_BUILD = """
import pathlib, sys
out = pathlib.Path("datapackage"); out.mkdir(exist_ok=True)
status = int(pathlib.Path("status").read_text())
(out / "documents.csv").write_text(
    "\\ufeffdoc_id,source_file,status,problems\\n"
    "good,source_docs/good.txt,ok,\\n"
    "error-1,\\"source_docs/bad\\n::warning::x.pdf\\",error,no text layer\\n", encoding="utf-8")
(out / "rejected_files.csv").write_text("\\ufeffsource_file,sha256,reason\\n", encoding="utf-8")
sys.exit(status)
"""


@pytest.fixture
def scripts_root(tmp_path: Path) -> Path:
    """scripts/ with a .venv that bootstrap.sh takes as ready, and a build.py that exits as told."""
    root = tmp_path / "root"
    shutil.copytree(ROOT / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "requirements.txt").write_text("# none\n")
    (root / ".venv" / "bin").mkdir(parents=True)
    os.symlink(sys.executable, root / ".venv" / "bin" / "python")
    digest = hashlib.sha256((root / "requirements.txt").read_bytes()).hexdigest()
    (root / ".venv" / ".requirements.sha256").write_text(digest + "\n")
    (root / "build.py").write_text(FAKE_BUILD)
    return root


@pytest.mark.parametrize(("status", "publish", "expected"), [(1, "1", 0), (1, "", 1), (2, "1", 2), (0, "1", 0)])
def test_one_bad_document_never_blocks_the_deployment(
    scripts_root: Path, tmp_path: Path, status: int, publish: str, expected: int
) -> None:
    (scripts_root / "status").write_text(str(status))
    summary = tmp_path / "summary.md"
    env = dict(os.environ, YIBAO_PUBLISH_WITH_ERRORS=publish, GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    proc = subprocess.run(["bash", "scripts/build.sh"], cwd=scripts_root, env=env, capture_output=True, text=True)
    assert proc.returncode == expected, proc.stdout + proc.stderr
    if status == 1 and publish:
        assert "not published: source_docs/bad\\n::warning::x.pdf: no text layer" in proc.stderr
        assert (
            "::warning file=source_docs/bad%0A%3A%3Awarning%3A%3Ax.pdf,title=Not published::no text layer"
            in proc.stdout
        )
        assert not any(line.startswith("::warning::") for line in (proc.stdout + proc.stderr).splitlines())
        text = summary.read_text(encoding="utf-8")
        assert "1 document(s) not published" in text and "Every other document is published" in text
