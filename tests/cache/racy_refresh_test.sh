#!/usr/bin/env bash
# git's racy rule, and the refresh that ends it. Right after a clone every record file is
# newer than the record cache's time minus two seconds, so the cache cannot vouch for any of
# them by its stamp: each run reads them and matches them by content. Once they are old
# enough, the first run that matched them writes their stamps into the cache (as `git
# status` refreshes racy entries of the index), once: from then on a run stats the record
# files and opens none, and writes nothing. Every run prints what a run with the cache off
# prints. (The lead's 25k-record clone read every file on every run until something else
# wrote the cache whole.)
#   racy_refresh_test.sh BRM EXAMPLE_REPOSITORY
# Exits 77 (skipped) where strace cannot trace.
set -u
# LeakSanitizer stops a traced process (the sanitizer build).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
if ! command -v strace >/dev/null || ! strace -f -qq -o /dev/null true 2>/dev/null; then
  echo "skipped: strace is missing or cannot trace here"
  exit 77
fi
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BRM_TODAY=2026-11-26 NO_COLOR=1 HOME="$work/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME" && git config --global user.name T && git config --global user.email t@example.com
cp -r "$2" "$work/origin" && cd "$work/origin" && rm -rf .git && git init -q && git add -A &&
  git commit -qm start && git clone -q "$work/origin" "$work/repo" && cd "$work/repo" || exit 1
failed=0
fail() {
  failed=$((failed + 1))
  echo "$1"
}

# The record files, by the names the listing opens them with (relative to their folder).
find . -path ./.git -prune -o -path ./schema -prune -o -name '*.yaml' ! -name brm.yaml -print |
  sed 's|.*/||; s|.*|"&"|' | sort -u >"$work/records"
[ "$(wc -l <"$work/records")" -ge 100 ] || { echo "too few record files to tell"; exit 1; }

# brm check through the cache against brm check without it, text and JSON.
same_check() {
  local a b
  for format in text json; do
    a=$("$brm" check --format "$format" 2>&1; echo "exit $?")
    b=$(BRM_CACHE=off "$brm" check --format "$format" 2>&1; echo "exit $?")
    [ "$a" = "$b" ] || fail "$1: brm check --format $format differs with the cache"
  done
}
# How many record files one brm check opens; brm.yaml, always read, shows that the trace works.
opened() {
  strace -f -qq -e trace=openat -o "$work/trace" "$brm" check >/dev/null 2>&1
  grep -q '"brm.yaml"' "$work/trace" || { echo "strace saw no brm.yaml: $(head -3 "$work/trace")"; exit 1; }
  grep -v O_DIRECTORY "$work/trace" | grep -c -F -f "$work/records"
}
cache_stamp() { stat -c '%i %s %Y %Z' .git/brm/records-*.cache; }

# At once after the clone: the first run writes the cache, and every file is racy. (That the
# second run reads them all is checked only when it comes well within the window: a loaded
# machine may take longer, and then it refreshes them already.)
start=$(date +%s%N)
"$brm" check >/dev/null 2>&1
n=$(opened)
if [ $(($(date +%s%N) - start)) -lt 1500000000 ] && [ "$n" -lt 100 ]; then
  fail "within the racy window a check opened only $n record files"
fi
same_check "right after the clone"
# Past the window (git's is two seconds): one run matches the files and refreshes the cache,
# with the findings it keeps (the next run answers from them: the output is unchanged).
sleep 2.5
"$brm" check >/dev/null 2>&1
n=$(opened)
[ "$n" = 0 ] || fail "after the refresh a check opened $n record files (expected none)"
same_check "after the refresh"
# Once: a run that reuses every file writes nothing.
before=$(cache_stamp)
"$brm" check >/dev/null 2>&1
"$brm" customer list >/dev/null 2>&1
[ "$before" = "$(cache_stamp)" ] || fail "a run that reused every file wrote the cache"

# A touch changes only the stamps: the files are read and matched, and once past the window
# refreshed in turn; an edit among them is seen at every step.
find customers -name '*.yaml' -exec touch {} +
printf 'notes: edited\n' >>customers/anna-berg.yaml
same_check "touched and one edited"
sleep 2.5
same_check "touched, past the window"
n=$(opened)
[ "$n" = 0 ] || fail "after the touch and the refresh a check opened $n record files"
same_check "touched, refreshed"

[ "$failed" = 0 ] && echo "racy files refreshed once, then stat'ed only"
