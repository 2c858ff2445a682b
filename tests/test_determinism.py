"""Issue 5 — the same inputs give a byte-identical datapackage/ tree, whatever the run.

Sources: the four real disclosures, the tables PDF (given its own year by a metadata file so it
does not conflict with the 双鸭山 text), a duplicate, and some unreadable files, so that every
resource (rejected_files, error rows, per-document packages) has rows to order.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, REAL, ROOT, SOURCE_DOCS
from yibao.build import build_data

INPUTS: dict[str, Path | str] = {
    **{relative: SOURCE_DOCS / relative for relative in REAL},
    "pdf/shuangyashan-tables.pdf": FIXTURES / "pdf/shuangyashan-2024-tables.pdf",
    "pdf/shuangyashan-tables.meta.toml": 'fiscal_year = 2023\nsource_url = "https://example.org/t.pdf"\n',
    **{
        relative.replace(".txt", ".meta.toml").replace(".md", ".meta.toml"): meta
        for relative in REAL
        if (meta := SOURCE_DOCS / relative.replace(".txt", ".meta.toml").replace(".md", ".meta.toml")).exists()
    },
    "zz/duplicate.txt": SOURCE_DOCS / "heilongjiang/shuangyashan-2024-budget.txt",
    "bad/encrypted.pdf": FIXTURES / "bad/encrypted.pdf",
    "bad/binary.txt": FIXTURES / "bad/binary.txt",
    "bad/notice.pdf": FIXTURES / "pdf/not-a-budget-notice.pdf",
}


def make_sources(root: Path, reverse: bool = False) -> Path:
    """The inputs under root/src; `reverse` creates them in the opposite order (directory
    entry order must not matter)."""
    sources = root / "src"
    for relative in sorted(INPUTS, reverse=reverse):
        content = INPUTS[relative]
        target = sources / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            target.write_bytes(content.read_bytes())
        else:
            target.write_text(content, encoding="utf-8")
    return sources


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_tree(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert sorted(a) == sorted(b), "different files"
    different = [name for name in a if a[name] != b[name]]
    assert not different, f"files differ: {different}"


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """In one process, from two copies of the inputs at different places, created in different
    orders, written twice into the same folder: always the same bytes."""
    first = make_sources(tmp_path / "a")
    second = make_sources(tmp_path / "b", reverse=True)
    assert build_data(first, tmp_path / "out-a", log=io.StringIO()) == 1  # the bad files
    assert build_data(second, tmp_path / "out-b", log=io.StringIO()) == 1
    a, b = snapshot(tmp_path / "out-a"), snapshot(tmp_path / "out-b")
    assert len(a) > 20 and "datapackage.json" in a and "rejected_files.csv" in a
    assert_same_tree(a, b)
    # rebuilding over an existing package changes nothing either
    assert build_data(first, tmp_path / "out-a", log=io.StringIO()) == 1
    assert_same_tree(a, snapshot(tmp_path / "out-a"))
    # the inputs really are in it
    documents = a["documents.csv"].decode("utf-8-sig")
    assert documents.count("\n") == 1 + 4 + 1 + 3  # header, real, PDF, three unreadable
    assert "zz/duplicate.txt" in a["rejected_files.csv"].decode("utf-8-sig")


def test_builds_in_separate_processes_are_byte_identical(tmp_path: Path) -> None:
    """`build.py data` under different hash seeds (set and dict orders) gives the same bytes as
    the in-process build."""
    sources = make_sources(tmp_path)
    trees = []
    for seed in ("1", "4242"):
        out = tmp_path / f"out-{seed}"
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "data", "--sources", str(sources), "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert result.returncode == 1, result.stderr
        trees.append(snapshot(out))
    assert_same_tree(trees[0], trees[1])
    assert build_data(sources, tmp_path / "out-here", log=io.StringIO()) == 1
    assert_same_tree(trees[0], snapshot(tmp_path / "out-here"))
