#!/usr/bin/env bash
# Install Debian's headless Chromium for the browser test of the batch report (tests/browser/).
# Idempotent: does nothing when /usr/bin/chromium exists. Needs root (CI images run as root).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "tests/browser/install.sh: chromium already installed ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  # Not fatal on a developer machine: the browser test then says it was skipped. CI (root) installs it.
  echo "tests/browser/install.sh: cannot install chromium here (needs root and apt-get); the report's browser test will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core
echo "tests/browser/install.sh: installed $(/usr/bin/chromium --version 2>/dev/null | head -1)"
