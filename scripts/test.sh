#!/usr/bin/env bash
# The test command: the Helm chart checks, then every Swift test suite. Exit code is non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/helm-check.sh
swift build --build-tests
swift test --skip-build
