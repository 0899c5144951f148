#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser test if it is missing (the test finds it at
# /usr/bin/chromium, or CHROMIUM_PATH). Needs root and Debian's package archive.
set -euo pipefail

command -v chromium >/dev/null 2>&1 && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 ||
  { apt-get update -qq && apt-get install -y --no-install-recommends chromium >/dev/null; }
command -v chromium
