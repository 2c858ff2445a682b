"""Ruling lines of a page, whatever draws them: line objects, thin rects, rect borders, curves.

Budget systems draw the same grid in many ways: Excel and WPS print line objects or the borders
of rects, some print every rule as a thin filled bar, and some Guangdong documents draw every
rule as a thin filled curve (a four-point polygon), which pdfplumber's `lines` strategy reads as
slanted edges. Here every drawing object becomes horizontal and vertical segments; collinear
pieces are snapped to one position and joined, so a rule drawn cell by cell is one segment.

A white-filled shape draws nothing visible (it blanks a background), so it is no rule.
Coordinates are pdfplumber's: points, x to the right, `top` downwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

THIN = 2.0  # pt: a rect or curve at most this thick is a rule drawn as a bar
SNAP = 3.0  # pt: rules closer than this are one (pdfplumber's snap tolerance)
JOIN = 3.0  # pt: collinear pieces with a gap up to this are one rule (pdfplumber's join tolerance)
MIN_LENGTH = 1.0  # pt: shorter pieces are dots or corners, not rules
AXIS = 0.5  # pt: a path piece whose ends differ by less than this across is axis-aligned
WHITE = 0.95  # a colour component at least this light (or CMYK ink at most 1 - this) is white


@dataclass(frozen=True)
class Segment:
    """A horizontal (`at` = y, from `start` to `end` in x) or vertical (`at` = x, y range) rule."""

    horizontal: bool
    at: float
    start: float
    end: float


def page_segments(page: Any) -> list[Segment]:
    """Every rule the page draws, snapped and joined (horizontal ones first)."""
    raw = list(_line_segments(page.lines))
    raw += _rect_segments(page.rects)
    raw += _curve_segments(page.curves)
    return merge([s for s in raw if s.horizontal]) + merge([s for s in raw if not s.horizontal])


def merge(segments: list[Segment]) -> list[Segment]:
    """Snap segments of one orientation to shared positions, then join overlapping pieces."""
    result: list[Segment] = []
    for at, group in _snap(segments):
        pieces = sorted(group, key=lambda s: s.start)
        start, end = pieces[0].start, pieces[0].end
        for piece in pieces[1:]:
            if piece.start <= end + JOIN:
                end = max(end, piece.end)
            else:
                result.append(Segment(pieces[0].horizontal, at, start, end))
                start, end = piece.start, piece.end
        result.append(Segment(pieces[0].horizontal, at, start, end))
    return result


def _snap(segments: list[Segment]) -> Iterator[tuple[float, list[Segment]]]:
    """Groups of segments whose positions lie within SNAP of the group's first, at their mean."""
    group: list[Segment] = []
    for segment in sorted(segments, key=lambda s: s.at):
        if group and segment.at - group[0].at > SNAP:
            yield sum(s.at for s in group) / len(group), group
            group = []
        group.append(segment)
    if group:
        yield sum(s.at for s in group) / len(group), group


def _line_segments(lines: Iterable[dict[str, Any]]) -> Iterator[Segment]:
    for line in lines:
        if not is_visible(line.get("stroking_color")):
            continue
        yield from _bar(line, THIN)


def _rect_segments(rects: Iterable[dict[str, Any]]) -> Iterator[Segment]:
    for rect in rects:
        stroked = bool(rect.get("stroke")) and is_visible(rect.get("stroking_color"))
        filled = bool(rect.get("fill")) and is_visible(rect.get("non_stroking_color"))
        if not (stroked or filled):
            continue  # white or invisible: blanks a background, draws no rule
        bar = list(_bar(rect, THIN))
        yield from bar if bar else _borders(rect)


def _curve_segments(curves: Iterable[dict[str, Any]]) -> Iterator[Segment]:
    for curve in curves:
        stroked = bool(curve.get("stroke")) and is_visible(curve.get("stroking_color"))
        filled = bool(curve.get("fill")) and is_visible(curve.get("non_stroking_color"))
        if not (stroked or filled):
            continue
        bar = list(_bar(curve, THIN))
        yield from bar if bar else _path_pieces(curve.get("pts") or [])


def _bar(obj: dict[str, Any], thin: float) -> Iterator[Segment]:
    """A thin object as the one rule along its long side (nothing if it is not thin, or a dot)."""
    x0, x1, top, bottom = float(obj["x0"]), float(obj["x1"]), float(obj["top"]), float(obj["bottom"])
    width, height = x1 - x0, bottom - top
    if height <= thin and width >= MIN_LENGTH and width > height:
        yield Segment(True, (top + bottom) / 2, x0, x1)
    elif width <= thin and height >= MIN_LENGTH and height > width:
        yield Segment(False, (x0 + x1) / 2, top, bottom)


def _borders(obj: dict[str, Any]) -> list[Segment]:
    x0, x1, top, bottom = float(obj["x0"]), float(obj["x1"]), float(obj["top"]), float(obj["bottom"])
    return [
        Segment(True, top, x0, x1),
        Segment(True, bottom, x0, x1),
        Segment(False, x0, top, bottom),
        Segment(False, x1, top, bottom),
    ]


def _path_pieces(points: list[tuple[float, float]]) -> Iterator[Segment]:
    """The axis-aligned pieces between consecutive points of a path (pdfplumber's `pts` are
    already top-down)."""
    for (ax, ay), (bx, by) in pairwise(points):
        if abs(ay - by) < AXIS and abs(ax - bx) >= MIN_LENGTH:
            yield Segment(True, (ay + by) / 2, min(ax, bx), max(ax, bx))
        elif abs(ax - bx) < AXIS and abs(ay - by) >= MIN_LENGTH:
            yield Segment(False, (ax + bx) / 2, min(ay, by), max(ay, by))


def is_visible(colour: object) -> bool:
    """Whether a colour prints on white paper. Unknown forms (patterns, names) count as visible."""
    if colour is None:
        return True  # pdfminer leaves the colour out when it is the default: black
    if isinstance(colour, int | float):
        return float(colour) < WHITE
    if isinstance(colour, tuple | list):
        values = [float(v) for v in colour if isinstance(v, int | float)]
        if len(values) != len(colour) or not values:
            return True
        if len(values) == 4:  # CMYK: white is no ink
            return max(values) > 1 - WHITE
        return min(values) < WHITE
    return True
