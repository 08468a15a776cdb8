#!/usr/bin/env bash
# Prints docs/cli.md from the binary's own help. `--check` compares instead, and fails when the page is stale.
# Usage: scripts/cli-reference.sh [--check] [BINARY]   (default binary: .build/debug/litellm-synapse)
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
if [ "${1:-}" = "--check" ]; then check=true; shift; fi
binary="${1:-.build/debug/litellm-synapse}"
render() {
    printf '# CLI reference\n\nGenerated from the binary'"'"'s own help (`litellm-synapse <command> --help`) by `scripts/cli-reference.sh`.\n'
    for command in "" plan inspect diff apply validate watch migrate gateway-sim; do
        printf '\n## litellm-synapse %s\n\n```\n' "$command"
        # shellcheck disable=SC2086
        COLUMNS=80 "$binary" $command --help
        printf '```\n'
    done
}
if $check; then
    if ! diff -u docs/cli.md <(render); then
        echo "docs/cli.md is not what the binary's --help says: run scripts/cli-reference.sh > docs/cli.md" >&2
        exit 1
    fi
    echo "docs/cli.md matches --help: ok"
else
    render
fi
