"""What the extract stage hands on: a document as pages of lines, table rows with their cells.

Every later stage works on this, whatever the input was. A PDF's ruled (or aligned) table rows
keep their cells with the columns the page draws them in, so an amount's column comes from the
page itself; text inputs give lines, with tab-separated cells where the text kept them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One cell of a table row as the page draws it."""

    text: str  # wrapped lines re-joined, white space normalised
    column: int  # the first grid column it covers (0-based)
    span: int = 1  # grid columns it covers: a merged header cell spans its children
    x0: float = 0.0  # page position in points (PDF only; 0 for text inputs)
    x1: float = 0.0
    # points from the cell's left edge to its first line's first character: a name indented under
    # the row above (功能分类科目名称 printed without codes, units under their department)
    indent: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class Grid:
    """One table as drawn on one page: its column boundaries, to match a table continued on the
    next page (with or without its header repeated) column by column."""

    grid_id: str  # "p3g1": page 3, first grid on the page
    page: int
    columns: tuple[tuple[float, float], ...]  # (x0, x1) of each grid column, left to right
    ruled: bool = True  # False: columns found by the alignment of the words, no rules drawn


@dataclass(frozen=True)
class Line:
    """One line of source text. Table rows keep their cells separated by tabs in `text`; rows
    read from a PDF's geometry also carry their `cells` and the `grid` they belong to."""

    page: int
    number: int  # 1-based line number in the whole document
    text: str
    cells: tuple[Cell, ...] = ()
    grid: str = ""  # Grid.grid_id of a table row; "" for text
    ocr: bool = False  # read by OCR from an image of the page


@dataclass
class SourceText:
    """A document turned into text: the intermediate form every later stage works on."""

    lines: list[Line]
    pages: int
    grids: dict[str, Grid] = field(default_factory=dict)
    ocr_pages: tuple[int, ...] = ()  # pages read by OCR (no usable text layer)
    active_content: tuple[str, ...] = ()  # PDF only: javascript, launch_action, attachment, … (pdf_safety)
