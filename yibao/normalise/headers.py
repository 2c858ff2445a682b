"""Table headers → amount columns (canonical measure ids) and the identities between them.

Header words come from `data/measures.yml`. In a header like

    合计 | 基本支出            | 项目支出
         | 小计 人员经费 公用经费 |

基本支出 is a *group*: its 小计 is the group's own total (basic), and 人员经费, 公用经费 are its
children. The identities follow from that shape: 合计 = 基本支出 + 项目支出 and
基本支出 = 人员经费 + 公用经费. Text extraction loses the two-level layout and prints the header
words in reading order (合计 基本支出 项目支出 小计 人员经费 公用经费); a run of children starts
at 小计 and belongs to the next group that has not got its children yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from yibao.model import Column
from yibao.reference import measures, vocabulary
from yibao.text import squeeze

WORDS = vocabulary("headers")
SUBTOTAL = WORDS.word("subtotal")
_UNPRINTED = WORDS.pattern("unprinted")


def header_key(text: str) -> str:
    """Header text as compared with header words: no white space, no brackets or quotes."""
    return _UNPRINTED.sub("", squeeze(text))


@dataclass
class HeaderEntry:
    measure: str
    label: str
    is_group: bool = False
    child_prefix: str = ""
    children: list[HeaderEntry] = field(default_factory=list)
    has_subtotal: bool = False


@dataclass
class Layout:
    """The amount columns of a table, left to right, and the identities they must satisfy."""

    columns: list[Column]
    identities: list[tuple[str, list[str]]]  # (total measure, measures that add up to it)

    @property
    def measures(self) -> list[str]:
        return [c.measure for c in self.columns]


@cache
def _vocabulary() -> tuple[tuple[str, str], ...]:
    """(word, role) pairs, longest first; role is a measure id, 'group:<word>', 'ignore', 'subtotal'."""
    data = measures()
    words: dict[str, str] = {}
    for word in data["ignore"]:
        words[header_key(word)] = "ignore"
    for word, measure in data["header_words"].items():
        words[header_key(word)] = measure
    for word in data["groups"]:
        words[header_key(word)] = f"group:{word}"
    words[SUBTOTAL] = "subtotal"
    return tuple(sorted(words.items(), key=lambda item: (-len(item[0]), item[0])))


def scan_words(text: str) -> list[tuple[str, str]]:
    """Longest-match scan of header text for known words: [(word, role)], in reading order."""
    squeezed = header_key(text)
    found: list[tuple[str, str]] = []
    position = 0
    vocabulary = _vocabulary()
    while position < len(squeezed):
        for word, role in vocabulary:
            if squeezed.startswith(word, position):
                if role != "ignore":
                    found.append((word, role))
                position += len(word)
                break
        else:
            position += 1
    return found


def _group_entry(word: str) -> HeaderEntry:
    spec = measures()["groups"][word]
    return HeaderEntry(measure=spec["id"], label=word, is_group=True, child_prefix=spec["child_prefix"])


def layout_from_words(words: list[tuple[str, str]]) -> Layout:
    """Build the column layout from header words in reading order (see the module doc)."""
    top: list[HeaderEntry] = []
    waiting_groups: list[HeaderEntry] = []
    current_group: HeaderEntry | None = None
    for word, role in words:
        if role.startswith("group:"):
            group = _group_entry(role.removeprefix("group:"))
            top.append(group)
            waiting_groups.append(group)
        elif role == "subtotal":
            current_group = waiting_groups.pop(0) if waiting_groups else None
            if current_group is not None:
                current_group.has_subtotal = True
        elif current_group is not None:
            measure = current_group.child_prefix + role
            current_group.children.append(HeaderEntry(measure=measure, label=word))
        else:
            top.append(HeaderEntry(measure=role, label=word))
    return layout_from_entries(top)


def layout_from_entries(top: list[HeaderEntry]) -> Layout:
    columns: list[Column] = []
    identities: list[tuple[str, list[str]]] = []
    parts_of_total: list[str] = []
    seen: set[str] = set()

    def add(measure: str, label: str) -> None:
        if measure not in seen:
            seen.add(measure)
            columns.append(Column(measure=measure, label=label))

    total_entry = next((e for e in top if e.measure == "total" and not e.is_group), None)
    for entry in top:
        if entry.is_group and entry.children:
            if entry.has_subtotal:
                add(entry.measure, f"{entry.label}·{SUBTOTAL}")
                parts_of_total.append(entry.measure)
            for child in entry.children:
                add(child.measure, f"{entry.label}·{child.label}")
            child_measures = [c.measure for c in entry.children]
            if entry.has_subtotal:
                identities.append((entry.measure, child_measures))
            else:
                parts_of_total.extend(child_measures)
        else:
            add(entry.measure, entry.label)
            if entry is not total_entry:
                parts_of_total.append(entry.measure)
    if total_entry is not None and parts_of_total:
        identities.insert(0, ("total", parts_of_total))
    return Layout(columns=columns, identities=identities)


def layout_from_text(header_lines: list[str]) -> Layout:
    return layout_from_words(scan_words(" ".join(header_lines)))


def layout_from_grid(header_rows: list[list[str]], first_amount_cell: int) -> Layout:
    """Header rows of a table whose cells keep their positions (tab-separated text, PDF cells).

    Each amount column takes the lowest header word printed above it; a 小计 or a child takes
    its group from the nearest group word above it or, for a merged cell, to its left."""
    width = max((len(r) for r in header_rows), default=0)
    grid = [[scan_words(r[j]) if j < len(r) else [] for j in range(width)] for r in header_rows]
    top: list[HeaderEntry] = []
    groups: dict[tuple[int, int], HeaderEntry] = {}
    for j in range(first_amount_cell, width):
        rows_with_words = [r for r in range(len(grid)) if grid[r][j]]
        if not rows_with_words:
            continue
        own_row = rows_with_words[-1]
        word, role = grid[own_row][j][-1]
        place = _group_place(grid, own_row, j)
        if place is None:
            if role.startswith("group:"):
                entry = _group_entry(role.removeprefix("group:"))
                groups[(own_row, j)] = entry
                top.append(entry)
            elif role != "subtotal":
                top.append(HeaderEntry(measure=role, label=word))
            continue
        if place not in groups:
            r, c = place
            groups[place] = _group_entry(grid[r][c][-1][1].removeprefix("group:"))
            top.append(groups[place])
        group = groups[place]
        if role == "subtotal":
            group.has_subtotal = True
        elif not role.startswith("group:"):
            group.children.append(HeaderEntry(measure=group.child_prefix + role, label=word))
    return layout_from_entries(top)


def _group_place(grid: list[list[list[tuple[str, str]]]], own_row: int, column: int) -> tuple[int, int] | None:
    """Where the group heading a column is printed: in a header row above the column's own
    word, in the same column or — for a merged cell — in the nearest filled cell to its left."""
    for r in range(own_row - 1, -1, -1):
        for j in range(column, -1, -1):
            words = grid[r][j]
            if not words:
                continue
            if words[-1][1].startswith("group:"):
                return (r, j)
            break
    return None
