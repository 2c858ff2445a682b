"""Escaping and number formatting for everything the site prints.

Every text read from a document (bureau names, project names, row names, indicator texts) is
untrusted: a PDF can say anything. `md_escape` is the one function templates use for it; its
output is safe both in Markdown (no link, image, emphasis, attribute list or raw HTML can form)
and in HTML (text and quoted attribute values).
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from markupsafe import Markup

# ASCII characters with a meaning in Markdown, HTML, Material's extensions or Jinja. Each is
# written as a numeric character reference: the browser shows the character, but no Markdown
# inline pattern (links, emphasis, attr_list `{: …}`, autolinks, tables `|`) can match it.
_MARKUP_CHARACTERS = frozenset("\\`*_{}[]()#+-.!|<>&\"'~:=^$%@/;")
# C0 and C1 controls (YAML refuses U+0080–U+009F: one of them in a title broke the page's front
# matter, and the page was then rendered without it), line separators, bidirectional overrides
# and isolates (text shown in another order than it is), non-characters and lone surrogates.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u2028-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
_WHITE_SPACE = re.compile(r"\s+")
_FULL_WIDTH_FOR_TITLE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}$")


def one_line(text: object) -> str:
    """Collapse white space and drop control characters: a value can never start a new block."""
    cleaned = _CONTROL_CHARACTERS.sub(" ", "" if text is None else str(text))
    return _WHITE_SPACE.sub(" ", cleaned).strip()


def md_escape(text: object) -> Markup:
    """Untrusted text → a string safe in Markdown and in HTML (as text or a quoted attribute)."""
    escaped = "".join(f"&#{ord(char)};" if char in _MARKUP_CHARACTERS else char for char in one_line(text))
    return Markup(escaped)


def title_text(text: object) -> str:
    """Untrusted text for a page title in front matter.

    MkDocs renders titles without autoescape and Material passes them through `striptags`, which
    decodes entities again; so markup characters are replaced by their full-width forms instead
    of being escaped.
    """
    return one_line(text).translate(_FULL_WIDTH_FOR_TITLE)


def front_matter_title(text: object) -> Markup:
    """Untrusted text as a YAML scalar for a `title:` line (JSON strings are valid YAML, and
    `one_line` leaves only characters YAML accepts); `generate` parses every page's front
    matter back before writing it."""
    return Markup(json.dumps(title_text(text), ensure_ascii=False))


def to_decimal(value: object) -> Decimal | None:
    """A CSV amount → Decimal; None for blank or unreadable cells (never 0: blank means absent)."""
    if value is None:
        return None
    text = str(value).strip().replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def format_amount(value: object) -> str:
    """Amount in 万元 as printed, with thousands separators: Decimal('1116.56') → '1,116.56'."""
    number = value if isinstance(value, Decimal) else to_decimal(value)
    if number is None:
        return "—"
    return f"{number:,f}"


def format_share(part: Decimal | None, whole: Decimal | None) -> str:
    """Percentage with one decimal, '—' where it cannot be computed."""
    if part is None or whole is None or whole == 0:
        return "—"
    share = (part / whole * 100).quantize(Decimal("0.1"))
    return f"{share}%"


def share_number(part: Decimal | None, whole: Decimal | None) -> float | None:
    """Share in percent as a float, only for plotting."""
    if part is None or whole is None or whole == 0:
        return None
    return float((part / whole * 100).quantize(Decimal("0.1")))


def plot_number(value: Decimal | None) -> float | None:
    """Decimal → float for Plotly only; every displayed number comes from `format_amount`."""
    return None if value is None else float(value)


def script_json(data: Any) -> Markup:
    """JSON for a `<script type="application/json">` block.

    `<`, `>` and `&` become \\u escapes so no `</script>`, `<!--` or entity can end or alter the
    block, whatever the data holds. Keys are sorted so output is byte-identical between builds.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def safe_id(value: str) -> str:
    """An id usable as a file name and URL part.

    Plain ASCII ids are kept as they are; anything else (Chinese, slashes, dots) gets its ASCII
    letters plus a short hash, so two different ids never share a file.
    """
    if _SAFE_ID.match(value):
        return value
    ascii_part = re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-")[:40]
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:10]
    return f"{ascii_part}-{digest}" if ascii_part else f"id-{digest}"


_SLUG_DROP = re.compile(r"[^0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]+")


def readable_slug(value: object, limit: int = 60) -> str:
    """A file name and URL part a reader can read: Chinese characters, ASCII letters and digits,
    everything else (slashes, dots, quotes, spaces, markup) a hyphen. '' when nothing is left."""
    slug = _SLUG_DROP.sub("-", one_line(value)).strip("-")
    return slug[:limit].strip("-")


def safe_url(url: object) -> str:
    """Keep only http(s) URLs without quotes or spaces; anything else yields '' (no link)."""
    text = one_line(url)
    if not re.match(r"^https?://[^\s\"'<>`]+$", text):
        return ""
    return text
