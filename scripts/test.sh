#!/usr/bin/env bash
# The README's test command: install everything the tests need, then run them.
# Model tests call the embedded models for real (0.5B integration, 1.5B prompt injection),
# one llama.cpp process at a time, never in parallel.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .ci/setup-browser.sh ]; then bash .ci/setup-browser.sh; fi
python -m pip install -q --disable-pip-version-check -e ".[dev]"
python -m ruff check .
python -m mypy extractor
# The baseline gate from stored dev answers: no model, exit 4 when dev falls below baseline.
python -m extractor.cli eval rescore --answers evals/baselines/answers --check-baseline \
    --runs-dir "$(mktemp -d)" > /dev/null
exec python -m pytest "$@"
