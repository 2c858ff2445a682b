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
