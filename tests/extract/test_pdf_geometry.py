"""Tables read from the PDF's own geometry, on small PDFs drawn by the test itself.

Each PDF draws the same kind of grid in another way a budget system does: line objects, thin
filled rects, stroked rect borders, thin filled curves (as some Guangdong documents do), white
rects (which draw nothing), no rules at all; with merged header cells, wrapped cell text and a
table continued on a second page.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pdfplumber
import pytest

from yibao.extract import read_source
from yibao.extract.pdf import PdfLine, PdfText, main, read_pdf, read_pdf_text
from yibao.model import Cell

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEIGHT = 842


def _fixture_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_fixtures"] = module
    spec.loader.exec_module(module)
    return module


def pdf_of(pages: list[list[str]]) -> bytes:
    """Pages of content operators (PDF coordinates, y up) → a PDF with Helvetica as /F1."""
    n = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    font = 3 + 2 * n
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()]
    for i, ops in enumerate(pages):
        content = "\n".join(ops).encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 {HEIGHT}] /Resources << /Font << /F1 {font} 0 R >> >>"
            f" /Contents {4 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    result: bytes = _fixture_maker().minimal_pdf(objects)
    return result


def text(x: float, top: float, s: str, size: int = 9) -> str:
    """Text whose box starts at x and `top` (top-down, as pdfplumber reports it)."""
    return f"BT /F1 {size} Tf {x:.2f} {HEIGHT - top - size:.2f} Td ({s}) Tj ET"


# Rule drawers: each draws one horizontal (y = top-down position) or vertical rule.
Rule = Callable[[bool, float, float, float], list[str]]


def as_line(horizontal: bool, at: float, start: float, end: float) -> list[str]:
    if horizontal:
        return [f"0.5 w {start} {HEIGHT - at} m {end} {HEIGHT - at} l S"]
    return [f"0.5 w {at} {HEIGHT - start} m {at} {HEIGHT - end} l S"]


def as_thin_rect(horizontal: bool, at: float, start: float, end: float) -> list[str]:
    if horizontal:
        return [f"0 g {start} {HEIGHT - at - 0.25} {end - start} 0.5 re f"]
    return [f"0 g {at - 0.25} {HEIGHT - end} 0.5 {end - start} re f"]


def as_curve(horizontal: bool, at: float, start: float, end: float) -> list[str]:
    """A thin filled four-point polygon centred on the rule (a trapezoid, so pdfminer keeps it a
    curve, not a rect), as some Guangdong documents draw every rule."""
    a, b, w = at - 0.375, at + 0.375, 0.75
    if horizontal:
        y0, y1 = HEIGHT - a, HEIGHT - b
        return [f"0 g {start} {y0} m {end} {y0} l {end - w} {y1} l {start + w} {y1} l h f"]
    y0, y1 = HEIGHT - start, HEIGHT - end
    return [f"0 g {a} {y0} m {a} {y1} l {b} {y1 + w} l {b} {y0 - w} l h f"]


XS = (50.0, 200.0, 300.0, 400.0)
YS = (100.0, 120.0, 140.0, 160.0)
CELLS = (("Name", "Total", "Basic"), ("Health", "87.00", "80.00"), ("Care", "7.50", ""))


def full_grid(rule: Rule, xs: tuple[float, ...] = XS, ys: tuple[float, ...] = YS) -> list[str]:
    ops: list[str] = []
    for y in ys:
        ops += rule(True, y, xs[0], xs[-1])
    for x in xs:
        ops += rule(False, x, ys[0], ys[-1])
    return ops


def grid_text(
    cells: tuple[tuple[str, ...], ...] = CELLS, xs: tuple[float, ...] = XS, ys: tuple[float, ...] = YS
) -> list[str]:
    return [text(xs[c] + 3, ys[r] + 5, s) for r, row in enumerate(cells) for c, s in enumerate(row) if s]


def read(tmp_path: Path, pages: list[list[str]]) -> PdfText:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf_of(pages))
    return read_pdf_text(path)


def rows(page: list[PdfLine]) -> list[str]:
    return [line.text for line in page if line.grid]


@pytest.mark.parametrize("rule", [as_line, as_thin_rect, as_curve], ids=["lines", "thin-rects", "curves"])
def test_a_grid_is_read_whatever_draws_its_rules(tmp_path: Path, rule: Rule) -> None:
    result = read(tmp_path, [[text(50, 60, "Table 1"), *full_grid(rule), *grid_text()]])
    page = result.pages[0]
    assert page[0] == PdfLine("Table 1")
    assert rows(page) == ["Name\tTotal\tBasic", "Health\t87.00\t80.00", "Care\t7.50\t"]
    assert {line.grid for line in page[1:]} == {"p1g1"}
    assert page[3].cells == (
        Cell("Care", 0, 1, 50.0, 200.0),
        Cell("7.50", 1, 1, 200.0, 300.0),
        Cell("", 2, 1, 300.0, 400.0),
    )
    grid = result.grids["p1g1"]
    assert (grid.page, grid.ruled) == (1, True)
    assert grid.columns == ((50.0, 200.0), (200.0, 300.0), (300.0, 400.0))


def test_curves_grid_has_no_line_or_rect_objects(tmp_path: Path) -> None:
    """The curves case really is drawn by curves only (what pdfplumber's `lines` strategy misses)."""
    path = tmp_path / "curves.pdf"
    path.write_bytes(pdf_of([[*full_grid(as_curve), *grid_text()]]))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert (len(page.lines), len(page.rects), len(page.curves)) == (0, 0, 8)


def test_rect_borders_make_cells(tmp_path: Path) -> None:
    ops = [
        f"0.5 w {XS[c]} {HEIGHT - YS[r + 1]} {XS[c + 1] - XS[c]} {YS[r + 1] - YS[r]} re S"
        for r in range(3)
        for c in range(3)
    ]
    assert rows(read(tmp_path, [[*ops, *grid_text()]]).pages[0]) == [
        "Name\tTotal\tBasic",
        "Health\t87.00\t80.00",
        "Care\t7.50\t",
    ]


def test_white_rects_are_not_rules(tmp_path: Path) -> None:
    """White-filled cell backgrounds draw nothing: the words are plain text lines."""
    ops = [
        f"1 g {XS[c]} {HEIGHT - YS[r + 1]} {XS[c + 1] - XS[c]} {YS[r + 1] - YS[r]} re f 0 g"
        for r in range(3)
        for c in range(3)
    ]
    result = read(tmp_path, [[*ops, *grid_text()]])
    assert result.grids == {}
    assert all(not line.grid and "\t" not in line.text for line in result.pages[0])


def test_white_bar_inside_a_grid_adds_no_column(tmp_path: Path) -> None:
    white = f"1 g 250 {HEIGHT - YS[-1]} 0.5 {YS[-1] - YS[0]} re f 0 g"
    result = read(tmp_path, [[*full_grid(as_line), white, *grid_text()]])
    assert len(result.grids["p1g1"].columns) == 3


def test_merged_header_cells_keep_their_span(tmp_path: Path) -> None:
    """Header: 'Item' over two rows, 'Expenditure' over two columns, then 'Basic' | 'Project'."""
    xs, ys = XS, (100.0, 120.0, 140.0, 160.0)
    ops = as_line(True, ys[0], xs[0], xs[3]) + as_line(True, ys[2], xs[0], xs[3]) + as_line(True, ys[3], xs[0], xs[3])
    ops += as_line(True, ys[1], xs[1], xs[3])  # under 'Expenditure' only
    ops += (
        as_line(False, xs[0], ys[0], ys[3]) + as_line(False, xs[1], ys[0], ys[3]) + as_line(False, xs[3], ys[0], ys[3])
    )
    ops += as_line(False, xs[2], ys[1], ys[3])  # between 'Basic' and 'Project' only
    ops += [text(53, 115, "Item"), text(210, 105, "Expenditure"), text(203, 125, "Basic"), text(303, 125, "Project")]
    ops += [text(53, 145, "Health"), text(203, 145, "80.00"), text(303, 145, "7.00")]
    page = read(tmp_path, [ops]).pages[0]
    assert rows(page) == ["Item\tExpenditure\t", "\tBasic\tProject", "Health\t80.00\t7.00"]
    assert page[0].cells == (Cell("Item", 0, 1, 50.0, 200.0), Cell("Expenditure", 1, 2, 200.0, 400.0))
    assert [(c.text, c.column, c.span) for c in page[1].cells] == [("Basic", 1, 1), ("Project", 2, 1)]


def test_wrapped_cell_text_is_joined(tmp_path: Path) -> None:
    ys = (100.0, 120.0, 150.0)
    ops = [*full_grid(as_line, ys=ys), text(53, 105, "Code"), text(203, 105, "Amount")]
    ops += [
        text(53, 124, "Social", 8),
        text(53, 136, "Security", 8),
        text(203, 124, "3526.", 8),
        text(203, 136, "22", 8),
    ]
    page = read(tmp_path, [ops]).pages[0]
    assert rows(page) == ["Code\tAmount\t", "Social Security\t3526.22\t"]


def test_table_continued_on_the_next_page_keeps_its_columns(tmp_path: Path) -> None:
    """Page 2 repeats the grid 0.6 pt to the right, without its header: same columns, to be joined."""
    shifted = tuple(x + 0.6 for x in XS)
    page1 = [*full_grid(as_line), *grid_text()]
    page2 = [
        *full_grid(as_line, xs=shifted),
        *grid_text((("Rent", "1.00", "1.00"), ("Cars", "2.00", ""), ("Fuel", "3.00", "")), xs=shifted),
    ]
    result = read(tmp_path, [page1, page2])
    assert set(result.grids) == {"p1g1", "p2g1"}
    assert result.grids["p2g1"].page == 2
    assert result.grids["p2g1"].columns == result.grids["p1g1"].columns
    assert rows(result.pages[1])[0] == "Rent\t1.00\t1.00"


def test_a_continuation_drawn_without_a_header_rule_keeps_the_header_columns(tmp_path: Path) -> None:
    """As 公开08表 of 049 (../shared/real, pages 18–19): on page 1 a rule drawn in the header alone
    (x = 120) splits the name column in two; page 2 draws the same table without that rule. Its rows
    are re-expressed in page 1's columns, so the amount stays in the column its header named."""
    xs1 = (50.0, 120.0, 200.0, 300.0, 400.0)
    ys = (100.0, 120.0, 140.0, 160.0)
    page1 = [as_line(True, y, xs1[0], xs1[-1])[0] for y in ys]
    page1 += [as_line(False, x, ys[0], ys[-1])[0] for x in (50.0, 200.0, 300.0, 400.0)]
    page1 += as_line(False, 120.0, ys[0], ys[1])  # the header's own rule
    page1 += [text(53, 105, "Code"), text(123, 105, "Name"), text(203, 105, "Amount")]
    page1 += [text(53, 125, "301"), text(123, 125, "Wages"), text(203, 125, "11960.62")]
    page1 += [text(53, 145, "30101"), text(123, 145, "Basic"), text(203, 145, "2171.78")]
    xs2 = (50.0, 200.0, 300.0, 400.0)
    page2 = [*full_grid(as_line, xs=xs2), *grid_text((("30103", "180.14", ""), ("30108", "1064.46", "")), xs=xs2)]
    result = read(tmp_path, [page1, page2])
    assert result.grids["p2g1"].columns == result.grids["p1g1"].columns
    # below the header, code and name share one cell over the first two columns, on both pages
    assert rows(result.pages[0])[1] == "301 Wages\t\t11960.62\t"
    assert rows(result.pages[1])[:2] == ["30103\t\t180.14\t", "30108\t\t1064.46\t"]
    assert [(c.text, c.column, c.span) for c in result.pages[1][0].cells][:2] == [("30103", 0, 2), ("180.14", 2, 1)]


def test_two_grids_on_a_page_are_numbered_top_to_bottom(tmp_path: Path) -> None:
    lower = tuple(y + 200 for y in YS)
    ops = [*full_grid(as_line, ys=lower), *grid_text(ys=lower), *full_grid(as_line), *grid_text()]
    result = read(tmp_path, [ops])
    assert list(result.grids) == ["p1g1", "p1g2"]
    assert [line.grid for line in result.pages[0]] == ["p1g1"] * 3 + ["p1g2"] * 3


def test_source_lines_carry_cells_and_grids(tmp_path: Path) -> None:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf_of([[text(50, 60, "Table 1"), *full_grid(as_line), *grid_text()]]))
    source = read_source(path)
    assert [line.text for line in source.lines] == [
        "Table 1",
        "Name\tTotal\tBasic",
        "Health\t87.00\t80.00",
        "Care\t7.50\t",
    ]
    assert source.lines[0].cells == () and source.lines[0].grid == ""
    assert [c.text for c in source.lines[2].cells] == ["Health", "87.00", "80.00"]
    assert source.lines[2].grid == "p1g1" and set(source.grids) == {"p1g1"}
    assert read_pdf(path) == [["Table 1", "Name\tTotal\tBasic", "Health\t87.00\t80.00", "Care\t7.50\t"]]


def test_debug_command_prints_cells_and_grid_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf_of([[text(50, 60, "Table 1"), *full_grid(as_line), *grid_text()]]))
    assert main([str(path), "--page", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == ["=== page 1", "grid p1g1 (ruled): columns 50-200 200-300 300-400", "Table 1"]
    assert out[4] == "[p1g1] 0:Health | 1:87.00 | 2:80.00"
