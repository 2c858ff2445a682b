"""The whole reading of one document: extract → recognise → normalise → validate.

`parse_document` never raises for a bad document: whatever goes wrong is recorded on the
Document (`error` when nothing usable could be read, `problems` for the parts that could not),
so one bad file never stops the others.
"""

from __future__ import annotations

import hashlib
import stat
import traceback
from dataclasses import replace
from pathlib import Path

from yibao.derive.key_figures import key_figures
from yibao.derive.units import in_wan
from yibao.extract import file_error, read_source
from yibao.extract.sidecar import metadata_file as sidecar_file
from yibao.extract.sidecar import read_overrides
from yibao.messages import say
from yibao.model import (
    Document,
    GlossaryEntry,
    Metadata,
    Part,
    PerformanceTarget,
    Problem,
    Project,
    Row,
    SourceText,
    Table,
)
from yibao.model.enums import TableStatus, UnitSource
from yibao.model.errors import MetadataError, UnreadableDocument
from yibao.normalise.classified import read_classified
from yibao.normalise.glossary import read_glossary
from yibao.normalise.performance import read_performance
from yibao.normalise.placement import KnownRows, known_rows
from yibao.normalise.projects import read_project_table
from yibao.normalise.screen import screened
from yibao.normalise.summary import read_summary
from yibao.normalise.three_public import read_three_public
from yibao.recognise import metadata as meta
from yibao.recognise.narrative import document_narrative, stated_changes
from yibao.recognise.titles import Segment, find_segments
from yibao.recognise.units import document_unit, printed_unit
from yibao.text import squeeze
from yibao.validate import validate
from yibao.validate.scorecard import empty_note, scorecard
from yibao.validate.years import checks_across_years as checks_across_years  # for the build, once all are read

REQUIRED_TABLES = (
    "summary",
    "expenditure",
    "general_budget_expenditure",
    "general_budget_basic_expenditure",
    "three_public",
)
# the table kinds whose rows are read as amounts: their unclean amount tokens are reported first
SCREENED_KINDS = ("classified", "summary", "three_public")


def sha256_of(path: Path) -> str:
    """The file's SHA-256; raises `UnreadableDocument` when it vanished or cannot be read (and
    never opens anything but a regular file: a pipe would block)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise UnreadableDocument("file.not_regular")
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError as error:
        raise file_error(error) from error


def sha256_or_empty(path: Path) -> str:
    try:
        return sha256_of(path)
    except UnreadableDocument:
        return ""


def parse_document(path: Path, display_name: str) -> Document:
    document = Document(source_file=display_name, sha256="", metadata=Metadata())
    try:
        document.sha256 = sha256_of(path)
        overrides = _overrides(path)
        source = read_source(path)
    except (UnreadableDocument, MetadataError) as error:
        document.error, document.error_code = str(error), error.code
        return document
    except MemoryError:  # over the worker's memory limit: the worker reports it, with the limit
        raise
    except Exception as error:  # a reader bug must not stop the build: report it as such
        document.error = f"{say('document.read_crashed')}: {type(error).__name__}: {error}"
        return document
    return read_document(document, source, overrides)


def parse_parts(items: list[tuple[Path, str]], primary: str) -> Document:
    """One disclosure published in several files (说明 + 报表, 绩效目标 apart), read as one
    document: the files' pages one after the other (`Document.parts` says which page is whose),
    each file's tables found in that file alone, the narrative and the checks over all of them.
    `primary` (one of the names) gives the document its `source_file` and `sha256`."""
    document = Document(source_file=primary, sha256="", metadata=Metadata())
    sources: list[SourceText] = []  # as read, each file's own pages and lines
    placed: list[SourceText] = []  # the same, in the document's pages and lines
    overrides: dict[str, object] = {}
    pages = lines = 0
    for path, name in items:
        try:
            digest = sha256_of(path)
            for key, value in _overrides(path).items():
                overrides.setdefault(key, value)  # the first part's metadata file says it first
            source = read_source(path)
        except (UnreadableDocument, MetadataError) as error:
            document.error, document.error_code = f"{name}: {error}", error.code
            return document
        except MemoryError:
            raise
        except Exception as error:
            document.error = f"{name}: {say('document.read_crashed')}: {type(error).__name__}: {error}"
            return document
        document.parts.append(Part(name, digest, source.pages, pages, lines))
        if name == primary:
            document.sha256 = digest
        sources.append(source)
        placed.append(shifted(source, pages, lines))
        pages, lines = placed[-1].pages, max([line.number for line in placed[-1].lines] + [lines])
    return read_document(document, joined(placed), overrides, sources)


def shifted(source: SourceText, pages: int, lines: int) -> SourceText:
    """`source` as the pages and lines after `pages` and `lines` of a document's earlier parts."""
    prefix = f"f{pages}"
    return SourceText(
        lines=[
            replace(
                line, page=line.page + pages, number=line.number + lines, grid=prefix + line.grid if line.grid else ""
            )
            for line in source.lines
        ],
        pages=source.pages + pages,
        grids={
            prefix + key: replace(grid, grid_id=prefix + key, page=grid.page + pages)
            for key, grid in source.grids.items()
        },
        ocr_pages=tuple(page + pages for page in source.ocr_pages),
        active_content=source.active_content,
    )


def joined(sources: list[SourceText]) -> SourceText:
    """Shifted parts (`shifted`) as one text."""
    return SourceText(
        lines=[line for source in sources for line in source.lines],
        pages=sources[-1].pages if sources else 0,
        grids={key: grid for source in sources for key, grid in source.grids.items()},
        ocr_pages=tuple(page for source in sources for page in source.ocr_pages),
        active_content=tuple(dict.fromkeys(kind for source in sources for kind in source.active_content)),
    )


def read_document(
    document: Document, source: SourceText, overrides: dict[str, object], parts: list[SourceText] | None = None
) -> Document:
    """Everything after extraction: metadata, tables, key figures, checks (never raising). With
    `parts` (the files of one disclosure as read, `source` their joined text, `document.parts`
    where each begins), each part's tables are read in that part alone: a table never runs on
    into the next file, and what is said of a table names the page of its own file."""
    document.pages = source.pages
    if source.active_content:
        kinds = ", ".join(source.active_content)
        document.problems.append(Problem("warning", say("pdf.active_content", kinds=kinds)))
    if source.ocr_pages:  # every amount on them is a reading to be confirmed by the identities
        places = [document.where(page) for page in source.ocr_pages]
        pages = ", ".join(f"{file} {page}" if document.parts else str(page) for file, page, _ in places)
        document.problems.append(Problem("warning", say("ocr.pages_read", pages=pages)))
    segments = find_segments(source)  # the titles tell the metadata too: found once
    document.metadata = meta.apply_overrides(meta.infer(source, segments), overrides)
    try:
        read_tables(document, source, parts, segments)
    except MemoryError:
        raise
    except Exception as error:
        document.error = f"{say('document.parse_crashed')}: {type(error).__name__}: {error}"
        document.problems.append(Problem("error", say("read.unexpected_error", trace=traceback.format_exc(limit=3))))
        return document
    _explain_gaps(document)
    if document.no_tables:  # a narrative alone (perhaps one part of a disclosure): what it states
        document.stated_changes = stated_changes(document_narrative(document, source), document.metadata.fiscal_year)
    if not document.error:
        narrative = document_narrative(document, source)
        document.stated_changes = stated_changes(narrative, document.metadata.fiscal_year)
        document.key_figures = key_figures(in_wan(document))  # headline figures are in 万元
        try:
            validate(document, source)
            document.scorecard = scorecard(document, source, narrative)
        except MemoryError:
            raise
        except Exception as error:  # a check's bug must not hide the document's data
            document.problems.append(
                Problem(
                    "error",
                    say("check.unexpected_error", error=f"{type(error).__name__}: {error}"),
                )
            )
    return document


def _overrides(path: Path) -> dict[str, object]:
    sidecar = sidecar_file(path)
    try:
        return read_overrides(sidecar) if sidecar.exists() else {}
    except OSError as error:  # vanished or unreadable between exists() and reading it
        raise file_error(error) from error


def read_tables(
    document: Document,
    source: SourceText,
    parts: list[SourceText] | None = None,
    segments: list[Segment] | None = None,
) -> None:
    """The tables of `source` (its `segments`, when found already); with `parts` (the files of
    one disclosure, each as read, and `document.parts` saying where each begins in `source`)
    those of each file, read in that file alone and then placed in the document's pages and
    lines."""
    projects: list[Project] = []
    offsets = [(p.page_offset, p.line_offset) for p in document.parts] if parts else [(0, 0)]
    for part, (pages, lines) in zip(parts or [source], offsets, strict=True):
        tables, problems, targets = len(document.tables), len(document.problems), len(document.targets)
        found = _read_segments(document, segments if segments is not None and not parts else find_segments(part))
        if pages or lines:
            placed: list[Table | Row | Problem | PerformanceTarget | Project] = [
                *document.tables[tables:], *document.problems[problems:], *document.targets[targets:], *found,
            ]  # fmt: skip
            for thing in placed + [row for table in document.tables[tables:] for row in table.rows]:
                _shift(thing, pages, lines)
        projects.extend(found)

    _units(document.tables)
    for number, project in enumerate(projects, start=1):
        project.project_no = number
    document.projects = projects
    _link_targets(document)
    document.glossary = [
        GlossaryEntry(e.term, e.explanation, e.code, e.line.page, e.line.number)
        for e in read_glossary(source.lines, document.tables)
    ]


def _read_segments(document: Document, segments: list[Segment]) -> list[Project]:
    """Every table of a source (its `segments`) into `document` (its problems and targets too);
    the projects."""
    table_projects: list[Project] = []
    listed_projects: list[Project] = []
    known: dict[str, KnownRows] = {}  # classification → rows placed with certainty, by code
    for segment in segments:
        kind = segment.kind.kind
        if kind in SCREENED_KINDS:
            segment = screened(segment, document.problems)
        number = len(document.tables) + 1
        table: Table | None = None
        if kind == "classified":
            table = read_classified(segment, number, document.problems, known.get(segment.kind.classification, {}))
            if table is not None:
                for code, amounts in known_rows(table).items():
                    known.setdefault(table.classification, {}).setdefault(code, []).append(amounts)
        elif kind == "summary":
            table = read_summary(segment, number, document.problems)
        elif kind == "three_public":
            table = read_three_public(segment, number, document.problems)
        elif kind == "projects":
            projects = read_project_table(segment, document.problems)
            table_projects.extend(projects)
            table = _list_table(segment, number, len(projects))
        elif kind == "performance":
            projects, targets = read_performance(segment, document.problems)
            listed_projects.extend(projects)
            _add_targets(document, targets)
            table = _list_table(segment, number, len(targets) or len(projects))
        if kind == "other":  # a table of the template that is not read: it only ends the one before
            continue
        if table is None and any(line.text.strip() for line in segment.lines):
            table = _unread_table(segment, number, document.problems)
        if table is not None:
            table.first_line = segment.title_line.number
            table.end_line = max([line.number for line in segment.lines] + [table.first_line]) + 1
            table.last_page = _last_page(segment)
            table.unit = printed_unit(segment.title_line, segment.lines)
            document.tables.append(table)
    return table_projects or listed_projects


def _shift(thing: Table | Row | Problem | PerformanceTarget | Project, pages: int, lines: int) -> None:
    """Something read in one part of a document, placed in the document's pages and lines."""
    if thing.page is not None:
        thing.page += pages
    if thing.line is not None:
        thing.line += lines
    if isinstance(thing, Table):
        thing.first_line += lines
        thing.end_line += lines
        thing.last_page += pages


def _list_table(segment: Segment, number: int, found: int) -> Table | None:
    """Project and performance tables are listed as tables too (their rows live in projects and
    performance_targets); `found` counts the projects or targets read from it. One that reads
    none but says why (故此表无数据, 本表无数据 …) is printed empty."""
    if not found and not any(empty_note().search(squeeze(line.text)) for line in segment.lines):
        return None
    table = Table(number, segment.kind.table_id, segment.title, "", segment.title_line.page, segment.title_line.number)
    table.listed = found
    if not found:
        table.status = TableStatus.EMPTY
    return table


def _units(tables: list[Table]) -> None:
    """Each table's unit: as printed, else the document's, else the default (万元)."""
    fallback, source = document_unit([t.unit for t in tables])
    for table in tables:
        table.unit, table.unit_source = (table.unit, UnitSource.PRINTED) if table.unit else (fallback, source)


def _last_page(segment: Segment) -> int:
    """The last page the table is printed on: that of its last row (text without cells after it,
    a page number or the narrative that follows, is no part of it)."""
    printed = [line for line in segment.lines if "\t" in line.text or line.cells] or [
        line for line in segment.lines if line.text.strip()
    ]
    return printed[-1].page if printed else segment.title_line.page


def _unread_table(segment: Segment, number: int, problems: list[Problem]) -> Table:
    """A table recognised by its title whose rows could not be read is still a table the document
    prints: listed (status unread), and the problem says where, so it is neither lost nor zero."""
    table = Table(number, segment.kind.table_id, segment.title, "", segment.title_line.page, segment.title_line.number)
    table.status = TableStatus.UNREAD
    problems.append(
        Problem("error", say("table.unread", title=segment.title), segment.kind.table_id, table.page, table.line)
    )
    return table


def _add_targets(document: Document, targets: list[PerformanceTarget]) -> None:
    for target in targets:
        target.target_no = len(document.targets) + 1
        document.targets.append(target)


def _link_targets(document: Document) -> None:
    by_name = {p.name: p.project_no for p in document.projects}
    for target in document.targets:
        target.project_no = by_name.get(target.project)


def _explain_gaps(document: Document) -> None:
    """Say which standard tables were not found; with none at all, this is no disclosure we read."""
    found = {t.table_id for t in document.tables}
    if not found:
        document.no_tables = True
        document.error = say("document.no_tables")
        return
    for table_id in REQUIRED_TABLES:
        if table_id not in found:
            document.problems.append(
                Problem(
                    "error",
                    say("table.not_found", table=table_id),
                    table_id,
                )
            )
    if not document.metadata.bureau:
        document.problems.append(
            Problem(
                "error",
                say("metadata.no_bureau"),
            )
        )
    if not document.metadata.fiscal_year:
        document.problems.append(
            Problem(
                "error",
                say("metadata.no_year"),
            )
        )
