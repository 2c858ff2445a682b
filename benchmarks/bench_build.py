"""Benchmark: how the data build grows with the number of documents.

    .venv/bin/python benchmarks/bench_build.py [COPIES]

Copies the documents of source_docs/ COPIES times (each copy with a marker line, so none is a
duplicate, and a metadata file giving it its own fiscal year, so none is a conflict), builds the data package and prints the
time per document and in total. Not run by the test suite: speed is measured here, not asserted.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yibao.build import build_data  # noqa: E402
from yibao.pipeline import parse_document  # noqa: E402


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    originals = sorted(
        p for p in (ROOT / "source_docs").rglob("*") if p.suffix in (".txt", ".md", ".pdf") and p.name != "README.md"
    )
    for path in originals:
        start = time.perf_counter()
        parse_document(path, path.name)
        print(f"parse {path.name:45} {1000 * (time.perf_counter() - start):7.1f} ms")
    with tempfile.TemporaryDirectory() as temporary:
        sources = Path(temporary) / "sources"
        sources.mkdir()
        for copy in range(copies):
            for number, path in enumerate(originals):
                target = sources / f"copy{copy:04d}-{number}{path.suffix}"
                # a different last line, so no copy is a byte-identical duplicate of another
                target.write_bytes(path.read_bytes() + f"\n副本 {copy}\n".encode())
                target.with_name(target.stem + ".meta.toml").write_text(
                    f"fiscal_year = {3000 + copy}\n", encoding="utf-8"
                )
        documents = copies * len(originals)
        start = time.perf_counter()
        status = build_data(sources, Path(temporary) / "out", log=io.StringIO())
        elapsed = time.perf_counter() - start
        print(
            f"build {documents} documents: {elapsed:.1f} s, {1000 * elapsed / documents:.0f} ms per document (exit {status})"
        )


if __name__ == "__main__":
    main()
