"""Files that vanish or cannot be read mid-build, a full disk, a read-only output, two builds at
once, a newcomer claiming a published document: each ends with a clear message, every other
document published (or, when nothing can be written, the previous package whole).

Disk full and read-only are real where the machine allows it: as root, a small tmpfs (ENOSPC)
and a tmpfs remounted read-only (EROFS); otherwise a file-size limit (EFBIG) and a folder without
write permission (EACCES).
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import yibao.build
from tests.conftest import ROOT, SOURCE_DOCS
from tests.hostile.conftest import assert_others_published, build, read_package, real_sources
from yibao.build import build_data
from yibao.output import output_lock

SHUANGYASHAN = "heilongjiang/shuangyashan-2024-budget.txt"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}"))


def victim_text() -> str:
    return (SOURCE_DOCS / SHUANGYASHAN).read_text(encoding="utf-8").replace("2024", "2032")


# --------------------------------------------------------------------------- sources


def test_file_vanishing_before_it_is_read(tmp_path: Path, alone, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listed and hashed, then deleted before its worker reads it."""
    sources = real_sources(tmp_path, {"bad/victim.txt": victim_text()})
    real_parse_all = yibao.build.parse_all

    def parse_all(items):  # type: ignore[no-untyped-def]
        (sources / "bad" / "victim.txt").unlink()
        return real_parse_all(items)

    monkeypatch.setattr(yibao.build, "parse_all", parse_all)
    status, log, package = build(sources, tmp_path / "out")
    assert status == 1
    assert_others_published(package, alone)
    row = next(r for r in package["documents"] if r["source_file"] == "src/bad/victim.txt")
    assert row["status"] == "error" and "the file vanished during the build" in row["problems"]
    assert "src/bad/victim.txt: error — " in log


def test_file_vanishing_before_it_is_hashed(tmp_path: Path, alone, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listed, then deleted before the build hashes it (the hash used to crash the build)."""
    sources = real_sources(tmp_path, {"bad/victim.txt": victim_text()})
    real_source_files = yibao.build.source_files

    def source_files(folder: Path):  # type: ignore[no-untyped-def]
        for path in real_source_files(folder):
            if path.name == "victim.txt":
                path.unlink()
            yield path

    monkeypatch.setattr(yibao.build, "source_files", source_files)
    status, _, package = build(sources, tmp_path / "out")
    assert status == 1
    assert_others_published(package, alone)
    row = next(r for r in package["documents"] if r["source_file"] == "src/bad/victim.txt")
    assert row["status"] == "error" and "vanished" in row["problems"] and row["doc_id"].startswith("error-")


def test_file_replaced_by_a_pipe(tmp_path: Path, alone, monkeypatch: pytest.MonkeyPatch) -> None:
    """A named pipe would block a reader for ever: refused as not a regular file."""
    sources = real_sources(tmp_path, {"bad/victim.txt": victim_text()})
    real_parse_all = yibao.build.parse_all

    def parse_all(items):  # type: ignore[no-untyped-def]
        victim = sources / "bad" / "victim.txt"
        victim.unlink()
        os.mkfifo(victim)
        return real_parse_all(items)

    monkeypatch.setattr(yibao.build, "parse_all", parse_all)
    status, _, package = build(sources, tmp_path / "out")
    assert status == 1
    assert_others_published(package, alone)
    row = next(r for r in package["documents"] if r["source_file"] == "src/bad/victim.txt")
    assert "not a regular file" in row["problems"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its permissions")
def test_file_without_read_permission(tmp_path: Path, alone) -> None:
    sources = real_sources(tmp_path, {"bad/victim.txt": victim_text()})
    (sources / "bad" / "victim.txt").chmod(0)
    status, _, package = build(sources, tmp_path / "out")
    assert status == 1
    assert_others_published(package, alone)
    row = next(r for r in package["documents"] if r["source_file"] == "src/bad/victim.txt")
    assert "the file cannot be read (Permission denied)" in row["problems"]


# --------------------------------------------------------------------------- disk full, read-only


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def previous_package(root: Path, out: Path) -> dict[str, bytes]:
    assert build_data(real_sources(root), out, log=io.StringIO()) == 0
    return snapshot(out)


def assert_refused_cleanly(status: int, log: str, out: Path, before: dict[str, bytes], reason: str) -> None:
    assert status == 2, log
    assert f"cannot write {out.resolve()}: {reason}; the previous version is unchanged" in log, log
    assert "Traceback" not in log
    assert snapshot(out) == before
    assert leftovers(out) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_disk_full(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "4m") as disk:
        out = disk / "datapackage"
        before = previous_package(tmp_path, out)
        (disk / "filler").write_bytes(b"\0" * (os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize - 200_000))
        log = io.StringIO()
        status = build_data(real_sources(tmp_path / "again"), out, log=log)
        assert_refused_cleanly(status, log.getvalue(), out, before, "no space left on device")


def test_file_size_limit_while_writing(tmp_path: Path) -> None:
    """As any user: `build.py data` under a 200 KB file-size limit (EFBIG on the first larger CSV)."""
    out = tmp_path / "datapackage"
    before = previous_package(tmp_path, out)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    sources = real_sources(tmp_path / "again")
    command = [sys.executable, str(ROOT / "build.py"), "data", "--sources", str(sources), "--out", str(out)]
    proc = subprocess.run(command, capture_output=True, text=True, preexec_fn=limit, timeout=300)
    assert_refused_cleanly(proc.returncode, proc.stderr, out, before, "file too large for this file system or limit")


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """`folder` (holding a package already) made read-only the strongest way this machine allows."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    remount = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True)
    assert remount.returncode == 0, remount.stderr
    yield folder


def test_read_only_output(tmp_path: Path) -> None:
    holder = tmp_path / "disk"
    mount = tmpfs(holder, "16m") if os.geteuid() == 0 else contextlib.nullcontext(holder)
    with mount:
        holder.mkdir(exist_ok=True)
        out = holder / "datapackage"
        before = previous_package(tmp_path, out)
        with read_only(holder):
            log = io.StringIO()
            status = build_data(real_sources(tmp_path / "again"), out, log=log)
            reason = "read-only file system" if os.geteuid() == 0 else "permission denied"
            assert_refused_cleanly(status, log.getvalue(), out, before, reason)


# --------------------------------------------------------------------------- two builds at once


def test_second_build_refuses_while_the_first_holds_the_output(tmp_path: Path) -> None:
    out = tmp_path / "datapackage"
    before = previous_package(tmp_path, out)
    with output_lock(out):
        log = io.StringIO()
        assert build_data(real_sources(tmp_path / "again"), out, log=log) == 3
    assert (
        f"another build (process {os.getpid()}) is writing {out.resolve()}; this build changed nothing"
        in log.getvalue()
    )
    assert snapshot(out) == before
    assert leftovers(out) == []  # the lock file goes with the build that held it


def test_two_concurrent_builds(tmp_path: Path) -> None:
    """Two `build.py data` into one folder: the second refuses at once with a message, the first
    publishes every document."""
    sources = tmp_path / "many"
    sources.mkdir()
    text = (SOURCE_DOCS / SHUANGYASHAN).read_text(encoding="utf-8")
    for i in range(16):
        (sources / f"c{i:02d}.txt").write_text(text.replace("2024", str(2040 + i)), encoding="utf-8")
    out = tmp_path / "datapackage"
    command = [sys.executable, str(ROOT / "build.py"), "data", "--sources", str(sources), "--out", str(out)]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        lock = tmp_path / ".datapackage-build.lock"
        deadline = time.monotonic() + 60
        while not lock.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert lock.exists() and first.poll() is None, "the first build ended before the second started"
        second = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert second.returncode == 3, second.stderr
        assert f"another build (process {first.pid}) is writing" in second.stderr
        assert "Traceback" not in second.stderr
        assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    documents = read_package(out)["documents"]
    assert len(documents) == 16 and all(r["status"] != "error" for r in documents)


# --------------------------------------------------------------------------- conflicts


def newcomer_sources(root: Path) -> Path:
    """The four real documents plus a newcomer claiming 双鸭山 2024 (other bytes, same claim)."""
    text = (SOURCE_DOCS / SHUANGYASHAN).read_text(encoding="utf-8")
    return real_sources(root, {"zz/newcomer.txt": text + "\n（另一份副本）\n"})


def test_newcomer_claiming_a_published_document_is_rejected_and_the_published_one_stays(tmp_path: Path, alone) -> None:
    out = tmp_path / "datapackage"
    previous_package(tmp_path, out)
    status, log, package = build(newcomer_sources(tmp_path / "next"), out)
    assert status == 1
    assert_others_published(package, alone)  # 双鸭山 included: still published, unchanged
    [rejected] = package["rejected_files"]
    assert rejected["source_file"] == "src/zz/newcomer.txt"
    assert f"the published src/{SHUANGYASHAN} is already this bureau, year and kind" in rejected["reason"]
    assert "the published one stays" in rejected["reason"]
    assert "src/zz/newcomer.txt: conflict — " in log


def test_conflict_resolved_by_the_named_published_package(tmp_path: Path, alone) -> None:
    """`--published`: a fresh folder (as datapackage_fresh builds) decides as the build in place."""
    published = tmp_path / "published"
    previous_package(tmp_path, published)
    in_place = tmp_path / "in-place"
    previous_package(tmp_path / "copy", in_place)
    sources = newcomer_sources(tmp_path / "next")
    assert build_data(sources, in_place, log=io.StringIO()) == 1
    assert build_data(sources, tmp_path / "fresh", log=io.StringIO(), published=published) == 1
    assert snapshot(tmp_path / "fresh") == snapshot(in_place)


def test_conflict_without_a_published_document_holds_both_back(tmp_path: Path) -> None:
    status, _, package = build(newcomer_sources(tmp_path), tmp_path / "fresh")
    assert status == 1
    reasons = {r["source_file"]: r["reason"] for r in package["rejected_files"]}
    assert set(reasons) == {"src/zz/newcomer.txt", f"src/{SHUANGYASHAN}"}
    assert all("neither was published" in reason for reason in reasons.values())
