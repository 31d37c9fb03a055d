#!/usr/bin/env bash
# Render the HTML report of the sample dossiers in headless Chromium and save a screenshot, so a person can look
# at what reviewers get. Also dumps the DOM after the page's script ran (to check that nothing from a dossier
# became an element). Needs Chromium: `apt-get install -y chromium` (Debian) or set CHROMIUM=/path/to/chrome.
#
#   .ci/render_html_report.sh [OUT_DIR] [renovcheck check arguments...]
#
# Defaults: OUT_DIR=build/html-report, arguments = sample_projects/ --as-of 2025-12-31.
# Writes OUT_DIR/report.html, OUT_DIR/report.png (1280x2000) and OUT_DIR/report.dom.html.
# Chromium runs with networking and background services off and a throw-away profile.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/html-report}"
shift || true
if [ "$#" -eq 0 ]; then set -- sample_projects/ --as-of 2025-12-31; fi
browser="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [ -z "$browser" ]; then
  echo "render_html_report: Chromium not found (apt-get install -y chromium, or set CHROMIUM)" >&2
  exit 3
fi
renovcheck="${RENOVCHECK:-.venv/bin/renovcheck}"
mkdir -p "$out"
status=0
"$renovcheck" check "$@" --format html --output "$out/report.html" || status=$?
if [ "$status" -gt 1 ]; then
  echo "render_html_report: renovcheck failed (exit $status)" >&2
  exit "$status"
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
url="file://$(cd "$out" && pwd)/report.html"
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
       --disable-sync --no-first-run --disable-extensions --user-data-dir="$profile" --window-size=1280,2000)
"$browser" "${flags[@]}" --screenshot="$out/report.png" "$url" >/dev/null 2>&1
"$browser" "${flags[@]}" --dump-dom "$url" > "$out/report.dom.html" 2>/dev/null
echo "wrote $out/report.html, $out/report.png, $out/report.dom.html"
