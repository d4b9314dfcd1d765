#!/usr/bin/env bash
# The whole suite: lint, JS unit tests, then pytest on SQLite and again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

make --no-print-directory lint
echo "== JavaScript unit tests"
node --test tests/js/
echo "== pytest on SQLite (API, Redis, browser)"
env -u TEAMLINE_TEST_DATABASE_URL .venv/bin/python -m pytest -m "not postgres" "$@"
echo "== pytest on PostgreSQL (API, two nodes)"
.venv/bin/python -m pytest -m "not browser" "$@"
