"""Open Yibao Budgets — command line. See README.md and ../shared/CONTRACT.md.

python build.py                                   everything: data package, pages, static site
python build.py data [--sources DIR] [--out DIR]  parse every document, write the data package
python build.py check FILE [--json]               what was recognised in one document
python build.py site [--package DIR]              pages and static site from a data package
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from yibao.build import build_data, display_path  # noqa: E402
from yibao.pipeline import parse_document  # noqa: E402
from yibao.report import as_dict, as_text  # noqa: E402


def command_check(file: Path, as_json: bool) -> int:
    if not file.is_file():
        print(f"{file}: 找不到文件 (no such file)", file=sys.stderr)
        return 2
    inside = file.resolve().is_relative_to(Path.cwd().resolve())
    document = parse_document(file, display_path(file, file.parent) if inside else str(file))
    if as_json:
        print(json.dumps(as_dict(document), ensure_ascii=False, indent=2))
    else:
        print(as_text(document), end="")
    return 1 if document.status == "error" else 0


def command_site(package: Path) -> int:
    from yibao.site import build_static_site, generate_pages

    generate_pages(package, ROOT / "docs")
    build_static_site(ROOT, ROOT / "site")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Open Yibao Budgets: disclosures → data package → site")
    commands = parser.add_subparsers(dest="command")
    data = commands.add_parser("data", help="parse every document and write the data package")
    data.add_argument("--sources", type=Path, default=ROOT / "source_docs")
    data.add_argument("--out", type=Path, default=ROOT / "datapackage")
    check = commands.add_parser("check", help="report what was recognised in one document")
    check.add_argument("file", type=Path)
    check.add_argument("--json", action="store_true", help="print one JSON object")
    site = commands.add_parser("site", help="generate pages and build the static site")
    site.add_argument("--package", type=Path, default=ROOT / "datapackage")
    args = parser.parse_args(argv)

    if args.command == "data":
        return build_data(args.sources, args.out)
    if args.command == "check":
        return command_check(args.file, args.json)
    if args.command == "site":
        return command_site(args.package)
    status = build_data(ROOT / "source_docs", ROOT / "datapackage")
    site_status = command_site(ROOT / "datapackage")
    return status or site_status


if __name__ == "__main__":
    sys.exit(main())
