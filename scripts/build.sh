#!/usr/bin/env bash
# The whole site from source_docs/: data package, generated pages, static site in site/.
# Exit status as build.py's (see README.md). With YIBAO_PUBLISH_WITH_ERRORS=1 (the deployment on
# main), exit status 1 — some document could not be read or was rejected, everything else was
# written — lists those documents (log, annotations, job summary) and exits 0, so one bad document
# never blocks publishing the others; anything worse still fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export NO_MKDOCS_2_WARNING=1
# the parse cache (yibao/cache.py): a rebuild reads only new or changed documents
export YIBAO_CACHE="${YIBAO_CACHE:-.cache/parse}"
status=0
.venv/bin/python build.py "$@" || status=$?
if [ "$status" -eq 1 ] && [ "${YIBAO_PUBLISH_WITH_ERRORS:-}" = "1" ]; then
  .venv/bin/python scripts/ci/unpublished.py --package datapackage
  status=0
fi
exit "$status"
