"""Small accessibility repairs to the theme's own markup, on every page after it is rendered.

Material's search overlay is a `role="dialog"` without an accessible name (Lighthouse's
aria-dialog-name audit); it gets one. The rest of the theme is left as it is.
"""

from __future__ import annotations

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED_DIALOG = '<div class="md-search" data-md-component="search" role="dialog" aria-label="搜索">'


def on_post_page(output: str, **kwargs) -> str:
    return output.replace(SEARCH_DIALOG, NAMED_DIALOG)
