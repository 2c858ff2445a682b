"""Issue 5 — a failed or killed build never replaces the previous data package with half of one.

The package is written into a hidden temporary folder beside the target and swapped in only when
complete (yibao.package.atomic_folder).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import yibao.package
from tests.conftest import REAL, ROOT, SOURCE_DOCS
from yibao.build import build_data

COPIES = 40


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def hidden_leftovers(parent: Path, target: str) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.name.startswith(f".{target}."))


def sidecar(document: Path) -> Path:
    return document.with_name(f"{document.stem}.meta.toml")


def real_metadata(relative: str) -> str:
    meta = sidecar(SOURCE_DOCS / relative)
    return meta.read_text(encoding="utf-8") if meta.exists() else ""


def small_sources(root: Path) -> Path:
    """The four real documents with their metadata files."""
    sources = root / "small"
    for relative in REAL:
        target = sources / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((SOURCE_DOCS / relative).read_bytes())
        if metadata := real_metadata(relative):
            sidecar(target).write_text(metadata, encoding="utf-8")
    return sources


def many_sources(root: Path) -> Path:
    """COPIES distinct documents: copies of the real ones, each differing by trailing newlines
    (no duplicate sha256) and given its own fiscal year by a metadata file (no conflict)."""
    sources = root / "many"
    sources.mkdir(parents=True)
    for i in range(COPIES):
        original = SOURCE_DOCS / REAL[i % len(REAL)]
        target = sources / f"c{i:02d}-{original.name}"
        target.write_bytes(original.read_bytes() + b"\n" * (i + 1))
        metadata = f"{real_metadata(REAL[i % len(REAL)])}\nfiscal_year = {1950 + i}\n"
        sidecar(target).write_text(metadata, encoding="utf-8")
    return sources


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A complete package from the four real documents, and its bytes."""
    out = tmp_path / "out"
    assert build_data(small_sources(tmp_path), out, log=io.StringIO()) == 0
    before = snapshot(out)
    assert "datapackage.json" in before and "documents.csv" in before
    return out, before


def test_failure_while_writing_leaves_previous_package(
    tmp_path: Path, previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_own_package raises on its 2nd call (the 2nd per-document package): the build ends with
    a clear message and exit status 2 (no traceback), the previous package is byte-identical,
    and the temporary folder is removed."""
    out, before = previous
    real_write = yibao.package.write_own_package
    calls = {"n": 0}

    def failing_write(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device (simulated)")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(yibao.package, "write_own_package", failing_write)
    log = io.StringIO()
    assert build_data(small_sources(tmp_path), out, log=log) == 2
    assert "no space left on device" in log.getvalue() and "previous version is unchanged" in log.getvalue()
    assert calls["n"] == 2
    assert snapshot(out) == before
    assert hidden_leftovers(out.parent, out.name) == []


def test_failure_at_the_swap_restores_previous_package(
    tmp_path: Path, previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The swap is two renames (target → .previous, temporary → target). If the second fails,
    the previous package must be put back, not left hidden under .out.previous-<pid>."""
    out, before = previous
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src, dst):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(5, "Input/output error (simulated)")
        return real_replace(src, dst)

    monkeypatch.setattr(yibao.package.os, "replace", failing_replace)
    log = io.StringIO()
    assert build_data(small_sources(tmp_path), out, log=log) == 2
    assert "simulated" in log.getvalue() and "previous version is unchanged" in log.getvalue()
    monkeypatch.undo()
    assert out.is_dir(), f"previous package gone; hidden copies: {hidden_leftovers(out.parent, out.name)}"
    assert snapshot(out) == before


def _kill_while_writing(sources: Path, out: Path, log: Path) -> tuple[int, list[Path]]:
    """Start `build.py data`, SIGKILL it as soon as its temporary folder has files in it."""
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "data", "--sources", str(sources), "--out", str(out)],
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=out.parent,
        )
    deadline = time.monotonic() + 120
    building: list[Path] = []
    try:
        while time.monotonic() < deadline and process.poll() is None:
            building = [p for p in hidden_leftovers(out.parent, out.name) if ".building-" in p.name]
            if building and any(building[0].iterdir()):
                break
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
    finally:
        returncode = process.wait(timeout=30)
    return returncode, building


def test_sigkill_while_writing_leaves_previous_package(tmp_path: Path, previous: tuple[Path, dict[str, bytes]]) -> None:
    out, before = previous
    sources = many_sources(tmp_path)
    returncode, building = _kill_while_writing(sources, out, tmp_path / "build.log")
    assert returncode == -signal.SIGKILL, (
        f"the build finished before it could be killed: {(tmp_path / 'build.log').read_text()}"
    )
    assert building, "the build never started writing"
    # the previous package is untouched …
    assert snapshot(out) == before
    # … and what was being written is incomplete and hidden, never in place of the target
    leftovers = hidden_leftovers(out.parent, out.name)
    assert all(p.name.startswith(f".{out.name}.") for p in leftovers)
    half = snapshot(building[0]) if building[0].exists() else {}
    assert len([k for k in half if k.endswith("/documents.csv")]) < COPIES, "the kill came after the write"

    # the next build from the same four documents gives the same bytes as before the kill
    assert build_data(small_sources(tmp_path), out, log=io.StringIO()) == 0
    assert snapshot(out) == before
    # and removes what the killed one left behind
    assert hidden_leftovers(out.parent, out.name) == []


def _children(pid: int) -> list[int]:
    """Living processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split() if stat else []
        if fields and fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def test_sigkill_while_reading_leaves_previous_package(tmp_path: Path, previous: tuple[Path, dict[str, bytes]]) -> None:
    """Killed early (while documents are still being parsed): nothing changes at all, and the
    build's workers die with it (they used to keep running after every test run)."""
    out, before = previous
    sources = many_sources(tmp_path)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "data", "--sources", str(sources), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while not workers and time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        time.sleep(0.01)
    assert workers, "the build started no worker"
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [pid for pid in workers if _alive(pid)] == [], "workers outlived the killed build"
    assert snapshot(out) == before
    assert hidden_leftovers(out.parent, out.name) == []


def test_leftover_temporary_folders_are_cleaned_by_the_next_build(
    tmp_path: Path, previous: tuple[Path, dict[str, bytes]]
) -> None:
    """What a SIGKILL leaves behind (a hidden half-written .out.building-* folder, or the
    .out.previous-<pid> of a kill between the two renames) is removed by the next successful
    build — in the repository root they would otherwise pile up as untracked folders."""
    out, _ = previous
    stale_building = out.parent / f".{out.name}.building-k1ll3d"
    stale_building.mkdir()
    (stale_building / "documents.csv").write_bytes(b"\xef\xbb\xbfdoc_id\n")
    stale_previous = out.parent / f".{out.name}.previous-999999"
    stale_previous.mkdir()
    (stale_previous / "documents.csv").write_bytes(b"\xef\xbb\xbfdoc_id\n")
    assert build_data(small_sources(tmp_path), out, log=io.StringIO()) == 0
    assert (out / "datapackage.json").is_file()
    assert hidden_leftovers(out.parent, out.name) == []
