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
"$brm" -C "$example" report --customer anna-berg -o "$work/pack.html" ||
  { echo "report-render: brm report --customer failed"; exit 1; }

# Each run gets its own profile; crash reporting and GPU are off: a headless test machine.
render() {
  local log=$1
  shift
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --no-default-browser-check --disable-extensions --disable-background-networking \
    --user-data-dir="$work/profile-$log" --enable-logging=stderr --v=0 "$@" \
    "file://$work/${page:-report}.html" 2>"$work/$log.log"
}
render png --window-size=1200,2400 --screenshot="$work/report.png" >/dev/null ||
  problem "chromium failed to take a screenshot (exit $?)"
render pdf --no-pdf-header-footer --print-to-pdf="$work/report.pdf" >/dev/null ||
  problem "chromium failed to print to PDF (exit $?)"
render dom --dump-dom >"$work/dom.html" || problem "chromium failed to dump the DOM (exit $?)"
page=pack render pack-pdf --no-pdf-header-footer --print-to-pdf="$work/pack.pdf" >/dev/null ||
  problem "chromium failed to print the meeting pack to PDF (exit $?)"
page=pack render pack-png --window-size=1200,4000 --screenshot="$work/pack.png" >/dev/null ||
  problem "chromium failed to take a screenshot of the meeting pack (exit $?)"

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

# Page by page, as a reader turns them: the running header on every page but the first, and
# no page that ends on a heading (its text is the page's last line before the page number).
# The check is a function: it runs on the report and on the meeting pack below.
turn_pages() {
python3 - "$@" <<'PY'
import html, re, subprocess, sys
page_html, pdf, title = sys.argv[1:]
headings = {html.unescape(h).strip() for h in
            re.findall(r"<h[23]>(.*?)</h[23]>", open(page_html, encoding="utf-8").read())}
pages = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                       text=True).stdout.split("\f")
pages = [[l.strip() for l in p.splitlines() if l.strip()] for p in pages if p.strip()]
bad = []
for n, lines in enumerate(pages, 1):
    has_header = bool(lines) and lines[0].startswith(title + " \u2014 ")
    if has_header != (n > 1):
        bad.append(f"page {n}: running header {'missing' if n > 1 else 'on the title page'}")
    body = [l for l in lines if not re.fullmatch(r"Page \d+ of \d+", l)]
    if n < len(pages) and body and body[-1] in headings:
        bad.append(f"page {n} ends on the heading '{body[-1]}'")
if bad: print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}
if ! turn_pages "$work/report.html" "$work/report.pdf" "Example Group IT"; then problem "the printed pages read wrong (above)"; fi

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

# The meeting pack: numbered A4 pages, and what the meeting goes through in its text.
pack_pages=$(pdfinfo "$work/pack.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
echo "report-render: meeting pack, ${pack_pages:-no} pages"
pdftotext -layout "$work/pack.pdf" "$work/pack.txt"
grep -q "Page 1 of ${pack_pages:-x}" "$work/pack.txt" || problem "the pack's first page is not numbered"
for part in "Plans and changes in the business" "Projects" "Service levels agreed and delivered" \
  "breached" "Last meetings" "Decisions"; do
  grep -q "$part" "$work/pack.txt" || problem "the printed pack lacks '$part'"
done
turn_pages "$work/pack.html" "$work/pack.pdf" "Anna Berg" ||
  problem "the printed meeting pack reads wrong (above)"
grep -q "Service levels agreed and delivered" "$work/report.txt" ||
  problem "the printed report lacks the service levels agreed and delivered"

if [ -n "$keep" ]; then mkdir -p "$keep" && cp "$work"/report.* "$work"/pack.* "$work"/dom.html "$keep"/; fi
[ "$fail" = 0 ] && echo "report-render: ok"
exit $fail
