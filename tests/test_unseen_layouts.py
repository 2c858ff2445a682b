"""Documents the parser has never seen, in layouts like the seeds': they parse unchanged."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SOURCE_DOCS
from yibao.pipeline import parse_document


def _amounts(path: Path) -> list[tuple[str, str, str, str, str]]:
    document = parse_document(path, path.name)
    return [
        (table.table_id, item.code, item.name, item.measure, format(item.amount, "f"))
        for table in document.tables
        for item in table.line_items()
    ]


def test_markdown_pipe_tables_read_like_tab_separated_ones(tmp_path: Path) -> None:
    original = SOURCE_DOCS / "liaoning" / "anshan-2025-budget.md"
    lines = []
    for line in original.read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            lines.append("| " + " | ".join(cells) + " |")
            if len(lines) > 1 and not lines[-2].startswith("|"):
                lines.append("|" + "---|" * len(cells))
        else:
            lines.append(line)
    piped = tmp_path / "pipes.md"
    piped.write_text("\n".join(lines), encoding="utf-8")
    assert _amounts(piped) == _amounts(original)


def test_another_bureau_in_the_same_layout(tmp_path: Path) -> None:
    text = (SOURCE_DOCS / "heilongjiang" / "shuangyashan-2024-budget.txt").read_text(encoding="utf-8")
    other = tmp_path / "jiamusi.txt"
    other.write_text(text.replace("双鸭山", "佳木斯").replace("2024", "2023"), encoding="utf-8")
    document = parse_document(other, other.name)
    assert (document.metadata.bureau, document.metadata.fiscal_year) == ("佳木斯市医疗保障局", 2023)
    expenditure = document.first_table("expenditure")
    assert expenditure is not None
    total = next(r for r in expenditure.rows if r.level == "total")
    assert format(total.amounts["total"], "f") == "1116.56"
    assert document.status == "partial"  # the one inconsistency of the original stays


def test_final_accounts_layout_with_row_numbers(tmp_path: Path) -> None:
    """A 决算 layout (written for this test, not a real bureau): a 行次 column in the summary,
    总计 on both sides, 本年支出合计 as the total column, 栏次 without 序号."""
    path = Path(__file__).parent / "fixtures" / "text" / "final-accounts-layout.txt"
    document = parse_document(path, path.name)
    assert (document.metadata.doc_type, document.metadata.fiscal_year) == ("final_accounts", 2023)
    summary = document.first_table("summary")
    assert summary is not None
    sides = {(row.side, row.name): format(next(iter(row.amounts.values())), "f") for row in summary.rows}
    assert sides[("income", "一、一般公共预算财政拨款收入")] == "1200.50"  # not its 行次 1
    assert sides[("expenditure", "三、卫生健康支出")] == "1050.30"
    assert sides[("income", "总计")] == "1200.50" and sides[("expenditure", "总计")] == "1200.50"
    assert sides[("expenditure", "年末结转和结余")] == "0"
    amounts = {(t, c, m): a for t, c, _, m, a in _amounts(path)}
    assert amounts[("expenditure", "2101506", "project")] == "200.00"
    assert amounts[("expenditure", "", "basic")] == "1000.50"
    assert not [c for c in document.checks if c.status == "fail"]


def test_cells_with_a_sequence_number_column() -> None:
    """Ruled tables read from a PDF keep a 序号 cell before the code: it is no code."""
    path = Path(__file__).parent / "fixtures" / "text" / "numbered-cells-layout.md"
    amounts = {(c, m): a for t, c, _, m, a in _amounts(path) if t == "expenditure"}
    assert amounts[("208", "total")] == "23.37"
    assert amounts[("2080505", "basic")] == "20.75"
    assert amounts[("", "project")] == "3323.00"
    assert not any(code in ("1", "2", "3") for code, _ in amounts)
