#!/usr/bin/env bash
# Browser tests (issue 7): the demo shop and the marketer console in Debian's Chromium, driven by
# playwright-core against a gateway that tests/browser/run.mjs starts on a free loopback port.
# Installs what is missing (Chromium from apt, npm packages from the lockfiles; never a browser
# download), checks that the committed SDK bundle matches its source, and ends with 'N passed, N failed'.
# Set NO_BUILD=1 when the Release build of the gateway is already fresh (scripts/test.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

# npm ci from the committed lockfiles: the same esbuild and playwright-core on every machine.
npm ci --prefix src/Personalize.Sdk --no-audit --no-fund --loglevel=error
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

if [ "${NO_BUILD:-0}" != "1" ]; then
  dotnet build src/Personalize.Gateway -c Release -nologo -clp:ErrorsOnly
fi

node tests/browser/run.mjs
