"""Issue 5 — bad inputs: every bad file gets a clear message (the file, what is wrong, what to do)
and never costs the other documents any of their data.

Each case builds a temporary sources folder holding copies of the four real disclosures plus the
bad input, runs the build, and compares every row of the four good documents with a build of the
four alone. `build.py check` is run on each bad file too.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import yibao.extract
from tests.conftest import FIXTURES, REAL, ROOT, SOURCE_DOCS
from yibao.build import build_data
from yibao.pipeline import parse_document

SHUANGYASHAN = "heilongjiang/shuangyashan-2024-budget.txt"
RESOURCES = (
    "documents", "tables", "line_items", "key_figures", "projects", "performance_targets",
    "checks", "problems", "rejected_files",
)  # fmt: skip
# words that tell a contributor what to do about a file
ACTION = re.compile(
    r"download|upload|publish|save|split|re-?export|OCR|remove|correct|replace|set `|convert|fix|check that",
    re.IGNORECASE,
)

Package = dict[str, list[dict[str, str]]]


# --------------------------------------------------------------------------- helpers


def real_text(relative: str) -> str:
    return (SOURCE_DOCS / relative).read_text(encoding="utf-8")


def sidecar(document: Path) -> Path:
    return document.with_name(f"{document.stem}.meta.toml")


def copy_sidecar(relative: str, target: Path) -> None:
    """The real document's metadata file (if it has one), beside `target` under its name."""
    meta = sidecar(SOURCE_DOCS / relative)
    if meta.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(meta, sidecar(target))


def make_sources(root: Path, extra: dict[str, bytes | str] | None = None, skip: tuple[str, ...] = ()) -> Path:
    """`root/src` with the four real documents (minus `skip`) with their metadata files, and
    the extra files."""
    sources = root / "src"
    for relative in REAL:
        if relative in skip:
            continue
        target = sources / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SOURCE_DOCS / relative, target)
        copy_sidecar(relative, target)
    for relative, content in (extra or {}).items():
        target = sources / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
    return sources


def read_package(out: Path) -> Package:
    package: Package = {}
    for name in RESOURCES:
        with open(out / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
            package[name] = list(csv.DictReader(handle))
    return package


def build(sources: Path, out: Path) -> tuple[int, str, Package]:
    log = io.StringIO()
    status = build_data(sources, out, log=log)
    return status, log.getvalue(), read_package(out)


def rows_of(package: Package, doc_id: str) -> dict[str, list[dict[str, str]]]:
    return {
        name: [r for r in package[name] if r.get("doc_id") == doc_id] for name in RESOURCES if name != "rejected_files"
    }


def document_by_file(package: Package, source_file: str) -> dict[str, str]:
    found = [r for r in package["documents"] if r["source_file"] == source_file]
    assert len(found) == 1, f"{source_file} should be listed once in documents.csv, found {len(found)}"
    return found[0]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Package:
    """The four real documents alone."""
    root = tmp_path_factory.mktemp("baseline")
    status, log, package = build(make_sources(root), root / "out")
    assert status == 0, log
    assert len(package["documents"]) == len(REAL)
    return package


def assert_good_documents_complete(package: Package, baseline: Package, skip: tuple[str, ...] = ()) -> None:
    """Every real document (but `skip`) is published exactly as when built alone: same status,
    same tables, line items, checks, problems — nothing lost to the bad neighbour."""
    for relative in REAL:
        if relative in skip:
            continue
        source_file = f"src/{relative}"
        expected = document_by_file(baseline, source_file)
        actual = document_by_file(package, source_file)
        assert actual == expected, f"{source_file}: documents.csv row changed"
        assert actual["status"] in ("ok", "partial"), f"{source_file}: {actual['status']}"
        did = actual["doc_id"]
        expected_rows, actual_rows = rows_of(baseline, did), rows_of(package, did)
        for name in expected_rows:
            assert actual_rows[name] == expected_rows[name], f"{source_file}: rows of {name} differ"
        assert actual_rows["line_items"], f"{source_file}: no line items"
        assert not any(r["source_file"] == source_file for r in package["rejected_files"])
    if SHUANGYASHAN not in skip:
        did = document_by_file(package, f"src/{SHUANGYASHAN}")["doc_id"]
        assert shuangyashan_expenditure_total(package, did) == "1116.56"


def shuangyashan_expenditure_total(package: Package, doc_id: str) -> str:
    totals = [
        r["amount"]
        for r in package["line_items"]
        if r["doc_id"] == doc_id and r["table"] == "expenditure" and r["level"] == "total" and r["measure"] == "total"
    ]
    assert totals, "双鸭山 部门支出总表 合计 row missing"
    return totals[0]


def assert_error_reported(status: int, log: str, package: Package, source_file: str, reason: str) -> dict[str, str]:
    """The bad document is listed with status error and a reason, named in the log, exit 1."""
    assert status == 1
    row = document_by_file(package, source_file)
    assert row["status"] == "error"
    assert re.search(reason, row["problems"], re.IGNORECASE), row["problems"]
    assert row["sha256"] and row["doc_id"].startswith("error-")
    assert re.search(rf"{re.escape(source_file)}: error — .*{reason}", log, re.IGNORECASE), log
    # nothing half-read from it reaches the tables
    for name in ("tables", "line_items", "key_figures", "checks"):
        assert not [r for r in package[name] if r["doc_id"] == row["doc_id"]], name
    return row


def run_check(path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", str(path), *options],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=path.parent,
    )


def shuangyashan_with(old: str, new: str, after: str = "部门支出总表", starts: str = "20801 ") -> str:
    """The 双鸭山 text with one amount changed in the first row starting `starts` after `after`."""
    lines = real_text(SHUANGYASHAN).split("\n")
    start = lines.index(after)
    index = next(i for i in range(start, len(lines)) if lines[i].startswith(starts))
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    return "\n".join(lines)


# --------------------------------------------------------------------------- unreadable documents

UNREADABLE = {
    # case: (file name in sources, content, reason the message must give)
    "empty-text": ("bad/empty.txt", b"", r"empty file"),
    "zero-byte-pdf": ("bad/empty.pdf", FIXTURES / "bad" / "empty.pdf", r"empty file"),
    "truncated-pdf": ("bad/truncated.pdf", FIXTURES / "bad" / "truncated.pdf", r"truncated"),
    "encrypted-pdf": ("bad/encrypted.pdf", FIXTURES / "bad" / "encrypted.pdf", r"encrypted.*password"),
    "scanned-pdf": ("bad/scanned.pdf", FIXTURES / "bad" / "scanned-blank-page.pdf", r"no text layer.*no usable"),
    "cid-garbage-pdf": ("bad/cid.pdf", FIXTURES / "bad" / "cid-garbage.pdf", r"\(cid:NN\)"),
    "not-a-budget-pdf": ("bad/notice.pdf", FIXTURES / "pdf" / "not-a-budget-notice.pdf", r"no budget table found"),
    "binary-named-txt": ("bad/binary.txt", FIXTURES / "bad" / "binary.txt", r"binary"),
    "random-bytes-pdf": ("bad/random.pdf", bytes(range(256)) * 8, r"not a PDF"),
    "broken-pdf-body": ("bad/broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n%%EOF\n", r"broken PDF"),
    "utf16-text": (
        "bad/utf16.txt",
        real_text(SHUANGYASHAN).encode("utf-16"),
        r"UTF-8",
    ),
}


def _content(value: bytes | Path) -> bytes:
    return value.read_bytes() if isinstance(value, Path) else value


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_unreadable_document_is_reported_and_others_complete(case: str, tmp_path: Path, baseline: Package) -> None:
    name, content, reason = UNREADABLE[case]
    sources = make_sources(tmp_path, {name: _content(content)})
    status, log, package = build(sources, tmp_path / "out")
    assert_error_reported(status, log, package, f"src/{name}", reason)
    assert_good_documents_complete(package, baseline)
    assert len(package["documents"]) == len(REAL) + 1
    assert package["rejected_files"] == []


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_check_command_on_unreadable_document(case: str, tmp_path: Path) -> None:
    name, content, reason = UNREADABLE[case]
    path = tmp_path / Path(name).name
    path.write_bytes(_content(content))
    result = run_check(path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert path.name in result.stdout
    assert "error" in result.stdout
    assert re.search(reason, result.stdout, re.IGNORECASE), result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_unreadable_message_says_what_to_do(case: str, tmp_path: Path) -> None:
    """The reason is for a contributor: besides what is wrong, it says what to do."""
    name, content, _ = UNREADABLE[case]
    path = tmp_path / Path(name).name
    path.write_bytes(_content(content))
    document = parse_document(path, path.name)
    assert document.status == "error"
    assert ACTION.search(document.error), f"{case}: no advice in {document.error!r}"


def test_check_command_json_on_unreadable_document(tmp_path: Path) -> None:
    path = tmp_path / "encrypted.pdf"
    shutil.copyfile(FIXTURES / "bad" / "encrypted.pdf", path)
    result = run_check(path, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["status"] == "error"
    assert report["file"].endswith("encrypted.pdf")
    assert "encrypted" in report["error"]
    assert report["tables"] == [] and report["checks"] == []


def test_check_command_on_missing_file(tmp_path: Path) -> None:
    result = run_check(tmp_path / "nowhere.pdf")
    assert result.returncode != 0
    assert "nowhere.pdf" in result.stderr


def test_build_command_exit_status_and_stderr(tmp_path: Path, baseline: Package) -> None:
    """The command line: exit 1, the bad file named on stderr, the good ones written."""
    sources = make_sources(tmp_path, {"bad/scanned.pdf": (FIXTURES / "bad" / "scanned-blank-page.pdf").read_bytes()})
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "data", "--sources", str(sources), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert "src/bad/scanned.pdf: error" in result.stderr
    assert "no text layer" in result.stderr
    assert "Traceback" not in result.stderr
    package = read_package(tmp_path / "out")
    assert_good_documents_complete(package, baseline)


def test_oversized_file_is_refused(tmp_path: Path, baseline: Package, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over yibao.extract.MAX_FILE_BYTES: refused with the limit stated (the limit is lowered so
    that the real documents fit and a doubled copy does not)."""
    limit = max((SOURCE_DOCS / r).stat().st_size for r in REAL)
    monkeypatch.setattr(yibao.extract, "MAX_FILE_BYTES", limit)
    big = (real_text(SHUANGYASHAN) * 2).encode("utf-8") + b"\n" * (limit + 1)
    sources = make_sources(tmp_path, {"bad/huge.txt": big})
    status, log, package = build(sources, tmp_path / "out")
    row = assert_error_reported(status, log, package, "src/bad/huge.txt", r"file too large")
    assert str(limit) in row["problems"] and str(len(big)) in row["problems"]
    assert ACTION.search(row["problems"])
    assert_good_documents_complete(package, baseline)


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("relative", REAL)
@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_text_reads_like_utf8(relative: str, encoding: str, tmp_path: Path) -> None:
    """A GBK/GB18030 text gives the same bureau, tables and amounts as its UTF-8 original."""
    original = SOURCE_DOCS / relative
    encoded = tmp_path / original.name
    encoded.write_bytes(original.read_text(encoding="utf-8").encode(encoding))
    copy_sidecar(relative, encoded)
    a = parse_document(original, "doc")
    b = parse_document(encoded, "doc")
    assert b.status == a.status and not b.error
    assert b.metadata == a.metadata
    assert [(t.table_id, t.title, len(t.rows)) for t in b.tables] == [
        (t.table_id, t.title, len(t.rows)) for t in a.tables
    ]
    amounts_a = [(i.code, i.name, i.measure, i.amount) for t in a.tables for i in t.line_items()]
    amounts_b = [(i.code, i.name, i.measure, i.amount) for t in b.tables for i in t.line_items()]
    assert amounts_b == amounts_a
    assert [(c.check, c.status, c.expected, c.actual) for c in b.checks] == [
        (c.check, c.status, c.expected, c.actual) for c in a.checks
    ]


def test_gb18030_fixture_in_a_build(tmp_path: Path, baseline: Package) -> None:
    """The committed GB18030 copy of 双鸭山 in place of the UTF-8 one: the same data is published."""
    gb = (FIXTURES / "text" / "shuangyashan-2024-gb18030.txt").read_bytes()
    assert gb.decode("gb18030") == real_text(SHUANGYASHAN), "fixture out of date with the source text"
    sources = make_sources(tmp_path, {"heilongjiang/shuangyashan-gb18030.txt": gb}, skip=(SHUANGYASHAN,))
    copy_sidecar(SHUANGYASHAN, sources / "heilongjiang/shuangyashan-gb18030.txt")
    status, log, package = build(sources, tmp_path / "out")
    assert status == 0, log
    assert_good_documents_complete(package, baseline, skip=(SHUANGYASHAN,))
    expected = document_by_file(baseline, f"src/{SHUANGYASHAN}")
    actual = document_by_file(package, "src/heilongjiang/shuangyashan-gb18030.txt")
    assert actual["bureau"] == "双鸭山市医疗保障局"
    different = {"source_file", "sha256"}
    assert {k: v for k, v in actual.items() if k not in different} == {
        k: v for k, v in expected.items() if k not in different
    }
    did = actual["doc_id"]
    expected_rows, actual_rows = rows_of(baseline, did), rows_of(package, did)
    for name in expected_rows:
        if name != "documents":
            assert actual_rows[name] == expected_rows[name], name
    assert shuangyashan_expenditure_total(package, did) == "1116.56"


# --------------------------------------------------------------------------- duplicates and conflicts


def test_same_document_twice_is_built_once(tmp_path: Path, baseline: Package) -> None:
    copy = (SOURCE_DOCS / SHUANGYASHAN).read_bytes()
    sources = make_sources(tmp_path, {"zz-copies/shuangyashan-again.txt": copy})
    status, log, package = build(sources, tmp_path / "out")
    assert status == 1
    assert_good_documents_complete(package, baseline)
    assert len(package["documents"]) == len(REAL)
    assert not [r for r in package["documents"] if r["source_file"] == "src/zz-copies/shuangyashan-again.txt"]
    rejected = package["rejected_files"]
    assert [r["source_file"] for r in rejected] == ["src/zz-copies/shuangyashan-again.txt"]
    assert rejected[0]["sha256"] == document_by_file(package, f"src/{SHUANGYASHAN}")["sha256"]
    assert f"src/{SHUANGYASHAN}" in rejected[0]["reason"]
    assert "src/zz-copies/shuangyashan-again.txt" in log and "duplicate" in log


def test_conflicting_documents_are_both_rejected(tmp_path: Path, baseline: Package) -> None:
    """Two different files claiming the same bureau, year and kind: neither is published, both are
    rejected naming the other, exit 1; the other documents are complete."""
    changed = shuangyashan_with("857.18", "867.18")
    sources = make_sources(tmp_path, {"zz-copies/shuangyashan-edited.txt": changed})
    status, log, package = build(sources, tmp_path / "out")
    assert status == 1
    first, second = f"src/{SHUANGYASHAN}", "src/zz-copies/shuangyashan-edited.txt"
    assert not [r for r in package["documents"] if r["source_file"] in (first, second)]
    assert not [r for r in package["documents"] if r["bureau"] == "双鸭山市医疗保障局"]
    rejected = {r["source_file"]: r for r in package["rejected_files"]}
    assert set(rejected) == {first, second}
    assert second in rejected[first]["reason"] and first in rejected[second]["reason"]
    assert all("conflict" in r["reason"] for r in rejected.values())
    assert all(ACTION.search(r["reason"]) for r in rejected.values())
    assert f"{first}: conflict" in log and f"{second}: conflict" in log
    # nothing of either leaks into the other resources
    ids = {r["doc_id"] for r in baseline["documents"] if r["source_file"] == first}
    for name in ("tables", "line_items", "key_figures", "checks", "problems"):
        assert not [r for r in package[name] if r["doc_id"] in ids], name
    assert_good_documents_complete(package, baseline, skip=(SHUANGYASHAN,))


# --------------------------------------------------------------------------- metadata files

METADATA = {
    # case: (metadata file content, line the message must name)
    "toml-syntax": ('bureau = "双鸭山市医疗保障局"\nfiscal_year = 2024\ndoc_type = budget"\n', 3),
    "unknown-field": ('bureau = "双鸭山市医疗保障局"\n\nfiscla_year = 2024\n', 3),
    "bad-enum": ('# 双鸭山\nscope = "department"\nadmin_level = "city"\n', 3),
    "wrong-type": ('bureau = "双鸭山市医疗保障局"\nfiscal_year = "2024"\n', 2),
    "boolean-year": ('bureau = "双鸭山市医疗保障局"\n\n\nfiscal_year = true\n', 4),
    "bad-doc-type": ('\ndoc_type = "预算"\n', 2),
}


@pytest.mark.parametrize("case", sorted(METADATA))
def test_malformed_metadata_file(case: str, tmp_path: Path, baseline: Package) -> None:
    content, line = METADATA[case]
    # a copy of 双鸭山 that differs by one byte, so that it is no duplicate of the real one
    document = real_text(SHUANGYASHAN) + "\n"
    sources = make_sources(tmp_path, {"meta/sys-copy.txt": document, "meta/sys-copy.meta.toml": content})
    status, log, package = build(sources, tmp_path / "out")
    row = assert_error_reported(status, log, package, "src/meta/sys-copy.txt", r"sys-copy\.meta\.toml")
    assert re.search(rf"\bline {line}\b", row["problems"]), row["problems"]
    assert_good_documents_complete(package, baseline)
    result = run_check(sources / "meta" / "sys-copy.txt")
    assert result.returncode == 1
    assert "sys-copy.meta.toml" in result.stdout and f"line {line}" in result.stdout


def test_metadata_file_not_utf8(tmp_path: Path, baseline: Package) -> None:
    """A metadata file saved as GBK: the message names the metadata file and asks for UTF-8
    (not an 'unexpected error' about a codec)."""
    document = real_text(SHUANGYASHAN) + "\n"
    meta = 'bureau = "双鸭山市医疗保障局"\n'.encode("gbk")
    sources = make_sources(tmp_path, {"meta/sys-copy.txt": document, "meta/sys-copy.meta.toml": meta})
    status, log, package = build(sources, tmp_path / "out")
    row = assert_error_reported(status, log, package, "src/meta/sys-copy.txt", r"sys-copy\.meta\.toml")
    assert "UTF-8" in row["problems"]
    assert "unexpected" not in row["problems"]
    assert_good_documents_complete(package, baseline)


def test_valid_metadata_file_applies(tmp_path: Path, baseline: Package) -> None:
    """Control for the metadata cases: a well-formed file overrides the year and is published."""
    document = real_text(SHUANGYASHAN) + "\n"
    meta = 'fiscal_year = 2023\nsource_url = "https://example.org/a.pdf"\n'
    sources = make_sources(tmp_path, {"meta/sys-copy.txt": document, "meta/sys-copy.meta.toml": meta})
    status, log, package = build(sources, tmp_path / "out")
    row = document_by_file(package, "src/meta/sys-copy.txt")
    assert row["fiscal_year"] == "2023" and row["source_url"] == "https://example.org/a.pdf"
    assert row["status"] in ("ok", "partial")
    assert status == 0, log
    assert_good_documents_complete(package, baseline)


# --------------------------------------------------------------------------- partly readable documents


def test_document_with_missing_tables_is_partial(tmp_path: Path, baseline: Package) -> None:
    """Only the 部门收支总表 of 双鸭山: published as partial, the problems name each missing table."""
    lines = real_text(SHUANGYASHAN).split("\n")
    summary_only = "\n".join(lines[: lines.index("表2")]) + "\n"
    sources = make_sources(
        tmp_path,
        {"partial/sys-summary-only.txt": summary_only, "partial/sys-summary-only.meta.toml": "fiscal_year = 2023\n"},
    )
    status, log, package = build(sources, tmp_path / "out")
    assert status == 0, log
    assert_good_documents_complete(package, baseline)
    row = document_by_file(package, "src/partial/sys-summary-only.txt")
    assert row["bureau"] == "双鸭山市医疗保障局"
    assert row["tables_found"] == "1"
    tables = [r["table"] for r in package["tables"] if r["doc_id"] == row["doc_id"]]
    assert tables == ["summary"]
    missing = {r["table"] for r in package["problems"] if r["doc_id"] == row["doc_id"] and "not found" in r["reason"]}
    assert missing >= {"expenditure", "general_budget_expenditure", "general_budget_basic_expenditure", "three_public"}
    key = next(r for r in package["key_figures"] if r["doc_id"] == row["doc_id"])
    assert key["income_grand_total"] == "1116.56"
    assert row["status"] == "partial", "a document missing four standard tables is not 'ok'"


def test_check_command_on_partial_document(tmp_path: Path) -> None:
    lines = real_text(SHUANGYASHAN).split("\n")
    path = tmp_path / "sys-summary-only.txt"
    path.write_text("\n".join(lines[: lines.index("表2")]) + "\n", encoding="utf-8")
    result = run_check(path)
    assert "Traceback" not in result.stderr
    for table in ("expenditure", "general_budget_expenditure", "general_budget_basic_expenditure", "three_public"):
        assert re.search(rf"{table}\s.*not found", result.stdout), table
    assert "status: partial" in result.stdout


def test_failing_identity_is_published_with_the_check(tmp_path: Path, baseline: Package) -> None:
    """One amount edited (20801 合计 857.18 → 867.18): still published, status partial, and the
    failing checks carry expected and actual."""
    edited = shuangyashan_with("857.18", "867.18")
    sources = make_sources(tmp_path, {"heilongjiang/shuangyashan-edited.txt": edited}, skip=(SHUANGYASHAN,))
    copy_sidecar(SHUANGYASHAN, sources / "heilongjiang/shuangyashan-edited.txt")
    status, log, package = build(sources, tmp_path / "out")
    assert status == 0, log
    assert_good_documents_complete(package, baseline, skip=(SHUANGYASHAN,))
    row = document_by_file(package, "src/heilongjiang/shuangyashan-edited.txt")
    assert row["status"] == "partial"
    did = row["doc_id"]
    items = [
        r for r in package["line_items"] if r["doc_id"] == did and r["table"] == "expenditure" and r["code"] == "20801"
    ]
    assert {r["measure"]: r["amount"] for r in items}["total"] == "867.18"
    failed = [
        r for r in package["checks"] if r["doc_id"] == did and r["status"] == "fail" and r["table"] == "expenditure"
    ]
    by_kind = {(r["check"].split(".")[-1], r["code"]): r for r in failed}
    row_check = by_kind[("row_total_equals_parts", "20801")]
    assert (row_check["measure"], row_check["expected"], row_check["actual"]) == ("total", "867.18", "857.18")
    assert row_check["message"]
    parent_check = by_kind[("parent_equals_children", "208")]
    assert (parent_check["expected"], parent_check["actual"]) == ("980.15", "990.15")
    baseline_did = document_by_file(baseline, f"src/{SHUANGYASHAN}")["doc_id"]
    baseline_failed = [r for r in baseline["checks"] if r["doc_id"] == baseline_did and r["status"] == "fail"]
    assert int(row["checks_failed"]) == len(baseline_failed) + len(failed)
    # the rest of the document is still there
    assert shuangyashan_expenditure_total(package, did) == "1116.56"
    assert len([r for r in package["line_items"] if r["doc_id"] == did]) == len(
        [r for r in baseline["line_items"] if r["doc_id"] == baseline_did]
    )


# --------------------------------------------------------------------------- files the build cannot use


def test_unsupported_files_are_reported_not_silently_skipped(tmp_path: Path, baseline: Package) -> None:
    """A .docx or .xlsx dropped into the sources is not a document the build can read; the
    contributor must be told, not find it missing from the site later."""
    sources = make_sources(
        tmp_path, {"bad/budget.docx": b"PK\x03\x04 not really a docx", "bad/tables.xlsx": b"PK\x03\x04 nor xlsx"}
    )
    _status, log, package = build(sources, tmp_path / "out")
    assert_good_documents_complete(package, baseline)
    reported = log + json.dumps(package["rejected_files"], ensure_ascii=False)
    assert "budget.docx" in reported and "tables.xlsx" in reported, log
    assert "unsupported" in reported


def test_orphan_metadata_file_is_reported(tmp_path: Path, baseline: Package) -> None:
    """A metadata file whose document name is misspelt is never applied: say so."""
    sources = make_sources(tmp_path, {"heilongjiang/shuangyashan-2024-budgte.meta.toml": "fiscal_year = 2023\n"})
    _status, log, package = build(sources, tmp_path / "out")
    assert_good_documents_complete(package, baseline)
    assert "shuangyashan-2024-budgte.meta.toml" in log, log


# --------------------------------------------------------------------------- numbers the reader cannot hold


def test_absurd_amount_does_not_stop_the_build(tmp_path: Path, baseline: Package) -> None:
    """A 30-digit 收入总计 (a mis-extracted or mistyped cell) in one document: that document is
    reported (error or partial), the build finishes and the four others are complete."""
    absurd = "9" * 30 + ".99"
    text = real_text(SHUANGYASHAN)
    assert "收入总计 1,116.56 支出总计 1,116.56" in text
    edited = text.replace("收入总计 1,116.56 支出总计 1,116.56", f"收入总计 {absurd} 支出总计 1,116.56", 1)
    sources = make_sources(tmp_path, {"zz/absurd.txt": edited, "zz/absurd.meta.toml": "fiscal_year = 2023\n"})
    _status, _log, package = build(sources, tmp_path / "out")
    assert_good_documents_complete(package, baseline)
    row = document_by_file(package, "src/zz/absurd.txt")
    assert row["status"] in ("partial", "error")
    if row["status"] == "error":
        assert "unexpected" not in row["problems"], row["problems"]


# --------------------------------------------------------------------------- all at once


def test_every_bad_input_together_gives_a_valid_package(tmp_path: Path, baseline: Package) -> None:
    """All the unreadable files in one build: each reported, the package still passes
    `frictionless validate`, the four real documents complete."""
    from frictionless import validate

    extra = {name: _content(content) for name, content, _ in UNREADABLE.values() if name != "bad/empty.pdf"}
    extra["zz-copies/shuangyashan-again.txt"] = (SOURCE_DOCS / SHUANGYASHAN).read_bytes()
    sources = make_sources(tmp_path, extra)
    status, _log, package = build(sources, tmp_path / "out")
    assert status == 1
    assert_good_documents_complete(package, baseline)
    errors = {r["source_file"] for r in package["documents"] if r["status"] == "error"}
    assert errors == {f"src/{name}" for name in extra if name.startswith("bad/")}
    assert all(r["problems"] for r in package["documents"] if r["status"] == "error")
    report = validate(tmp_path / "out" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
