"""Open Yibao Budgets — command line. See README.md and ../shared/CONTRACT.md.

python build.py                                   everything: data package, pages, static site
python build.py data [--sources DIR] [--out DIR]  parse every document, write the data package
                  [--cache DIR]                   keep parse results there: a rebuild reads only
                                                  new or changed documents (yibao/cache.py)
python build.py parse --cache DIR --shard K/N     read shard K of N of the documents (by the hash
                  [--sources DIR]                 of their bytes) into the parse cache, write
                                                  nothing else: shards read apart, their caches
                                                  put together, `data --cache` writes the package
python build.py check FILE [--json]               what was recognised in one document (with the
                                                  other parts of it in FILE's folder, if any)
python build.py site [--package DIR]              pages and static site from a data package

Exit status: 0 done; 1 some document could not be read or a file was rejected (everything else is
written and published); 2 nothing was written (no sources, disk full, read-only output, MkDocs
failed); 3 another build is writing the same output. Each document is read in a worker process
under the limits stated in README.md; killing the build's process group stops its workers.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from yibao.build import EXIT_LOCKED, EXIT_WRITE_FAILED, build_data, check_document, display_path, parse_shard  # noqa: E402
from yibao.display import shown  # noqa: E402
from yibao.messages import say  # noqa: E402
from yibao.output import OutputError, OutputLocked, output_lock  # noqa: E402
from yibao.report import as_dict, as_json, as_text  # noqa: E402


def command_check(file: Path, as_json_output: bool) -> int:
    if not file.is_file():
        print(say("build.no_file", file=shown(str(file))), file=sys.stderr)
        return 2
    inside = file.resolve().is_relative_to(Path.cwd().resolve())
    name = display_path(file, file.parent) if inside else str(file)
    # read in a worker under the same limits as in a build: a hostile file cannot hang `check`;
    # a file that may be one part of a disclosure is read with the other files of its folder
    document = check_document(file, name)
    if as_json_output:
        print(as_json(as_dict(document)))
    else:
        print(as_text(document), end="")
    return 1 if document.status == "error" else 0


def command_site(package: Path) -> int:
    """Pages and static site from the package. Holds the site's build lock, and the package's
    while reading it (a data build swapping it in meanwhile would mix two versions)."""
    from yibao.site import SiteBuildFailed, build_static_site, generate_pages

    try:
        with output_lock(ROOT / "site"):
            with output_lock(package):
                generate_pages(package, ROOT / "docs")
            build_static_site(ROOT, ROOT / "site")
    except OutputLocked as error:
        print(shown(str(error)), file=sys.stderr)
        return EXIT_LOCKED
    except (OutputError, SiteBuildFailed) as error:
        print(shown(str(error)), file=sys.stderr)
        return EXIT_WRITE_FAILED
    except OSError as error:  # docs/ could not be written
        print(
            shown(say("output.write_failed", target=str(ROOT / "docs"), error=error.strerror or error)), file=sys.stderr
        )
        return EXIT_WRITE_FAILED
    return 0


def shard_spec(text: str) -> tuple[int, int]:
    """'1/4' → (1, 4)."""
    shard, _, count = text.partition("/")
    if not (shard.isdigit() and count.isdigit() and 0 <= int(shard) < int(count)):
        raise argparse.ArgumentTypeError(say("build.bad_shard", shard=text))
    return int(shard), int(count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Open Yibao Budgets: disclosures → data package → site")
    commands = parser.add_subparsers(dest="command")
    data = commands.add_parser("data", help="parse every document and write the data package")
    data.add_argument("--sources", type=Path, default=ROOT / "source_docs")
    data.add_argument("--out", type=Path, default=ROOT / "datapackage")
    data.add_argument(
        "--published",
        type=Path,
        help="package whose documents win a conflict (default: the package at --out, being replaced)",
    )
    for command in (data, parser):
        command.add_argument(
            "--cache",
            type=Path,
            default=Path(os.environ["YIBAO_CACHE"]) if os.environ.get("YIBAO_CACHE") else None,
            help="folder of the parse cache (default: $YIBAO_CACHE; none: every document is read)",
        )
    parse = commands.add_parser("parse", help="read one shard of the documents into the parse cache")
    parse.add_argument("--sources", type=Path, default=ROOT / "source_docs")
    parse.add_argument("--cache", type=Path, required=True, help="folder of the parse cache")
    parse.add_argument("--shard", type=shard_spec, required=True, help="K/N: shard K (0 … N-1) of N")
    check = commands.add_parser("check", help="report what was recognised in one document")
    check.add_argument("file", type=Path)
    check.add_argument("--json", action="store_true", help="print one JSON object")
    site = commands.add_parser("site", help="generate pages and build the static site")
    site.add_argument("--package", type=Path, default=ROOT / "datapackage")
    args = parser.parse_args(argv)

    if args.command == "data":
        return build_data(args.sources, args.out, published=args.published, cache=args.cache)
    if args.command == "parse":
        shard, count = args.shard
        return parse_shard(args.sources, args.cache, shard, count)
    if args.command == "check":
        return command_check(args.file, args.json)
    if args.command == "site":
        return command_site(args.package)
    status = build_data(ROOT / "source_docs", ROOT / "datapackage", cache=args.cache)
    if status >= EXIT_WRITE_FAILED:  # no package was written: the site stays as it is
        return status
    site_status = command_site(ROOT / "datapackage")
    return site_status or status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the workers are stopped (yibao.isolation), the outputs whole
        print(say("build.interrupted"), file=sys.stderr)
        sys.exit(130)
