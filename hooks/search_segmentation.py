"""Finer Chinese segmentation for Material's search index.

Material's search plugin cuts Chinese text with `jieba.cut` and joins the words with U+200B.
jieba keeps compounds whole (医疗保障, 交通运输, 保障局), and the browser matches query terms as
word prefixes only, so a search for 保障 or 运输 missed pages that contain them inside a longer
word. After the build this hook re-cuts every long word of the index into the non-overlapping
sub-words `jieba.cut_for_search` knows (医疗保障 → 医疗|保障). The text readers see is unchanged
(only U+200B positions move), and Material's query segmenter, which greedily splits a query into
tokens present in the index, still finds the whole word.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import jieba
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.search_segmentation")

SEPARATOR = "\u200b"
HAN_WORD = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]{3,}$")

jieba.setLogLevel(logging.WARNING)


def fine_cut(word: str) -> list[str]:
    """A long word → consecutive sub-words, longest known sub-word first at each position."""
    known = {part for part in jieba.cut_for_search(word) if 2 <= len(part) < len(word)}
    if not known:
        return [word]
    parts = []
    position = 0
    while position < len(word):
        match = max((part for part in known if word.startswith(part, position)), key=len, default="")
        if not match:
            # Characters no sub-word covers stay together up to the next covered position.
            end = position + 1
            while end < len(word) and not any(word.startswith(part, end) for part in known):
                end += 1
            match = word[position:end]
        parts.append(match)
        position += len(match)
    return parts


def resegment(text: str) -> str:
    """Re-cut the U+200B-separated words of one index field."""
    words = text.split(SEPARATOR)
    return SEPARATOR.join(SEPARATOR.join(fine_cut(w)) if HAN_WORD.match(w) else w for w in words)


@event_priority(-100)  # after Material's search plugin has written the index
def on_post_build(config, **kwargs) -> None:
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    for entry in index.get("docs", []):
        for field in ("title", "text"):
            if isinstance(entry.get(field), str):
                entry[field] = resegment(entry[field])
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
