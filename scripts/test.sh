#!/usr/bin/env bash
# The test command: builds everything and runs every test suite. Exit code is the tests' own.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build --parallel --num-workers 2
