"""A 404 page that works wherever it is served: self-contained (styles inline, no asset URLs),
in Chinese, and finding the site's root itself.

GitHub Pages serves 404.html for any missing path under the site. Material's own 404 page links
its assets from the site root, which is only right when `site_url` (SITE_URL) names the sub-path;
without it the page loads unstyled and its links point outside the site. This hook replaces it
after the build: with `site_url` set the links carry its path; without, the page's script asks
for the search index from the deepest folder of the address up and links to the first that has it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from mkdocs.plugins import event_priority

TEMPLATE = Path(__file__).with_name("not_found.html")


def site_root(site_url: str | None) -> str:
    """'/yibao/' for 'https://example.org/yibao/', '/' when unset."""
    path = urlparse(site_url or "").path or "/"
    return path if path.endswith("/") else path + "/"


@event_priority(-50)
def on_post_build(config, **kwargs) -> None:
    page = TEMPLATE.read_text(encoding="utf-8").replace("__ROOT__", site_root(config.get("site_url")))
    (Path(config["site_dir"]) / "404.html").write_text(page, encoding="utf-8")
