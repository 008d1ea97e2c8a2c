#!/usr/bin/env bash
# Install Debian's headless Chromium for the browser test of the batch report (tests/browser/).
# Idempotent: does nothing when /usr/bin/chromium exists. Needs root (CI images run as root).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "tests/browser/install.sh: chromium already installed ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "tests/browser/install.sh: run as root (apt-get), or install chromium yourself" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core
echo "tests/browser/install.sh: installed $(/usr/bin/chromium --version 2>/dev/null | head -1)"
