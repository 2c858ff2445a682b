"""Temporary git repositories that play a pull request, for the CI script tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SEED_NAME = "000_f6e4a894dae1e7ac.txt"  # 双鸭山市医疗保障局 2024 部门预算
REAL_BUILD = ROOT / "build.py"


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="CI test",
        GIT_AUTHOR_EMAIL="ci@example.invalid",
        GIT_COMMITTER_NAME="CI test",
        GIT_COMMITTER_EMAIL="ci@example.invalid",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    env.pop("GITHUB_STEP_SUMMARY", None)
    env.pop("GITHUB_ACTIONS", None)
    return env


class Repo:
    """A git repository with scripts/ci, a build.py and source_docs/, on branch main."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.env = git_env()

    def git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.path,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def write(self, rel: str, content: str | bytes) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def script(self, name: str, *args: str, summary: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run scripts/ci/NAME as the workflow does: from the root, with this interpreter."""
        env = dict(self.env)
        if summary is not None:
            env["GITHUB_STEP_SUMMARY"] = str(summary)
        command = [sys.executable, f"scripts/ci/{name}", *args]
        if name != "changed_documents.py":
            command += ["--python", sys.executable]
        return subprocess.run(
            command,
            cwd=self.path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


def make_repo(path: Path, real: bool) -> Repo:
    """A repository whose build.py is the project's (REAL) or the contract stand-in."""
    path.mkdir()
    shutil.copytree(ROOT / "scripts" / "ci", path / "scripts" / "ci", ignore=_pycache)
    if real:
        shutil.copy2(REAL_BUILD, path / "build.py")
        shutil.copytree(ROOT / "yibao", path / "yibao", ignore=_pycache)
    else:
        shutil.copy2(HERE / "fake_build.py", path / "build.py")
    repo = Repo(path)
    repo.git("init", "-q", "-b", "main")
    repo.write("source_docs/.gitkeep", "")
    repo.commit("project")
    return repo


def _pycache(_dir: str, names: list[str]) -> list[str]:
    return [n for n in names if n in {"__pycache__", ".mypy_cache"}]


def seed_text() -> str | None:
    """The 双鸭山 2024 seed: from shared/seeds, or the copy in source_docs/."""
    seed = ROOT.parent / "shared" / "seeds" / SEED_NAME
    if seed.exists():
        return seed.read_text(encoding="utf-8")
    for path in sorted((ROOT / "source_docs").rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "双鸭山市医疗保障局" in text and "2024" in text:
            return text
    return None
