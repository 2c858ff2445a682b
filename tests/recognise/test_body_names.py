"""The publishing body's name as the disclosure means it, whatever form the cover prints."""

from __future__ import annotations

import pytest

from yibao.recognise.metadata import formal_name, read_cover


@pytest.mark.parametrize(
    ("printed", "formal"),
    [
        # the cover of 051 (../shared/real) prints the short form; its tables (052) print the formal one
        ("江苏省委办公厅", "中共江苏省委办公厅"),
        ("中共江苏省委办公厅", "中共江苏省委办公厅"),
        ("南京市委组织部", "中共南京市委组织部"),
        ("广西壮族自治区委员会办公厅", "广西壮族自治区委员会办公厅"),  # 委员会: no Party organ's short form
        ("政协江苏省委员会办公厅", "政协江苏省委员会办公厅"),
        ("民革江苏省委", "民革江苏省委"),
        ("团江苏省委", "团江苏省委"),
        ("北京市卫生健康委员会", "北京市卫生健康委员会"),
        ("上海市医疗保障局", "上海市医疗保障局"),
    ],
)
def test_a_party_organ_is_named_formally(printed: str, formal: str) -> None:
    assert formal_name(printed) == formal


def test_the_cover_reading_keeps_what_is_printed() -> None:
    # the cover is read as printed; only the document's metadata carries the formal name
    assert read_cover("江苏省委办公厅2019年度部门预算").body == "江苏省委办公厅"
