#!/usr/bin/env bash
# robust-kill: writers killed with SIGKILL at random moments never leave a record half
# written. Each round runs the same write twice: to the end in a copy of the repository
# (that gives the new version of every file), and in the repository itself, killed at a
# random moment within the time that write took (at least 0-50 ms). Every record file must then be its old or its new version, whole. Every ten
# rounds, and at the end, a write that is not killed must go through (a killed brm's lock
# is taken over), leave no temporary file and no lock, and `brm check` and `git fsck`
# must pass.
#   kill_test.sh BRM   (KILL_ROUNDS, default 100; KILL_SECONDS, default 45, bound the run)
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source "$(dirname "$0")/common.sh"

rounds=${KILL_ROUNDS:-100}
seconds=${KILL_SECONDS:-45}
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

# A write that is not killed: it must succeed despite what killed writers left.
git_locks_reported=0
checkpoint() {
  local err="$work/checkpoint.err"
  if ! "$brm" -C "$repo" customer set customer-1 "notes=checkpoint $1" >/dev/null 2>"$err"; then
    local code=$?
    # A git lock (index.lock, a ref's .lock) left by a killed commit: git itself refuses
    # to guess whether its owner still runs. brm must say so clearly (exit 4, naming
    # the lock); then, as a user would, remove it and go on.
    if [ "$code" = 4 ] && grep -q '\.lock' "$err"; then
      git_locks_reported=$((git_locks_reported + 1))
      echo "round $1: reported: $(tr '\n' ' ' <"$err")"
      find "$repo/.git" -name '*.lock' ! -name brm.lock -delete
      "$brm" -C "$repo" customer set customer-1 "notes=checkpoint $1 again" >/dev/null 2>"$err" ||
        fail "round $1: the write after removing the git lock failed: $(cat "$err")"
    else
      fail "round $1: a write after killed writers failed (exit $code): $(cat "$err")"
    fi
  fi
  local left
  left=$(find "$repo" -name '.*.brm-tmp' | head -5)
  [ -z "$left" ] || fail "round $1: temporary files left after a completed write: $left"
  [ ! -e "$repo/.git/brm.lock" ] || fail "round $1: brm.lock left after a completed write"
  assert_sound "$repo"
}

start=$SECONDS
killed_mid_write=0 left_temps=0 left_locks=0 done_rounds=0
for ((round = 1; round <= rounds; round++)); do
  if ((SECONDS - start > seconds)); then break; fi
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
  [ -e "$repo/.git/brm.lock" ] && left_locks=$((left_locks + 1))
  snapshot "$repo" "$work/cur"
  check_whole "$work/old" "$work/new" "$work/cur" "$round"
  done_rounds=$round
  if ((round % 10 == 0)); then checkpoint "$round"; fi
done
checkpoint end
echo "$done_rounds rounds in $((SECONDS - start)) s: $killed_mid_write writers killed before they" \
  "finished, $left_temps left temporary files, $left_locks left the lock," \
  "$git_locks_reported git locks reported"
((done_rounds >= 20)) || fail "only $done_rounds rounds ran"
finish
