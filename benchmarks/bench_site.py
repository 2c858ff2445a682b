"""Benchmarks of the site.

    .venv/bin/python benchmarks/bench_site.py [BUREAUS]
    .venv/bin/python benchmarks/bench_site.py browser [--package DIR] [--out DIR]

The first is the site at scale — data build, page generation and MkDocs build for N bureaus.
Each bureau is a copy of one of the documents in source_docs/ with the place in its name
replaced (某一市, 某二市 …), so every copy is a bureau of its own. Prints the time of each stage,
the page count, the size of the site and of its search index.

`browser` builds the site from a data package (default datapackage/) under a sub-path, serves it
gzip-compressed as static hosts do, and measures it in Debian's Chromium
(benchmarks/bench_site_browser.py): time until every chart is drawn with emulated 4G and a 4×
slower CPU, the JavaScript shipped, Lighthouse's mobile scores, and screenshots at 390 and 1280 px.
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yibao.build import build_data  # noqa: E402
from yibao.recognise.metadata import UNIT as BUREAU  # noqa: E402
from yibao.site import build_static_site, generate_pages  # noqa: E402
from yibao.text import squeeze  # noqa: E402


def _chinese(number: int) -> str:
    """Place names are Chinese: 12 → 一二 (a digit would not read as part of a name)."""
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(number))


def renamed_copies(target: Path, bureaus: int) -> None:
    originals = [
        p for p in sorted((ROOT / "source_docs").rglob("*")) if p.suffix in (".txt", ".md") and p.name != "README.md"
    ]
    for number in range(bureaus):
        original = originals[number % len(originals)]
        text = original.read_text(encoding="utf-8")
        names = set(BUREAU.findall(squeeze(text)))
        for name in sorted(names, key=len, reverse=True):
            place = re.sub(r"医疗保障局(本级)?$", "", name)
            text = text.replace(place, f"某{_chinese(number)}市")
        (target / f"bureau{number:05d}{original.suffix}").write_text(text, encoding="utf-8")


def main() -> None:
    bureaus = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        sources = work / "sources"
        sources.mkdir()
        renamed_copies(sources, bureaus)
        stages = {}
        start = time.perf_counter()
        build_data(sources, work / "datapackage", log=io.StringIO())
        stages["data"] = time.perf_counter() - start
        root = work / "root"
        (root / "docs").mkdir(parents=True)
        for item in ("mkdocs.yml",):
            (root / item).write_bytes((ROOT / item).read_bytes())
        for folder in ("hooks", "docs"):
            for path in (ROOT / folder).rglob("*"):
                relative = path.relative_to(ROOT)
                if (
                    path.is_file()
                    and "generated" not in relative.parts
                    and relative.parts[:2] not in (("docs", "bureaus"), ("docs", "data"))
                ):
                    (root / relative).parent.mkdir(parents=True, exist_ok=True)
                    (root / relative).write_bytes(path.read_bytes())
        start = time.perf_counter()
        generate_pages(work / "datapackage", root / "docs")
        stages["pages"] = time.perf_counter() - start
        start = time.perf_counter()
        build_static_site(root, work / "site")
        stages["mkdocs"] = time.perf_counter() - start
        pages = len(list((work / "site").rglob("*.html")))
        size = sum(p.stat().st_size for p in (work / "site").rglob("*") if p.is_file())
        index = (work / "site" / "search" / "search_index.json").stat().st_size
        print(f"{bureaus} bureaus: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()))
        print(f"{pages} HTML pages, site {size / 1e6:.1f} MB, search index {index / 1e6:.2f} MB")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "browser":
        from bench_site_browser import main as browser_main

        browser_main(sys.argv[2:])
    else:
        main()
