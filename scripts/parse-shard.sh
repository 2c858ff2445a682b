#!/usr/bin/env bash
# One shard of the parse stage: `bash scripts/parse-shard.sh K/N` reads the documents of
# source_docs/ that fall in shard K of N (by the hash of their bytes) into the parse cache
# (.cache/parse, or $YIBAO_CACHE) and writes nothing else. Run every shard, put their caches in
# one folder and `bash scripts/build.sh` writes the package one machine would have written,
# reading nothing again — on GitHub, the Pages workflow's matrix; locally, see CONTRIBUTING.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/python build.py parse --cache "${YIBAO_CACHE:-.cache/parse}" --shard "$1"
