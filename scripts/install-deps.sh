#!/usr/bin/env bash
# Installs the Debian packages the build needs; with --tests also what the test suite needs
# (openssh-server and openssl for the SSH git and TLS tests, chromium for the status page in a real browser, curl
# for the keep-alive test, python3-venv for the Helm chart checks, PyYAML as the reference for YAML typing). Safe to run again: installs only what is missing.
set -euo pipefail
packages=(pkg-config libgit2-dev libcurl4-openssl-dev libyaml-dev jq git)
[ "${1:-}" = "--tests" ] && packages+=(openssh-server openssl chromium curl python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "${1:-}" = "--tests" ] && ! python3 -c 'import yaml' 2>/dev/null; then
  echo "install-deps: installing PyYAML"
  python3 -m pip install -q pyyaml || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-yaml >/dev/null
fi
