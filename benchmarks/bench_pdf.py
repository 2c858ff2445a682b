"""Benchmark: ms per page of our PDF reader vs pdfplumber's own extract_tables() + extract_text().

    .venv/bin/python benchmarks/bench_pdf.py ../shared/real [--pages N]

For each PDF of the folder with a text layer, the same pages are read twice, each time from a
freshly opened document (so both pay for pdfminer's layout of the page): once by
`yibao.extract.pdf.read_page` (rules, grids, cells, text lines), once by pdfplumber's
`extract_tables()` followed by `extract_text()`. Pages are closed after each read, as the reader
does. Prints ms per page for both, per document and in total, and the ratio (the bar is 1.5 ×).
Not run by the test suite: speed is measured here, not asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from yibao.extract.ocr import ScanReader  # noqa: E402
from yibao.extract.pdf import read_page  # noqa: E402


def ours(page: Any) -> None:
    ScanReader().wants(page)  # the reader asks first whether the page needs OCR
    read_page(page)


def theirs(page: Any) -> None:
    page.extract_tables()
    page.extract_text()


def scanned_pages(path: Path, pages: int) -> set[int]:
    """Indices of the pages without a usable text layer (OCR is benchmarked elsewhere)."""
    scans = ScanReader()
    found: set[int] = set()
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages[:pages]):
            try:
                if scans.wants(page):
                    found.add(index)
            finally:
                page.close()
    return found


def timed(path: Path, pages: int, skip: set[int], read: Callable[[Any], None]) -> tuple[float, int]:
    """Seconds spent reading the first `pages` pages but `skip`, and how many were read. The clock
    runs from a fresh page, so each side pays for pdfminer's layout of it."""
    seconds, count = 0.0, 0
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages[:pages]):
            try:
                if index in skip:
                    continue
                started = time.perf_counter()
                read(page)
                seconds += time.perf_counter() - started
                count += 1
            finally:
                page.close()
    return seconds, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pages", type=int, default=1000, help="at most this many pages of each document")
    args = parser.parse_args(argv)
    total_ours = total_theirs = 0.0
    total_pages = 0
    print(f"{'document':45} {'pages':>5} {'ours ms/p':>10} {'pdfplumber ms/p':>16} {'ratio':>6}")
    for path in sorted(args.folder.glob("*.pdf")):
        skip = scanned_pages(path, args.pages)
        theirs_s, n = timed(path, args.pages, skip, theirs)
        ours_s, _ = timed(path, args.pages, skip, ours)
        if not n:
            continue
        total_ours, total_theirs, total_pages = total_ours + ours_s, total_theirs + theirs_s, total_pages + n
        ratio = ours_s / theirs_s if theirs_s else 0.0
        print(f"{path.name[:45]:45} {n:5d} {1000 * ours_s / n:10.1f} {1000 * theirs_s / n:16.1f} {ratio:6.2f}")
    if total_pages:
        print(
            f"{'total':45} {total_pages:5d} {1000 * total_ours / total_pages:10.1f} "
            f"{1000 * total_theirs / total_pages:16.1f} {total_ours / total_theirs:6.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
