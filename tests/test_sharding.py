"""Issue 11 — the parse stage split over machines: `build.py parse --shard K/N` reads the
documents of one shard (by the hash of their bytes) into a parse cache; the shards' caches put
together, `build.py data --cache` writes the very package one machine writes, reading nothing
again (the Pages workflow runs the shards as a matrix, tests/ci/test_ci_workflows.py)."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import yibao.build
from tests.conftest import ROOT
from tests.test_determinism import make_sources, snapshot
from yibao.build import build_data, parse_shard, shard_of, source_files
from yibao.pipeline import sha256_of


def test_every_document_falls_in_exactly_one_shard(tmp_path: Path) -> None:
    sources = make_sources(tmp_path)
    digests = [sha256_of(path) for path in source_files(sources)]
    for count in (1, 2, 3, 7):
        shards = [shard_of(d, count) for d in digests]
        assert all(0 <= s < count for s in shards)
        assert shards == [shard_of(d, count) for d in digests]  # the same on every call and machine
    assert len({shard_of(d, 3) for d in digests}) > 1  # the documents do spread


def _merge(caches: list[Path], into: Path) -> None:
    """What the assemble job does with the shards' artifacts (download-artifact, merge-multiple)."""
    for cache in caches:
        shutil.copytree(cache, into, dirs_exist_ok=True)


def test_a_sharded_build_writes_what_one_machine_writes_and_reads_nothing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = make_sources(tmp_path)
    assert build_data(sources, tmp_path / "one", io.StringIO()) == 1  # some inputs are bad on purpose
    caches = [tmp_path / f"cache{k}" for k in range(3)]
    for shard, cache in enumerate(caches):
        assert parse_shard(sources, cache, shard, 3, io.StringIO()) == 0
    merged = tmp_path / "cache"
    _merge(caches, merged)

    def no_reading(*_args: object) -> None:
        raise AssertionError("the assemble step read a document again")

    monkeypatch.setattr(yibao.build, "parse_document", no_reading)
    log = io.StringIO()
    assert build_data(sources, tmp_path / "sharded", log, cache=merged) == 1
    assert snapshot(tmp_path / "sharded") == snapshot(tmp_path / "one"), log.getvalue()


def test_a_shard_out_of_range_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "parse", "--cache", str(tmp_path / "c"), "--shard", "2/2"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "K/N" in done.stderr
    assert not (tmp_path / "c").exists()
