#!/usr/bin/env bash
# Renders the example repository's published report in headless Chromium, to PNG and to
# an A4 PDF, and checks that it rendered as a reader would see it: the PDF has pages with
# their numbers, the browser logged no console error (the Content-Security-Policy would log
# one for anything the page tried to load or run), and the charts are in the DOM.
#   report_render.sh BRM EXAMPLE_DIR [KEEP_DIR]
# Exit 77 (skipped) only when chromium or pdfinfo cannot be found: `make test` installs them.
set -u
brm=$1
example=$2
keep=${3:-}
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "report-render: chromium is not installed (make test installs it); skipping"
  exit 77
fi
if ! command -v pdfinfo >/dev/null || ! command -v pdftotext >/dev/null; then
  echo "report-render: pdfinfo/pdftotext (poppler-utils) are not installed; skipping"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home"
export HOME="$work/home" BRM_TODAY=2026-11-26 TZ=UTC LC_ALL=C.UTF-8
fail=0
problem() { echo "report-render: $*"; fail=1; }

"$brm" -C "$example" report -o "$work/report.html" || { echo "report-render: brm report failed"; exit 1; }

# Each run gets its own profile; crash reporting and GPU are off: a headless test machine.
render() {
  local log=$1
  shift
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --no-default-browser-check --disable-extensions --disable-background-networking \
    --user-data-dir="$work/profile-$log" --enable-logging=stderr --v=0 "$@" \
    "file://$work/report.html" 2>"$work/$log.log"
}
render png --window-size=1200,2400 --screenshot="$work/report.png" >/dev/null ||
  problem "chromium failed to take a screenshot (exit $?)"
render pdf --no-pdf-header-footer --print-to-pdf="$work/report.pdf" >/dev/null ||
  problem "chromium failed to print to PDF (exit $?)"
render dom --dump-dom >"$work/dom.html" || problem "chromium failed to dump the DOM (exit $?)"

# The screenshot: a PNG of the window's size.
if ! python3 - "$work/report.png" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read(32)
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (1200, 2400), f"{w}x{h}"
PY
then problem "the screenshot is not a 1200x2400 PNG"; fi

# The PDF: A4 pages, several of them, each numbered by the page's own CSS.
pages=$(pdfinfo "$work/report.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
size=$(pdfinfo "$work/report.pdf" 2>/dev/null | sed -n 's/^Page size: *//p')
echo "report-render: $pages pages, $size"
if [ -z "$pages" ] || [ "$pages" -lt 3 ]; then problem "the PDF has '${pages:-no}' pages, expected 3 or more"; fi
case "$size" in *"(A4)"*) ;; *) problem "the PDF's pages are not A4: $size" ;; esac
pdftotext -layout "$work/report.pdf" "$work/report.txt"
for n in 1 2 "$pages"; do
  grep -q "Page $n of $pages" "$work/report.txt" || problem "page $n does not say 'Page $n of $pages'"
done
grep -q "Example Group IT" "$work/report.txt" || problem "the PDF text lacks the organisation"

# The console: nothing refused, nothing thrown. First, that this chromium logs a console
# message where the check looks for one (else the check would pass on any page).
printf '<!DOCTYPE html><script>console.error("render-test-probe")</script>\n' >"$work/probe.html"
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
  --user-data-dir="$work/profile-probe" --enable-logging=stderr --v=0 --dump-dom \
  "file://$work/probe.html" >/dev/null 2>"$work/probe.log"
grep -q 'CONSOLE.*render-test-probe' "$work/probe.log" ||
  problem "chromium does not log console messages to stderr here; the console check cannot work"
if grep -h 'CONSOLE' "$work"/png.log "$work"/pdf.log "$work"/dom.log; then
  problem "chromium logged console messages (above)"
fi

# The DOM as the browser built it: the charts and their parts.
svgs=$(grep -o '<svg' "$work/dom.html" | wc -l)
trends=$(grep -o '<svg[^>]*class="trend"' "$work/dom.html" | wc -l)
lines=$(grep -o '<polyline' "$work/dom.html" | wc -l)
echo "report-render: $svgs charts, $trends trend charts, $lines lines"
[ "$trends" -eq 4 ] || problem "expected 4 trend charts in the DOM, found $trends"
[ "$svgs" -ge 6 ] || problem "expected at least 6 charts in the DOM, found $svgs"
[ "$lines" -ge 4 ] || problem "expected the trend lines in the DOM, found $lines"
grep -q 'class="target"' "$work/dom.html" || problem "no target line in any chart"
grep -q '<script' "$work/dom.html" && problem "the report has a script"

if [ -n "$keep" ]; then mkdir -p "$keep" && cp "$work"/report.* "$work"/dom.html "$keep"/; fi
[ "$fail" = 0 ] && echo "report-render: ok"
exit $fail
