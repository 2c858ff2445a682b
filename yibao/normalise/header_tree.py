"""Multi-row table headers with merged cells → a tree of header cells → one measure per column.

    预算数                                              ← spans every amount column: a wrapper
    合计 | 基本支出                  | 项目支出
         | 小计 | 人员经费 | 公用经费 |

A column's *path* is the header cells above it, top down (`预算数 / 基本支出 / 人员经费`). Its
measure comes from the words of the path (`yibao/data/measures.yml`):

- a cell spanning every amount column names the table, not a column (预算数, 一般公共预算支出);
- a child refines its parent (基本支出 / 人员经费 → personnel); 小计 or 合计 under a parent is the
  parent's own total (基本支出 / 小计 → basic);
- a fund under a spending category is a dimension of it (因公出国（境）费 / 一般公共预算 →
  overseas_general_budget), except under a funding source (财政拨款 / 一般公共预算 → general_budget);
- a group with a `child_prefix` prefixes its children (上年结转 / 一般公共预算 → carryover_general_budget);
- phases: where a table prints 决算数, that is the primary amount and 预算数 / 年初预算数 /
  全年预算数 beside it are suffixes (合计 / 预算数 → total_initial_budget);
- an earlier year than the latest printed in the header (2025年 beside 2026年) or 上年 makes
  the column `previous_`, never one of this year's measures.

- a memo column (政府采购项目, 其中：教育收费 of one part, 扣除基建投资后预算数, 增减额) is read
  and published but is in none of the table's sums (`memo` in measures.yml);
- a percentage (增减(%)) is no amount: reported (`header.ratio_column`), not published.

A column whose words name no measure is reported (`header.unknown_column`), not dropped silently.

Header cells come from a PDF row's `Line.cells` (column and span as drawn) or, for
tab-separated text, with spans inferred: a cell covers the blank cells to its right that have
header words below them (pdfplumber prints a merged cell's text in its first column).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from yibao.model import Column, Line
from yibao.normalise.headers import SUBTOTAL, WORDS, Layout, header_key, scan_words
from yibao.reference import measures
from yibao.text import squeeze

_YEAR = WORDS.pattern("year")
_PREVIOUS = WORDS.pattern("previous")
_OF_WHICH = WORDS.pattern("of_which")
GRAND_TOTAL = "grand_total"


@dataclass(frozen=True)
class HeaderCell:
    text: str
    row: int
    first: int  # first grid column covered
    last: int  # last grid column covered (inclusive)


@dataclass(frozen=True)
class Leaf:
    """One amount column as the header names it."""

    column: int  # index among the amount columns
    path: tuple[str, ...]
    measure: str  # '' when no measure could be named
    kind: str  # part | subtotal | dimension | phase | previous | memo | ratio | grand | repeat | unknown
    parent: str  # the measure of the parent node ('' at the top)


def cells_from_rows(rows: list[list[str]]) -> list[HeaderCell]:
    """Header cells of tab-separated header rows, spans inferred (see the module doc)."""
    width = max((len(r) for r in rows), default=0)
    grid = [[(r[j].strip() if j < len(r) else "") for j in range(width)] for r in rows]
    found: list[HeaderCell] = []
    for r, row in enumerate(grid):
        for j, text in enumerate(row):
            if not text:
                continue
            last = j
            while last + 1 < width and not row[last + 1] and any(grid[b][last + 1] for b in range(r + 1, len(grid))):
                last += 1
            found.append(HeaderCell(text, r, j, last))
    return found


def cells_from_lines(header: list[Line]) -> list[HeaderCell]:
    """Header cells of a table's header lines: as drawn where the PDF gave cells, else inferred."""
    rows = [line for line in header if line.cells or "\t" in line.text]
    if rows and all(line.cells for line in rows):
        return [
            HeaderCell(cell.text.strip(), r, cell.column, cell.column + max(1, cell.span) - 1)
            for r, line in enumerate(rows)
            for cell in line.cells
            if cell.text.strip()
        ]
    return cells_from_rows([line.text.split("\t") for line in rows])


def column_paths(cells: list[HeaderCell], first: int, width: int) -> list[list[HeaderCell]]:
    """For every amount column (grid columns first … width-1): the header cells above it, top down."""
    return [sorted((c for c in cells if c.first <= j <= c.last), key=lambda c: c.row) for j in range(first, width)]


@cache
def _exact_words() -> dict[str, str]:
    data = measures()
    words = {_norm(w): str(m) for w, m in data["header_words"].items()}
    words.update({_norm(w): str(m) for w, m in data.get("whole_cell_words", {}).items()})
    for word, spec in data["groups"].items():
        words.setdefault(_norm(word), str(spec["id"]))
    for word in data["ignore"]:
        words[_norm(word)] = "ignore"
    words[SUBTOTAL] = "subtotal"
    for word in data.get("ratio_words", []):
        words[_norm(word)] = "ratio"
    for word, phase in data.get("phases", {}).items():
        words[_norm(word)] = f"phase:{phase}"
    return words


def _norm(text: str) -> str:
    return header_key(text)


def word_role(text: str) -> str:
    """A header cell's role: a measure id, 'subtotal', 'ignore', 'phase:<id>' or '' (unknown).

    Exact words first; otherwise the longest known words found in it, if they cover the cell
    but for a character or two (so 扣除基建项目后预算数 is not 预算数)."""
    word = _OF_WHICH.sub("", _YEAR.sub("", _norm(text)))
    word = _PREVIOUS.sub("", word)
    exact = _exact_words()
    if word in exact:
        return exact[word]
    found = scan_words(word)
    rest = word
    for matched, _role in found:
        rest = rest.replace(matched, "", 1)
    if found and len(rest) <= 2:
        return _role_of(found[-1][1])
    return ""


def _role_of(role: str) -> str:
    if role.startswith("group:"):
        return str(measures()["groups"][role.removeprefix("group:")]["id"])
    return role


def is_previous(text: str, latest_year: int | None) -> bool:
    squeezed = squeeze(text)
    if _PREVIOUS.match(squeezed):
        return True
    years = [int(y) for y in _YEAR.findall(squeezed)]
    return bool(years and latest_year is not None and max(years) < latest_year)


@cache
def _group_prefixes() -> dict[str, str]:
    prefixes = {str(spec["id"]): str(spec["child_prefix"]) for spec in measures()["groups"].values()}
    prefixes.update({str(k): str(v) for k, v in measures().get("child_prefixes", {}).items()})
    return prefixes


def _memo() -> set[str]:
    return set(measures().get("memo", []))


def _funds() -> set[str]:
    return set(measures().get("funds", []))


def _fund_sources() -> set[str]:
    return set(measures().get("fund_sources", []))


@dataclass
class _Naming:
    """The measure a column's header path names so far, as its cells are read top-down."""

    measure: str = ""
    kind: str = "unknown"
    parent: str = ""
    explicit_total: bool = False

    def phase(self, phase: str) -> None:
        if phase == "final":
            self.measure, self.kind = (self.measure or "total"), ("phase" if self.measure else "part")
        else:
            base = self.measure or "total"
            self.measure, self.kind = (f"{base}_{phase}" if self.measure else phase), "phase"

    def word(self, role: str) -> None:
        measure = self.measure
        if role in ("subtotal", "total") and measure and measure != "total":
            self.parent, self.kind = measure, "subtotal"
        elif role == "subtotal":
            self.measure, self.kind = "total", "part"
        elif not role:
            self.measure, self.kind = "", "unknown"
        elif role == measure or measure.startswith(role + "_"):
            pass  # 项目支出 / 项目支出总数, 比执行数（扣除基建投资）/ 增减额: the parent named again
        elif not measure:
            self.measure, self.kind, self.explicit_total = role, "part", role == "total"
        elif measure == "total" and not self.explicit_total:
            self.measure, self.kind = role, "part"
        elif role in _funds() and measure not in _funds() and measure not in _fund_sources():
            self.parent, self.measure, self.kind = measure, f"{measure}_{role}", "dimension"
        elif prefix := _group_prefixes().get(measure):
            named = role if role.startswith(prefix) else prefix + role  # 其他专户收入拨款: named already
            self.parent, self.measure, self.kind = measure, named, "part"
        else:
            self.parent, self.measure, self.kind = measure, role, "part"


def leaves(cells: list[HeaderCell], first: int, width: int) -> list[Leaf]:
    """Each amount column's measure from its header path (rules in the module doc)."""
    years = [int(y) for c in cells for y in _YEAR.findall(squeeze(c.text))]
    latest = max(years) if years else None
    amount_width = width - first
    has_final = any(word_role(c.text) == "phase:final" for c in cells if c.last >= first)
    found: list[Leaf] = []
    for index, path in enumerate(column_paths(cells, first, width)):
        naming = _Naming()
        previous = False
        for cell in path:
            if cell.first <= first and cell.last >= width - 1 and amount_width > 1 and cell is not path[-1]:
                continue  # spans every amount column: names the table
            role = word_role(cell.text)
            previous = previous or is_previous(cell.text, latest)
            if role == "ignore":
                continue
            if role == "ratio":
                naming.measure, naming.kind = "", "ratio"
                break
            if role.startswith("phase:") and not has_final:
                role = "total"  # 预算数 over the columns of a budget table: a heading
            if role.startswith("phase:"):
                naming.phase(role.removeprefix("phase:"))
            else:
                naming.word(role)
        measure, kind = naming.measure, naming.kind
        if previous and measure:
            measure, kind = f"previous_{measure}", "previous"
        elif measure in _memo():
            kind = "memo"
        found.append(Leaf(index, tuple(c.text for c in path), measure, kind, naming.parent))
    return _grand_total(found)


def _grand_total(found: list[Leaf]) -> list[Leaf]:
    """合计 | “三公”经费 (小计 | 因公出国（境）费 …) | 会议费 | 培训费: the 合计 on its own is the
    table's grand total, the 小计 under the heading that names a total (“三公”经费) is `total`."""
    totals = [leaf for leaf in found if leaf.measure == "total"]
    outer = next((leaf for leaf in totals if len(leaf.path) == 1), None)
    inner = next((leaf for leaf in totals if len(leaf.path) > 1 and word_role(leaf.path[0]) == "total"), None)
    if outer is None or inner is None:
        return found
    return [Leaf(leaf.column, leaf.path, GRAND_TOTAL, "grand", "") if leaf is outer else leaf for leaf in found]


def layout_from_leaves(found: list[Leaf]) -> tuple[Layout, list[Leaf]]:
    """Columns (one per leaf with a measure, first of duplicates) and the identities of the parts:
    total = the top-level parts, a group = its children where it prints its 小计. Returns the
    layout and the leaves that could not be named (or repeat a measure)."""
    columns: list[Column] = []
    seen: set[str] = set()
    unknown: list[Leaf] = []
    named_paths: set[tuple[str, ...]] = set()
    for leaf in found:
        if not leaf.measure or leaf.measure in seen:
            # a merged cell over two grid columns gives both its path: the second is no column
            unknown.append(replace(leaf, kind="repeat") if leaf.path in named_paths else leaf)
            columns.append(Column(measure=f"unknown_{leaf.column + 1}", label="/".join(leaf.path)))
            continue
        seen.add(leaf.measure)
        named_paths.add(leaf.path)
        columns.append(Column(measure=leaf.measure, label="/".join(leaf.path)))
    identities: list[tuple[str, list[str]]] = []
    named = [leaf for leaf in found if leaf not in unknown]
    plain = [leaf for leaf in named if leaf.kind in ("part", "subtotal")]
    groups: dict[str, list[str]] = {}
    for leaf in plain:
        if leaf.parent and leaf.kind == "part":
            groups.setdefault(leaf.parent, []).append(leaf.measure)
    for group, parts in groups.items():
        if group in seen and len(parts) > 1 and group in _group_prefixes() | {m: "" for m in _fund_sources()}:
            identities.append((group, parts))
    if "total" in seen:
        top = [_top_part(leaf, seen) for leaf in _under_total_heading(named, plain)]
        top = [m for m in top if m]
        ordered = list(dict.fromkeys(top))
        if ordered:
            identities.insert(0, ("total", ordered))
    if GRAND_TOTAL in seen and "total" in seen:
        inner = next(leaf for leaf in named if leaf.measure == "total")
        beside = [leaf.measure for leaf in plain if leaf.path[0] != inner.path[0] and not leaf.parent]
        identities.append((GRAND_TOTAL, ["total", *beside]))
    return Layout(columns=columns, identities=identities), unknown


def _under_total_heading(named: list[Leaf], plain: list[Leaf]) -> list[Leaf]:
    """The leaves a total printed under a heading adds up: those under the same heading
    (“三公”经费预算数 / 合计 beside 机关运行经费预算数 is the total of the “三公” columns only)."""
    total = next((leaf for leaf in named if leaf.measure == "total"), None)
    if total is None or len(total.path) < 2:
        return plain
    return [leaf for leaf in plain if leaf.path[0] == total.path[0]]


def _top_part(leaf: Leaf, seen: set[str]) -> str:
    """The part of the table's total a leaf stands for: itself at the top, its group where it
    is the group's 小计 or a child of a group printed without one ('' for the total itself)."""
    if leaf.kind == "subtotal":
        return leaf.parent
    if not leaf.parent or leaf.parent == "total":  # under a heading that is the total (2026年预算数)
        return "" if leaf.measure == "total" else leaf.measure
    return leaf.measure if leaf.parent not in seen else ""
