#!/usr/bin/env bash
# Installs the system packages the build and the tests need (Debian). Safe to run again.
set -euo pipefail
packages=(libgit2-dev libcurl4-openssl-dev libyaml-dev jq git openssh-server openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The YAML typing tests compare with PyYAML, the reference LiteLLM itself uses.
if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "install-deps: installing PyYAML"
  python3 -m pip install -q pyyaml || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"; $sudo apt-get install -y -qq python3-yaml >/dev/null; }
fi
