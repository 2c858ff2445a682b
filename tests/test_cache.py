"""The parse cache (yibao/cache.py): every document read once; a rebuild reads only new or changed
documents, a changed parser reads everything again, and the package is the same bytes either way."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import yibao.build
import yibao.cache
from tests.conftest import REAL, SOURCE_DOCS, read_csv
from yibao.build import build_data
from yibao.cache import DocumentStore, Source, entry_key, read_from
from yibao.model import Document, Metadata

SHUANGYASHAN, CHENGDE = REAL[2], REAL[0]


def sources_with(tmp_path: Path, *relatives: str) -> Path:
    """A sources folder holding copies of documents of source_docs/ (with their metadata files)."""
    sources = tmp_path / "src"
    for relative in relatives:
        original = SOURCE_DOCS / relative
        for path in (original, original.with_name(original.stem + ".meta.toml")):
            if path.is_file():
                (sources / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, (sources / relative).parent / path.name)
    return sources


@pytest.fixture
def reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Record every document a worker reads: the workers are forked from the test, so each one
    appends its document's name to a file (the test process cannot see a worker's memory)."""
    log = tmp_path / "reads.log"
    log.touch()
    real = yibao.build.parse_document

    def parse_document(path: Path, name: str) -> Document:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(name + "\n")
        return real(path, name)

    monkeypatch.setattr(yibao.build, "parse_document", parse_document)
    return log


def read_names(log: Path) -> list[str]:
    names = log.read_text(encoding="utf-8").split()
    log.write_text("", encoding="utf-8")
    return sorted(names)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_rebuild_reads_only_the_new_document_and_writes_the_same_package(tmp_path: Path, reads: Path) -> None:
    sources = sources_with(tmp_path, SHUANGYASHAN, CHENGDE)
    cache = tmp_path / "cache"
    assert build_data(sources, tmp_path / "cold", log=io.StringIO(), cache=cache) == 0
    assert read_names(reads) == [f"src/{CHENGDE}", f"src/{SHUANGYASHAN}"]

    assert build_data(sources, tmp_path / "warm", log=io.StringIO(), cache=cache) == 0
    assert read_names(reads) == []  # nothing read again
    assert tree(tmp_path / "warm") == tree(tmp_path / "cold")

    shutil.copytree(sources_with(tmp_path / "more", REAL[1]), sources, dirs_exist_ok=True)
    assert build_data(sources, tmp_path / "more-out", log=io.StringIO(), cache=cache) == 0
    assert read_names(reads) == [f"src/{REAL[1]}"]  # the new one only
    assert build_data(sources, tmp_path / "fresh", log=io.StringIO()) == 0  # no cache: all read
    assert tree(tmp_path / "more-out") == tree(tmp_path / "fresh")
    # 双鸭山 2024: 收入总计 printed on page 1 of its 收支总表, as in the package built without cache
    [row] = [r for r in read_csv(tmp_path / "more-out" / "documents.csv") if r["source_file"] == f"src/{SHUANGYASHAN}"]
    assert row["fiscal_year"] == "2024" and row["status"] in ("ok", "partial")


def test_a_changed_document_or_metadata_file_is_read_again(tmp_path: Path, reads: Path) -> None:
    sources = sources_with(tmp_path, SHUANGYASHAN, CHENGDE)
    cache = tmp_path / "cache"
    build_data(sources, tmp_path / "one", log=io.StringIO(), cache=cache)
    read_names(reads)
    changed = sources / SHUANGYASHAN
    changed.write_text(changed.read_text(encoding="utf-8") + "\n附注\n", encoding="utf-8")
    build_data(sources, tmp_path / "two", log=io.StringIO(), cache=cache)
    assert read_names(reads) == [f"src/{SHUANGYASHAN}"]
    metadata = (sources / CHENGDE).with_name(Path(CHENGDE).stem + ".meta.toml")
    metadata.write_text(metadata.read_text(encoding="utf-8") + '\nsource_url = "https://example.org/a.pdf"\n', "utf-8")
    build_data(sources, tmp_path / "three", log=io.StringIO(), cache=cache)
    assert read_names(reads) == [f"src/{CHENGDE}"]
    [row] = [r for r in read_csv(tmp_path / "three" / "documents.csv") if r["source_file"] == f"src/{CHENGDE}"]
    assert row["source_url"] == "https://example.org/a.pdf"


def test_a_changed_parser_reads_everything_again_and_drops_the_old_entries(
    tmp_path: Path, reads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = sources_with(tmp_path, SHUANGYASHAN, CHENGDE)
    cache = tmp_path / "cache"
    build_data(sources, tmp_path / "one", log=io.StringIO(), cache=cache)
    read_names(reads)
    [old] = [p.name for p in cache.iterdir()]
    assert old == yibao.cache.parser_version()
    monkeypatch.setattr(yibao.cache, "parser_version", lambda: "2-0000000000000000")
    build_data(sources, tmp_path / "two", log=io.StringIO(), cache=cache)
    assert read_names(reads) == [f"src/{CHENGDE}", f"src/{SHUANGYASHAN}"]
    assert [p.name for p in cache.iterdir()] == ["2-0000000000000000"]
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


def test_the_parser_version_changes_with_any_file_of_the_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "yibao"
    shutil.copytree(yibao.cache.PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(yibao.cache, "PACKAGE_ROOT", copy)
    yibao.cache.parser_version.cache_clear()
    try:
        before = yibao.cache.parser_version()
        yibao.cache.parser_version.cache_clear()
        (copy / "site" / "charts.py").write_text("# the site is no part of reading\n", encoding="utf-8")
        assert yibao.cache.parser_version() == before
        yibao.cache.parser_version.cache_clear()
        titles = copy / "data" / "titles.yml"
        titles.write_text(titles.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert yibao.cache.parser_version() != before
    finally:
        yibao.cache.parser_version.cache_clear()


def test_what_was_not_read_from_the_keyed_bytes_is_never_kept() -> None:
    source = Source(Path("a.txt"), "a.txt", "ab" * 32, "")
    read = Document(source_file="a.txt", sha256="ab" * 32, metadata=Metadata())
    assert read_from(read, [source])
    vanished = Document(source_file="a.txt", sha256="ab" * 32, metadata=Metadata(), error_code="file.vanished")
    changed = Document(source_file="a.txt", sha256="cd" * 32, metadata=Metadata())
    stopped = Document(source_file="a.txt", sha256="", metadata=Metadata(), error="worker stopped")
    assert not any(read_from(d, [source]) for d in (vanished, changed, stopped))
    # the key names the parser, the published name and the bytes of the file and its metadata
    keys = {
        entry_key([source], "a.txt"),
        entry_key([source], "b.txt"),
        entry_key([Source(Path("a.txt"), "a.txt", "cd" * 32, "")], "a.txt"),
        entry_key([Source(Path("a.txt"), "a.txt", "ab" * 32, "ef" * 32)], "a.txt"),
    }
    assert len(keys) == 4


def test_a_torn_entry_is_read_again(tmp_path: Path, reads: Path) -> None:
    sources = sources_with(tmp_path, CHENGDE)
    cache = tmp_path / "cache"
    build_data(sources, tmp_path / "one", log=io.StringIO(), cache=cache)
    read_names(reads)
    for path in cache.rglob("*.summary"):
        path.write_bytes(path.read_bytes()[:10])
    assert build_data(sources, tmp_path / "two", log=io.StringIO(), cache=cache) == 0
    assert read_names(reads) == [f"src/{CHENGDE}"]
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


def test_a_store_without_folder_leaves_nothing_behind() -> None:
    store = DocumentStore()
    root = store.root
    store.put("ab" * 32, Document(source_file="a", sha256="", metadata=Metadata()), b"rows")
    assert store.rows("ab" * 32) == b"rows"
    store.close()
    assert not root.exists()


def test_torn_rows_fail_the_build_cleanly_and_are_read_again_next_time(tmp_path: Path, reads: Path) -> None:
    sources = sources_with(tmp_path, CHENGDE)
    cache = tmp_path / "cache"
    build_data(sources, tmp_path / "out", log=io.StringIO(), cache=cache)
    before = tree(tmp_path / "out")
    read_names(reads)
    for path in cache.rglob("*.rows"):
        path.write_bytes(path.read_bytes()[:10])
    log = io.StringIO()
    assert build_data(sources, tmp_path / "out", log=log, cache=cache) == 2
    assert f"src/{CHENGDE}" in log.getvalue() and "build again" in log.getvalue()
    assert tree(tmp_path / "out") == before  # the previous package stays whole
    assert build_data(sources, tmp_path / "out", log=io.StringIO(), cache=cache) == 0
    assert read_names(reads) == [f"src/{CHENGDE}"]
    assert tree(tmp_path / "out") == before
