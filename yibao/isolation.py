"""Each document is read in a worker process of its own, under resource limits.

A hostile or broken document can make a parser loop, allocate without end or crash; none of that
may cost the build or the other documents anything. So every document is read in a child process
forked for it alone, which

- may use at most `cpu_seconds` of CPU time (RLIMIT_CPU: the kernel stops it; CPU time does not
  depend on how busy the machine is, so a document hits this limit or does not, on any machine);
- may grow its address space by at most `memory_mb` above its size at start (RLIMIT_AS: an
  allocation beyond it fails inside the worker, which reports it);
- is stopped after `wall_seconds` of wall-clock time only as a backstop, for a worker that waits
  without using CPU (a file on a hung network drive): this is the one limit that depends on
  the machine, and it is set far above the CPU limit;
- dies with the build: it is in the build's process group (`kill -- -PGID` stops both), and it
  asks the kernel to kill it when the build process dies, even by SIGKILL (Linux
  PR_SET_PDEATHSIG), so no worker outlives a killed build.

A worker that dies, for any reason, is that document's error (`worker.*` messages, each stating
its limit); every other document is read as if it were not there. The limits are in README.md
and can be lowered (never silently raised) with YIBAO_CPU_SECONDS, YIBAO_MEMORY_MB and
YIBAO_WALL_SECONDS, which the tests use to reach them fast.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import resource
import select
import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from yibao.messages import say
from yibao.model import Document, Metadata

CPU_SECONDS = 300  # a 400-page disclosure reads in well under a minute of CPU
MEMORY_MB = 2048
WALL_SECONDS = 1800  # backstop only: see above
GRACE_SECONDS = 2  # after the CPU limit's SIGXCPU, the kernel's SIGKILL
POLL_SECONDS = 0.05

Task = tuple[Path, str]
Reader = Callable[[Path, str], Document]
Result = TypeVar("Result")


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = CPU_SECONDS
    memory_mb: int = MEMORY_MB
    wall_seconds: float = WALL_SECONDS

    @classmethod
    def from_environment(cls) -> Limits:
        """The stated limits, or lower ones from the environment (tests, small machines)."""

        def lowered(name: str, default: float) -> float:
            try:
                value = float(os.environ.get(name, ""))
            except ValueError:
                return default
            return min(value, default) if value > 0 else default

        return cls(
            cpu_seconds=max(1, int(lowered("YIBAO_CPU_SECONDS", CPU_SECONDS))),
            memory_mb=max(64, int(lowered("YIBAO_MEMORY_MB", MEMORY_MB))),
            wall_seconds=lowered("YIBAO_WALL_SECONDS", WALL_SECONDS),
        )


@dataclass
class Usage:
    """What one worker used: for tests and benchmarks, never written to the data."""

    source_file: str
    cpu_seconds: float
    max_rss_mb: float
    wall_seconds: float
    how: str  # ok | cpu | memory | wall | died | crashed


def worker_count() -> int:
    configured = os.environ.get("YIBAO_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass
class _Worker:
    index: int
    task: Task
    pid: int
    fd: int | None
    started: float
    payload: bytearray = field(default_factory=bytearray)
    stopped_for_wall: bool = False


def read_isolated(
    reader: Reader,
    tasks: list[Task],
    limits: Limits | None = None,
    workers: int | None = None,
    usage: list[Usage] | None = None,
) -> list[Document]:
    """`reader(path, name)` for every task, each in its own worker; results in task order."""
    return run_isolated(reader, tasks, error_document, limits, workers, usage)


def run_isolated(
    work: Callable[[Path, str], Result],
    tasks: list[Task],
    failed: Callable[[Path, str, str], Result],
    limits: Limits | None = None,
    workers: int | None = None,
    usage: list[Usage] | None = None,
) -> list[Result]:
    """`work(path, name)` for every task, each in its own worker; results in task order. A worker
    that dies or is stopped gives `failed(path, name, reason)` instead (`reason` states the limit).
    What `work` returns comes back pickled: keep it small (the build's workers store their
    document themselves and return its summary, `yibao.build`)."""
    limits = limits or Limits.from_environment()
    slots = max(1, workers or worker_count())
    results: dict[int, Result] = {}
    queue = deque(enumerate(tasks))
    running: dict[int, _Worker] = {}
    try:
        while queue or running:
            while queue and len(running) < slots:
                index, task = queue.popleft()
                worker = _start(work, index, task, limits)
                running[worker.pid] = worker
            _read_available(running)
            for pid in list(running):
                worker = running[pid]
                finished, status, rusage = os.wait4(pid, os.WNOHANG)
                if finished == 0:
                    if time.monotonic() - worker.started > limits.wall_seconds and not worker.stopped_for_wall:
                        worker.stopped_for_wall = True
                        _kill(pid)
                    continue
                del running[pid]
                _drain(worker)
                result, how = _outcome(worker, status, rusage, limits, failed)
                results[worker.index] = result
                if usage is not None:
                    usage.append(
                        Usage(
                            worker.task[1],
                            rusage.ru_utime + rusage.ru_stime,
                            rusage.ru_maxrss / 1024,
                            time.monotonic() - worker.started,
                            how,
                        )
                    )
    finally:
        for pid, worker in running.items():  # interrupted: no worker outlives the build
            _kill(pid)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            if worker.fd is not None:
                os.close(worker.fd)
    return [results[index] for index in range(len(tasks))]


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _start(reader: Callable[[Path, str], Any], index: int, task: Task, limits: Limits) -> _Worker:
    read_end, write_end = os.pipe()
    parent = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    # Ctrl-C or a kill of the process group can land while the child runs Python's after-fork
    # hooks, before it has reset its handlers: a KeyboardInterrupt there prints a traceback.
    # Blocked across the fork, the signal waits: the worker takes it with the default action once
    # its handlers are reset, the build once the fork has returned.
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    pid = os.fork()
    if pid == 0:  # the worker: never returns
        os.close(read_end)
        _work(reader, task, limits, write_end, parent)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    os.close(write_end)
    os.set_blocking(read_end, False)
    return _Worker(index, task, pid, read_end, time.monotonic())


def _work(reader: Callable[[Path, str], Any], task: Task, limits: Limits, fd: int, parent: int) -> None:
    code = 0
    try:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGXCPU, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        faulthandler.disable()  # a crash is reported by the build, not dumped into its output
        _die_with(parent)
        _apply(limits)
        try:
            payload = pickle.dumps(("ok", reader(*task)), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("memory", ""))
        except BaseException as error:  # a reader's bug: this document's error
            payload = pickle.dumps(("crashed", f"{type(error).__name__}: {error}"[:300]))
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except BaseException:
        code = 70
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:
    """Ask the kernel to SIGKILL this worker when the build process dies (Linux)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the build died before the request took effect
        os._exit(71)


def _address_space() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _apply(limits: Limits) -> None:
    def set_limit(kind: int, soft: int, hard: int) -> None:
        _, current_hard = resource.getrlimit(kind)
        if current_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, current_hard), min(hard, current_hard)
        resource.setrlimit(kind, (soft, hard))

    set_limit(resource.RLIMIT_CORE, 0, 0)
    set_limit(resource.RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + GRACE_SECONDS)
    memory = _address_space() + limits.memory_mb * 1024 * 1024
    set_limit(resource.RLIMIT_AS, memory, memory)


def _read_available(running: dict[int, _Worker]) -> None:
    by_fd = {w.fd: w for w in running.values() if w.fd is not None}
    if not by_fd:
        time.sleep(POLL_SECONDS)
        return
    ready, _, _ = select.select(list(by_fd), [], [], POLL_SECONDS)
    for fd in ready:
        _read(by_fd[fd])


def _read(worker: _Worker) -> bool:
    """Read what is there; False at the end of the worker's output."""
    assert worker.fd is not None
    try:
        chunk = os.read(worker.fd, 1 << 20)
    except BlockingIOError:
        return True
    if chunk:
        worker.payload += chunk
        return True
    os.close(worker.fd)
    worker.fd = None
    return False


def _drain(worker: _Worker) -> None:
    """The worker has exited: what it wrote is all in the pipe."""
    if worker.fd is None:
        return
    os.set_blocking(worker.fd, True)
    while _read(worker):
        pass


def _outcome(
    worker: _Worker,
    status: int,
    rusage: resource.struct_rusage,
    limits: Limits,
    failed: Callable[[Path, str, str], Result],
) -> tuple[Result, str]:
    path, name = worker.task
    kind, value = "", None
    if worker.payload:
        try:
            kind, value = pickle.loads(bytes(worker.payload))
        except Exception:
            kind = ""
    if kind == "ok" and value is not None:
        return value, "ok"
    cpu = rusage.ru_utime + rusage.ru_stime
    signalled = os.WIFSIGNALED(status)
    number = os.WTERMSIG(status) if signalled else 0
    if worker.stopped_for_wall:
        how, reason = "wall", say("worker.wall_limit", seconds=f"{limits.wall_seconds:g}")
    elif number == signal.SIGXCPU or (number == signal.SIGKILL and cpu >= limits.cpu_seconds - 0.5):
        how, reason = "cpu", say("worker.cpu_limit", seconds=limits.cpu_seconds)
    elif kind == "memory":
        how, reason = "memory", say("worker.memory_limit", megabytes=limits.memory_mb)
    elif kind == "crashed":
        how, reason = "crashed", say("worker.crashed", error=str(value))
    elif signalled:
        how = "died"
        reason = say("worker.died", how=_signal_name(number))
    else:
        how, reason = "died", say("worker.died", how=f"exit status {os.WEXITSTATUS(status)}")
    return failed(path, name, reason), how


def _signal_name(number: int) -> str:
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    if number == signal.SIGKILL:
        return f"{name}: killed, perhaps by the system for lack of memory"
    return name


def error_document(path: Path, name: str, reason: str) -> Document:
    """The record of a document nothing could be read from."""
    from yibao.pipeline import sha256_or_empty

    return Document(source_file=name, sha256=sha256_or_empty(path), metadata=Metadata(), error=reason)
