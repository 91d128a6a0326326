#!/usr/bin/env bash
# robust-concurrency: eight brm processes add records to one repository at the same
# time, each with its own commits. The lock serialises them: every record and every
# commit must be there, and `git fsck` and `brm check` must pass.
#   concurrency_test.sh BRM   (WRITERS, default 8; ADDS per writer, default 2)
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source "$(dirname "$0")/common.sh"

writers=${WRITERS:-8}
adds=${ADDS:-2}
repo="$work/repo"
new_repo "$repo"
"$brm" -C "$repo" customer add "Anna Berg" --role customer >/dev/null || fail "setup"
before=$(git -C "$repo" rev-list --count HEAD)

start=$SECONDS
pids=()
for ((w = 1; w <= writers; w++)); do
  (
    for ((a = 1; a <= adds; a++)); do
      # Purchasers that refer to the same customer: each write validates against the
      # records the others committed just before.
      "$brm" -C "$repo" customer add "Writer $w Record $a" --role purchaser --customer anna-berg \
        >"$work/out.$w.$a" 2>"$work/err.$w.$a" || echo "exit $?" >>"$work/err.$w.$a"
    done
  ) &
  pids+=($!)
done
wait "${pids[@]}"
echo "$((writers * adds)) writes by $writers writers in $((SECONDS - start)) s"

for ((w = 1; w <= writers; w++)); do
  for ((a = 1; a <= adds; a++)); do
    id="writer-$w-record-$a"
    if grep -q '^exit' "$work/err.$w.$a"; then
      fail "writer $w's add $a failed: $(cat "$work/err.$w.$a")"
      continue
    fi
    [ "$(cat "$work/out.$w.$a")" = "$id" ] || fail "writer $w's add $a printed '$(cat "$work/out.$w.$a")'"
    [ -f "$repo/customers/$id.yaml" ] || fail "customers/$id.yaml is missing"
    git -C "$repo" cat-file -e "HEAD:customers/$id.yaml" 2>/dev/null ||
      fail "customers/$id.yaml is not in the last commit"
    [ "$(git -C "$repo" log --format=%s | grep -cx "customer: add $id")" = 1 ] ||
      fail "no single commit 'customer: add $id'"
  done
done
after=$(git -C "$repo" rev-list --count HEAD)
[ "$after" = $((before + writers * adds)) ] ||
  fail "$after commits, expected $before + $((writers * adds))"
[ -z "$(git -C "$repo" status --porcelain)" ] || fail "git status is not clean: $(git -C "$repo" status --porcelain)"
[ ! -e "$repo/.git/brm.lock" ] || fail "brm.lock left behind"
assert_sound "$repo"
finish
