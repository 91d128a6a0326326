#!/usr/bin/env bash
# BRM_TRACE_PERFORMANCE, as git's GIT_TRACE_PERFORMANCE: unset, nothing; 1, the steps of a
# run and their times on stderr, and stdout as without it; an absolute path, the same lines
# appended to that file; anything else, a warning and no trace.
#   trace_performance_test.sh BRM EXAMPLE_REPOSITORY
# shellcheck source=example_in_git.sh
source "$(dirname "$0")/example_in_git.sh" "$1" "$2"
line='^brm: performance: +[0-9]+\.[0-9]{6} s: +'

unset BRM_TRACE_PERFORMANCE
"$brm" check >"$work/plain.out" 2>"$work/plain.err"
! grep -q 'performance' "$work/plain.err" || fail "a trace without BRM_TRACE_PERFORMANCE"

BRM_TRACE_PERFORMANCE=1 "$brm" check >"$work/out" 2>"$work/err"
cmp -s "$work/out" "$work/plain.out" || fail "the trace changed stdout"
grep -Eq "${line}the whole command\$" "$work/err" || fail "no whole command on stderr: $(cat "$work/err")"
grep -Eq "${line}list the work tree\$" "$work/err" || fail "no listing on stderr: $(cat "$work/err")"
[ "$(grep -Ev "$line" "$work/err" | grep -c .)" = "$(grep -c . "$work/plain.err")" ] ||
  fail "stderr holds more than the trace: $(cat "$work/err")"

customer=$(ls customers | head -1)
customer=${customer%.yaml}
for n in 1 2; do
  BRM_TRACE_PERFORMANCE="$work/trace.log" "$brm" complaint add "Printer jam $n" \
    --customer "$customer" --severity low >/dev/null 2>"$work/err" || fail "the add failed: $(cat "$work/err")"
  ! grep -q 'performance' "$work/err" || fail "a trace on stderr with a file named"
done
for step in 'the whole command' 'load for the write' 'git commit' \
  'note the write in the record cache' 'read the git index ahead(, as bytes)?'; do
  [ "$(grep -Ec "${line}${step}\$" "$work/trace.log")" = 2 ] ||
    fail "'$step' is not in the file once per run: $(cat "$work/trace.log")"
done

BRM_TRACE_PERFORMANCE=trace.log "$brm" check >/dev/null 2>"$work/err"
grep -q "warning: BRM_TRACE_PERFORMANCE is 1 or an absolute path, not 'trace.log'" "$work/err" ||
  fail "no warning for a relative path: $(cat "$work/err")"
! grep -q 'brm: performance' "$work/err" && [ ! -e trace.log ] || fail "a relative path traced"
echo "ok"
