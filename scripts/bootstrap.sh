#!/usr/bin/env bash
# Installs comply's build and test dependencies from Debian packages.
# Idempotent: packages already present are not reinstalled, and apt-get is not
# called at all when everything is there. Run as root (or via sudo).
#   scripts/bootstrap.sh            build + test dependencies
#   scripts/bootstrap.sh --browser  also Chromium, for the report.html browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential cmake pkg-config ca-certificates
      libcurl4-openssl-dev nlohmann-json3-dev libre2-dev libtbb-dev catch2
      libyaml-cpp-dev libcli11-dev libsqlite3-dev libcpp-httplib-dev libjemalloc-dev
      json-schema-test-suite python3 python3-jsonschema)
if [[ "${1:-}" == "--browser" ]]; then PKGS+=(chromium); fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
updated=0
apt_update() { if [[ $updated -eq 0 ]]; then $SUDO apt-get update -qq; updated=1; fi; }

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "bootstrap: installing ${missing[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# valijson is header-only; its Debian package pulls ~70 unrelated packages (Qt5, Poco,
# MariaDB), so the headers are unpacked from the .deb into the git-ignored .deps/.
if [[ ! -f .deps/valijson/usr/include/valijson/validator.hpp ]]; then
  echo "bootstrap: unpacking valijson headers into .deps/valijson"
  apt_update
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq libvalijson-dev)
  mkdir -p .deps/valijson
  dpkg -x "$tmp"/libvalijson-dev_*.deb .deps/valijson
  rm -rf "$tmp"
fi
echo "bootstrap: dependencies present"
