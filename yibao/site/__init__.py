"""The static site: Markdown pages generated from the data package, built with MkDocs Material.

`generate_pages` writes only git-ignored paths under docs/ (see GENERATED_DIRS and
GENERATED_FILES in generate.py); `build_static_site` runs a full (never --dirty) strict build.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from yibao.messages import CodedError
from yibao.output import atomic_folder, write_error

from .generate import generate

__all__ = ["SiteBuildFailed", "build_static_site", "generate_pages"]


def generate_pages(package_dir: Path, docs_dir: Path) -> None:
    """Render site_templates/ into docs_dir from the data package alone (datapackage.json + CSVs).

    Writes the generated Markdown pages, per-chart and per-document CSV downloads, a copy of the
    package files with a zip of them, and plotly.min.js from the installed plotly wheel. The
    output is byte-identical for the same inputs.
    """
    generate(Path(package_dir), Path(docs_dir))


def build_static_site(root: Path, site_dir: Path) -> None:
    """Run `mkdocs build --strict` with root/mkdocs.yml and put the result at site_dir; raise on
    failure (`SiteBuildFailed`, or `OutputError` when the folder cannot be written).

    MkDocs writes into a hidden temporary folder beside site_dir, which replaces site_dir only
    when the build succeeded (as datapackage/ is written): a failed, killed or interrupted build
    leaves the previous site whole. MkDocs runs in a child process so its logging, plugins and
    jieba's dictionary cache stay out of the caller; the child dies with the build (Linux
    PR_SET_PDEATHSIG). `--dirty` is never used because it writes an incomplete search index.
    """
    root = Path(root).resolve()
    target = Path(site_dir).resolve()
    # SOURCE_DATE_EPOCH fixes the sitemap's dates: the same inputs give the same site, byte for byte
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    environment.setdefault("SOURCE_DATE_EPOCH", "0")
    try:
        with atomic_folder(target) as temporary:
            command = [
                sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
                "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(temporary),
            ]  # fmt: skip
            result = subprocess.run(
                command,
                cwd=root,
                env=environment,
                capture_output=True,
                text=True,
                check=False,
                preexec_fn=_die_with_parent,
            )
            if result.returncode != 0:
                detail = f"{result.stdout}\n{result.stderr}".strip()[-4000:]
                raise SiteBuildFailed("build.site_failed", status=result.returncode, detail=detail)
    except OSError as error:
        raise write_error(target, error) from error


class SiteBuildFailed(CodedError):
    """MkDocs failed; the previous site is unchanged."""


def _die_with_parent() -> None:
    """In the MkDocs child: be killed when the build process dies (Linux PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
