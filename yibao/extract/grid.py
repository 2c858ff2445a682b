"""Ruled grids from segments, and the cells they draw, merged cells keeping their span.

Rules that touch one another form one grid (union–find over the crossings). A grid's columns are
the distinct positions of its vertical rules, its rows those of its horizontal rules; where a
table leaves its sides open, the ends of its rules close it. A cell grows to the right while no
vertical rule separates it from its neighbour in that row, and downwards while no horizontal rule
does: a merged header cell (“公务用车购置及运行费” over three columns, “项目” over two rows)
keeps its span. Work is linear in the segments once they are paired, and pairing is bounded by
the caller's limits (see `pdf.MAX_TABLE_GRID`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from .rules import SNAP, Segment

TOUCH = 3.0  # pt: a rule ending this close to another still meets it (pdfplumber's intersection tolerance)


@dataclass(frozen=True)
class GridCell:
    """A drawn cell: its first row and column and how many it covers."""

    row: int
    column: int
    rows: int
    columns: int


@dataclass(frozen=True)
class RuledGrid:
    """One grid: boundaries left to right (`xs`) and top to bottom (`ys`), and its cells."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cells: tuple[GridCell, ...]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def locate(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, column) of the band holding a point inside the grid, else None."""
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        column = min(bisect_right(self.xs, x) - 1, len(self.xs) - 2)
        row = min(bisect_right(self.ys, y) - 1, len(self.ys) - 2)
        return row, column


def find_grids(segments: list[Segment]) -> list[RuledGrid]:
    """Grids of at least 2 rows × 2 columns, top to bottom (a box round a paragraph is none)."""
    horizontal = [s for s in segments if s.horizontal]
    vertical = [s for s in segments if not s.horizontal]
    grids = []
    for h_group, v_group in _components(horizontal, vertical):
        grid = _grid(h_group, v_group)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: (g.ys[0], g.xs[0]))


def crosses(h: Segment, v: Segment) -> bool:
    return h.start - TOUCH <= v.at <= h.end + TOUCH and v.start - TOUCH <= h.at <= v.end + TOUCH


def _components(horizontal: list[Segment], vertical: list[Segment]) -> list[tuple[list[Segment], list[Segment]]]:
    """Sets of rules connected by crossings; rules crossing nothing are dropped."""
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    n = len(horizontal)
    crossed: set[int] = set()
    # Verticals sorted by x: each horizontal only looks at those within its span.
    order = sorted(range(len(vertical)), key=lambda k: vertical[k].at)
    xs = [vertical[k].at for k in order]
    for i, h in enumerate(horizontal):
        lo = bisect_right(xs, h.start - TOUCH - 1e-9)
        for pos in range(lo, len(xs)):
            if xs[pos] > h.end + TOUCH:
                break
            k = order[pos]
            if crosses(h, vertical[k]):
                a, b = find(i), find(n + k)
                if a != b:
                    parent[a] = b
                crossed.update((i, n + k))
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i in sorted(crossed):
        h_group, v_group = groups.setdefault(find(i), ([], []))
        (h_group if i < n else v_group).append(horizontal[i] if i < n else vertical[i - n])
    return list(groups.values())


def _positions(values: list[float]) -> list[float]:
    """Distinct positions (values within SNAP are one, at the first)."""
    result: list[float] = []
    for value in sorted(values):
        if not result or value - result[-1] > SNAP:
            result.append(value)
    return result


def _grid(horizontal: list[Segment], vertical: list[Segment]) -> RuledGrid | None:
    xs = _positions([v.at for v in vertical])
    ys = _positions([h.at for h in horizontal])
    # Open sides: the rules' own ends close the table.
    left, right = min(h.start for h in horizontal), max(h.end for h in horizontal)
    top, bottom = min(v.start for v in vertical), max(v.end for v in vertical)
    if left < xs[0] - SNAP:
        xs.insert(0, left)
    if right > xs[-1] + SNAP:
        xs.append(right)
    if top < ys[0] - SNAP:
        ys.insert(0, top)
    if bottom > ys[-1] + SNAP:
        ys.append(bottom)
    if len(xs) < 3 or len(ys) < 3:
        return None
    v_rules = _rules_at(xs, vertical)
    h_rules = _rules_at(ys, horizontal)
    # The outer boundary is closed everywhere, drawn or not.
    v_rules[0] = v_rules[-1] = [(-1e9, 1e9)]
    h_rules[0] = h_rules[-1] = [(-1e9, 1e9)]
    rows, columns = len(ys) - 1, len(xs) - 1
    v_closed = [[_covers(v_rules[k], (ys[r] + ys[r + 1]) / 2) for k in range(len(xs))] for r in range(rows)]
    h_closed = [[_covers(h_rules[r], (xs[c] + xs[c + 1]) / 2) for c in range(columns)] for r in range(len(ys))]
    owner = [[False] * columns for _ in range(rows)]
    cells = []
    for r in range(rows):
        for c in range(columns):
            if owner[r][c]:
                continue
            width = 1
            while c + width < columns and not v_closed[r][c + width] and not owner[r][c + width]:
                width += 1
            height = 1
            while r + height < rows and not any(h_closed[r + height][c + k] for k in range(width)):
                if any(owner[r + height][c + k] for k in range(width)):
                    break
                height += 1
            for rr in range(r, r + height):
                for cc in range(c, c + width):
                    owner[rr][cc] = True
            cells.append(GridCell(r, c, height, width))
    return RuledGrid(tuple(xs), tuple(ys), tuple(cells))


def _rules_at(positions: list[float], segments: list[Segment]) -> list[list[tuple[float, float]]]:
    """For each boundary position, the (start, end) spans of the rules drawn at it."""
    spans: list[list[tuple[float, float]]] = [[] for _ in positions]
    for segment in segments:
        k = min(range(len(positions)), key=lambda i: abs(positions[i] - segment.at))
        if abs(positions[k] - segment.at) <= SNAP:
            spans[k].append((segment.start, segment.end))
    return spans


def _covers(spans: list[tuple[float, float]], point: float) -> bool:
    return any(start - TOUCH <= point <= end + TOUCH for start, end in spans)
