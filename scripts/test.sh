#!/usr/bin/env bash
# The test command: the Helm chart checks, then every Swift test suite. Exit code is non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/helm-check.sh
swift build --build-tests
# The program loads FoundationEssentials only (see Package.swift); an `import Foundation` in Sources/ would bring
# back Foundation and ICU, megabytes more resident memory in every command. The test binaries may use Foundation.
if ldd .build/debug/litellm-synapse | grep -q 'libFoundation\.so'; then
    echo "litellm-synapse links libFoundation.so: use 'import FoundationEssentials' in Sources/" >&2
    exit 1
fi
echo "litellm-synapse links FoundationEssentials only: ok"
bash scripts/cli-reference.sh --check
swift test --skip-build
