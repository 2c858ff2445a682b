"""The hostile catalogue: every case of issue 13, each with an input the test makes itself.

Helpers: read one file the way the build does (in a worker under the stated limits) and get the
document with what its worker used; build a sources folder of the four real documents plus
hostile files, and check that the real ones are published exactly as when built alone.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REAL, SOURCE_DOCS
from yibao.build import build_data
from yibao.isolation import Limits, Usage, read_isolated
from yibao.model import Document
from yibao.pipeline import parse_document

RESOURCES = ("documents", "tables", "line_items", "key_figures", "checks", "problems", "rejected_files")


def read_alone(path: Path, limits: Limits | None = None) -> tuple[Document, Usage]:
    usage: list[Usage] = []
    document = read_isolated(parse_document, [(path, path.name)], limits=limits, workers=1, usage=usage)[0]
    return document, usage[0]


def real_sources(root: Path, extra: dict[str, bytes | str] | None = None) -> Path:
    """`root/src`: the four real documents with their metadata files, and the extra files."""
    sources = root / "src"
    for relative in REAL:
        target = sources / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SOURCE_DOCS / relative, target)
        meta = (SOURCE_DOCS / relative).with_name(Path(relative).stem + ".meta.toml")
        if meta.exists():
            shutil.copyfile(meta, target.with_name(target.stem + ".meta.toml"))
    for relative, content in (extra or {}).items():
        target = sources / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
    return sources


def read_package(out: Path) -> dict[str, list[dict[str, str]]]:
    package = {}
    for name in RESOURCES:
        with open(out / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
            package[name] = list(csv.DictReader(handle))
    return package


def build(sources: Path, out: Path) -> tuple[int, str, dict[str, list[dict[str, str]]]]:
    log = io.StringIO()
    status = build_data(sources, out, log=log)
    return status, log.getvalue(), read_package(out)


def real_rows(package: dict[str, list[dict[str, str]]]) -> dict[str, list[dict[str, str]]]:
    """Every row of the four real documents, by resource, with the sources folder taken out."""
    ids = {r["doc_id"] for r in package["documents"] if r["source_file"].removeprefix("src/") in REAL}
    assert len(ids) == len(REAL), package["documents"]
    return {
        name: [r for r in package[name] if r.get("doc_id") in ids] for name in RESOURCES if name != "rejected_files"
    }


@pytest.fixture(scope="session")
def alone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, str]]]:
    """The four real documents built alone: what every hostile build must still publish."""
    root = tmp_path_factory.mktemp("alone")
    status, log, package = build(real_sources(root), root / "out")
    assert status == 0, log
    return real_rows(package)


def assert_others_published(package: dict[str, list[dict[str, str]]], alone: dict[str, list[dict[str, str]]]) -> None:
    assert real_rows(package) == alone


def live_processes(field: int, value: int) -> list[int]:
    """Live processes whose /proc stat field (after the name; 1 parent, 2 process group) is `value`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[field]) == value:
            found.append(int(entry.name))
    return found


def children_of(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    return live_processes(1, pid)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


@pytest.fixture
def no_leftover_workers() -> Iterator[None]:
    """After the test, this process has no child it did not have before (every worker reaped)."""
    before = set(children_of(os.getpid()))
    yield
    assert set(children_of(os.getpid())) - before == set()


if not sys.platform.startswith("linux"):  # /proc, PR_SET_PDEATHSIG, RLIMIT_AS as Linux has them
    collect_ignore_glob = ["test_*.py"]
