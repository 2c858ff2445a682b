"""Output folders (datapackage/, site/) are replaced whole, by one build at a time.

- `atomic_folder`: everything is written into a hidden temporary folder beside the target, which
  replaces the target only when complete; a failed or killed build leaves the previous version.
- `output_lock`: a build holds an exclusive lock beside the target (`.<name>-build.lock`, flock)
  from its start to its end; a second build into the same folder refuses at once with the pid
  of the one that holds it. The kernel releases the lock when a build dies, even by SIGKILL.
- `OutputError`: writing failed (disk full, read-only folder, no permission): the message says
  so, names the folder and says the previous version is unchanged.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from yibao.messages import CodedError


class OutputError(CodedError):
    """The output could not be written; the previous version is unchanged."""


class OutputLocked(CodedError):
    """Another build is writing the same output."""


def write_error(target: Path, error: OSError) -> OutputError:
    reason = {
        errno.ENOSPC: "no space left on device",
        errno.EDQUOT: "disk quota exceeded",
        errno.EFBIG: "file too large for this file system or limit",
        errno.EROFS: "read-only file system",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
    }.get(error.errno or 0, error.strerror or type(error).__name__)
    return OutputError("output.write_failed", target=str(target), error=reason)


@contextmanager
def output_lock(target: Path) -> Iterator[None]:
    """Hold the build lock of `target` (see the module's description) or raise OutputLocked."""
    target = Path(os.path.abspath(target))
    lock_path = target.parent / f".{target.name}-build.lock"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = _acquire(lock_path, target)
    except OSError as error:
        raise write_error(target, error) from error
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock_path.unlink()  # while still holding it: a build that opened it retries
        os.close(fd)


def _acquire(lock_path: Path, target: Path) -> int:
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise OutputLocked("output.locked", target=str(target), pid=holder) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock_path).st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a lock file the previous holder removed just before we locked it
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            return fd
        os.close(fd)


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces `target`, on failure it is removed and
    `target` is left as it was. Leftovers of a killed build (hidden `.<name>.building-*` and
    `.<name>.previous-*` folders beside the target) never replace it; the next build removes them."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f".{target.name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        yield temporary
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    swap_in(temporary, target)


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` by `new` with two renames; if the second fails, the old one goes back."""
    previous = target.with_name(f".{target.name}.previous-{os.getpid()}")
    had_target = target.exists()
    if had_target:
        try:
            os.replace(target, previous)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
    try:
        os.replace(new, target)
    except BaseException:
        if had_target:
            os.replace(previous, target)
        shutil.rmtree(new, ignore_errors=True)
        raise
    # this build's previous version, and any a killed build left between its two renames
    for old in target.parent.glob(f".{target.name}.previous-*"):
        shutil.rmtree(old, ignore_errors=True)
