"""Print `version=<the parser's version>` for $GITHUB_OUTPUT: the Actions cache of parse results
is keyed by it, so a cache of another parser version is never restored (yibao/cache.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from yibao.cache import parser_version

if __name__ == "__main__":
    print(f"version={parser_version()}")
