"""Build the site from a data package into a scratch folder, and serve it under a sub-path.

Tests never write into the working tree: the hand-written parts of the site (mkdocs.yml, hooks/,
docs/*.md, docs/assets without generated files) are copied into a temporary root first.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from yibao.site import build_static_site, generate_pages
from yibao.site.generate import GENERATED_DIRS, GENERATED_FILES

REPO = Path(__file__).resolve().parents[2]
FIXTURE_PACKAGE = Path(__file__).parent / "fixtures" / "package"
REAL_PACKAGE = REPO / "datapackage"

# The package the site tests run on. Set YIBAO_SITE_PACKAGE=real (or a folder) to test the site
# built from the real data package (the default); YIBAO_SITE_PACKAGE=fixture-path for another.
DEFAULT_PACKAGE = REAL_PACKAGE
SUB_PATH = "yibao"


def chosen_package() -> Path:
    choice = os.environ.get("YIBAO_SITE_PACKAGE", "")
    if choice == "real":
        return REAL_PACKAGE
    if choice:
        return Path(choice).resolve()
    return DEFAULT_PACKAGE


def _ignore_generated(directory: str, names: list[str]) -> set[str]:
    relative = Path(directory).resolve().relative_to((REPO / "docs").resolve()).as_posix()
    ignored = set()
    for name in names:
        path = name if relative == "." else f"{relative}/{name}"
        if path in GENERATED_DIRS or path in GENERATED_FILES:
            ignored.add(name)
    return ignored


def copy_site_sources(target: Path) -> None:
    """mkdocs.yml, hooks/ and the hand-written docs into target (generated files left out)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(REPO / "hooks", target / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "docs", target / "docs", ignore=_ignore_generated)
    contribute = target / "docs" / "contribute.md"
    if not contribute.exists():  # written by another part of the project; the nav needs it
        contribute.write_text("# 参与贡献\n\n（待补充）\n", encoding="utf-8")


def build_site(package_dir: Path, work_dir: Path) -> Path:
    """Generate pages and build; returns the served root (the site is in root/SUB_PATH)."""
    source = work_dir / "source"
    copy_site_sources(source)
    generate_pages(package_dir, source / "docs")
    served_root = work_dir / "served"
    build_static_site(source, served_root / SUB_PATH)
    return served_root


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve directory on 127.0.0.1 at a free port; yields the base URL of the sub-path."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    finally:
        server.shutdown()
        server.server_close()
