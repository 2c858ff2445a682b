"""Charts: a Plotly figure (plain dict) plus the table of exactly the numbers it draws.

Each builder is a pure function of package rows and returns a `Chart` or None when the document
does not disclose what the chart needs. Money stays Decimal; floats exist only inside the figure
for Plotly to draw, and every number a reader sees (hover, labels, tables, CSV) is the Decimal
string as printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .formatting import format_amount, format_share, plot_number, share_number, title_text, to_decimal
from .package import Row

PALETTE = [
    "#3f51b5", "#ef6c00", "#2e7d32", "#c62828", "#6a1b9a",
    "#00838f", "#ad1457", "#9e9d24", "#4e342e", "#546e7a",
]  # fmt: skip
OTHER_COLOR = "#9e9e9e"
TOP_N = 8
ROOT_ID = "__total__"

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text | amount | share | code | tree (name indented by `level`)


@dataclass
class Chart:
    chart_id: str
    title: str
    figure: dict[str, Any] | None
    columns: list[Column]
    records: list[dict[str, Any]]
    note: str = ""
    css_class: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def csv_rows(self) -> list[list[str]]:
        """Header + raw values (Decimal strings as printed, no thousands separators)."""
        header = [column.label for column in self.columns]
        body = [
            ["" if record.get(c.key) is None else str(record.get(c.key)) for c in self.columns]
            for record in self.records
        ]
        return [header, *body]


def base_layout(height: int = 380, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "font": {"family": FONT, "size": 13},
        "separators": ".,",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT}},
    }
    layout.update(extra)
    return layout


def plot_label(text: object) -> str:
    """Untrusted text shown inside a Plotly SVG: Plotly reads a few HTML tags in labels."""
    return title_text(text)


def short_label(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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

    A node's parent is its `parent_code` when that row is printed, else the longest printed
    code that prefixes it, else the root: a 项 printed without its 款 still hangs in the tree.
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
    children add up to more (Plotly drops a branch whose children exceed it). Negative → 0."""
    children: dict[str, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def settle(node: Node) -> Decimal:
        below = sum((settle(child) for child in children.get(node.node_id, [])), Decimal(0))
        node.plot_value = max(node.amount, below, Decimal(0))
        return node.plot_value

    for node in children.get(ROOT_ID, []):
        settle(node)


def hierarchy_chart(chart_id: str, title: str, rows: list[Row], trace_type: str) -> Chart | None:
    """Treemap or sunburst of 类/款/项 with the full list as its table."""
    total, nodes = hierarchy_nodes(rows)
    if not nodes:
        return None
    if not any(node.code for node in nodes):
        # Printed without codes (older layouts): no hierarchy to drill into, so rank the rows.
        parts = [(node.name, node.amount) for node in nodes]
        return ranked_bar_chart(chart_id, title, parts, "科目名称")
    top_sum = sum((node.plot_value for node in nodes if node.parent_id == ROOT_ID), Decimal(0))
    root_value = max(total or Decimal(0), top_sum)
    root_amount = total if total is not None else top_sum
    ids = [ROOT_ID] + [node.node_id for node in nodes]
    parents = [""] + [node.parent_id for node in nodes]
    labels = ["合计"] + [plot_label(short_label(node.name)) for node in nodes]
    values = [plot_number(root_value)] + [plot_number(node.plot_value) for node in nodes]
    customdata = [["", format_amount(root_amount), "100%"]] + [
        [node.code, format_amount(node.amount), format_share(node.amount, root_amount)] for node in nodes
    ]
    trace: dict[str, Any] = {
        "type": trace_type,
        "ids": ids,
        "labels": labels,
        "parents": parents,
        "values": values,
        "branchvalues": "total",
        "customdata": customdata,
        "hovertemplate": "%{customdata[0]} %{label}<br>%{customdata[1]} 万元<br>占合计 %{customdata[2]}<extra></extra>",
        "maxdepth": 3,
        "sort": False,
    }
    if trace_type == "treemap":
        trace["texttemplate"] = "%{label}<br>%{customdata[1]}"
        trace["pathbar"] = {"visible": True, "side": "top"}
        trace["tiling"] = {"packing": "squarify"}
        trace["marker"] = {"colorscale": None}
    else:
        trace["texttemplate"] = "%{label}"
        trace["insidetextorientation"] = "horizontal"
    figure = {
        "data": [trace],
        "layout": base_layout(440, colorway=PALETTE, treemapcolorway=PALETTE, sunburstcolorway=PALETTE),
    }
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
    columns = [
        Column("code", "科目编码", "code"),
        Column("name", "科目名称", "tree"),
        Column("amount", "金额（万元）", "amount"),
        Column("share", "占合计", "share"),
    ]
    note = "点击色块可逐级展开（类 → 款 → 项），点击上方路径可返回上级。"
    return Chart(chart_id, title, figure, columns, records, note=note, css_class="yibao-chart--tall")


def function_chart(doc_id: str, items: list[Row]) -> Chart | None:
    table, rows = first_table_with_rows(items, ("general_budget_expenditure", "expenditure"))
    rows = [row for row in first_table_no(rows) if row.get("classification", "function") in ("function", "")]
    source = "一般公共预算支出表" if table == "general_budget_expenditure" else "支出总表"
    return hierarchy_chart(f"{doc_id}--function", f"支出功能分类（{source}，合计列）", rows, "treemap")


def economic_chart(doc_id: str, items: list[Row]) -> Chart | None:
    _table, rows = first_table_with_rows(items, ("general_budget_basic_expenditure",))
    return hierarchy_chart(
        f"{doc_id}--economic", "基本支出经济分类（一般公共预算基本支出表）", first_table_no(rows), "sunburst"
    )


# ---------------------------------------------------------------- parts of a whole


def parts_chart(chart_id: str, title: str, parts: list[tuple[str, Decimal | None]], whole_label: str) -> Chart | None:
    """Donut of two to five parts; None when nothing is disclosed or everything is zero."""
    known = [(label, amount) for label, amount in parts if amount is not None]
    if not known:
        return None
    whole = sum((amount for _, amount in known), Decimal(0))
    records = [{"name": label, "amount": amount, "share": format_share(amount, whole)} for label, amount in known] + [
        {"name": whole_label, "amount": whole, "share": "100%" if whole else "—"}
    ]
    columns = [Column("name", "项目"), Column("amount", "金额（万元）", "amount"), Column("share", "占比", "share")]
    drawn = [(label, amount) for label, amount in known if amount > 0]
    figure = None
    if drawn:
        figure = {
            "data": [
                {
                    "type": "pie",
                    "hole": 0.5,
                    "labels": [label for label, _ in drawn],
                    "values": [plot_number(amount) for _, amount in drawn],
                    "customdata": [[format_amount(amount), format_share(amount, whole)] for _, amount in drawn],
                    "texttemplate": "%{label}<br>%{customdata[1]}",
                    "hovertemplate": "%{label}<br>%{customdata[0]} 万元（%{customdata[1]}）<extra></extra>",
                    "sort": False,
                    "direction": "clockwise",
                    "automargin": True,
                    "textposition": "auto",
                    "marker": {"colors": PALETTE[: len(drawn)]},
                }
            ],
            "layout": base_layout(300, showlegend=True, legend={"orientation": "h", "y": -0.1}),
        }
    note = "" if drawn else "各项均为 0，无图可画。"
    return Chart(chart_id, title, figure, columns, records, note=note)


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
    records = [{"name": label, "amount": amount} for label, amount in known]
    records.append({"name": "“三公”经费合计", "amount": stated_total})
    columns = [Column("name", "项目"), Column("amount", "金额（万元）", "amount")]
    figure = None
    if any(amount > 0 for _, amount in known):
        figure = {
            "data": [
                {
                    "type": "bar",
                    "orientation": "h",
                    "y": [label for label, _ in known],
                    "x": [plot_number(amount) for _, amount in known],
                    "customdata": [format_amount(amount) for _, amount in known],
                    "hovertemplate": "%{y}<br>%{customdata} 万元<extra></extra>",
                    "texttemplate": "%{customdata}",
                    "textposition": "auto",
                    "marker": {"color": PALETTE[1]},
                }
            ],
            "layout": base_layout(
                260,
                xaxis={"tickformat": ",~f", "title": {"text": "万元"}, "automargin": True},
                yaxis={"automargin": True, "autorange": "reversed"},
            ),
        }
    note = "" if figure else f"“三公”经费合计 {format_amount(stated_total)} 万元，各项均为 0 或未公开。"
    return Chart(f"{doc_id}--three-public", "“三公”经费", figure, columns, records, note=note)


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
    return ranked_bar_chart(f"{doc_id}--income", "收入来源（收支总表）", parts, "收入项目")


def ranked_bar_chart(chart_id: str, title: str, parts: list[tuple[str, Decimal]], name_label: str) -> Chart:
    """Horizontal bar of the largest parts; the rest are summed as 其他. The table lists all."""
    whole = sum((amount for _, amount in parts), Decimal(0))
    positive = sorted([p for p in parts if p[1] > 0], key=lambda p: (-p[1], p[0]))
    shown = positive[:TOP_N]
    rest = positive[TOP_N:]
    if rest:
        shown = [*shown, (f"其他（{len(rest)} 项）", sum((amount for _, amount in rest), Decimal(0)))]
    records = [{"name": name, "amount": amount, "share": format_share(amount, whole)} for name, amount in parts]
    columns = [Column("name", name_label), Column("amount", "金额（万元）", "amount"), Column("share", "占比", "share")]
    figure = None
    if shown:
        figure = {
            "data": [
                {
                    "type": "bar",
                    "orientation": "h",
                    "y": [plot_label(short_label(name, 18)) for name, _ in shown],
                    "x": [plot_number(amount) for _, amount in shown],
                    "customdata": [[format_amount(amount), format_share(amount, whole)] for _, amount in shown],
                    "hovertemplate": "%{y}<br>%{customdata[0]} 万元（%{customdata[1]}）<extra></extra>",
                    "texttemplate": "%{customdata[0]}",
                    "textposition": "auto",
                    "marker": {
                        "color": [OTHER_COLOR if name.startswith("其他（") else PALETTE[0] for name, _ in shown]
                    },
                }
            ],
            "layout": base_layout(
                max(200, 60 + 34 * len(shown)),
                xaxis={"tickformat": ",~f", "title": {"text": "万元"}, "automargin": True},
                yaxis={"automargin": True, "autorange": "reversed"},
            ),
        }
    return Chart(chart_id, title, figure, columns, records, note="" if figure else "各项均为 0。")


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
    """Line per (kind, scope) of 支出总计 / 基本 / 项目 over fiscal years; None below two years."""
    years = {doc.get("fiscal_year", "") for doc in documents}
    if len(years) < 2:
        return None
    measures = [("总计", document_total), ("基本支出", lambda f: key_figure(f, "basic_expenditure")),
                ("项目支出", lambda f: key_figure(f, "project_expenditure"))]  # fmt: skip
    series: dict[tuple[str, int, str], list[tuple[str, Decimal]]] = {}
    records = []
    for doc in sorted(
        documents,
        key=lambda d: (d.get("doc_type", ""), d.get("scope", ""), d.get("fiscal_year", ""), d.get("doc_id", "")),
    ):
        figures = key_figures.get(doc.get("doc_id", ""))
        kind = SCOPE_LABELS.get(doc.get("scope", ""), "") + DOC_TYPE_LABELS.get(
            doc.get("doc_type", ""), doc.get("doc_type", "")
        )
        record: dict[str, Any] = {"year": doc.get("fiscal_year", ""), "kind": kind}
        for position, (label, getter) in enumerate(measures):
            value = getter(figures)
            record[label] = value
            if value is not None:
                series.setdefault((kind, position, label), []).append((doc.get("fiscal_year", ""), value))
        records.append(record)
    traces = []
    for index, ((kind, _position, label), points) in enumerate(sorted(series.items())):
        if len({year for year, _ in points}) < 2:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": f"{kind}{label}",
                "x": [year for year, _ in points],
                "y": [plot_number(value) for _, value in points],
                "customdata": [format_amount(value) for _, value in points],
                "hovertemplate": "%{x} 年<br>%{customdata} 万元<extra>%{fullData.name}</extra>",
                "line": {"color": PALETTE[index % len(PALETTE)]},
            }
        )
    if not traces:
        return None
    figure = {
        "data": traces,
        "layout": base_layout(
            320,
            xaxis={"type": "category", "title": {"text": "年度"}},
            yaxis={"tickformat": ",~f", "title": {"text": "万元"}, "rangemode": "tozero", "automargin": True},
            legend={"orientation": "h", "y": -0.25},
        ),
    }
    columns = [Column("year", "年度"), Column("kind", "类型")] + [
        Column(label, f"{label}（万元）", "amount") for label, _ in measures
    ]
    return Chart(chart_id, "历年变化", figure, columns, records)


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


def comparison_bar(
    chart_id: str, title: str, entries: list[tuple[str, Decimal]], unit: str, limit: int
) -> dict[str, Any] | None:
    ranked = sorted(entries, key=lambda e: (-e[1], e[0]))[:limit]
    if not ranked:
        return None
    is_share = unit == "%"
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [plot_label(short_label(label, 20)) for label, _ in ranked],
                "x": [float(value) for _, value in ranked],
                "customdata": [f"{value}%" if is_share else format_amount(value) for _, value in ranked],
                "hovertemplate": "%{y}<br>%{customdata}" + ("" if is_share else " 万元") + "<extra></extra>",
                "texttemplate": "%{customdata}",
                "textposition": "auto",
                "marker": {"color": PALETTE[0]},
            }
        ],
        "layout": base_layout(
            max(200, 60 + 30 * len(ranked)),
            xaxis={"tickformat": ".0f" if is_share else ",~f", "title": {"text": unit}, "automargin": True,
                   **({"range": [0, 100]} if is_share else {})},
            yaxis={"automargin": True, "autorange": "reversed"},
        ),
    }  # fmt: skip


def comparison_charts(prefix: str, entries: list[Comparable], limit: int) -> list[Chart]:
    """Total, basic-vs-project share, personnel share and 三公经费 across documents."""
    charts = []
    totals = [(e.label, e.total) for e in entries if e.total is not None]
    charts.append(
        Chart(
            f"{prefix}--total",
            "支出总计",
            comparison_bar(
                f"{prefix}--total", "支出总计", [(plot_label(label), value) for label, value in totals], "万元", limit
            ),
            [Column("label", "文件"), Column("amount", "支出总计（万元）", "amount")],
            [{"label": e.label, "amount": e.total} for e in entries],
        )
    )
    project_share = []
    records = []
    for entry in entries:
        whole = None if entry.basic is None or entry.project is None else entry.basic + entry.project
        share = share_number(entry.project, whole)
        if share is not None:
            project_share.append((entry.label, Decimal(str(share))))
        records.append(
            {
                "label": entry.label,
                "basic": entry.basic,
                "project": entry.project,
                "share": format_share(entry.project, whole),
            }
        )
    stacked = None
    if project_share:
        ranked = sorted(project_share, key=lambda e: (-e[1], e[0]))[:limit]
        stacked = {
            "data": [
                {
                    "type": "bar",
                    "orientation": "h",
                    "name": name,
                    "y": [plot_label(short_label(label, 20)) for label, _ in ranked],
                    "x": [float(value if name == "项目支出" else Decimal(100) - value) for _, value in ranked],
                    "hovertemplate": "%{y}<br>" + name + " %{x:.1f}%<extra></extra>",
                    "marker": {"color": color},
                }
                for name, color in (("项目支出", PALETTE[1]), ("基本支出", PALETTE[0]))
            ],
            "layout": base_layout(
                max(220, 90 + 30 * len(ranked)),
                barmode="stack",
                xaxis={"range": [0, 100], "ticksuffix": "%"},
                yaxis={"automargin": True, "autorange": "reversed"},
                legend={"orientation": "h", "y": -0.2, "traceorder": "reversed"},
            ),
        }
    charts.append(
        Chart(
            f"{prefix}--basic-project",
            "基本支出与项目支出占比",
            stacked,
            [Column("label", "文件"), Column("basic", "基本支出（万元）", "amount"),
             Column("project", "项目支出（万元）", "amount"), Column("share", "项目支出占比", "share")],
            records,
        )
    )  # fmt: skip
    personnel = []
    records = []
    for entry in entries:
        whole = (
            entry.basic
            if entry.basic
            else (None if entry.personnel is None or entry.public is None else entry.personnel + entry.public)
        )
        share = share_number(entry.personnel, whole)
        if share is not None:
            personnel.append((entry.label, Decimal(str(share))))
        records.append(
            {
                "label": entry.label,
                "personnel": entry.personnel,
                "public": entry.public,
                "share": format_share(entry.personnel, whole),
            }
        )
    charts.append(
        Chart(
            f"{prefix}--personnel",
            "人员经费占基本支出比重",
            comparison_bar(f"{prefix}--personnel", "", personnel, "%", limit),
            [Column("label", "文件"), Column("personnel", "人员经费（万元）", "amount"),
             Column("public", "公用经费（万元）", "amount"), Column("share", "人员经费占比", "share")],
            records,
        )
    )  # fmt: skip
    three = [(e.label, e.three_public) for e in entries if e.three_public is not None]
    drawn = comparison_bar(f"{prefix}--three-public", "", [t for t in three if t[1] > 0], "万元", limit)
    charts.append(
        Chart(
            f"{prefix}--three-public",
            "“三公”经费",
            drawn,
            [Column("label", "文件"), Column("amount", "“三公”经费合计（万元）", "amount")],
            [{"label": e.label, "amount": e.three_public} for e in entries],
            note="" if drawn else "所比较的文件“三公”经费均为 0 或未公开。",
        )
    )
    return charts
