#!/usr/bin/env bash
# Make sure Debian's Chromium and its WebDriver are installed, for the browser tests
# (tests/test_browser.py). They come from Debian's packages (as root) when missing; nothing
# downloads a browser of its own (Selenium is given both paths, so Selenium Manager never runs).
set -euo pipefail
source "$(dirname "$0")/apt.sh"

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  apt_install chromium chromium-driver
fi
/usr/bin/chromedriver --version >/dev/null || { echo "ensure_browser: /usr/bin/chromedriver does not run" >&2; exit 1; }
echo "browser: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
