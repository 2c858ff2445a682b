"""Small pure functions on the text of table cells: amounts, codes, wrapped fragments."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from yibao.reference import compiled, vocabulary

AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
DASH = vocabulary("cells").pattern("dash")
# a number glued to the text that follows it, as in "1,605.47一、一般公共服务支出"
_GLUED_NUMBER = vocabulary("cells").pattern("glued_number")
_TOTAL_LABEL = vocabulary("cells").pattern("total_label")


def is_amount(token: str) -> bool:
    return bool(AMOUNT.match(token))


def is_unclean_amount(token: str) -> bool:
    """A token meant as an amount that is no clean one: NaN, １２１．７２, (121.72), 1.2e3 … (the
    forms in yibao/data/tables.yml `unclean_amounts`, matched after NFKC)."""
    if is_amount(token) or is_blank_marker(token):
        return False
    plain = unicodedata.normalize("NFKC", token)
    if plain != token and is_amount(plain) and "." in plain:
        return True  # full-width digits
    return any(pattern.match(plain) for pattern in compiled("unclean_amounts"))


def is_blank_marker(token: str) -> bool:
    """A dash printed in a cell means nothing is there."""
    return bool(DASH.match(token))


def parse_amount(token: str) -> Decimal:
    """'1,116.56' → Decimal('1116.56'); the printed number of decimals is kept."""
    if not is_amount(token):
        raise ValueError(f"not an amount: {token!r}")
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation as error:  # pragma: no cover - AMOUNT excludes this
        raise ValueError(f"not an amount: {token!r}") from error


def is_code(token: str) -> bool:
    return bool(CODE.match(token))


def is_total_label(label: str) -> bool:
    return bool(_TOTAL_LABEL.match(re.sub(r"\s+", "", label)))


def tokens_of(text: str) -> list[str]:
    """Split a space-separated row into tokens, unglueing numbers from the text after them."""
    return _GLUED_NUMBER.sub(r"\1 ", text).split()


def join_wrapped_numbers(tokens: list[str]) -> list[str]:
    """Re-join amounts a narrow cell wrapped: '3526.' + '22' → '3526.22', '320.0' + '0' → '320.00'.

    Only a fragment that cannot stand alone is joined: one ending with the decimal point, or one
    with a single decimal followed by a single digit (documents print two decimals)."""
    joined: list[str] = []
    for token in tokens:
        if joined and token.isdigit():
            previous = joined[-1]
            if re.fullmatch(r"-?[\d,]+\.", previous) or (re.fullmatch(r"-?[\d,]+\.\d", previous) and len(token) == 1):
                joined[-1] = previous + token
                continue
        joined.append(token)
    return joined


def join_wrapped_code(tokens: list[str]) -> tuple[str, int]:
    """Re-join a classification code wrapped in a narrow cell ('2080' + '5' → '20805').

    Returns the code and how many tokens it used; ('', 0) when the tokens start with no code."""
    code = ""
    used = 0
    for token in tokens:
        if not token.isdigit() or len(code) + len(token) > 7:
            break
        code += token
        used += 1
        if len(code) in (3, 5, 7) and (used == len(tokens) or not tokens[used].isdigit()):
            return code, used
    if is_code(code):
        return code, used
    return "", 0


def code_level(code: str) -> str:
    """类 / 款 / 项 by the length of a classification code."""
    return {3: "class", 5: "segment", 7: "item"}.get(len(code), "line")


def parent_of(code: str) -> str:
    return {5: code[:3], 7: code[:5]}.get(len(code), "")
