"""Stage 1 — extract: any source file → SourceText (pages → lines, with page and line numbers).

Text and Markdown files may be UTF-8 or GB18030/GBK (detected, not assumed); PDFs are checked
first (`pdf_safety`: reference cycles, decompression and text-object bombs, active content) and
then go through pdfplumber (`pdf`), their scanned pages through OCR (`ocr`: those lines say
`ocr=True`). Whatever cannot be read raises `UnreadableDocument` with a reason, a file that
vanished or cannot be opened included.
"""

from __future__ import annotations

import errno
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from yibao.messages import say
from yibao.model import Line, SourceText
from yibao.model.errors import UnreadableDocument

if TYPE_CHECKING:
    from .pdf import PdfText

MAX_FILE_BYTES = 50 * 1024 * 1024  # stated limit: larger files are refused, not half-read
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
PDF_SUFFIXES = {".pdf"}
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES

_MARKDOWN_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|[-*+]\s+(?=\S))")
_BOLD = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")


def read_source(path: Path) -> SourceText:
    try:
        return _read_source(path)
    except OSError as error:
        raise file_error(error) from error


def file_error(error: OSError) -> UnreadableDocument:
    """An operating-system error on a source file → the reason a contributor reads."""
    detail = error.strerror or type(error).__name__
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return UnreadableDocument("file.vanished", error=detail)
    return UnreadableDocument("file.unreadable", error=detail)


def _read_source(path: Path) -> SourceText:
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableDocument("file.not_regular")  # a pipe would block the reader for ever
    size = info.st_size
    if size == 0:
        raise UnreadableDocument("file.empty")
    if size > MAX_FILE_BYTES:
        raise UnreadableDocument("file.too_large", size=size, limit=MAX_FILE_BYTES)
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        from .ocr import ScanReader
        from .pdf import read_pdf_text  # imported here so text-only runs need no PDF stack
        from .pdf_safety import inspect_pdf

        inspection = inspect_pdf(path)  # before any PDF library parses it
        scans = ScanReader()
        text = read_pdf_text(path, scans=scans)
        source = pdf_to_source(text, ocr_pages=tuple(scans.pages))
        source.active_content = tuple(inspection.active)
        return source
    if suffix in TEXT_SUFFIXES:
        return text_to_source(decode_text(path.read_bytes()))
    raise UnreadableDocument("file.unsupported_type", suffix=suffix or say("file.no_suffix"))


def decode_text(data: bytes) -> str:
    """UTF-8 first (with or without BOM), then GB18030 (a superset of GBK and GB2312)."""
    if b"\x00" in data[:4096] or _control_ratio(data[:4096]) > 0.05:
        raise UnreadableDocument("text.binary")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and not _looks_like_chinese(text):
            break
        return text
    raise UnreadableDocument("text.unknown_encoding")


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample)


def _looks_like_chinese(text: str) -> bool:
    sample = text[:4000]
    cjk = sum(1 for ch in sample if 0x4E00 <= ord(ch) <= 0x9FFF)  # CJK unified ideographs
    return cjk >= max(1, len(sample) // 20)


_PIPE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*(:?-{2,}:?\s*)?$")


def clean_line(raw: str) -> str:
    """Normalise spaces and drop Markdown decoration; tabs (cell separators) are kept, and a
    Markdown table row `| a | b |` becomes tab-separated cells like any other table row."""
    text = raw.replace(chr(0x3000), " ").replace("\xa0", " ").replace("\r", "")  # 0x3000: ideographic space
    if _PIPE_RULE.match(text):
        return ""
    pipe_row = _PIPE_ROW.match(text)
    if pipe_row:
        return "\t".join(cell.strip() for cell in pipe_row.group(1).split("|"))
    text = _MARKDOWN_PREFIX.sub("", text)
    text = _BOLD.sub(r"\1", text)
    return text.rstrip(" ")


def text_to_source(text: str) -> SourceText:
    """Split text into lines. Pages break at form feeds; text extracted from a PDF page by page
    also starts each page with a single space, which is taken as a page break too."""
    lines: list[Line] = []
    page = 1
    for number, raw in enumerate(text.split("\n"), start=1):
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        elif number > 1 and re.match(r"^ (?! )\S", raw):
            page += 1
        lines.append(Line(page=page, number=number, text=clean_line(raw).strip(" ")))
    return SourceText(lines=lines, pages=page)


def pages_to_source(pages: list[list[str]], ocr_pages: tuple[int, ...] = ()) -> SourceText:
    """Pages of lines → SourceText; the lines of `ocr_pages` (1-based) were read by OCR."""
    lines: list[Line] = []
    number = 0
    for page_no, page_lines in enumerate(pages, start=1):
        for raw in page_lines:
            number += 1
            text = clean_line(raw).strip(" ")
            lines.append(Line(page=page_no, number=number, text=text, ocr=page_no in ocr_pages))
    return SourceText(lines=lines, pages=len(pages), ocr_pages=ocr_pages)


def pdf_to_source(text: PdfText, ocr_pages: tuple[int, ...] = ()) -> SourceText:
    """A PDF read (`pdf.read_pdf_text`) → SourceText: table rows keep their cells and grid id,
    and `grids` holds every grid; the text of each line is cleaned as `pages_to_source` does."""
    lines: list[Line] = []
    number = 0
    for page_no, page_lines in enumerate(text.pages, start=1):
        for pdf_line in page_lines:
            number += 1
            lines.append(
                Line(
                    page=page_no,
                    number=number,
                    text=clean_line(pdf_line.text).strip(" "),
                    cells=pdf_line.cells,
                    grid=pdf_line.grid,
                    ocr=page_no in ocr_pages,
                )
            )
    return SourceText(lines=lines, pages=len(text.pages), grids=dict(text.grids), ocr_pages=ocr_pages)
