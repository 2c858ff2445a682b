"""Silent wrong amounts (issue 13): one printed amount changed in a document's text, the document
read again: a check that passed now fails, where before the change passed every check.

Each case is a real document of source_docs/ with one token replaced by the test; the expected
failure is the identity that ties that amount to the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SOURCE_DOCS
from yibao.pipeline import parse_document

CHENGDE = SOURCE_DOCS / "hebei" / "chengde-shuangqiao-2024-budget.txt"
SHUANGYASHAN = SOURCE_DOCS / "heilongjiang" / "shuangyashan-2024-budget.txt"


def failed_after(path: Path, line_text: str, new_line: str, tmp_path: Path) -> tuple[set[str], set[str]]:
    """(checks failing as printed, checks failing once the first line equal to `line_text` reads
    `new_line`)."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    index = lines.index(line_text)
    lines[index] = new_line
    changed = tmp_path / path.name
    changed.write_text("\n".join(lines), encoding="utf-8")

    def failing(document_path: Path) -> set[str]:
        document = parse_document(document_path, document_path.name)
        return {f"{c.check}|{c.code}|{c.measure}" for c in document.checks if c.status == "fail"}

    return failing(path), failing(changed)


@pytest.mark.parametrize(
    ("path", "line", "new", "expected"),
    [
        # the case of the issue: 3523.22 → 5074.13 in the 财政拨款收支总表 passed all 359 checks
        (CHENGDE, "3523.22", "5074.13", "cross.same_figure||income"),
        # an income line of the 收支总表 that no total printed beside it moves
        (CHENGDE, "2 二、政府性基金预算拨款收入 二、外交支出", "2 二、政府性基金预算拨款收入 61.03 二、外交支出", "summary.side_items_sum||income"),
        # a “三公” table of zeros with a 100.00 vehicle purchase
        (SHUANGYASHAN, "合计 0.00 0.00 0.00 0.00 0.00 0.00", "合计 0.00 0.00 0.00 100.00 0.00 0.00",
         "three_public.row_vehicle_equals_parts||vehicle"),
    ],
    ids=["appropriation-income", "summary-income-line", "three-public-vehicle"],
)  # fmt: skip
def test_a_changed_amount_fails_a_check(path: Path, line: str, new: str, expected: str, tmp_path: Path) -> None:
    before, after = failed_after(path, line, new, tmp_path)
    assert expected not in before
    assert expected in after, sorted(after - before)


@pytest.mark.parametrize(
    ("printed", "changed", "table", "names"),
    [
        # 一般公共预算支出表: 2101101 行政单位医疗 10.97 (合计) 10.97 (基本支出), its 合计 replaced
        ("11 2101101 行政单位医疗 10.97 10.97", "11 2101101 行政单位医疗 {} 10.97", "general_budget_expenditure",
         ["行政单位医疗"]),
        # 收支总表, two panels on one line: the income amount replaced
        ("1 一、一般公共预算拨款收入 3523.22 一、一般公共服务支出", "1 一、一般公共预算拨款收入 {} 一、一般公共服务支出",
         "summary", ["一、一般公共预算拨款收入", "一、一般公共服务支出"]),
    ],
    ids=["classified", "summary"],
)  # fmt: skip
@pytest.mark.parametrize("token", ["NaN", "１０．９７", "(10.97)"])
def test_a_token_that_is_no_clean_amount_is_a_problem_never_glued_to_the_name(
    printed: str, changed: str, table: str, names: list[str], token: str, tmp_path: Path
) -> None:
    """A row of 承德 with one amount replaced by a token that is no clean amount: the names stay as
    printed, and the token is an error at its page and line."""
    lines = CHENGDE.read_text(encoding="utf-8").split("\n")
    number = lines.index(printed) + 1
    lines[number - 1] = changed.format(token)
    path = tmp_path / CHENGDE.name
    path.write_text("\n".join(lines), encoding="utf-8")
    document = parse_document(path, path.name)
    rows = [r for t in document.tables for r in t.rows if r.line == number]
    assert [r.name for r in rows] == names
    (problem,) = [p for p in document.problems if p.line == number]
    assert (problem.severity, problem.table, problem.page) == ("error", table, rows[0].page)
    assert f"第 {rows[0].page} 页第 {number} 行" in problem.reason and f"“{token}”不是规范的金额" in problem.reason
    assert document.status == "partial"
