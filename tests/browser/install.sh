#!/usr/bin/env bash
# Install Debian's headless Chromium for the browser test of the batch report (tests/browser/).
# Idempotent: does nothing when a chromium or chrome is on PATH. Installing needs root (CI runs as root).
set -euo pipefail
for browser in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$browser" >/dev/null 2>&1; then
    echo "tests/browser/install.sh: $browser already installed ($("$browser" --version 2>/dev/null | head -1))"
    exit 0
  fi
done
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  # Not fatal here, so the rest of the suite still runs; the browser test itself fails and says why.
  echo "tests/browser/install.sh: cannot install chromium here (needs root and apt-get); install it yourself, or the report's browser test fails" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core
echo "tests/browser/install.sh: installed $(/usr/bin/chromium --version 2>/dev/null | head -1)"
