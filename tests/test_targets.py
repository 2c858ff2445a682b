"""Performance targets read as printed (values read by hand from the 双鸭山 绩效表)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import read_csv
from yibao.normalise.performance import split_levels

SHUANGYASHAN_TARGETS = [
    ("信息系统运行等专项费用", "产出指标", "数量指标", "基本医保参保率", "大于等于", "95", "%", "20.00", "正向"),
    ("信息系统运行等专项费用", "产出指标", "质量指标", "★预算编制到项目率", "大于等于", "100", "%", "20.00", "正向"),
    ("信息系统运行等专项费用", "产出指标", "时效指标", "全年预算资金支出率", "等于", "90", "%", "10.00", "正向"),
    ("信息系统运行等专项费用", "效益指标", "社会效益指标", "政策知晓率", "大于", "90", "%", "30.00", "正向"),
    (
        "信息系统运行等专项费用",
        "满意度指标",
        "服务对象满意度指标",
        "服务对象满意度",
        "大于等于",
        "90",
        "%",
        "10.00",
        "正向",
    ),
    ("医保经办业务经费", "产出指标", "数量指标", "基本医保参保率", "大于等于", "95", "%", "20.00", "正向"),
    ("医保经办业务经费", "产出指标", "质量指标", "预算编制到项目率", "大于等于", "100", "%", "20.00", "正向"),
    ("医保经办业务经费", "产出指标", "时效指标", "全年预算资金支出率", "大于等于", "100", "%", "10.00", "正向"),
    ("医保经办业务经费", "效益指标", "社会效益指标", "宣贯政策知晓率", "大于等于", "90", "%", "30.00", "正向"),
    ("医保经办业务经费", "满意度指标", "服务对象满意度指标", "服务对象满意度", "大于等于", "90", "%", "10.00", "正向"),
]
FIELDS = ("project", "level1", "level2", "level3", "operator", "value", "value_unit", "weight", "direction")


def test_targets_of_a_wrapped_performance_table(package: Path) -> None:
    doc_id = next(
        r["doc_id"]
        for r in read_csv(package / "documents.csv")
        if r["source_file"] == "source_docs/heilongjiang/shuangyashan-2024-budget.txt"
    )
    rows = [r for r in read_csv(package / "performance_targets.csv") if r["doc_id"] == doc_id]
    assert [tuple(r[f] for f in FIELDS) for r in rows] == SHUANGYASHAN_TARGETS
    # each target points at its project
    projects = {r["project_no"]: r["name"] for r in read_csv(package / "projects.csv") if r["doc_id"] == doc_id}
    assert all(projects[r["project_no"]] == r["project"] for r in rows)


def test_wrapped_level_cells_are_read_back_by_their_names() -> None:
    # "满意度指" / "标" / "服务对象" / "满意度指" / "服务对象满" / "意度": the 二级 cell lost its 标
    assert split_levels("满意度指标服务对象满意度指服务对象满意度") == (
        "满意度指标",
        "服务对象满意度指标",
        "服务对象满意度",
    )
    assert split_levels("社会效益指标政策知晓率", with_level1=False) == ("", "社会效益指标", "政策知晓率")
    assert split_levels("贫困人口参保率") == ("", "", "贫困人口参保率")
