"""Per-document workers: a document that loops, allocates without end, waits for ever or kills
its worker is that document's error, with the limit in its message; every other document is
published; no worker outlives the build.

The limits are lowered through the environment (YIBAO_CPU_SECONDS, …) so that each case reaches
its limit in seconds; the mechanism is the one the stated limits use. They apply to the real
documents of the same build too, so they stay well above what those need (under 1 s of CPU and
60 MB each), even on a busy machine.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import yibao.build
from tests.conftest import ROOT, SOURCE_DOCS
from tests.hostile.conftest import alive, assert_others_published, build, children_of, read_alone, real_sources
from yibao.isolation import GRACE_SECONDS, Limits
from yibao.pipeline import parse_document

SHUANGYASHAN = SOURCE_DOCS / "heilongjiang" / "shuangyashan-2024-budget.txt"
VICTIM = "victim.txt"


def victim_text() -> str:
    return SHUANGYASHAN.read_text(encoding="utf-8").replace("2024", "2031")  # its own year: no conflict


def misbehave_on_victim(monkeypatch: pytest.MonkeyPatch, action) -> None:  # type: ignore[no-untyped-def]
    """The build's reader runs `action` (in the worker) for the victim, and reads the others."""

    def reader(path: Path, name: str):  # type: ignore[no-untyped-def]
        if path.name == VICTIM:
            action()
        return parse_document(path, name)

    monkeypatch.setattr(yibao.build, "parse_document", reader)


def spin() -> None:
    while True:
        pass


def allocate() -> None:
    hoard = []
    while True:
        hoard.append(bytearray(16 << 20))


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def segfault() -> None:
    ctypes.string_at(0)


def hang() -> None:
    time.sleep(3600)


CASES = {
    # case: (what the worker does, environment, reason in documents.csv)
    "cpu": (spin, {"YIBAO_CPU_SECONDS": "5"}, r"more than the limit of 5 s of CPU time"),
    "memory": (allocate, {"YIBAO_MEMORY_MB": "256"}, r"more than the memory limit of 256 MB"),
    "killed": (die, {}, r"the process reading this document died \(SIGKILL: killed, perhaps by the system"),
    "segfault": (segfault, {}, r"died \(SIGSEGV\)"),
    "wall": (hang, {"YIBAO_WALL_SECONDS": "15"}, r"did not end within 15 s of wall-clock time"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_misbehaving_worker_is_that_documents_error(
    case: str, tmp_path: Path, alone, monkeypatch: pytest.MonkeyPatch, no_leftover_workers: None
) -> None:
    action, environment, reason = CASES[case]
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    misbehave_on_victim(monkeypatch, action)
    started = time.monotonic()
    status, log, package = build(real_sources(tmp_path, {f"bad/{VICTIM}": victim_text()}), tmp_path / "out")
    elapsed = time.monotonic() - started
    assert status == 1, log
    assert_others_published(package, alone)
    row = next(r for r in package["documents"] if r["source_file"] == f"src/bad/{VICTIM}")
    assert row["status"] == "error"
    assert re.search(reason, row["problems"]), row["problems"]
    assert f"src/bad/{VICTIM}: error — " in log
    assert elapsed < 120, elapsed  # the whole build, four real documents included


def test_cpu_limit_counts_cpu_time_not_wall_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker stopped for CPU used its limit of CPU time (plus the kernel's grace), however long
    that took on the clock: the same document hits the limit on an idle and on a busy machine."""
    monkeypatch.setenv("YIBAO_CPU_SECONDS", "2")
    path = tmp_path / VICTIM
    path.write_text(victim_text(), encoding="utf-8")
    misbehave_on_victim(monkeypatch, spin)
    from yibao.isolation import Usage, read_isolated

    usage: list[Usage] = []
    [document] = read_isolated(yibao.build.parse_document, [(path, VICTIM)], usage=usage)
    assert usage[0].how == "cpu", usage
    assert 1.5 <= usage[0].cpu_seconds <= 2 + GRACE_SECONDS + 0.5, usage  # the kernel counts in ticks
    assert "2 s of CPU time" in document.error


def test_memory_stays_under_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIBAO_MEMORY_MB", "256")
    path = tmp_path / VICTIM
    path.write_text(victim_text(), encoding="utf-8")
    misbehave_on_victim(monkeypatch, allocate)
    from yibao.isolation import Usage, read_isolated

    usage: list[Usage] = []
    # a forked worker starts as big as this process (which grows with the tests it has run)
    start_mb = int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024
    [document] = read_isolated(yibao.build.parse_document, [(path, VICTIM)], usage=usage)
    assert usage[0].how == "memory", usage
    assert usage[0].max_rss_mb < start_mb + 256 + 64, (usage, start_mb)  # the limit, above its start
    assert "memory limit of 256 MB" in document.error


def test_long_run_of_digits_ends_within_the_cpu_limit(tmp_path: Path) -> None:
    """64 KB of digits in a text document: the narrative reader's regex took 97 s. It ends within
    the CPU limit with its message (or, once the regex is linear, is simply read)."""
    path = tmp_path / "digits.txt"
    path.write_text(victim_text() + "\n本年支出" + "1" * 65_536 + "\n", encoding="utf-8")
    document, usage = read_alone(path, Limits(cpu_seconds=3))
    assert usage.cpu_seconds <= 3 + GRACE_SECONDS + 0.5, usage
    if usage.how != "ok":
        assert usage.how == "cpu" and "more than the limit of 3 s of CPU time" in document.error


def test_default_limits_are_the_stated_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("YIBAO_CPU_SECONDS", "YIBAO_MEMORY_MB", "YIBAO_WALL_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    assert Limits.from_environment() == Limits(300, 2048, 1800)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for stated in ("300 s of CPU time", "2 GiB", "1,800 s"):
        assert stated in readme
    monkeypatch.setenv("YIBAO_CPU_SECONDS", "100000")  # never raised above the stated limit
    assert Limits.from_environment().cpu_seconds == 300


# --------------------------------------------------------------------------- killing the build


def many_sources(root: Path, count: int = 400) -> Path:
    """Enough documents that the build is still reading when it is killed, however busy the
    machine (the parse of 24 took about a second and a slow test could kill it too late)."""
    sources = root / "many"
    sources.mkdir(parents=True)
    text = SHUANGYASHAN.read_text(encoding="utf-8")
    for i in range(count):
        (sources / f"c{i:02d}.txt").write_text(text.replace("2024", str(2030 + i)), encoding="utf-8")
    return sources


def start_build(sources: Path, out: Path, **options) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "data", "--sources", str(sources), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=dict(os.environ, YIBAO_WORKERS="2"),
        **options,
    )


def workers_of(process: subprocess.Popen[bytes], timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = children_of(process.pid)
        if found:
            return found
        time.sleep(0.01)
    raise AssertionError("the build started no worker")


def gone(pids: list[int], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("how", ["sigkill-build", "sigkill-group", "sigterm-build", "sigint-group"])
def test_killing_the_build_takes_its_workers_with_it(tmp_path: Path, how: str) -> None:
    process = start_build(many_sources(tmp_path), tmp_path / "out", start_new_session=True)
    try:
        workers = workers_of(process)
        number = {"sigkill": signal.SIGKILL, "sigterm": signal.SIGTERM, "sigint": signal.SIGINT}[how.split("-")[0]]
        if how.endswith("group"):
            assert os.getpgid(workers[0]) == os.getpgid(process.pid) == process.pid  # one process group
            os.killpg(process.pid, number)
        else:
            process.send_signal(number)
        process.wait(timeout=30)
        assert gone(workers), [pid for pid in workers if alive(pid)]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert not (tmp_path / "out").exists()  # killed while reading: nothing was written
    if how == "sigint-group":
        stderr = process.stderr.read().decode() if process.stderr else ""
        assert "interrupted" in stderr and "Traceback" not in stderr


def test_an_interrupt_during_the_fork_waits_for_the_worker_to_reset_its_handlers(tmp_path: Path) -> None:
    """Ctrl-C can land in a worker while Python still runs its after-fork hooks, before the worker
    has reset its handlers: CI once printed `Exception ignored in: <function _after_fork …>
    Traceback …` there. Sent from such a hook, the interrupt now waits, and the worker ends by it
    quietly, a document error like any other death."""
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from yibao.isolation import run_isolated\n"
        "os.register_at_fork(after_in_child=lambda: os.kill(os.getpid(), signal.SIGINT))\n"
        "[result] = run_isolated(lambda path, name: 'read', [(Path('x'), 'x')], lambda p, n, why: why, workers=1)\n"
        "print(result)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert "SIGINT" in done.stdout, done.stdout  # the worker died of the interrupt, once reset
