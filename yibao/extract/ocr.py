"""Scanned pages: OCR of a page image → text lines with their positions.

Only pages without a usable text layer come here (`yibao.extract.pdf` decides, page by page);
their lines go on like text lines, as (text, top, x0) in PDF points, so that later stages can
rebuild rows from positions, and carry `ocr=True` (`SourceText.ocr_pages` lists the pages).

Engine: RapidOCR from the `rapidocr-onnxruntime` wheel (PaddleOCR's PP-OCRv4 detection and
recognition models as ONNX, inside the wheel): a fresh machine needs only pip, and nothing is
downloaded at run time. Measured against Debian's Tesseract 5.3 (`chi_sim`) on the scanned 043
narrative and on pages of real text-layer PDFs rendered to images, it read table text far better
(Chinese 0.98 against 0.78–0.90 of the characters) with digits as good, at about four times
Tesseract's CPU time (see the `ocr` branch report; ~5–15 s a page on a loaded 2-core machine).

Deterministic: the same page gives the same lines. Rendering is pdfium's (no randomness), the
engine runs with fixed thread counts, without its 0°/180° line classifier (it turned upright lines
upside down), and the lines are sorted by position.

Every amount read here is a guess until the accounting identities around it hold: the lines say
`ocr=True`, and a later stage must publish an OCR'd amount only when its identities pass.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from yibao.model.errors import UnreadableDocument
from yibao.reference import vocabulary

# Stated limits. A document needing OCR on more pages is refused before any OCR is done; the OCR
# of a document may take this many seconds per OCR'd page on average (a page takes 5–15 s).
MAX_OCR_PAGES = 50
MAX_OCR_SECONDS_PER_PAGE = 60.0
# A page with fewer characters than this in its text layer (a page number at most) and with an
# image on it is a scan.
SCAN_MAX_CHARS = 10
# Pages are rendered at this resolution: 9 pt table text is 18 px high. A larger page (A3) is
# rendered smaller, to at most MAX_IMAGE_SIDE pixels, which bounds the work per page.
OCR_DPI = 144
MAX_IMAGE_SIDE = 2000
# Text boxes the recogniser is less sure of than this are dropped (the engine's default).
MIN_SCORE = 0.5
# Fixed, so that the result does not depend on the machine's number of cores.
THREADS = 2

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
# OCR artefacts inside amounts: '7, 099, 698', '3. 15', '17，541', '3．15', full-width digits, 〇.
_SPACE_AFTER_GROUP = re.compile(r"(?<=\d,)\s+(?=\d{3}(?!\d))")
_SPACE_AFTER_POINT = re.compile(r"(?<=\d\.)\s+(?=\d{1,2}(?!\d))")
_WIDE_GROUP = vocabulary("extract").pattern("wide_group")
_WIDE_POINT = vocabulary("extract").pattern("wide_point")
_WIDE_DIGITS = vocabulary("extract").pattern("wide_digits")
# '收入〇万元': the recogniser takes a lone 0 before a unit for the Chinese zero (二〇二六年 stays)
_ZERO_AMOUNT = vocabulary("extract").pattern("zero_amount")
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class OcrWord:
    """One box of text as the engine finds it: a cell of a table, a line or part of one.
    Positions in the unit of the caller's scale (PDF points, top-down), `score` in 0..1."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    score: float
    chars: tuple[tuple[str, float, float], ...] = ()  # (character, x0, x1) as the engine places them


@dataclass(frozen=True)
class OcrLine:
    """Words on one printed line, left to right; `text` joins them with single spaces."""

    text: str
    top: float
    x0: float
    x1: float
    bottom: float
    words: tuple[OcrWord, ...]


# ----------------------------------------------------------------------------------------------
# One document


class ScanReader:
    """The OCR of one document's scanned pages, within the stated limits.

    `read(page)` OCRs one pdfplumber page; `pages` lists the page numbers read so far and `seconds`
    the time they took (the PDF reader's own deadline does not count it).
    """

    def __init__(self) -> None:
        self.pages: list[int] = []
        self.seconds = 0.0
        self._counted = False

    def wants(self, page: Any) -> bool:
        """Whether a pdfplumber page is a scan: (almost) no characters, and an image."""
        chars = 0
        for char in page.chars:
            chars += bool(str(char.get("text", "")).strip())
            if chars >= SCAN_MAX_CHARS:
                return False
        return bool(page.images)

    def read(self, page: Any) -> list[OcrLine]:
        if not self._counted:
            self._counted = True
            count = count_scanned_pages(page.pdf)
            if count > MAX_OCR_PAGES:
                raise UnreadableDocument("pdf.ocr_too_many_pages", pages=count, limit=MAX_OCR_PAGES)
        started = time.monotonic()
        lines = ocr_pdf_page(page)
        self.seconds += time.monotonic() - started
        self.pages.append(int(page.page_number))
        if self.seconds > MAX_OCR_SECONDS_PER_PAGE * len(self.pages):
            raise UnreadableDocument(
                "pdf.ocr_timeout",
                seconds=f"{self.seconds:.0f}",
                pages=len(self.pages),
                limit=f"{MAX_OCR_SECONDS_PER_PAGE:.0f}",
            )
        return lines


def count_scanned_pages(pdf: Any) -> int:
    """Pages of a pdfplumber PDF that are scans, counted with pdfium (a few ms a page)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = _open_pdfium(pdf)
    try:
        count = 0
        for index in range(len(document)):
            page = document[index]
            try:
                text = page.get_textpage().get_text_range()
                chars = sum(1 for ch in text if not ch.isspace())
                if chars < SCAN_MAX_CHARS and any(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)):
                    count += 1
            finally:
                page.close()
        return count
    except pdfium.PdfiumError as error:
        raise UnreadableDocument("pdf.broken", detail=f"pdfium: {error}"[:160]) from error
    finally:
        document.close()


# ----------------------------------------------------------------------------------------------
# One page


def ocr_pdf_page(page: Any) -> list[OcrLine]:
    """A pdfplumber page → its lines by OCR, positioned in PDF points like the page's words."""
    image, scale = render_page(page)
    return ocr_image(image, scale)


def render_page(page: Any) -> tuple[Any, float]:
    """The page as a grey-scale image at OCR_DPI (smaller for large pages), and its pixels per point."""
    width, height = float(page.width), float(page.height)
    scale = min(OCR_DPI / 72, MAX_IMAGE_SIDE / max(width, height, 1.0))
    document = _open_pdfium(page.pdf)
    try:
        pdfium_page = document[int(page.page_number) - 1]
        image = pdfium_page.render(scale=scale, grayscale=True).to_pil().convert("L")
        pdfium_page.close()
    finally:
        document.close()
    return image, scale


def ocr_image(image: Any, scale: float = 1.0) -> list[OcrLine]:
    """A page image (PIL) → its text lines, top to bottom. Positions are pixels divided by `scale`
    (pixels per point for a rendered PDF page, 1 to keep pixels)."""
    import numpy as np

    grey = np.asarray(image.convert("L"))
    if grey.size == 0 or int(grey.min()) == int(grey.max()):
        return []  # a blank image: nothing to read (and the engine needs some contrast)
    bgr = np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
    result, _ = _engine()(bgr, return_word_box=True)
    words = [_word(item, scale) for item in result or []]
    return group_lines([w for w in words if w.text])


def group_lines(words: list[OcrWord]) -> list[OcrLine]:
    """Words → lines: a word joins a line when its vertical middle lies within the line's first
    word, as `yibao.extract.pdf.text_lines` does for a text layer."""
    lines: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        for line in reversed(lines[-3:]):
            if line[0].top <= middle <= line[0].bottom:
                line.append(word)
                break
        else:
            lines.append([word])
    result = []
    for line in lines:
        ordered = tuple(sorted(line, key=lambda w: (w.x0, w.top)))
        result.append(
            OcrLine(
                text=" ".join(w.text for w in ordered),
                top=min(w.top for w in ordered),
                x0=ordered[0].x0,
                x1=max(w.x1 for w in ordered),
                bottom=max(w.bottom for w in ordered),
                words=ordered,
            )
        )
    return result


def clean_text(text: str) -> str:
    """What the engine read → text as printed: amounts without the gaps OCR puts into them
    ('7, 099, 698' → '7,099,698', '17，541' → '17,541', '3. 15' → '3.15'), full-width digits
    as digits, '〇万元' → '0万元', no spaces between two Chinese characters (letter-spaced print)."""
    text = _SPACES.sub(" ", text).strip()
    text = _WIDE_DIGITS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = _ZERO_AMOUNT.sub("0", text)
    text = _WIDE_GROUP.sub(",", text)
    text = _WIDE_POINT.sub(".", text)
    text = _SPACE_AFTER_GROUP.sub("", text)
    text = _SPACE_AFTER_POINT.sub("", text)
    return _CJK_GAP.sub("", text)


# ----------------------------------------------------------------------------------------------
# The engine


@cache
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as error:  # a broken install: say so rather than read nothing
        raise UnreadableDocument("pdf.ocr_unavailable", detail=f"{type(error).__name__}: {error}"[:160]) from error
    return RapidOCR(
        intra_op_num_threads=THREADS,
        inter_op_num_threads=1,
        use_cls=False,
        text_score=MIN_SCORE,
        print_verbose=False,
    )


def _word(item: list[Any], scale: float) -> OcrWord:
    """One engine result [box, text, score, char boxes, chars, char scores] → an OcrWord."""
    box, text, score = item[0], str(item[1]), float(item[2])
    xs = [float(point[0]) for point in box]
    ys = [float(point[1]) for point in box]
    chars: tuple[tuple[str, float, float], ...] = ()
    if len(item) >= 5 and item[3] and len(item[3]) == len(item[4]):
        chars = tuple(
            (str(ch), _pt(min(p[0] for p in cbox), scale), _pt(max(p[0] for p in cbox), scale))
            for cbox, ch in zip(item[3], item[4], strict=True)
            if str(ch).strip()
        )
    return OcrWord(
        text=clean_text(text),
        x0=_pt(min(xs), scale),
        x1=_pt(max(xs), scale),
        top=_pt(min(ys), scale),
        bottom=_pt(max(ys), scale),
        score=round(score, 4),
        chars=chars,
    )


def _pt(pixels: float, scale: float) -> float:
    return round(float(pixels) / scale, 2)


def _open_pdfium(pdf: Any) -> Any:
    """The pdfplumber PDF's file (or stream) opened again with pdfium, to render or count pages."""
    import pypdfium2 as pdfium

    if getattr(pdf, "path", None):
        return pdfium.PdfDocument(str(pdf.path))
    stream = pdf.stream
    stream.seek(0)
    return pdfium.PdfDocument(stream.read())
