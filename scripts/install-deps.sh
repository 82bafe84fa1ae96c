#!/usr/bin/env bash
# Installs what Loket needs on Debian 12, and nothing when all is there (so it is quick).
# Used by ./run.sh and ./test.sh. Needs root (or sudo) only when something is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

packages=(
  build-essential cmake pkg-config
  libsdl2-dev libimgui-dev libstb-dev
  libcurl4-openssl-dev libqrencode-dev libcpp-httplib-dev nlohmann-json3-dev
  libsqlite3-dev libtomlplusplus-dev libssl-dev tzdata libical-dev libhowardhinnant-date-dev libespeak-ng-dev espeak-ng
  libcli11-dev
  libpugixml-dev # the JCC SOAP and Qmatic booking connectors read XML (shared/booking)
  catch2 zbar-tools fonts-dejavu-core fonts-noto-core xvfb curl
  libldap-dev
  libpq-dev # the PostgreSQL store (loket-server --store postgresql://…)
)
if [ "${1:-}" = "--tests" ]; then
  packages+=(chromium sox lintian slapd ldap-utils openssl) # lintian: the package test; slapd + ldap-utils: the ldap tests run a real directory
  # The fuzz tree (tests/fuzz): libFuzzer and the sanitizer runtimes come with clang's compiler-rt.
  packages+=(clang-16 libclang-rt-16-dev)
  packages+=(postgresql) # the postgres tests run a real PostgreSQL server (initdb + pg_ctl in a temp dir)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Node.js for the browser tests: Debian's, unless a Node.js with npm is already installed (some
# images ship one whose package conflicts with Debian's npm).
if [ "${1:-}" = "--tests" ]; then
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "loket: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # slapd: no default directory (the tests make their own); without this it asks questions.
  echo "slapd slapd/no_configuration boolean true" | $sudo debconf-set-selections 2>/dev/null || true
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Browser tests: playwright-core and axe-core from npm, pinned by tests/web/package-lock.json.
if [ "${1:-}" = "--tests" ] && [ -f "$here/tests/web/package.json" ]; then
  if [ ! -d "$here/tests/web/node_modules" ] || [ "$here/tests/web/package-lock.json" -nt "$here/tests/web/node_modules" ]; then
    (cd "$here/tests/web" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
  fi
fi
