"""Issue 5 — property-based tests of the small pure functions the numbers pass through:
amounts (yibao.normalise.cells), classification codes, wrapped numbers, and placing amounts in columns
(yibao.normalise.placement)."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from yibao.normalise.cells import (
    code_level,
    is_amount,
    is_code,
    join_wrapped_code,
    join_wrapped_numbers,
    parent_of,
    parse_amount,
)
from yibao.normalise.headers import layout_from_text
from yibao.normalise.placement import row_candidates, satisfies

# applied per test, so that other modules keep their own Hypothesis settings
common = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

amounts = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2)
non_negative = st.decimals(min_value=Decimal(0), max_value=Decimal("9999999.99"), places=2)
NAMES = ("社会保障和就业支出", "行政事业单位医疗", "其他社会保障和就业支出", "人力资源和社会保障管理事务")


def plain(value: Decimal) -> str:
    return format(value, "f")


def grouped(value: Decimal) -> str:
    return format(value, ",f")


# --------------------------------------------------------------------------- amounts


@common
@given(amounts, st.booleans())
@example(Decimal("1116.56"), True)
@example(Decimal("0.00"), False)
@example(Decimal("-1234567.89"), True)
def test_amount_round_trips_exactly(value: Decimal, thousands: bool) -> None:
    text = grouped(value) if thousands else plain(value)
    assert is_amount(text)
    parsed = parse_amount(text)
    assert type(parsed) is Decimal
    assert parsed == value
    assert plain(parsed) == plain(value)  # the printed number of decimals is kept
    assert parsed.as_tuple().exponent == -2


@common
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=6), st.booleans())
def test_amount_keeps_its_printed_decimals(units: int, places: int, thousands: bool) -> None:
    value = Decimal(units).scaleb(-places)
    text = grouped(value) if thousands else plain(value)
    parsed = parse_amount(text)
    assert parsed == value and plain(parsed) == text.replace(",", "")
    assert parsed.as_tuple().exponent == -places


@common
@given(st.text(alphabet="0123456789,.-", min_size=1, max_size=16))
def test_is_amount_exactly_when_parse_amount_succeeds(text: str) -> None:
    try:
        parsed = parse_amount(text)
    except ValueError:
        assert not is_amount(text)
        return
    assert is_amount(text)
    assert type(parsed) is Decimal
    assert parsed == Decimal(text.replace(",", ""))
    if "," in text:  # thousands separators only between groups of three
        integer = text.lstrip("-").split(".")[0]
        groups = integer.split(",")
        assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


@common
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_float_repr_with_exponent_is_not_an_amount(value: float) -> None:
    text = repr(value)
    if "e" in text or "inf" in text or "nan" in text:
        assert not is_amount(text)
    elif is_amount(text):
        assert parse_amount(text) == Decimal(text)  # from the text, not via float


@common
@given(st.sampled_from(["", " ", "1,2345.00", "12,34.56", "1.2.3", "--1", "1e5", "12.", ".5", "1,116.56万"]))
def test_not_amounts(text: str) -> None:
    assert not is_amount(text)


# --------------------------------------------------------------------------- codes

codes = st.sampled_from([3, 5, 7]).flatmap(lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n))


@st.composite
def split_code(draw: st.DrawFn) -> tuple[str, list[str]]:
    code = draw(codes)
    cuts = draw(st.sets(st.integers(min_value=1, max_value=len(code) - 1)))
    bounds = [0, *sorted(cuts), len(code)]
    return code, [code[a:b] for a, b in pairwise(bounds)]


@common
@given(split_code(), st.sampled_from(NAMES), st.lists(amounts.map(plain), max_size=4))
@example(("208", ["2", "08"]), NAMES[0], ["980.15"])
@example(("20805", ["2080", "5"]), NAMES[1], [])
@example(("2080505", ["208", "05", "05"]), NAMES[1], ["99.93", "99.93"])
def test_wrapped_code_rejoins(split: tuple[str, list[str]], name: str, tail: list[str]) -> None:
    code, pieces = split
    tokens = [*pieces, name, *tail]
    assert join_wrapped_code(tokens) == (code, len(pieces))


@common
@given(st.sampled_from(NAMES), st.lists(amounts.map(plain), max_size=3))
def test_no_code_when_row_starts_with_a_name(name: str, tail: list[str]) -> None:
    assert join_wrapped_code([name, *tail]) == ("", 0)


@common
@given(codes)
def test_code_hierarchy_is_consistent(code: str) -> None:
    assert is_code(code)
    level = code_level(code)
    parent = parent_of(code)
    if level == "class":
        assert parent == ""
    else:
        assert code.startswith(parent) and len(parent) == len(code) - 2
        assert code_level(parent) == {"segment": "class", "item": "segment"}[level]
        assert is_code(parent)
    # walking up always ends at the 类 in at most two steps
    chain = [code]
    while parent_of(chain[-1]):
        chain.append(parent_of(chain[-1]))
    assert len(chain) <= 3 and code_level(chain[-1]) == "class" and chain[-1] == code[:3]


@common
@given(st.text(alphabet="0123456789", min_size=0, max_size=9).filter(lambda c: len(c) not in (3, 5, 7)))
def test_not_codes(text: str) -> None:
    assert not is_code(text)
    assert code_level(text) == "line"


# --------------------------------------------------------------------------- wrapped numbers


@common
@given(
    amounts.filter(lambda v: v.as_tuple().exponent == -2),
    st.booleans(),
    st.sampled_from(["point", "first_decimal"]),
    st.lists(st.one_of(amounts.map(plain), st.sampled_from(NAMES)), max_size=3),
    st.lists(st.one_of(amounts.map(plain), st.sampled_from(NAMES)), max_size=3),
)
@example(Decimal("3526.22"), False, "point", [], [])
@example(Decimal("320.00"), False, "first_decimal", ["20805"], ["121.72"])
def test_wrapped_amount_rejoins(
    value: Decimal, thousands: bool, where: str, before: list[str], after: list[str]
) -> None:
    text = grouped(value) if thousands else plain(value)
    cut = text.index(".") + (1 if where == "point" else 2)
    tokens = [*before, text[:cut], text[cut:], *after]
    assert join_wrapped_numbers(tokens) == [*before, text, *after]
    assert parse_amount(join_wrapped_numbers(tokens)[len(before)]) == value


@common
@given(st.lists(st.one_of(amounts.map(plain), amounts.map(grouped), st.sampled_from(NAMES), codes), max_size=8))
def test_complete_tokens_are_left_alone(tokens: list[str]) -> None:
    """Whole two-decimal amounts, names and codes are never glued together."""
    assert join_wrapped_numbers(tokens) == tokens


# --------------------------------------------------------------------------- placement

LAYOUTS = {
    "total basic project": ["合计", "基本支出", "项目支出"],
    "with personnel/public": ["合计", "基本支出", "项目支出", "小计", "人员经费", "公用经费"],
    "six columns": ["合计", "基本支出", "项目支出", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出"],
}


@st.composite
def consistent_row(draw: st.DrawFn) -> tuple[str, dict[str, Decimal]]:
    """A layout and a row of non-negative amounts that satisfies its identities exactly."""
    name = draw(st.sampled_from(sorted(LAYOUTS)))
    layout = layout_from_text(LAYOUTS[name])
    zero_or_amount = st.one_of(st.just(Decimal("0.00")), non_negative)
    values = {m: draw(zero_or_amount) for m in layout.measures}
    # derive each identity's total from its parts, innermost (children) first
    for total, parts in sorted(layout.identities, key=lambda identity: identity[0] == "total"):
        values[total] = sum((values[p] for p in parts), Decimal("0.00"))
    return name, values


@settings(max_examples=400, deadline=None)
@given(consistent_row(), st.data())
def test_placement_recovers_the_printed_row(row: tuple[str, dict[str, Decimal]], data: st.DataObject) -> None:
    """Drop some blank (zero) cells, as text extraction does, and place the remaining amounts
    again: one of the candidates is the original row."""
    name, values = row
    layout = layout_from_text(LAYOUTS[name])
    assert satisfies(values, layout.identities)
    blanks = [m for m in layout.measures if values[m] == 0]
    dropped = data.draw(st.sets(st.sampled_from(blanks)) if blanks else st.just(set()))
    printed = [values[m] for m in layout.measures if m not in dropped]
    candidates = row_candidates(printed, layout)
    assert candidates is not None and candidates
    as_rows = [{m: c.get(m, Decimal(0)) for m in layout.measures} for c in candidates]
    assert values in as_rows, f"{printed} → {candidates}"
    for candidate in candidates:  # every candidate keeps the printed order and every amount
        assert [candidate[m] for m in layout.measures if m in candidate] == printed
        assert all(type(v) is Decimal for v in candidate.values())


@common
@given(consistent_row())
def test_all_cells_printed_is_the_row(row: tuple[str, dict[str, Decimal]]) -> None:
    name, values = row
    layout = layout_from_text(LAYOUTS[name])
    assume(len(layout.measures) == len(values))
    assert row_candidates([values[m] for m in layout.measures], layout) == [values]
