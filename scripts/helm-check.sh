#!/usr/bin/env bash
# Checks the Helm chart offline: lint (strict), render with several values files, validate every rendered manifest
# against the Kubernetes schemas (strict) for several Kubernetes versions, check the chart's own invariants, prove
# that no secret value is rendered, and prove that wrong values are refused. Needs python3 and PyPI (or a filled
# venv). The last line is "N passed, M failed"; the exit code is 0 only when nothing failed.
#
#   scripts/helm-check.sh            # venv in .venv-helm/ (reused; HELM_CHECK_VENV=DIR to move it)
#   KEEP_RENDERED=1 scripts/helm-check.sh   # keep the rendered manifests and print where they are
set -uo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

CHART=helm
VENV=${HELM_CHECK_VENV:-.venv-helm}
# Pinned: helm-python-sdk bundles the Helm 4 Go library; kubernetes-validate bundles schemas for Kubernetes 1.25-1.37.
PIP_PACKAGES=(helm-python-sdk==0.2.2 kubernetes-validate==1.37.0)
# Oldest the chart supports (Chart.yaml kubeVersion), a common one, and a recent one.
KUBE_VERSIONS=(1.25.0 1.28.0 1.31.0 1.34.0)
SERVICEMONITOR_SCHEMA=$CHART/tests/schemas/servicemonitor-monitoring-v1.json

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     /' <<<"$2"; return 0; }
finish() {
  echo "($(( $(date +%s) - started ))s)"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# --- the tools ---------------------------------------------------------------------------------------------------
stamp="$VENV/.helm-check-packages"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${PIP_PACKAGES[*]}" ]; then
  echo "helm-check: installing ${PIP_PACKAGES[*]} into $VENV"
  if ! { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check "${PIP_PACKAGES[@]}"; } 2>&1; then
    fail "install ${PIP_PACKAGES[*]} into $VENV"
    finish
  fi
  echo "${PIP_PACKAGES[*]}" >"$stamp"
  echo '*' >"$VENV/.gitignore"   # keep the venv out of git without touching the repository's .gitignore
fi
PY="$VENV/bin/python"
TOOL=(env PYTHONWARNINGS=ignore "$PY" scripts/helm_tool.py)
KV="$VENV/bin/kubernetes-validate"

OUT=$(mktemp -d)
if [ -n "${KEEP_RENDERED:-}" ]; then echo "helm-check: rendered manifests in $OUT"; else trap 'rm -rf "$OUT"' EXIT; fi

# --- values sets that must lint, render and validate -----------------------------------------------------------
# "minimal" is the chart's defaults plus only the settings the chart requires (it refuses to render without them:
# see tests/invalid/missing-required.yaml below).
declare -A sets=()
order=()
for f in "$CHART"/ci/*.yaml; do
  name="ci-$(basename "$f" .yaml)"; sets[$name]=$f; order+=("$name")
done
sets[example]=examples/helm/values.yaml; order+=(example)

for name in "${order[@]}"; do
  values=${sets[$name]}

  if log=$("${TOOL[@]}" lint "$CHART" -f "$values" --strict 2>&1); then
    pass "lint --strict ($values)"
  else
    fail "lint --strict ($values)" "$log"
  fi

  rendered="$OUT/$name.yaml"
  if log=$("${TOOL[@]}" template "$CHART" -f "$values" --name litellm-synapse --namespace llm-platform 2>&1 >"$rendered"); then
    pass "render ($values): $(grep -c '^kind:' "$rendered") objects"
  else
    fail "render ($values)" "$log"
    continue
  fi

  # Built-in kinds against the Kubernetes OpenAPI schemas, unknown fields rejected. kubernetes-validate only
  # *warns* about kinds it has no schema for, so any such warning fails here, except ServiceMonitor (a CRD),
  # which the verify step below checks against helm/tests/schemas/servicemonitor-monitoring-v1.json.
  for version in "${KUBE_VERSIONS[@]}"; do
    log=$("$KV" --strict -k "$version" "$rendered" 2>&1); rc=$?
    unexpected=$(grep -E '^(WARN|ERROR|FATAL)' <<<"$log" | grep -v 'kind ServiceMonitor with api version monitoring.coreos.com/v1')
    if [ $rc -eq 0 ] && [ -z "$unexpected" ]; then
      pass "kubernetes-validate --strict -k $version ($values): $(grep -c '^INFO' <<<"$log") objects valid"
    else
      fail "kubernetes-validate --strict -k $version ($values)" "$log"
    fi
  done

  if log=$("${TOOL[@]}" verify "$rendered" --crd-schema "ServiceMonitor=$SERVICEMONITOR_SCHEMA" 2>&1); then
    pass "chart invariants + ServiceMonitor schema ($values)"
  else
    fail "chart invariants + ServiceMonitor schema ($values)" "$(grep FAIL <<<"$log")"
  fi

  # No secret value is ever rendered: no Secret objects or data, no literal env values but HOME, no secret-bearing
  # flags, nothing that looks like a key. Secrets only appear as names (secretKeyRef, secretRef, projected secret).
  leaks=$(grep -nE '^kind: Secret$|^ *(data|stringData):|--(api-key|git-token|git-password|webhook-secret|reconcile-token|ssh-passphrase)(=|"?$)|sk-[A-Za-z0-9_-]{8,}|ghp_[A-Za-z0-9]{8,}|glpat-|AKIA[0-9A-Z]{12}|BEGIN [A-Z ]*PRIVATE KEY|LITELLM_SYNAPSE_GIT_(TOKEN|PASSWORD)|SYNAPSE_API_KEY' "$rendered")
  if [ -z "$leaks" ]; then
    pass "no secret value rendered ($values): $(grep -cE 'secretKeyRef:|secretRef:|- secret:' "$rendered") secret references"
  else
    fail "no secret value rendered ($values)" "$leaks"
  fi
done

# --- values that must be refused ---------------------------------------------------------------------------------
# Each file's first line is "# expect: TEXT"; the render must fail and its error must contain TEXT (so it fails for
# the intended reason: a schema type error, a literal secret, a missing required setting, …).
for values in "$CHART"/tests/invalid/*.yaml; do
  expect=$(sed -n '1s/^# expect: //p' "$values")
  if log=$("${TOOL[@]}" template "$CHART" -f "$values" 2>&1 >/dev/null); then
    fail "refuses $(basename "$values") (it rendered)"
  elif grep -qF -- "$expect" <<<"$log"; then
    pass "refuses $(basename "$values"): $(grep -vE '^Error: litellm-synapse:$|warning: cannot overwrite' <<<"$log" | grep -m1 . | sed 's/^Error: //')"
  else
    fail "refuses $(basename "$values") (failed, but not with \"$expect\")" "$log"
  fi
done

# --- the checks check ----------------------------------------------------------------------------------------------
# A tampered copy of a good render must be caught by the verify step (so its passes above mean something).
good="$OUT/ci-full-values.yaml"
if [ -f "$good" ]; then
  sed -e 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/' -e 's/interval: 15s/interval: 15 seconds/' \
      -e 's/^\( *\)- name: HOME$/\1- name: OPENAI_API_KEY\n\1  value: sk-tampered000000\n&/' "$good" >"$OUT/tampered.yaml"
  log=$("${TOOL[@]}" verify "$OUT/tampered.yaml" --crd-schema "ServiceMonitor=$SERVICEMONITOR_SCHEMA" 2>&1)
  if [ "$(grep -c '^FAIL' <<<"$log")" -ge 4 ]; then
    pass "verify catches a tampered manifest ($(grep -c '^FAIL' <<<"$log") problems found)"
  else
    fail "verify catches a tampered manifest" "$log"
  fi
else
  fail "verify catches a tampered manifest (no render of ci/full-values.yaml to tamper with)" ""
fi

# --- chart and image agree, values.yaml is documented ------------------------------------------------------------
problems=$("$PY" - "$CHART" <<'EOF'
import re, sys, yaml
chart = sys.argv[1]
values = yaml.safe_load(open(f"{chart}/values.yaml"))
meta = yaml.safe_load(open(f"{chart}/Chart.yaml"))
docker = open("Dockerfile").read()
problems = []
def need(cond, text):
    if not cond: problems.append(text)
user = re.search(r"^USER (\d+)(?::(\d+))?", docker, re.M)
need(user and int(user.group(1)) == values["podSecurityContext"]["runAsUser"] == values["securityContext"]["runAsUser"],
     "Dockerfile USER and the chart's runAsUser differ")
need(user and user.group(2) and int(user.group(2)) == values["podSecurityContext"]["runAsGroup"] == values["podSecurityContext"]["fsGroup"],
     "Dockerfile USER group and the chart's runAsGroup/fsGroup differ")
need(re.search(rf"^EXPOSE {values['containerPort']}\b", docker, re.M), "Dockerfile EXPOSE and containerPort differ")
need(values["state"]["mountPath"] in docker, "the Dockerfile does not prepare the chart's state.mountPath")
need(re.search(r'^ENTRYPOINT \["/usr/local/bin/litellm-synapse"\]', docker, re.M), "Dockerfile ENTRYPOINT is not the binary")
need(str(meta["appVersion"]) in docker, "Dockerfile's version label differs from appVersion")
# Every setting in values.yaml has a comment: the previous non-blank line is a comment, or a list item follows a
# commented key. Structural keys (a mapping of further keys) are exempt.
lines = open(f"{chart}/values.yaml").read().splitlines()
for i, line in enumerate(lines):
    m = re.match(r"^( *)([A-Za-z][A-Za-z0-9]*):(.*)$", line)
    if not m:
        continue
    rest = m.group(3).strip()
    nxt = next((l for l in lines[i + 1:] if l.strip()), "")
    is_leaf = rest != "" or nxt.lstrip().startswith("- ")
    if not is_leaf:
        continue
    indent = len(m.group(1))
    parent = next((l for l in reversed(lines[:i]) if l.strip() and len(l) - len(l.lstrip()) < indent), "")
    if parent.lstrip().startswith("- "):
        continue  # a field of a list item (e.g. ingress.paths[].pathType): the list is commented as a whole
    prev = next((l for l in reversed(lines[:i]) if l.strip()), "")
    need(prev.lstrip().startswith("#"), f"values.yaml:{i + 1}: {m.group(2)} has no comment above it")
print("\n".join(problems))
EOF
)
if [ -z "$problems" ]; then
  pass "Dockerfile and chart agree (user 65532, port, state folder, appVersion); every values.yaml setting is commented"
else
  fail "Dockerfile and chart agree; values.yaml commented" "$problems"
fi

finish
