#!/usr/bin/env bash
# First run on a fresh machine: installs the system packages, builds a release binary, writes the migration plan
# for an example config, then reconciles it against the embedded gateway simulator (no external gateway needed):
# apply, then diff (in sync), then apply again (zero writes).
#
#   scripts/quickstart.sh [CONFIG]      (default: examples/openai-azure-multiregion/config.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-examples/openai-azure-multiregion/config.yaml}
out=${OUT:-out/quickstart}

bash scripts/install-deps.sh
# The Swift runtime linked in, as in the container image (Dockerfile): the binary starts faster and smaller.
swift build -c release --product litellm-synapse --static-swift-stdlib
bin=$(swift build -c release --show-bin-path)/litellm-synapse

echo "== plan (offline)"
"$bin" plan --config "$config" --output "$out/plan"

echo "== embedded gateway simulator"
export SYNAPSE_API_KEY="quickstart-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
"$bin" gateway-sim --port 0 > "$out/sim.log" 2>&1 &
sim=$!
trap 'kill "$sim" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q 'listening on' "$out/sim.log" 2>/dev/null && break; sleep 0.1; done
export SYNAPSE_GATEWAY_URL=$(sed -n 's/.*listening on //p' "$out/sim.log")
[ -n "$SYNAPSE_GATEWAY_URL" ] || { cat "$out/sim.log"; exit 1; }
echo "simulator at $SYNAPSE_GATEWAY_URL"

# Stand-in provider keys for the example's os.environ/ references (the simulator never calls providers).
for variable in $(jq -r '.[].variable' <("$bin" plan --config "$config" --format json | jq '.environment')); do
  export "$variable=demo-value-for-$variable"
done

echo "== apply"
"$bin" apply --config "$config" --report-dir "$out/reports" --secrets-out "$out/virtual-key-secrets.json"
echo "== diff (expect: no changes, exit 0)"
"$bin" diff --config "$config"
echo "== apply again (expect: zero writes)"
"$bin" apply --config "$config" --report-dir "$out/reports" --secrets-out "$out/virtual-key-secrets.json"
echo "Plan: $out/plan/migration_report.md   Reports: $out/reports/"
