"""The static site: Markdown pages generated from the data package, built with MkDocs Material.

`generate_pages` writes only git-ignored paths under docs/ (see GENERATED_DIRS and
GENERATED_FILES in generate.py); `build_static_site` runs a full (never --dirty) strict build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .generate import generate

__all__ = ["build_static_site", "generate_pages"]


def generate_pages(package_dir: Path, docs_dir: Path) -> None:
    """Render site_templates/ into docs_dir from the data package alone (datapackage.json + CSVs).

    Writes the generated Markdown pages, per-chart and per-document CSV downloads, a copy of the
    package files with a zip of them, and plotly.min.js from the installed plotly wheel. The
    output is byte-identical for the same inputs.
    """
    generate(Path(package_dir), Path(docs_dir))


def build_static_site(root: Path, site_dir: Path) -> None:
    """Run `mkdocs build --strict` with root/mkdocs.yml into site_dir; raise on failure.

    MkDocs runs in a child process so its logging, plugins and jieba's dictionary cache stay
    out of the caller; `--dirty` is never used because it writes an incomplete search index.
    """
    root = Path(root).resolve()
    command = [
        sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
        "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(Path(site_dir).resolve()),
    ]  # fmt: skip
    # SOURCE_DATE_EPOCH fixes the sitemap's dates: the same inputs give the same site, byte for byte
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    environment.setdefault("SOURCE_DATE_EPOCH", "0")
    result = subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
