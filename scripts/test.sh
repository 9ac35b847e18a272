#!/usr/bin/env bash
# The README's test command: install everything the tests need, then run them.
# Model tests call the embedded 0.5B model for real (one llama.cpp process, never parallel).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .ci/setup-browser.sh ]; then bash .ci/setup-browser.sh; fi
python -m pip install -q --disable-pip-version-check -e ".[dev]"
python -m ruff check .
python -m mypy extractor
exec python -m pytest "$@"
