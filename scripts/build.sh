#!/usr/bin/env bash
# The whole site from source_docs/: data package, generated pages, static site in site/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/python build.py "$@"
