"""Benchmark: the built site in Chromium — charts drawn on a slow phone, JavaScript shipped,
Lighthouse's mobile scores, screenshots.

    .venv/bin/python benchmarks/bench_site.py browser [--package DIR] [--out DIR]

The site is built from the data package (default datapackage/) into a scratch folder and served
under a sub-path, gzip-compressed as GitHub Pages and other static hosts serve it. Measured:

- charts: time from navigation until every chart of the page is drawn, with Chrome DevTools
  network throttling (Lighthouse's mobile 4G: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up)
  and CPU throttling (4× slower), cache empty; best of three runs;
- JavaScript: every script a page loads, raw and gzipped, and the part that draws charts;
- Lighthouse (npm `lighthouse`, found as $LIGHTHOUSE or on PATH): performance and
  accessibility in its default mobile mode, against Debian's Chromium ($CHROMIUM);
- screenshots of each page at 390 and 1280 px into --out (default .screenshots/, git-ignored).

Bar (issue 10): charts within 3 s, chart JavaScript ≤ 450 KB gzipped, Lighthouse accessibility
≥ 95 and performance ≥ 90 on the home page and a bureau page.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "site"))

from sitebuild import SUB_PATH, build_site  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
# Lighthouse's "mobile slow 4G" (its default throttling), as DevTools network conditions.
FOUR_G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
CPU_SLOWDOWN = 4
CHART_BUDGET_SECONDS = 3.0
CHART_JS_BUDGET = 450 * 1024
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")  # fmt: skip
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt")
# Every chart on the page laid out, each bar that is not folded away drawn with a width.
CHARTS_DRAWN = """() => {
  if (document.readyState === "loading") return false;
  const figures = [...document.querySelectorAll("figure[data-chart]")];
  return figures.every(f => f.getBoundingClientRect().height > 0) &&
    [...document.querySelectorAll(".yibao-bar__fill, .yibao-split__part")]
      .filter(b => !b.closest("details:not([open])"))
      .every(b => b.getBoundingClientRect().width > 0);
}"""


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it (as static hosts serve them)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not accepts or path.suffix not in COMPRESSED:
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    finally:
        server.shutdown()
        server.server_close()


def a_bureau_page(site: Path) -> str:
    """The bureau page with the most charts (the heaviest page a reader opens)."""
    pages = [p for p in (site / "bureaus").glob("*.html") if p.name not in ("index.html", "compare.html")]
    return (
        max(sorted(pages), key=lambda p: p.read_text(encoding="utf-8").count("data-chart")).relative_to(site).as_posix()
    )


def chart_timing(browser, url: str, runs: int = 3) -> dict[str, float]:
    """Best of `runs` cold loads: seconds until every chart is drawn, and first paint."""
    best: dict[str, float] = {}
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", FOUR_G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(url, wait_until="commit")
        page.wait_for_function(CHARTS_DRAWN, polling="raf", timeout=60000)
        drawn = page.evaluate("performance.now()") / 1000
        page.wait_for_load_state("load")
        timing = page.evaluate(
            """() => ({fcp: (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime || 0,
                       load: performance.getEntriesByType("navigation")[0].loadEventEnd})"""
        )
        result = {"charts_drawn_s": drawn, "first_paint_s": timing["fcp"] / 1000, "load_s": timing["load"] / 1000}
        if not best or result["charts_drawn_s"] < best["charts_drawn_s"]:
            best = result
        context.close()
    return best


def scripts_of(browser, url: str, site: Path, base_url: str) -> list[dict[str, object]]:
    """Every script the page loads (scripts it adds itself included), raw and gzipped bytes."""
    context = browser.new_context()
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url) if r.resource_type == "script" else None)
    page.goto(url, wait_until="networkidle")
    context.close()
    result = []
    for script in sorted(set(urls)):
        path = urlparse(script).path
        relative = unquote(path[len(urlparse(base_url).path) :])
        data = (site / relative).read_bytes() if (site / relative).is_file() else b""
        result.append({"script": relative, "bytes": len(data), "gzip": len(gzip.compress(data, 6, mtime=0))})
    return result


def lighthouse(url: str, report: Path) -> dict[str, object]:
    command = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")
    if not command:
        return {
            "error": "lighthouse not found: npm install lighthouse, then set LIGHTHOUSE=…/node_modules/.bin/lighthouse"
        }
    environment = dict(os.environ, CHROME_PATH=CHROMIUM)
    completed = subprocess.run(
        [command, url, "--quiet", "--output=json", f"--output-path={report}",
         "--only-categories=performance,accessibility",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
        env=environment, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if completed.returncode != 0 or not report.is_file():
        return {"error": completed.stderr[-500:]}
    data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    failed = [
        ref["id"]
        for ref in data["categories"]["accessibility"]["auditRefs"]
        if audits[ref["id"]].get("score") is not None and audits[ref["id"]]["score"] < 1 and ref.get("weight")
    ]
    return {
        "performance": round(data["categories"]["performance"]["score"] * 100),
        "accessibility": round(data["categories"]["accessibility"]["score"] * 100),
        **{key: audits[key].get("displayValue", "") for key in METRICS},
        "accessibility_failed": failed,
    }


def screenshots(browser, url: str, name: str, out: Path) -> list[str]:
    written = []
    for width, height in ((390, 844), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        for suffix, full in (("", False), ("-full", True)):
            target = out / f"{name}-{width}{suffix}.png"
            page.screenshot(path=str(target), full_page=full)
            written.append(str(target))
        context.close()
    return written


def main(arguments: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_site.py browser")
    parser.add_argument("--package", type=Path, default=ROOT / "datapackage")
    parser.add_argument("--out", type=Path, default=ROOT / ".screenshots")
    parser.add_argument("--no-lighthouse", action="store_true")
    options = parser.parse_args(arguments)
    options.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as temporary:
        served = build_site(options.package.resolve(), Path(temporary))
        site = served / SUB_PATH
        pages = {"home": "index.html", "bureau": a_bureau_page(site)}
        results: dict[str, dict[str, object]] = {}
        with serve(served) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, relative in pages.items():
                url = base_url + quote(relative)
                scripts = scripts_of(browser, url, site, base_url)
                results[name] = {
                    "page": relative,
                    "html_gzip": len(gzip.compress((site / relative).read_bytes(), 6, mtime=0)),
                    **chart_timing(browser, url),
                    "scripts": scripts,
                    "chart_js_gzip": sum(int(s["gzip"]) for s in scripts if "yibao" in str(s["script"])),
                    "screenshots": screenshots(browser, url, name, options.out),
                }
            browser.close()
            if not options.no_lighthouse:
                for name, relative in pages.items():
                    results[name]["lighthouse"] = lighthouse(
                        base_url + quote(relative), options.out / f"lighthouse-{name}.json"
                    )
    for name, result in results.items():
        print(f"== {name}: {result['page']} (HTML {result['html_gzip'] / 1024:.1f} KB gzipped)")
        print(f"   charts drawn {result['charts_drawn_s']:.2f} s (budget {CHART_BUDGET_SECONDS} s), "
              f"first paint {result['first_paint_s']:.2f} s, load {result['load_s']:.2f} s "
              f"[4G {FOUR_G['latency']} ms, {CPU_SLOWDOWN}× CPU]")  # fmt: skip
        for script in result["scripts"]:  # type: ignore[attr-defined]
            print(
                f"   script {script['script']}: {script['bytes'] / 1024:.1f} KB, {script['gzip'] / 1024:.1f} KB gzipped"
            )
        print(
            f"   chart JavaScript {int(result['chart_js_gzip']) / 1024:.1f} KB gzipped (budget {CHART_JS_BUDGET // 1024} KB)"
        )  # type: ignore[call-overload]
        if "lighthouse" in result:
            print(f"   lighthouse (mobile): {json.dumps(result['lighthouse'], ensure_ascii=False)}")
    (options.out / "bench-site-browser.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
