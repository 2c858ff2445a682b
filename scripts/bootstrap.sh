#!/usr/bin/env bash
# Prepare this checkout: a virtualenv in .venv with the pinned dependencies, and — with
# `--browser` — Debian's Chromium and CJK fonts for the browser tests and screenshots.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  echo "$want" > "$stamp"
fi

# OCR of scanned pages (rapidocr-onnxruntime, models inside the wheel) needs OpenCV, whose wheel
# links the system's libGL and GLib: a bare Debian lacks them.
if ! .venv/bin/python -c "import cv2" 2>/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libgl1 libglib2.0-0 >/dev/null
fi

# A Chromium or Chrome already on the machine (GitHub's runners ship google-chrome) is used as it
# is; the browser tests find it through $CHROMIUM or the usual paths.
have_browser() {
  for candidate in "${CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && return 0
  done
  return 1
}
if [ "${1:-}" = "--browser" ] && ! have_browser; then
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
