"""PDF → pages of text lines, with every ruled table row as one tab-separated line.

Budget disclosures are printed from spreadsheets: ruled tables whose cell positions carry the
meaning (a blank cell is a zero in a known column). pdfplumber finds the tables from their ruling
lines; each row becomes one line with its cells joined by '\\t', so an amount keeps its column
even when the cells left of it are blank. Text outside the tables (titles, notes, narrative)
comes as ordinary lines, and both are interleaved by their position on the page.

Whatever cannot be read raises `UnreadableDocument` with a reason a contributor can act on; no
pdfminer or pdfplumber exception escapes.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yibao.model.errors import UnreadableDocument
from yibao.text import is_cjk, join_text

from .ocr import ScanReader

# Stated limits. Work per page is bounded by these, and the whole document by MAX_SECONDS.
# A 400-page disclosure reads in well under a minute (20–80 ms a page).
MAX_SECONDS = 300.0
# A real page holds a few thousand characters.
MAX_PAGE_CHARS = 200_000
# Table finding pairs every horizontal with every vertical ruling line, then searches cells in
# time quadratic in their intersections (a 150 × 80 grid took 10 s). Pages above these bounds
# are drawings or charts, and are read as plain text. A 50 × 20 table is a grid of about 1,100.
MAX_TABLE_EDGES = 10_000
MAX_TABLE_GRID = 4_000
SNAP = 3.0  # pt: pdfplumber's default snap tolerance, ruling lines closer than this are one
# Below this many characters a page on average, the document is a scan (page numbers at most).
MIN_CHARS_PER_PAGE = 10
# Above this share of '(cid:NN)' characters, the text is garbage.
MAX_CID_RATIO = 0.5

TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
}
# '%%EOF' must be this close to the end of the file (some junk after it is tolerated).
EOF_WINDOW = 4096

logger = logging.getLogger(__name__)

_CID = re.compile(r"\(cid:\d+\)")
_SPACES = re.compile(r"\s+")
# Kangxi radicals, CJK radicals supplement, CJK compatibility ideographs (and supplement).
_ODD_IDEOGRAPHS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


@dataclass(frozen=True)
class Word:
    """A word as pdfplumber groups it: its text and box (PDF points, top-down)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Placed:
    """A finished line and where it starts on the page, to interleave text and table rows."""

    top: float
    x0: float
    text: str


def read_pdf(path: Path, max_pages: int = 400, scans: ScanReader | None = None) -> list[list[str]]:
    """Pages → lines of text. Text outside ruled tables comes as lines in reading order (top to bottom, words joined
    with single spaces, consecutive CJK characters not split). Each row of a ruled table becomes ONE line whose
    cells are joined by '\t' (a cell's internal line breaks removed — join wrapped cell text without spaces for CJK,
    keep '3526.' + '22' → '3526.22'), an empty/None cell gives an empty string between tabs, so the position of every
    amount in the row is kept. Table rows and text lines are interleaved in page order (by their top coordinate), so a
    table's title above it comes first. Call page.close() (or flush_cache) after each page to keep memory flat.

    A page without a text layer (a scan) is read by OCR (`yibao.extract.ocr`); `scans` says which pages were."""
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


def _read_pages(path: Path, max_pages: int, scans: ScanReader) -> list[list[str]]:
    import pdfplumber  # imported here so text-only runs need no PDF stack

    started = time.monotonic()
    with pdfplumber.open(path) as pdf:
        check_page_count(declared_page_count(pdf), max_pages)
        pages = pdf.pages
        check_page_count(len(pages), max_pages)
        if not pages:
            raise UnreadableDocument("pdf.no_pages")
        result: list[list[str]] = []
        chars = cid_chars = 0
        for page in pages:
            try:
                if scans.wants(page):  # no text layer: a scan, read by OCR
                    lines = [normalise(line.text) for line in scans.read(page)]
                    n_chars, n_cid = sum(len(line.replace(" ", "")) for line in lines), 0
                else:
                    lines, n_chars, n_cid = read_page(page)
            finally:
                page.close()  # drops the page's parsed objects: memory stays flat over 400 pages
            result.append(lines)
            chars += n_chars
            cid_chars += n_cid
            check_deadline(started + scans.seconds, page.page_number)  # OCR has limits of its own
    if scans.pages and chars < MIN_CHARS_PER_PAGE * len(result):
        raise UnreadableDocument("pdf.ocr_no_text", pages=len(scans.pages))
    check_text_layer(chars, cid_chars, len(result))
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


# ----------------------------------------------------------------------------------------------
# One page


def read_page(page: Any) -> tuple[list[str], int, int]:
    """One pdfplumber page → (lines, characters with text, '(cid:NN)' characters)."""
    check_page_size(page)
    # Some budget systems fake bold by printing each character twice, a fraction of a point
    # apart ('部部门门'); drop the copies before anything reads the characters.
    page = page.dedupe_chars()
    n_chars, n_cid = count_chars(page.chars)
    tables = find_tables(page)
    placed = [row for table in tables for row in table_rows(table)]
    placed += text_lines(words_outside(page, [table.bbox for table in tables]))
    # Sorted by top: a table's title and unit line sit above its first row.
    ordered = sorted(placed, key=lambda p: (round(p.top, 1), p.x0))
    return [normalise(p.text) for p in ordered], n_chars, n_cid


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


def words_outside(page: Any, boxes: list[tuple[float, float, float, float]]) -> list[Word]:
    """The words of the page whose characters lie outside every table box."""
    if boxes:
        page = page.filter(lambda obj: obj.get("object_type") != "char" or not inside_any(obj, boxes))
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


def find_tables(page: Any) -> list[Any]:
    """Ruled tables of at least 2 rows × 2 columns (a box round a paragraph is not a table)."""
    edges = page.edges
    if len(edges) > MAX_TABLE_EDGES or grid_size(edges) > MAX_TABLE_GRID:
        logger.warning(
            "page %s: too many ruling lines to look for tables, read as text",
            page.page_number,
        )
        return []
    tables = page.find_tables(TABLE_SETTINGS)
    return [t for t in tables if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]


def grid_size(edges: list[dict[str, Any]]) -> int:
    """Distinct horizontal × distinct vertical ruling positions: an upper estimate of the
    intersections pdfplumber would pair up (its cell search is quadratic in them)."""
    rows = {round(e["top"] / SNAP) for e in edges if e.get("orientation") == "h"}
    cols = {round(e["x0"] / SNAP) for e in edges if e.get("orientation") == "v"}
    return len(rows) * len(cols)


def table_rows(table: Any) -> list[Placed]:
    rows = table.rows
    cells = table.extract()
    # A row with no text at all carries no position worth keeping (spacer rows, empty grids).
    return [
        Placed(row.bbox[1], row.bbox[0], row_line(texts)) for row, texts in zip(rows, cells, strict=False) if any(texts)
    ]


def row_line(cells: list[str | None]) -> str:
    """Cells → one tab-separated line; merged (None) and blank cells stay as empty strings."""
    return "\t".join(cell_text(c) for c in cells)


def cell_text(cell: str | None) -> str:
    """A cell's wrapped lines joined back together; no tabs or line breaks survive."""
    if not cell:
        return ""
    parts = [_SPACES.sub(" ", part).strip() for part in cell.split("\n")]
    return join_text([p for p in parts if p])


def inside_any(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether a character's centre lies in one of the boxes (x0, top, x1, bottom)."""
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def as_word(word: dict[str, Any]) -> Word:
    text = _SPACES.sub(" ", str(word["text"])).strip()
    return Word(
        text,
        float(word["x0"]),
        float(word["x1"]),
        float(word["top"]),
        float(word["bottom"]),
    )


# ----------------------------------------------------------------------------------------------
# Text outside the tables


def text_lines(words: list[Word]) -> list[Placed]:
    """Words → lines: a word joins a line when its vertical middle lies within the line's first
    word (so a 16 pt title and 10 pt text on one baseline stay one line)."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        for line in reversed(lines[-3:]):  # only the last few lines can still be open
            first = line[0]
            if first.top <= middle <= first.bottom:
                line.append(word)
                break
        else:
            lines.append([word])
    placed = []
    for line in lines:
        ordered = sorted(line, key=lambda w: w.x0)
        placed.append(Placed(min(w.top for w in ordered), ordered[0].x0, join_words(ordered)))
    return placed


def join_words(words: list[Word]) -> str:
    """Words of one line (left to right) → text with single spaces between words.

    pdfplumber splits words at gaps wider than 3 pt, which breaks letter-spaced or justified
    Chinese ('部 门 预 算'); between two CJK characters a gap under half the character height is
    letter spacing, not a word break. Wider gaps (table columns printed without rules) stay spaces.
    """
    text = ""
    previous: Word | None = None
    for word in words:
        if previous is not None:
            gap = word.x0 - previous.x1
            height = min(word.bottom - word.top, previous.bottom - previous.top)
            if not (is_cjk(previous.text[-1]) and is_cjk(word.text[0]) and gap < 0.5 * height):
                text += " "
        text += word.text
        previous = word
    return text
