"""Charts: bars drawn in HTML and CSS at build time, plus the table of exactly the numbers drawn.

A chart needs no JavaScript: it is on the page as soon as the HTML is (no 1.5 MB plotting library
to fetch and run on a phone, no blank box with JavaScript off). Each builder is a pure function
of package rows and returns a `Chart` or None when the document does not disclose what the chart
needs. Money stays Decimal; a bar's length is the only float, and every number a reader sees
(labels, tables, CSV) is the Decimal string as printed.

A hierarchy (类 → 款 → 项) is drawn one level at a time: the top level first, each branch's own
level folded under it with its breadcrumb. Long lists show the largest `TOP_N` and sum the rest as
其他; a level with one part is a sentence, not a one-bar chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .formatting import format_amount, format_share, to_decimal
from .package import Row

TOP_N = 8
ROOT_ID = "__total__"
SITE_NAME = "医保局预算公开数据"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text | amount | share | code | tree (name indented by `level`)


@dataclass(frozen=True)
class Bar:
    """One bar: its full name (untrusted text, escaped by the template), the amount as printed,
    its share of the whole, and its length relative to the longest bar of its panel."""

    label: str
    amount: Decimal | None
    share: str
    length: float
    code: str = ""
    other: bool = False
    value_text: str = ""  # shown instead of the amount (e.g. a percentage)

    @property
    def shown(self) -> str:
        return self.value_text or format_amount(self.amount)


@dataclass
class Panel:
    """One level of a chart: a breadcrumb, its bars (or a sentence), and the levels below."""

    crumbs: list[str]
    bars: list[Bar]
    sentence: str = ""
    children: list[Panel] = field(default_factory=list)
    title: str = ""


@dataclass
class Chart:
    chart_id: str
    title: str
    panels: list[Panel]
    columns: list[Column]
    records: list[dict[str, Any]]
    note: str = ""
    kind: str = "bars"  # bars | split (one bar cut into parts)
    source: str = ""
    csv_name: str = ""
    css_class: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def drawn(self) -> bool:
        return any(panel.bars for panel in self.panels)

    def csv_rows(self) -> list[list[str]]:
        """Header + raw values (Decimal strings as printed, no thousands separators), with the
        context columns the chart was given (bureau, year, unit, source) so the file describes
        itself once it leaves the page."""
        context = self.extra.get("context", [])
        header = [column.label for column in self.columns] + [label for label, _ in context]
        body = [
            ["" if record.get(c.key) is None else str(record.get(c.key)) for c in self.columns]
            + [value for _, value in context]
            for record in self.records
        ]
        return [header, *body]


def short_label(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def lengths(amounts: list[Decimal]) -> list[float]:
    """Bar lengths in [0, 1] relative to the largest amount (drawing only, never shown)."""
    largest = max((amount for amount in amounts if amount > 0), default=Decimal(0))
    if largest <= 0:
        return [0.0 for _ in amounts]
    return [float(max(amount, Decimal(0)) / largest) for amount in amounts]


def ranked_bars(parts: list[tuple[str, Decimal, str]], whole: Decimal | None, limit: int = TOP_N) -> list[Bar]:
    """(name, amount, code) → the `limit` largest as bars, the rest summed as 其他（N 项）."""
    positive = sorted([p for p in parts if p[1] > 0], key=lambda p: (-p[1], p[0]))
    shown: list[tuple[str, Decimal, str, bool]] = [(n, a, c, False) for n, a, c in positive[:limit]]
    rest = positive[limit:]
    if rest:
        shown.append((f"其他（{len(rest)} 项）", sum((a for _, a, _ in rest), Decimal(0)), "", True))
    sizes = lengths([amount for _, amount, _, _ in shown])
    return [
        Bar(name, amount, format_share(amount, whole), size, code=code, other=other)
        for (name, amount, code, other), size in zip(shown, sizes, strict=True)
    ]


def one_part_sentence(crumbs: list[str], bar: Bar) -> str:
    where = crumbs[-1] if crumbs else "合计"
    return f"{where}全部为{bar.label}，{bar.shown} 万元。"


def panel_of(crumbs: list[str], bars: list[Bar], title: str = "") -> Panel:
    """A level with a single part reads better as a sentence than as one bar."""
    if len(bars) == 1 and not bars[0].other:
        return Panel(crumbs, [], sentence=one_part_sentence(crumbs, bars[0]), title=title)
    return Panel(crumbs, bars, title=title)


# ---------------------------------------------------------------- provenance


def pages_text(pages: Iterable[str]) -> str:
    """'第 3 页', '第 3–4 页' or '' from page numbers as strings."""
    numbers = sorted({int(page) for page in pages if str(page).strip().isdigit() and int(page) > 0})
    if not numbers:
        return ""
    if numbers[0] == numbers[-1]:
        return f"第 {numbers[0]} 页"
    return f"第 {numbers[0]}–{numbers[-1]} 页"


def source_line(document: str, where: str, pages: str) -> str:
    """'来源：某市医疗保障局《2025年部门预算》收支总表第 3 页 · 医保局预算公开数据整理'."""
    place = "".join(part for part in (where, pages) if part)
    return f"来源：{document}{place} · {SITE_NAME}整理"


# ---------------------------------------------------------------- line items of one table


def table_items(items: Iterable[Row], table: str, measure: str) -> list[Row]:
    return [row for row in items if row.get("table") == table and row.get("measure") == measure]


def first_table_with_rows(items: list[Row], tables: Iterable[str], measure: str = "total") -> tuple[str, list[Row]]:
    for table in tables:
        found = table_items(items, table, measure)
        if any(row.get("level") != "total" for row in found):
            return table, found
    return "", []


def first_table_no(rows: list[Row]) -> list[Row]:
    """A table id can occur twice in a document (e.g. two units); draw the first one."""
    if not rows:
        return rows
    first = min(int(row.get("table_no") or 0) for row in rows)
    return [row for row in rows if int(row.get("table_no") or 0) == first]


@dataclass
class Node:
    node_id: str
    parent_id: str
    code: str
    name: str
    level: str
    amount: Decimal
    plot_value: Decimal = Decimal(0)


def hierarchy_nodes(rows: list[Row]) -> tuple[Decimal | None, list[Node]]:
    """Rows of one classified table (one measure) → printed total and nodes in printed order.

    A node's parent is the longest printed code that prefixes it, else the root: a 项 printed
    without its 款 still hangs in the tree.
    """
    total: Decimal | None = None
    nodes: list[Node] = []
    for row in sorted(rows, key=lambda r: int(r.get("row_no") or 0)):
        amount = to_decimal(row.get("amount"))
        if amount is None:
            continue
        if row.get("level") == "total":
            total = amount if total is None else total
            continue
        code = row.get("code", "").strip()
        node_id = code or f"row-{row.get('row_no', '')}"
        if any(node.node_id == node_id for node in nodes):
            node_id = f"{node_id}-row-{row.get('row_no', '')}"
        nodes.append(Node(node_id, ROOT_ID, code, row.get("name", ""), row.get("level", ""), amount))
    codes = {node.code for node in nodes if node.code}
    for node in nodes:
        node.parent_id = _parent_id(node, codes)
    _set_plot_values(nodes)
    return total, nodes


def _parent_id(node: Node, codes: set[str]) -> str:
    if not node.code:
        return ROOT_ID
    for prefix_length in range(len(node.code) - 1, 0, -1):
        prefix = node.code[:prefix_length]
        if prefix in codes:
            return prefix
    return ROOT_ID


def _set_plot_values(nodes: list[Node]) -> None:
    """Value to draw = printed amount, raised to the children's sum where rounding made the
    children add up to more. Negative → 0."""
    children: dict[str, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def settle(node: Node) -> Decimal:
        below = sum((settle(child) for child in children.get(node.node_id, [])), Decimal(0))
        node.plot_value = max(node.amount, below, Decimal(0))
        return node.plot_value

    for node in children.get(ROOT_ID, []):
        settle(node)


def hierarchy_panels(nodes: list[Node], root_amount: Decimal) -> list[Panel]:
    """The top level as the chart, each branch with children as a folded panel below it."""
    children: dict[str, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def level(parent_id: str, crumbs: list[str], whole: Decimal) -> Panel:
        members = children.get(parent_id, [])
        bars = ranked_bars([(n.name, n.amount, n.code) for n in members], whole)
        panel = panel_of(crumbs, bars)
        for node in members:
            if children.get(node.node_id):
                label = f"{node.code} {node.name}".strip()
                panel.children.append(level(node.node_id, [*crumbs, label], node.amount))
        return panel

    return [level(ROOT_ID, ["合计"], root_amount)]


def hierarchy_chart(chart_id: str, title: str, rows: list[Row]) -> Chart | None:
    """类/款/项, one level at a time, with the full list as its table."""
    total, nodes = hierarchy_nodes(rows)
    if not nodes:
        return None
    top_sum = sum((node.plot_value for node in nodes if node.parent_id == ROOT_ID), Decimal(0))
    root_amount = total if total is not None else top_sum
    records = [{"code": "", "name": "合计", "amount": root_amount, "share": "100%", "level": "total"}] + [
        {
            "code": node.code,
            "name": node.name,
            "amount": node.amount,
            "share": format_share(node.amount, root_amount),
            "level": node.level,
        }
        for node in nodes
    ]
    if not any(node.code for node in nodes):
        # Printed without codes (older layouts): no hierarchy to drill into, so rank the rows.
        parts = [(node.name, node.amount) for node in nodes]
        return ranked_bar_chart(chart_id, title, parts, "科目名称")
    columns = [
        Column("code", "科目编码", "code"),
        Column("name", "科目名称", "tree"),
        Column("amount", "金额（万元）", "amount"),
        Column("share", "占合计", "share"),
    ]
    chart = Chart(chart_id, title, hierarchy_panels(nodes, root_amount), columns, records)
    chart.extra["pages"] = [row.get("page", "") for row in rows]
    return chart


def function_chart(doc_id: str, items: list[Row]) -> Chart | None:
    table, rows = first_table_with_rows(items, ("general_budget_expenditure", "expenditure"))
    rows = [row for row in first_table_no(rows) if row.get("classification", "function") in ("function", "")]
    source = "一般公共预算支出表" if table == "general_budget_expenditure" else "支出总表"
    chart = hierarchy_chart(f"{doc_id}--function", "支出功能分类", rows)
    if chart is not None:
        chart.extra["table"] = source
    return chart


def economic_chart(doc_id: str, items: list[Row]) -> Chart | None:
    _table, rows = first_table_with_rows(items, ("general_budget_basic_expenditure",))
    chart = hierarchy_chart(f"{doc_id}--economic", "基本支出经济分类", first_table_no(rows))
    if chart is not None:
        chart.extra["table"] = "一般公共预算基本支出表"
    return chart


# ---------------------------------------------------------------- parts of a whole


def parts_chart(chart_id: str, title: str, parts: list[tuple[str, Decimal | None]], whole_label: str) -> Chart | None:
    """One bar cut into two to five parts; None when nothing is disclosed."""
    known = [(label, amount) for label, amount in parts if amount is not None]
    if not known:
        return None
    whole = sum((amount for _, amount in known), Decimal(0))
    records = [{"name": label, "amount": amount, "share": format_share(amount, whole)} for label, amount in known] + [
        {"name": whole_label, "amount": whole, "share": "100%" if whole else "—"}
    ]
    columns = [Column("name", "项目"), Column("amount", "金额（万元）", "amount"), Column("share", "占比", "share")]
    drawn = [(label, amount) for label, amount in known if amount > 0]
    panels = []
    note = ""
    if len(drawn) >= 2:
        bars = [Bar(label, amount, format_share(amount, whole), float(amount / whole)) for label, amount in drawn]
        panels = [Panel([whole_label], bars)]
    elif drawn:
        note = f"{whole_label} {format_amount(whole)} 万元全部为{drawn[0][0]}。"
    else:
        note = "各项均为 0，无图可画。"
    return Chart(chart_id, title, panels, columns, records, note=note, kind="split")


def key_figure(figures: Row | None, name: str) -> Decimal | None:
    return to_decimal((figures or {}).get(name))


def total_row_amount(items: list[Row], table: str, measure: str) -> Decimal | None:
    for row in first_table_no(table_items(items, table, measure)):
        if row.get("level") == "total":
            return to_decimal(row.get("amount"))
    return None


def basic_project_chart(doc_id: str, figures: Row | None, items: list[Row]) -> Chart | None:
    basic = key_figure(figures, "basic_expenditure")
    project = key_figure(figures, "project_expenditure")
    if basic is None and project is None:
        basic = total_row_amount(items, "expenditure", "basic")
        project = total_row_amount(items, "expenditure", "project")
    return parts_chart(
        f"{doc_id}--basic-project", "基本支出与项目支出", [("基本支出", basic), ("项目支出", project)], "合计"
    )


def personnel_public_chart(doc_id: str, figures: Row | None, items: list[Row]) -> Chart | None:
    personnel = key_figure(figures, "personnel_expenditure")
    public = key_figure(figures, "public_expenditure")
    if personnel is None and public is None:
        personnel = total_row_amount(items, "general_budget_basic_expenditure", "personnel")
        public = total_row_amount(items, "general_budget_basic_expenditure", "public")
    return parts_chart(
        f"{doc_id}--personnel-public",
        "人员经费与公用经费",
        [("人员经费", personnel), ("公用经费", public)],
        "基本支出合计",
    )


THREE_PUBLIC_PARTS = [
    ("three_public_overseas", "因公出国（境）费"),
    ("three_public_vehicle_purchase", "公务用车购置费"),
    ("three_public_vehicle_operation", "公务用车运行（维护）费"),
    ("three_public_reception", "公务接待费"),
]


def three_public_chart(doc_id: str, figures: Row | None) -> Chart | None:
    parts = [(label, key_figure(figures, name)) for name, label in THREE_PUBLIC_PARTS]
    stated_total = key_figure(figures, "three_public_total")
    if stated_total is None and all(amount is None for _, amount in parts):
        return None
    known = [(label, amount) for label, amount in parts if amount is not None]
    records: list[dict[str, Any]] = [{"name": label, "amount": amount} for label, amount in known]
    records.append({"name": "“三公”经费合计", "amount": stated_total})
    columns = [Column("name", "项目"), Column("amount", "金额（万元）", "amount")]
    positive = [(label, amount) for label, amount in known if amount > 0]
    panels = []
    note = ""
    if len(positive) >= 2:
        sizes = lengths([amount for _, amount in known])
        bars = [
            Bar(label, amount, format_share(amount, stated_total), size)
            for (label, amount), size in zip(known, sizes, strict=True)
        ]
        panels = [Panel(["“三公”经费合计"], bars)]
    elif positive:
        note = f"“三公”经费合计 {format_amount(stated_total)} 万元，其中{positive[0][0]} {format_amount(positive[0][1])} 万元，其余各项为 0。"
    else:
        note = f"“三公”经费合计 {format_amount(stated_total)} 万元，各项均为 0 或未公开。"
    return Chart(f"{doc_id}--three-public", "“三公”经费", panels, columns, records, note=note)


# ---------------------------------------------------------------- income


INCOME_TOTAL_WORDS = ("合计", "总计", "小计")


def income_chart(doc_id: str, items: list[Row], figures: Row | None) -> Chart | None:
    """Income lines of the 收支总表 (measure `income`, classification empty), top N + 其他."""
    lines = [
        row
        for row in first_table_no(table_items(items, "summary", "income"))
        if row.get("level") != "total" and not any(word in row.get("name", "") for word in INCOME_TOTAL_WORDS)
    ]
    read = [
        (row.get("name", ""), to_decimal(row.get("amount")))
        for row in sorted(lines, key=lambda r: int(r.get("row_no") or 0))
    ]
    parts: list[tuple[str, Decimal]] = [(name, amount) for name, amount in read if amount is not None]
    pages = [row.get("page", "") for row in lines]
    if not parts:
        general = key_figure(figures, "general_budget_income")
        carryover = key_figure(figures, "carryover_income")
        parts = [
            (name, figure)
            for name, figure in (("一般公共预算拨款收入", general), ("上年结转", carryover))
            if figure is not None
        ]
    if not parts:
        return None
    chart = ranked_bar_chart(f"{doc_id}--income", "收入来源", parts, "收入项目")
    chart.extra.update(table="收支总表", pages=pages)
    return chart


def ranked_bar_chart(chart_id: str, title: str, parts: list[tuple[str, Decimal]], name_label: str) -> Chart:
    """Bars of the largest parts; the rest are summed as 其他. The table lists all."""
    whole = sum((amount for _, amount in parts), Decimal(0))
    bars = ranked_bars([(name, amount, "") for name, amount in parts], whole)
    records = [{"name": name, "amount": amount, "share": format_share(amount, whole)} for name, amount in parts]
    columns = [Column("name", name_label), Column("amount", "金额（万元）", "amount"), Column("share", "占比", "share")]
    panels = [panel_of(["合计"], bars)] if bars else []
    return Chart(chart_id, title, panels, columns, records, note="" if bars else "各项均为 0。")


# ---------------------------------------------------------------- over the years


DOC_TYPE_LABELS = {"budget": "预算", "final_accounts": "决算"}
SCOPE_LABELS = {"department": "部门", "unit": "单位"}


def document_total(figures: Row | None) -> Decimal | None:
    """A document's headline amount: 支出总计, else 收入总计, else 本年支出合计."""
    for name in ("expense_grand_total", "income_grand_total", "expense_year_total"):
        value = key_figure(figures, name)
        if value is not None:
            return value
    return None


def years_chart(chart_id: str, documents: list[Row], key_figures: dict[str, Row]) -> Chart | None:
    """支出总计 per year and kind (budget against final accounts side by side); None below two
    documents with a total."""
    records: list[dict[str, Any]] = []
    for doc in sorted(
        documents,
        key=lambda d: (d.get("fiscal_year", ""), d.get("doc_type", ""), d.get("scope", ""), d.get("doc_id", "")),
    ):
        figures = key_figures.get(doc.get("doc_id", ""))
        kind = SCOPE_LABELS.get(doc.get("scope", ""), "") + DOC_TYPE_LABELS.get(
            doc.get("doc_type", ""), doc.get("doc_type", "")
        )
        records.append(
            {
                "year": doc.get("fiscal_year", ""),
                "kind": kind,
                "总计": document_total(figures),
                "基本支出": key_figure(figures, "basic_expenditure"),
                "项目支出": key_figure(figures, "project_expenditure"),
            }
        )
    with_total = [record for record in records if record["总计"] is not None]
    if len(with_total) < 2 or len({record["year"] for record in records}) < 2:
        return None
    sizes = lengths([record["总计"] for record in with_total])
    bars = [
        Bar(f"{record['year']}年{record['kind']}", record["总计"], "", size)
        for record, size in zip(with_total, sizes, strict=True)
    ]
    columns = [Column("year", "年度"), Column("kind", "类型")] + [
        Column(label, f"{label}（万元）", "amount") for label in ("总计", "基本支出", "项目支出")
    ]
    return Chart(chart_id, "历年支出总计", [Panel(["支出总计"], bars)], columns, records)


# ---------------------------------------------------------------- across bureaus


@dataclass
class Comparable:
    """One document's headline figures, as compared across bureaus."""

    doc_id: str
    label: str
    page: str
    total: Decimal | None
    basic: Decimal | None
    project: Decimal | None
    personnel: Decimal | None
    public: Decimal | None
    three_public: Decimal | None
    group: str = ""  # level · year · kind: only documents of one group are ranked together
    kind: str = ""  # 部门预算, 单位决算 …: shares are compared across levels and years within a kind


def grouped(entries: list[Comparable], by_kind: bool = False) -> list[tuple[str, list[Comparable]]]:
    groups: dict[str, list[Comparable]] = {}
    for entry in entries:
        groups.setdefault(entry.kind if by_kind else entry.group, []).append(entry)
    return sorted(groups.items())


def ranking_panels(entries: list[Comparable], value: Any, limit: int, percent: bool = False) -> list[Panel]:
    """One ranked panel per group. Amounts are ranked only within one level, year and kind;
    shares (which mean the same at any size) within one kind, across levels and years."""
    panels = []
    for group, members in grouped(entries, by_kind=percent):
        values = [(entry.label, value(entry)) for entry in members]
        known = sorted([(label, v) for label, v in values if v is not None], key=lambda p: (-p[1], p[0]))[:limit]
        if not known:
            continue
        sizes = [float(v / 100) for _, v in known] if percent else lengths([v for _, v in known])
        mixed = len({entry.group for entry in members}) > 1
        bars = [
            Bar(label, None if percent else v, "", size, value_text=f"{v}%" if percent else "")
            for (label, v), size in zip(known, sizes, strict=True)
        ]
        if percent and mixed:
            group = f"{group}（不同级别、年度的文件放在一起：比例可比，金额不可比）"
        panels.append(Panel([group], bars, title=group))
    return panels


def share_of(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or whole is None or whole == 0:
        return None
    return (part / whole * 100).quantize(Decimal("0.1"))


def comparison_charts(prefix: str, entries: list[Comparable], limit: int) -> list[Chart]:
    """Total, project share, personnel share and 三公经费 across documents, per group."""

    def project_share(entry: Comparable) -> Decimal | None:
        whole = None if entry.basic is None or entry.project is None else entry.basic + entry.project
        return share_of(entry.project, whole)

    def personnel_share(entry: Comparable) -> Decimal | None:
        whole = entry.basic or (
            None if entry.personnel is None or entry.public is None else entry.personnel + entry.public
        )
        return share_of(entry.personnel, whole)

    group_column = Column("group", "比较组")
    charts = [
        Chart(
            f"{prefix}--total",
            "支出总计",
            ranking_panels(entries, lambda e: e.total, limit),
            [group_column, Column("label", "文件"), Column("amount", "支出总计（万元）", "amount")],
            [{"group": e.group, "label": e.label, "amount": e.total} for e in entries],
        ),
        Chart(
            f"{prefix}--basic",
            "基本支出（机构运转：人员经费与公用经费，不含项目和基金补助）",
            ranking_panels(entries, lambda e: e.basic, limit),
            [group_column, Column("label", "文件"), Column("amount", "基本支出（万元）", "amount")],
            [{"group": e.group, "label": e.label, "amount": e.basic} for e in entries],
        ),
        Chart(
            f"{prefix}--project-share",
            "项目支出占基本支出与项目支出之和的比重",
            ranking_panels(entries, project_share, limit, percent=True),
            [group_column, Column("label", "文件"), Column("basic", "基本支出（万元）", "amount"),
             Column("project", "项目支出（万元）", "amount"), Column("share", "项目支出占比", "share")],
            [{"group": e.group, "label": e.label, "basic": e.basic, "project": e.project,
              "share": f"{project_share(e)}%" if project_share(e) is not None else "—"} for e in entries],
        ),
        Chart(
            f"{prefix}--personnel",
            "人员经费占基本支出比重",
            ranking_panels(entries, personnel_share, limit, percent=True),
            [group_column, Column("label", "文件"), Column("personnel", "人员经费（万元）", "amount"),
             Column("public", "公用经费（万元）", "amount"), Column("share", "人员经费占比", "share")],
            [{"group": e.group, "label": e.label, "personnel": e.personnel, "public": e.public,
              "share": f"{personnel_share(e)}%" if personnel_share(e) is not None else "—"} for e in entries],
        ),
    ]  # fmt: skip
    three = ranking_panels(
        [e for e in entries if e.three_public and e.three_public > 0], lambda e: e.three_public, limit
    )
    charts.append(
        Chart(
            f"{prefix}--three-public",
            "“三公”经费",
            three,
            [group_column, Column("label", "文件"), Column("amount", "“三公”经费合计（万元）", "amount")],
            [{"group": e.group, "label": e.label, "amount": e.three_public} for e in entries],
            note="" if three else "所比较的文件“三公”经费均为 0 或未公开。",
        )
    )
    for chart in charts:
        for panel in chart.panels:
            if len(panel.bars) == 1:
                bar = panel.bars[0]
                panel.sentence = f"本组只有一份文件：{bar.label}，{bar.shown}{'' if bar.value_text else ' 万元'}。"
                panel.bars = []
    return charts
