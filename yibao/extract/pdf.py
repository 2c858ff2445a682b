"""PDF → pages of lines; every table row is one line with its cells, read from the page's geometry.

Budget disclosures are printed from spreadsheets: tables whose cell positions carry the meaning
(a blank cell is a zero in a known column). The rules a page draws — line objects, thin rects,
rect borders or curves (`rules`) — make grids of cells, merged cells keeping their span (`grid`);
each character goes to the cell holding its centre, and a cell's wrapped lines are joined
(`words`). Each row becomes one line: its cells (`yibao.model.Cell`), the grid it belongs to
(`yibao.model.Grid`, whose column boundaries let a table continued on the next page be joined
column by column) and, for every reader of plain lines, its cells joined by '\\t', so an amount
keeps its column even when the cells left of it are blank. Text outside the tables (titles,
notes, narrative) comes as ordinary lines, and both are interleaved by their position on the page.

Whatever cannot be read raises `UnreadableDocument` with a reason a contributor can act on; no
pdfminer or pdfplumber exception escapes.

Debug: `python -m yibao.extract.pdf FILE --page N` prints a page's rows with cells and grid ids.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from yibao.model import Cell, Grid
from yibao.model.errors import UnreadableDocument

from .grid import RuledGrid, find_grids
from .ocr import ScanReader
from .rules import SNAP, Segment, page_segments
from .words import Y_TOLERANCE, Word, as_word, cell_text, chars_text, dedupe_chars, join_words, text_lines

__all__ = [
    "PageText",
    "PdfLine",
    "PdfText",
    "Word",
    "cell_text",
    "join_words",
    "normalise",
    "read_page",
    "read_pdf",
    "read_pdf_text",
    "reason_for",
    "row_line",
    "text_lines",
]

# Stated limits. Work per page is bounded by these, and the whole document by MAX_SECONDS.
# A 400-page disclosure reads in well under a minute (20–80 ms a page).
MAX_SECONDS = 300.0
# A real page holds a few thousand characters.
MAX_PAGE_CHARS = 200_000
# Grid finding pairs horizontal with vertical rules; a page drawn with more rules than these is a
# drawing or a chart (a 150 × 80 grid took pdfplumber 10 s), and is read as plain text. A 50 × 20
# table is a grid of about 1,100.
MAX_TABLE_EDGES = 10_000
MAX_TABLE_GRID = 4_000
# Below this many characters a page on average, the document is a scan (page numbers at most).
MIN_CHARS_PER_PAGE = 10
# Above this share of '(cid:NN)' characters, the text is garbage.
MAX_CID_RATIO = 0.5
# '%%EOF' must be this close to the end of the file (some junk after it is tolerated).
EOF_WINDOW = 4096

logger = logging.getLogger(__name__)

_CID = re.compile(r"\(cid:\d+\)")
# Kangxi radicals, CJK radicals supplement, CJK compatibility ideographs (and supplement).
_ODD_IDEOGRAPHS = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


@dataclass(frozen=True)
class PdfLine:
    """One line of a page: text, and for a table row its cells and grid id."""

    text: str
    cells: tuple[Cell, ...] = ()
    grid: str = ""


@dataclass
class PageText:
    """One page read: its lines in page order, the grids drawn on it, and character counts."""

    lines: list[PdfLine]
    grids: list[Grid] = field(default_factory=list)
    chars: int = 0  # characters with text
    cid_chars: int = 0  # characters pdfminer could only name '(cid:NN)'


@dataclass
class PdfText:
    """A whole PDF read: pages of lines, and every grid by its id."""

    pages: list[list[PdfLine]]
    grids: dict[str, Grid] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """A placed line (text or table row) before the page is put in order."""

    top: float
    x0: float
    text: str
    cells: tuple[Cell, ...] = ()
    grid: str = ""


def read_pdf(path: Path, max_pages: int = 400, scans: ScanReader | None = None) -> list[list[str]]:
    """Pages → lines of text. Text outside tables comes as lines in reading order (top to bottom, words joined
    with single spaces, consecutive CJK characters not split). Each row of a table becomes ONE line whose
    cells are joined by '\t' (a cell's internal line breaks removed — join wrapped cell text without spaces for CJK,
    keep '3526.' + '22' → '3526.22'), an empty or merged-over cell gives an empty string between tabs, so the position
    of every amount in the row is kept. Table rows and text lines are interleaved in page order (by their top
    coordinate), so a table's title above it comes first. Each page is closed after it is read: memory stays flat.

    A page without a text layer (a scan) is read by OCR (`yibao.extract.ocr`); `scans` says which pages were."""
    return [[line.text for line in page] for page in read_pdf_text(path, max_pages, scans).pages]


def read_pdf_text(path: Path, max_pages: int = 400, scans: ScanReader | None = None) -> PdfText:
    """As `read_pdf`, with each table row's cells and grid, and the grids by id."""
    check_file(path)
    try:
        return _read_pages(path, max_pages, ScanReader() if scans is None else scans)
    except UnreadableDocument:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on broken input
        raise reason_for(exc) from exc


# ----------------------------------------------------------------------------------------------
# Whole file


def check_file(path: Path) -> None:
    """Cheap checks on the bytes before any parsing: empty, not a PDF, cut short."""
    size = path.stat().st_size
    if size == 0:
        raise UnreadableDocument("file.empty")
    with path.open("rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - EOF_WINDOW))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise UnreadableDocument("pdf.not_pdf")
    # pdfminer reconstructs what it can from a cut-short file and would hand back some of the
    # pages silently; a disclosure missing its last tables is worse than a clear refusal.
    if b"%%EOF" not in tail:
        raise UnreadableDocument("pdf.truncated")


def reason_for(exc: BaseException) -> UnreadableDocument:
    """A pdfminer/pdfplumber exception → the error to raise, with a reason in plain words."""
    # pdfplumber wraps what pdfminer raised while opening in PdfminerException(original).
    inner = exc.args[0] if type(exc).__name__ == "PdfminerException" and exc.args else exc
    name = type(inner).__name__
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"):
        return UnreadableDocument("pdf.encrypted")
    return UnreadableDocument("pdf.broken", detail=f"{name}: {inner}"[:160])


def _read_pages(path: Path, max_pages: int, scans: ScanReader) -> PdfText:
    import pdfplumber  # imported here so text-only runs need no PDF stack

    started = time.monotonic()
    with pdfplumber.open(path) as pdf:
        check_page_count(declared_page_count(pdf), max_pages)
        pages = pdf.pages
        check_page_count(len(pages), max_pages)
        if not pages:
            raise UnreadableDocument("pdf.no_pages")
        result = PdfText(pages=[])
        previous: list[Grid] = []
        chars = cid_chars = 0
        for page in pages:
            try:
                if scans.wants(page):  # no text layer: a scan, read by OCR
                    lines = [normalise(line.text) for line in scans.read(page)]
                    text = PageText([PdfLine(line) for line in lines], [], sum(len(t.replace(" ", "")) for t in lines))
                else:
                    text = read_page(page)
            finally:
                page.close()  # drops the page's parsed objects: memory stays flat over 400 pages
            text = continue_grids(text, previous)
            previous = text.grids
            result.pages.append(text.lines)
            result.grids.update((grid.grid_id, grid) for grid in text.grids)
            chars += text.chars
            cid_chars += text.cid_chars
            check_deadline(started + scans.seconds, page.page_number)  # OCR has limits of its own
    if scans.pages and chars < MIN_CHARS_PER_PAGE * len(result.pages):
        raise UnreadableDocument("pdf.ocr_no_text", pages=len(scans.pages))
    check_text_layer(chars, cid_chars, len(result.pages))
    return result


def declared_page_count(pdf: Any) -> int:
    """/Count of the page tree: known before any page is built, so huge files are refused fast."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
    except (KeyError, TypeError, AttributeError):
        return 0  # a broken page tree: the pages themselves are counted next
    return count if isinstance(count, int) else 0


def check_page_count(pages: int, max_pages: int) -> None:
    if pages > max_pages:
        raise UnreadableDocument("pdf.too_many_pages", pages=pages, limit=max_pages)


def check_deadline(started: float, page_number: int) -> None:
    if time.monotonic() - started > MAX_SECONDS:
        raise UnreadableDocument("pdf.timeout", seconds=f"{MAX_SECONDS:.0f}", page=page_number)


def check_text_layer(chars: int, cid_chars: int, pages: int) -> None:
    """A scan has no characters; a font without a ToUnicode map gives '(cid:NN)' for each."""
    if chars < MIN_CHARS_PER_PAGE * pages:
        raise UnreadableDocument("pdf.no_text_layer")
    if cid_chars > MAX_CID_RATIO * chars:
        raise UnreadableDocument("pdf.cid_garbage", cid=cid_chars, chars=chars)


def continue_grids(text: PageText, previous: list[Grid]) -> PageText:
    """A grid drawn with the same column boundaries as one on the previous page (within SNAP)
    takes that grid's `columns` exactly: a table continued over pages compares column by column.

    A page's first grid drawn with only some of the boundaries of the previous page's last grid
    (the same outer edges; a rule drawn in the header alone splits a column there) continues that
    grid too: its rows are re-expressed in the finer columns, each cell starting at the column of
    its left edge and spanning to its right edge, so an amount keeps the column index its header
    gave it on the page before."""
    if not previous or not text.grids:
        return text
    renamed: dict[str, Grid] = {}
    for grid in text.grids:
        match = next((p for p in reversed(previous) if same_columns(p.columns, grid.columns)), None)
        if match is not None and match.columns != grid.columns:
            renamed[grid.grid_id] = Grid(grid.grid_id, grid.page, match.columns, grid.ruled)
    first = text.grids[0]
    if first.grid_id not in renamed and not same_columns(previous[-1].columns, first.columns):
        mapping = coarser_columns(previous[-1].columns, first.columns)
        if mapping is not None:
            renamed[first.grid_id] = Grid(first.grid_id, first.page, previous[-1].columns, first.ruled)
            text.lines = [
                refine_line(line, mapping, len(previous[-1].columns)) if line.grid == first.grid_id else line
                for line in text.lines
            ]
    if not renamed:
        return text
    text.grids = [renamed.get(g.grid_id, g) for g in text.grids]
    return text


def coarser_columns(
    fine: Sequence[tuple[float, float]], coarse: Sequence[tuple[float, float]]
) -> list[tuple[int, int]] | None:
    """For each column of `coarse`, the (first, last) columns of `fine` it covers, when every
    boundary of `coarse` is one of `fine` (within SNAP) and `fine` has more; else None."""
    if len(coarse) >= len(fine) or not coarse:
        return None
    starts = [a for a, _ in fine]
    ends = [b for _, b in fine]
    mapping = []
    for x0, x1 in coarse:
        first = next((i for i, a in enumerate(starts) if abs(a - x0) <= SNAP), None)
        last = next((i for i, b in enumerate(ends) if abs(b - x1) <= SNAP), None)
        if first is None or last is None or last < first:
            return None
        mapping.append((first, last))
    if mapping[0][0] != 0 or mapping[-1][1] != len(fine) - 1:
        return None
    return mapping


def refine_line(line: PdfLine, mapping: list[tuple[int, int]], width: int) -> PdfLine:
    """A table row in the finer columns `mapping` gives each of its columns (see `coarser_columns`)."""
    fields = [""] * width
    for index, part in enumerate(line.text.split("\t")):
        if index < len(mapping):
            fields[mapping[index][0]] = part
    cells = tuple(
        replace(
            cell,
            column=mapping[cell.column][0],
            span=mapping[min(cell.column + cell.span, len(mapping)) - 1][1] - mapping[cell.column][0] + 1,
        )
        for cell in line.cells
        if cell.column < len(mapping)
    )
    return PdfLine("\t".join(fields), cells, line.grid)


def same_columns(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> bool:
    return len(a) == len(b) and all(
        abs(p[0] - q[0]) <= SNAP and abs(p[1] - q[1]) <= SNAP for p, q in zip(a, b, strict=True)
    )


# ----------------------------------------------------------------------------------------------
# One page


def read_page(page: Any) -> PageText:
    """One pdfplumber page → its lines in page order, its grids and character counts."""
    check_page_size(page)
    # Some budget systems fake bold by printing each character twice, a fraction of a point
    # apart ('部部门门'); drop the copies before anything reads the characters.
    chars = dedupe_chars(page.chars)
    n_chars, n_cid = count_chars(chars)
    grids = find_tables(page)
    number = int(page.page_number)
    placed: list[Row] = []
    models: list[Grid] = []
    buckets, outside = assign_chars(grids, chars)
    for index, (grid, cell_chars) in enumerate(zip(grids, buckets, strict=True), start=1):
        model = grid_model(grid, f"p{number}g{index}", number)
        models.append(model)
        placed += table_rows(grid, cell_chars, model.grid_id)
    placed += [Row(p.top, p.x0, p.text) for p in text_lines(words_of(page, outside))]
    # Sorted by top: a table's title and unit line sit above its first row.
    ordered = sorted(placed, key=lambda p: (round(p.top, 1), p.x0))
    return PageText([PdfLine(normalise(p.text), p.cells, p.grid) for p in ordered], models, n_chars, n_cid)


def check_page_size(page: Any) -> None:
    n = len(page.chars)
    if n > MAX_PAGE_CHARS:
        raise UnreadableDocument("pdf.page_too_many_chars", page=page.page_number, chars=n, limit=MAX_PAGE_CHARS)


def count_chars(chars: list[dict[str, Any]]) -> tuple[int, int]:
    """(characters that are not blank, characters pdfminer could only name '(cid:NN)')."""
    texts = [str(c.get("text", "")) for c in chars]
    visible = sum(1 for t in texts if t.strip())
    cid = sum(1 for t in texts if _CID.fullmatch(t))
    return visible, cid


def find_tables(page: Any) -> list[RuledGrid]:
    """Ruled grids of at least 2 rows × 2 columns, top to bottom; none on a page drawn with so
    many rules that pairing them would not be bounded (drawings, charts)."""
    segments = page_segments(page)
    if len(segments) > MAX_TABLE_EDGES or grid_size(segments) > MAX_TABLE_GRID:
        logger.warning("page %s: too many ruling lines to look for tables, read as text", page.page_number)
        return []
    return [g for g in find_grids(segments) if is_table(g)]


def grid_size(segments: list[Segment]) -> int:
    """Distinct horizontal × distinct vertical rule positions: an upper estimate of the crossings
    to pair up."""
    rows = {round(s.at / SNAP) for s in segments if s.horizontal}
    cols = {round(s.at / SNAP) for s in segments if not s.horizontal}
    return len(rows) * len(cols)


def is_table(grid: RuledGrid) -> bool:
    """At least two rows of cells and a row of two cells (a box round a paragraph is not a table)."""
    rows: dict[int, int] = {}
    for cell in grid.cells:
        rows[cell.row] = rows.get(cell.row, 0) + 1
    return len(rows) >= 2 and max(rows.values()) >= 2


def grid_model(grid: RuledGrid, grid_id: str, page: int) -> Grid:
    columns = tuple((round(a, 1), round(b, 1)) for a, b in zip(grid.xs, grid.xs[1:], strict=False))
    return Grid(grid_id, page, columns, ruled=True)


def assign_chars(
    grids: list[RuledGrid], chars: list[dict[str, Any]]
) -> tuple[list[dict[int, list[dict[str, Any]]]], list[dict[str, Any]]]:
    """For each grid, its cells' characters (by cell index), and the characters outside every
    grid: each character goes to the cell holding its centre."""
    owners = [cell_owners(grid) for grid in grids]
    buckets: list[dict[int, list[dict[str, Any]]]] = [{} for _ in grids]
    if not grids:
        return buckets, chars
    outside = []
    for char in chars:
        x = (char["x0"] + char["x1"]) / 2
        y = (char["top"] + char["bottom"]) / 2
        for k, grid in enumerate(grids):
            place = grid.locate(x, y)
            if place is not None:
                buckets[k].setdefault(owners[k][place], []).append(char)
                break
        else:
            outside.append(char)
    return buckets, outside


def cell_owners(grid: RuledGrid) -> dict[tuple[int, int], int]:
    """(row, column) band → index of the cell covering it."""
    owners: dict[tuple[int, int], int] = {}
    for index, cell in enumerate(grid.cells):
        for r in range(cell.row, cell.row + cell.rows):
            for c in range(cell.column, cell.column + cell.columns):
                owners[(r, c)] = index
    return owners


def table_rows(grid: RuledGrid, cell_chars: dict[int, list[dict[str, Any]]], grid_id: str) -> list[Row]:
    """One Row per grid row that starts a cell with text; a merged cell's text sits at its first
    row and column, the columns it covers are empty strings."""
    by_row: dict[int, list[tuple[int, Cell]]] = {}
    for index, drawn in enumerate(grid.cells):
        chars = cell_chars.get(index, [])
        text = normalise(chars_text(chars))
        x0, x1 = grid.xs[drawn.column], grid.xs[drawn.column + drawn.columns]
        by_row.setdefault(drawn.row, []).append(
            (index, Cell(text, drawn.column, drawn.columns, round(x0, 1), round(x1, 1), first_line_indent(chars, x0)))
        )
    rows = []
    width = len(grid.xs) - 1
    for r in sorted(by_row):
        cells = tuple(sorted((c for _, c in by_row[r]), key=lambda c: c.column))
        if not any(c.text for c in cells):
            continue  # spacer rows and empty grids carry no position worth keeping
        fields = [""] * width
        for one in cells:
            fields[one.column] = one.text
        rows.append(Row(grid.ys[r], grid.xs[0], row_line(fields), cells, grid_id))
    return rows


def first_line_indent(chars: list[dict[str, Any]], left: float) -> float:
    """Points from a cell's left edge to the first character of its first line (0 when empty)."""
    printed = [c for c in chars if str(c.get("text", "")).strip()]
    if not printed:
        return 0.0
    top = min(c["top"] for c in printed)
    first = min(float(c["x0"]) for c in printed if c["top"] - top <= Y_TOLERANCE)
    return round(max(0.0, first - left), 1)


def words_of(page: Any, chars: list[dict[str, Any]]) -> list[Word]:
    """The words pdfplumber makes of these characters of the page (the others left out)."""
    keep = {id(c) for c in chars}
    if len(keep) != len(page.chars):
        page = page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in keep)
    # keep_blank_chars: a printed space stays inside the word, so join_words can tell it from
    # letter spacing (a gap with no space character).
    words = [as_word(w) for w in page.extract_words(keep_blank_chars=True)]
    return [w for w in words if w.text]


def normalise(text: str) -> str:
    """Kangxi radicals and compatibility ideographs → the ordinary characters they look like.

    Some PDF fonts map 一 to U+2F00 (KANGXI RADICAL ONE) or 金 to U+F90A: identical on
    paper, different to every search and header match. Only these blocks are folded;
    full-width punctuation (：（）) stays as printed, which NFKC on everything would change.
    """
    if not _ODD_IDEOGRAPHS.search(text):
        return text
    return _ODD_IDEOGRAPHS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def row_line(cells: Sequence[str | None]) -> str:
    """Cells → one tab-separated line; merged (None) and blank cells stay as empty strings."""
    return "\t".join(cell_text(c) for c in cells)


# ----------------------------------------------------------------------------------------------
# Debug command


def describe_page(lines: list[PdfLine]) -> list[str]:
    """A page's lines for a reader: table rows as [grid] column+span:text | …, text as is."""
    out = []
    for line in lines:
        if line.grid:
            cells = " | ".join(f"{c.column}{'+' + str(c.span) if c.span > 1 else ''}:{c.text}" for c in line.cells)
            out.append(f"[{line.grid}] {cells}")
        else:
            out.append(line.text)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m yibao.extract.pdf", description="Print a PDF page's rows with cells and grid ids."
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--page", type=int, action="append", help="1-based page (repeatable); default every page")
    args = parser.parse_args(argv)
    text = read_pdf_text(args.file)
    wanted = args.page or range(1, len(text.pages) + 1)
    for number in wanted:
        if not 1 <= number <= len(text.pages):
            print(f"no page {number} (the document has {len(text.pages)})", file=sys.stderr)
            return 2
        print(f"=== page {number}")
        for grid in (g for g in text.grids.values() if g.page == number):
            kind = "ruled" if grid.ruled else "aligned"
            print(f"grid {grid.grid_id} ({kind}): columns {' '.join(f'{a:g}-{b:g}' for a, b in grid.columns)}")
        for line in describe_page(text.pages[number - 1]):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
