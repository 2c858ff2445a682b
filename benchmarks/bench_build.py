"""Benchmark: how the data build grows with the number of documents.

    .venv/bin/python benchmarks/bench_build.py [COUNT ...]        (default: 100 1000)

For each COUNT, makes COUNT documents from copies of the text documents of source_docs/ (each
copy with a marker line, so none is a duplicate, and a metadata file naming a body of its own,
某一市医疗保障局 …, so none is a conflict), then runs `build.py data` as a user would, in a process of its
own, four times:

- cold: an empty parse cache;
- incremental: one document added on top of the built COUNT (the cache of the cold build);
- unchanged: nothing changed;
- new parser: the cache of another parser version (every document is read again).

Prints per run the wall time, the CPU time, the peak memory (the build process and its workers
together, sampled every 20 ms) and the documents read; then the package's bytes per document,
its largest file, the file count, and a projection to 30,000 documents from the two counts.
PDFs are left out: they cost seconds each to read whatever the build does around them
(benchmarks/bench_pdf.py measures reading them). Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_SUFFIXES = (".txt", ".md")


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    status: int


def make_copies(sources: Path, count: int, first: int = 0) -> None:
    originals = sorted(
        p for p in (ROOT / "source_docs").rglob("*") if p.suffix in TEXT_SUFFIXES and p.name != "README.md"
    )
    for number in range(first, first + count):
        original = originals[number % len(originals)]
        target = sources / f"{number // 1000:03d}" / f"copy{number:06d}{original.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        # a different last line, so no copy is a byte-identical duplicate of another
        target.write_bytes(original.read_bytes() + f"\n副本 {number}\n".encode())
        bureau = "某" + "".join("〇一二三四五六七八九"[int(d)] for d in str(number)) + "市医疗保障局"
        target.with_name(target.stem + ".meta.toml").write_text(f'bureau = "{bureau}"\n', encoding="utf-8")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of the process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total / 1024


def run_build(name: str, sources: Path, out: Path, cache: Path) -> Run:
    command = [sys.executable, str(ROOT / "build.py"), "data", "--sources", str(sources), "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--cache", str(cache)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
    )
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    status = process.wait()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(name, wall, cpu, peak, status)


def package_figures(out: Path) -> tuple[int, int, int, str]:
    files = [p for p in out.rglob("*") if p.is_file()]
    largest = max(files, key=lambda p: p.stat().st_size)
    return sum(p.stat().st_size for p in files), len(files), largest.stat().st_size, largest.name


def measure(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        sources, cache, out = work / "sources", work / "cache", work / "datapackage"
        make_copies(sources, count)
        runs = [run_build("cold", sources, out, cache)]
        size, files, largest, largest_name = package_figures(out)
        make_copies(sources, 1, first=count)
        runs.append(run_build("+1 document", sources, out, cache))
        runs.append(run_build("unchanged", sources, out, cache))
        [version] = [p for p in cache.iterdir() if p.is_dir()]
        version.rename(cache / "0-another-parser")
        runs.append(run_build("new parser", sources, out, cache))
        print(f"\n{count} documents (+1): build.py data --cache, {os.cpu_count()} cores")
        for run in runs:
            print(
                f"  {run.name:12} {run.wall:7.1f} s wall  {run.cpu:7.1f} s CPU  "
                f"peak {run.peak_mb:6.0f} MB  exit {run.status}"
            )
        print(
            f"  package {size / 1e6:.1f} MB in {files} files, {size / count / 1e3:.1f} KB per document; "
            f"largest file {largest_name} {largest / 1e6:.2f} MB"
        )
        shutil.rmtree(cache, ignore_errors=True)
        return {
            "cold": runs[0].wall,
            "incremental": runs[1].wall,
            "peak": max(r.peak_mb for r in runs),
            "bytes": size,
            "largest": largest,
        }


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [100, 1000]
    results = {count: measure(count) for count in counts}
    if len(counts) >= 2:
        small, large = counts[0], counts[-1]
        a, b = results[small], results[large]
        target = 30_000

        def projected(key: str) -> float:
            slope = (b[key] - a[key]) / (large - small)
            return b[key] + slope * (target - large)

        print(f"\nprojection to {target:,} documents (linear from {small} and {large}):")
        print(f"  cold build {projected('cold') / 60:.1f} min; +1 document {projected('incremental'):.1f} s")
        print(f"  peak memory {projected('peak'):.0f} MB; package {projected('bytes') / 1e9:.2f} GB")
        print(f"  largest file {projected('largest') / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
