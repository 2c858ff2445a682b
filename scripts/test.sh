#!/usr/bin/env bash
# The whole test suite: lint, types, unit, data, site and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --browser
export NO_MKDOCS_2_WARNING=1
echo "== ruff"; .venv/bin/ruff check .; .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; .venv/bin/python -m pytest "$@"
