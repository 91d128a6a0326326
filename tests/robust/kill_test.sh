#!/usr/bin/env bash
# robust-kill: writers killed with SIGKILL at random moments never leave a record half
# written. Each round runs the same write twice: to the end in a copy of the repository
# (that gives the new version of every file), and in the repository itself, killed at a
# random moment within the time that write took (at least 0-50 ms). Every record file must then be its old or its new version, whole. Every ten
# rounds, and at the end, a write that is not killed must go through (a killed brm's lock
# is taken over), leave no temporary file and no lock, and `brm check` and `git fsck`
# must pass.
#   kill_test.sh BRM   (KILL_ROUNDS, default 100; KILL_SECONDS, default 45, bound the run)
# The bound in seconds only ends the run early once KILL_MIN_ROUNDS (default 20) rounds have
# run: a slow or loaded machine runs fewer extra rounds, never fails for being slow.
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source "$(dirname "$0")/common.sh"

rounds=${KILL_ROUNDS:-100}
seconds=${KILL_SECONDS:-45}
min_rounds=${KILL_MIN_ROUNDS:-20}
repo="$work/repo"
new_repo "$repo"
for n in 1 2 3 4; do
  "$brm" -C "$repo" customer add "Customer $n" --role customer >/dev/null || fail "setup add $n"
done

# The files of customers/ as they are, copied to $2.
snapshot() {
  rm -rf "$2"
  mkdir -p "$2"
  cp -a "$1/customers/." "$2/" 2>/dev/null
  rm -f "$2"/.*.brm-tmp
}

# Every file of current ($3) is old ($1) or new ($2), byte for byte; absent counts too.
check_whole() {
  local name
  for name in $( (ls -A "$1"; ls -A "$2"; ls -A "$3") | grep -v '\.brm-tmp$' | sort -u); do
    local cur="$3/$name" old="$1/$name" new="$2/$name"
    if [ -e "$cur" ]; then
      { [ -e "$old" ] && cmp -s "$cur" "$old"; } || { [ -e "$new" ] && cmp -s "$cur" "$new"; } ||
        fail "round $4: customers/$name is neither its old nor its new version: $(head -c 300 "$cur")"
    else
      [ ! -e "$old" ] || [ ! -e "$new" ] || fail "round $4: customers/$name vanished"
    fi
  done
}

# A git lock (index.lock, refs/heads/main.lock) left by a brm killed inside its commit:
# like git, brm cannot know whether its owner still runs, so the next write must refuse
# clearly (exit 4, naming a lock) and change nothing; then, as a user would, the locks
# are removed. Killed while the ref is written, brm leaves both, as git does (it holds
# index.lock over its commit); like git, the next write names the index's, which it meets
# first.
git_locks_reported=0
handle_git_locks() {
  local locks err="$work/gitlock.err"
  locks=$(find "$repo/.git" -name '*.lock' ! -name brm.lock)
  [ -n "$locks" ] || return 0
  snapshot "$repo" "$work/before-lock"
  "$brm" -C "$repo" customer set customer-1 "notes=after a git lock $1" >/dev/null 2>"$err"
  local code=$?
  local lock named=
  for lock in $locks; do grep -qF "$(basename "$lock")" "$err" && named=$lock; done
  if [ "$code" = 4 ] && [ -n "$named" ]; then
    git_locks_reported=$((git_locks_reported + 1))
    echo "round $1: reported: $(tr '\n' ' ' <"$err")"
  else
    fail "round $1: a git lock ($locks) was not reported clearly (exit $code): $(cat "$err")"
  fi
  snapshot "$repo" "$work/after-lock"
  diff -r "$work/before-lock" "$work/after-lock" >/dev/null || fail "round $1: a refused write changed files"
  echo "$locks" | xargs rm -f
}

# A write that is not killed: it must succeed despite what killed writers left.
checkpoint() {
  local err="$work/checkpoint.err" code=0
  "$brm" -C "$repo" customer set customer-1 "notes=checkpoint $1" >/dev/null 2>"$err" || code=$?
  [ "$code" = 0 ] || fail "round $1: a write after killed writers failed (exit $code): $(cat "$err")"
  local left
  # The record cache's temporary files (.git/brm) go once they are a minute old.
  left=$(find "$repo" -path "$repo/.git" -prune -o -name '.*.brm-tmp' -print | head -5)
  [ -z "$left" ] || fail "round $1: temporary files left after a completed write: $left"
  [ ! -e "$repo/.git/brm.lock" ] || fail "round $1: brm.lock left after a completed write"
  assert_sound "$repo"
}

start=$SECONDS
killed_mid_write=0 left_temps=0 left_locks=0 left_git_locks=0 done_rounds=0
for ((round = 1; round <= rounds; round++)); do
  if ((round > min_rounds && SECONDS - start > seconds)); then break; fi
  extras=$(cd "$repo/customers" && ls extra-*.yaml 2>/dev/null | sed 's/\.yaml$//')
  commit=()
  ((RANDOM % 2)) && commit=(--no-commit)
  case $((RANDOM % 3)) in
    0) args=(customer add "Extra $round" --role purchaser --customer customer-2) ;;
    1) args=(customer set "customer-$((RANDOM % 4 + 1))" "notes=round $round" "it_contact=Erik $round") ;;
    2)
      if [ -n "$extras" ]; then
        args=(customer rm "$(echo "$extras" | shuf -n 1)")
      else
        args=(customer set customer-3 "title=Head of $round")
      fi
      ;;
  esac

  snapshot "$repo" "$work/old"
  rm -rf "$work/ref"
  cp -a "$repo" "$work/ref"
  t0=$(date +%s%N)
  "$brm" -C "$work/ref" "${args[@]}" "${commit[@]}" >/dev/null 2>"$work/ref.err" ||
    fail "round $round: '${args[*]}' fails without a kill: $(cat "$work/ref.err")"
  took_ms=$((($(date +%s%N) - t0) / 1000000))
  snapshot "$work/ref" "$work/new"

  "$brm" -C "$repo" "${args[@]}" "${commit[@]}" >/dev/null 2>&1 &
  pid=$!
  # Anywhere in the write: 0-50 ms, or up to as long as the same write took in the copy
  # when that is longer (a slow or loaded machine, a sanitizer build).
  ((took_ms < 50)) && took_ms=50
  delay=$((RANDOM * 32768 + RANDOM))
  delay=$((delay % (took_ms + 1)))
  sleep "$((delay / 1000)).$(printf %03d $((delay % 1000)))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ $? = 137 ] && killed_mid_write=$((killed_mid_write + 1))

  [ -n "$(find "$repo" -name '.*.brm-tmp' | head -1)" ] && left_temps=$((left_temps + 1))
  [ -n "$(find "$repo/.git" -name '*.lock' ! -name brm.lock | head -1)" ] && left_git_locks=$((left_git_locks + 1))
  [ -e "$repo/.git/brm.lock" ] && left_locks=$((left_locks + 1))
  snapshot "$repo" "$work/cur"
  check_whole "$work/old" "$work/new" "$work/cur" "$round"
  handle_git_locks "$round"
  done_rounds=$round
  if ((round % 10 == 0)); then checkpoint "$round"; fi
done
checkpoint end
# The record cache's temporary files from killed writers go once they are a minute old.
cache_temps=$(find "$repo/.git" -name '.*.brm-tmp' | wc -l)
find "$repo/.git" -name '.*.brm-tmp' -exec touch -d '2 minutes ago' {} +
"$brm" -C "$repo" customer set customer-1 "notes=after the cache's temporary files aged" >/dev/null ||
  fail "the last write failed"
left=$(find "$repo" -name '.*.brm-tmp' | head -5)
[ -z "$left" ] || fail "$cache_temps old temporary files of the record cache, still there: $left"
echo "$done_rounds rounds in $((SECONDS - start)) s: $killed_mid_write writers killed before they" \
  "finished, $left_temps left temporary files, $left_locks left the lock, $left_git_locks left" \
  "a git lock ($git_locks_reported reported by the next write)"
((done_rounds >= min_rounds || done_rounds == rounds)) || fail "only $done_rounds rounds ran"
finish
