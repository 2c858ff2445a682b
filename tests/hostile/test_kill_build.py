"""The whole build (data package, pages, site) killed at 30 random moments: `datapackage/` and
`site/` are each always the old or the new complete version, never a mix, never half; no process
of the build survives it.

Builds alternate between two source sets (A: two documents, B: three), so each kill replaces one
complete version by the other. Half the kills hit the build process alone (SIGKILL: its workers
and MkDocs die with it), half its whole process group.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SOURCE_DOCS
from tests.hostile.conftest import live_processes

sys.path.insert(0, str(ROOT / "tests" / "site"))
from sitebuild import copy_site_sources

KILLS = 30
SEED = 20261201
A = ("heilongjiang/shuangyashan-2024-budget.txt", "liaoning/anshan-2025-budget.md")
B = (*A, "hebei/chengde-shuangqiao-2024-budget.txt")

pytestmark = pytest.mark.slow


def sources(folder: Path, documents: tuple[str, ...]) -> None:
    for relative in documents:
        for path in (SOURCE_DOCS / relative).parent.glob(Path(relative).stem + ".*"):
            target = folder / Path(relative).parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def fingerprint(folder: Path) -> str | None:
    """One hash of every file's path and bytes; None when the folder is not there."""
    if not folder.is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def group_members(pgid: int) -> list[int]:
    return live_processes(2, pgid)


def start(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "build.py"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=dict(os.environ, YIBAO_WORKERS="2"),
    )


def test_killed_at_random_moments_leaves_old_or_new(tmp_path: Path) -> None:
    root = tmp_path / "root"
    copy_site_sources(root)
    shutil.copy2(ROOT / "build.py", root / "build.py")
    os.symlink(ROOT / "yibao", root / "yibao")
    sources(root / "source_docs", A)
    sources(root / "other", B)

    versions: dict[str, list[str | None]] = {"datapackage": [], "site": []}
    durations = []
    for _ in ("A", "B"):
        started = time.monotonic()
        assert start(root).wait(timeout=600) == 0
        durations.append(time.monotonic() - started)
        for name in versions:
            versions[name].append(fingerprint(root / name))
        os.rename(root / "source_docs", root / "swap")
        os.rename(root / "other", root / "source_docs")
        os.rename(root / "swap", root / "other")
    assert all(len(set(v)) == 2 for v in versions.values()), "A and B must give different versions"

    moments = random.Random(SEED)
    longest = max(durations)
    outcomes = []
    for kill in range(KILLS):
        process = start(root)
        delay = moments.uniform(0, longest)
        time.sleep(delay)
        if kill % 2:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        deadline = time.monotonic() + 10
        while group_members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert group_members(process.pid) == [], f"kill {kill} at {delay:.2f} s: processes outlived the build"
        for name, known in versions.items():
            assert fingerprint(root / name) in known, f"kill {kill} at {delay:.2f} s: {name}/ is neither version"
        outcomes.append(tuple(known.index(fingerprint(root / name)) for name, known in versions.items()))
        os.rename(root / "source_docs", root / "swap")
        os.rename(root / "other", root / "source_docs")
        os.rename(root / "swap", root / "other")

    assert start(root).wait(timeout=600) == 0  # and the next build cleans up after the killed ones
    leftovers = [p.name for p in root.iterdir() if p.name.startswith((".datapackage.", ".site."))]
    assert leftovers == []
    print(f"kills: {KILLS}, (datapackage, site) version after each: {outcomes}")
