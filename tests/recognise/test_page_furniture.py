"""Page furniture in the line stream: a page's printed number is no row of the table above it.

The lines are those the extract stage hands on for 034_qz-zfb-2026-bumen-yusuan.pdf page 22 (its
三公 table, read by hand from the page: the page prints its number as '1 9' under the grid) and
040_fz-tejing-2026-danwei-yusuan.pdf page 19 ('17').
"""

from __future__ import annotations

from yibao.model import Line, SourceText
from yibao.recognise.titles import find_segments, page_numbers


def gridded(page: int, first: int, texts: list[str], grid: str) -> list[Line]:
    return [Line(page, first + i, text, grid=grid if "\t" in text else "") for i, text in enumerate(texts)]


QUANZHOU_P22 = gridded(
    22,
    383,
    [
        "2026 年度一般公共预算“三公”经费支出预算表",
        "单位：万元",
        "项目\t预算数",
        "合计\t312.75",
        "1、因公出国（境）费用\t0.00",
        "2、公务接待费\t18.85",
        "（2）公务用车运行费\t32.00",
        "1 9",
    ],
    "p22g1",
)


def test_a_page_number_under_the_grid_is_furniture() -> None:
    assert page_numbers(QUANZHOU_P22) == {390}
    [segment] = find_segments(SourceText(lines=QUANZHOU_P22, pages=22))
    assert segment.lines[-1].text == "（2）公务用车运行费\t32.00"


def test_a_table_runs_on_over_its_page_number() -> None:
    next_page = gridded(23, 391, ["（3）其他\t1.00", "20"], "p23g1")
    [segment] = find_segments(SourceText(lines=QUANZHOU_P22 + next_page, pages=23))
    assert [line.text for line in segment.lines][-2:] == ["（2）公务用车运行费\t32.00", "（3）其他\t1.00"]


def test_a_number_inside_a_grid_or_on_a_page_without_one_is_kept() -> None:
    inside = [Line(5, 1, "合计\t12.00", grid="p5g1"), Line(5, 2, "17", grid="p5g1")]  # a wrapped cell
    text_only = [Line(6, 3, "一、部门职责"), Line(6, 4, "17")]  # a text page: nothing to tell it by
    assert page_numbers(inside + text_only) == set()


def test_a_title_whose_year_is_drawn_on_a_line_of_its_own_with_the_titles_quotes() -> None:
    """030_cq-qixiangju-2026-bumen-yusuan.pdf p17: the text layer gives the title as
    年财政拨款三公经费支出情况表 and, on the next line, its year with the quotes of “三公”."""
    lines = [
        Line(17, 1, "年财政拨款三公经费支出情况表"),
        Line(17, 2, "2026 “ ”"),
        Line(17, 3, "合 计\t因公出国 境 费( )", grid="p17g1"),
        Line(17, 4, "13.85\t", grid="p17g1"),
    ]
    [segment] = find_segments(SourceText(lines=lines, pages=17))
    assert segment.title == "2026年财政拨款三公经费支出情况表"
    assert [line.number for line in segment.lines] == [3, 4]
