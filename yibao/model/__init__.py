"""The domain: what a disclosure holds once it has been read.

Every object keeps where it came from (page and line of the source text), so that any number in
the data package can be traced back to the printed table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from yibao.model.source import Cell, Grid, Line, SourceText
from yibao.reference import vocabulary

__all__ = ["Cell", "Grid", "Line", "SourceText"]  # re-exported: the source model is part of the domain

WAN = vocabulary("units").word("wan")  # the unit amounts are published in


@dataclass
class Column:
    """One amount column of a table: canonical measure id and the header words printed for it."""

    measure: str
    label: str


@dataclass
class LineItem:
    """One printed amount cell of a table row."""

    row_no: int
    code: str  # as printed (after re-joining wrapped cells); '' where none is printed
    standard_code: str  # the code itself, or the standard code of a name printed without one
    classification: str  # the row's own, where it differs from its table's
    name: str
    level: str  # total | class | segment | item | line
    parent_code: str
    parent_name: str
    is_leaf: bool
    measure: str
    amount: Decimal
    page: int
    line: int
    placement: str  # column | identity | order
    unit: str = WAN  # the table's printed unit; `amount` is in it, exactly as printed
    checks: int = 0  # how many checks rest on this amount (validate.coverage); 0: none could catch it


@dataclass
class Row:
    """A table row as read: its label cells and its amounts, by measure."""

    row_no: int
    code: str
    name: str
    amounts: dict[str, Decimal]
    page: int
    line: int
    standard_code: str = ""  # for rows printed by name only: the standard code of that name
    classification: str = ""  # set where it differs from the table's (a summary's function classes)
    placement: str = "column"
    level: str = "line"
    parent_code: str = ""
    parent_name: str = ""  # the 类 of a 款 printed by name only (no codes)
    is_leaf: bool = True
    side: str = ""  # summary tables: income | expenditure | expenditure_economic
    # per measure, how many checks rest on the amount (validate.coverage): 0 = no identity catches it
    checks: dict[str, int] = field(default_factory=dict)


@dataclass
class Table:
    """A recognised table: canonical id, the title as printed and its rows."""

    table_no: int
    table_id: str
    title: str
    classification: str  # function | economic | ''
    page: int
    line: int
    columns: list[Column] = field(default_factory=list)
    # identities between the columns, from the header's shape: (total, the parts adding up to it)
    identities: list[tuple[str, list[str]]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    status: str = "ok"  # ok | empty | partial | unread
    # the unit its amounts are printed in (元 | 千元 | 万元) and where that comes from
    # (printed | document | default); Row.amounts are as printed, in this unit
    unit: str = WAN
    unit_source: str = "default"
    listed: int = 0  # project and performance tables: the projects or targets read from it
    # line range in the source (inclusive start, exclusive end) — for later stages and problems
    first_line: int = 0
    end_line: int = 0
    last_page: int = 0  # the last page it is printed on (`page` is the first: its title's)

    @property
    def row_count(self) -> int:
        return len(self.rows) or self.listed

    def line_items(self) -> list[LineItem]:
        items: list[LineItem] = []
        for row in self.rows:
            for column in self.columns:
                if column.measure not in row.amounts:
                    continue
                items.append(
                    LineItem(
                        row_no=row.row_no,
                        code=row.code,
                        standard_code=row.code or row.standard_code,
                        classification=row.classification,
                        name=row.name,
                        level=row.level,
                        parent_code=row.parent_code,
                        parent_name=row.parent_name,
                        is_leaf=row.is_leaf,
                        measure=column.measure,
                        amount=row.amounts[column.measure],
                        page=row.page,
                        line=row.line,
                        placement=row.placement,
                        unit=self.unit,
                        checks=row.checks.get(column.measure, 0),
                    )
                )
        return items


@dataclass
class Project:
    project_no: int
    name: str
    unit: str
    amount: Decimal | None
    description: str
    source_table: str
    page: int
    line: int


@dataclass
class PerformanceTarget:
    target_no: int
    project_no: int | None
    project: str
    unit: str
    level1: str
    level2: str
    level3: str
    operator: str
    value: str
    value_unit: str
    weight: str
    direction: str
    page: int
    line: int


@dataclass
class GlossaryEntry:
    """A term of the 名词解释 section and what the document says it means."""

    term: str
    explanation: str
    code: str  # the 项 code for a 类/款/项 term, where the document's tables print it
    page: int
    line: int


@dataclass
class Check:
    """One accounting identity tested on one document."""

    check: str  # stable id, e.g. hierarchy.parent_sum
    status: str  # pass | fail | skip
    outcome: str  # exact | rounding | mismatch | not_applicable
    message: str
    table: str = ""
    code: str = ""
    measure: str = ""
    expected: Decimal | None = None
    actual: Decimal | None = None
    unit: str = ""  # the unit expected / actual are in: the table's for a check inside one table, 万元 across

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected


@dataclass
class Problem:
    """Something the parser could not read, with its place in the document."""

    severity: str  # error | warning
    reason: str
    table: str = ""
    page: int | None = None
    line: int | None = None
    code: str = ""  # its message's code in the catalogue (yibao/data/messages.yml)

    def __post_init__(self) -> None:
        if not self.code:
            self.code = getattr(self.reason, "code", "")
        self.reason = str(self.reason)


@dataclass
class StatedChange:
    """A change on last year stated in the text ("…1,116.56万元，比上年增加2.76万元，增长0.25%"):
    last year's figure recovered from this year's and the change, with the sentence it comes from."""

    change_no: int
    subject: str  # what the sentence names, as printed (一般公共预算收入)
    figure: str  # the key figure whose words name it ('' when none does)
    amount: Decimal  # this year's amount as stated (万元)
    change: Decimal  # the stated change, negative for 减少 / 下降
    rate: Decimal | None  # the stated rate in percent, negative for 下降; None when not stated
    previous: Decimal  # last year's: amount − change (derived from the text, not printed as such)
    page: int
    line: int
    sentence: str


@dataclass
class ScoreItem:
    """One criterion of the disclosure scorecard on one document (for one table, where the
    criterion is per table), with the evidence: where the document shows it, or why not."""

    criterion: str  # criterion id of yibao/data/scorecard.yml, e.g. completeness.table_printed
    item: str  # the table id for per-table criteria; '' otherwise
    outcome: str  # met | not_met | not_applicable | not_assessed
    detail: str  # for a reader, zh (en)
    table: str = ""  # evidence: the table id
    page: int | None = None  # evidence: where it is printed
    line: int | None = None
    evidence: str = ""  # the sentence or title printed there


@dataclass
class Metadata:
    bureau: str = ""
    fiscal_year: int | None = None
    doc_type: str = ""  # budget | final_accounts
    scope: str = ""  # department | unit
    admin_level: str = ""  # national | province | prefecture | county
    region: str = ""
    units: list[str] = field(default_factory=list)
    # a 部门 document consolidating its units' own budgets (汇总), not the body's own (本级)
    consolidated: bool = False
    title: str = ""
    source_url: str = ""
    published: str = ""


@dataclass(frozen=True)
class Part:
    """One file of a disclosure published in several (说明 + 报表, 绩效目标 apart): the document's
    pages and lines are those of its parts one after the other, this part's from `page_offset + 1`
    and `line_offset + 1` on."""

    source_file: str
    sha256: str
    pages: int
    page_offset: int
    line_offset: int


@dataclass
class Document:
    """A source document and everything read from it."""

    source_file: str  # relative to the repository root (or to the sources folder)
    sha256: str
    metadata: Metadata
    pages: int = 0
    tables: list[Table] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    targets: list[PerformanceTarget] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # headline figures (`derive.key_figures`), derived once after the tables are read
    key_figures: dict[str, Decimal | None] = field(default_factory=dict)
    # changes on last year stated in the narrative (`recognise.narrative.stated_changes`)
    stated_changes: list[StatedChange] = field(default_factory=list)
    # the disclosure scorecard (`validate.scorecard`), once the checks have run
    scorecard: list[ScoreItem] = field(default_factory=list)
    error: str = ""  # set when nothing usable could be read
    error_code: str = ""  # the catalogue code of `error` (yibao/data/messages.yml), where it has one
    # read, but no table found in it: a narrative alone, perhaps one part of a disclosure
    no_tables: bool = False
    # the files of a disclosure published in several (empty for one file); `source_file` and
    # `sha256` are then those of the part that holds the most tables
    parts: list[Part] = field(default_factory=list)

    def where(self, page: int | None, line: int | None = None) -> tuple[str, int | None, int | None]:
        """(file, page, line) in that file of a page and line of the document (its parts joined);
        the file is '' for a document of one file (it is `source_file`) or a place not known."""
        if not self.parts or page is None:
            return "", page, line
        part = next((p for p in reversed(self.parts) if page > p.page_offset), self.parts[0])
        return part.source_file, page - part.page_offset, None if line is None else line - part.line_offset

    @property
    def status(self) -> str:
        if self.error:
            return "error"
        failed = any(c.status == "fail" for c in self.checks)
        errors = any(p.severity == "error" for p in self.problems)
        return "partial" if failed or errors else "ok"

    def tables_by_id(self, table_id: str) -> list[Table]:
        return [t for t in self.tables if t.table_id == table_id]

    def first_table(self, table_id: str) -> Table | None:
        found = self.tables_by_id(table_id)
        return found[0] if found else None


@dataclass(frozen=True)
class YearCheck:
    """A check across years: a figure this document states for last year against the same
    body's document of the year before. Kept apart from either document's own checks."""

    document: Document
    previous: Document
    check: Check
