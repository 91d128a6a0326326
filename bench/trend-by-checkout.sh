#!/bin/bash
# A monthly trend the way a user would make it without `brm measure --trend`: for each month
# end, check out the last commit on the first-parent history of HEAD made by the end of that
# day (UTC) in a worktree of its own, and run `brm measure` there. Prints one JSON object
# per month.
#
# usage: bench/trend-by-checkout.sh BRM REPO WORKTREE MONTH_END...
set -euo pipefail
brm=$1 repo=$2 worktree=$3
shift 3
[ -d "$worktree" ] || git -C "$repo" worktree add -q --detach "$worktree" HEAD
for end in "$@"; do
  rev=$(git -C "$repo" rev-list -1 --first-parent --before="${end}T23:59:59Z" HEAD)
  [ -n "$rev" ] || continue  # before the first commit
  git -C "$worktree" checkout -q --detach "$rev"
  (cd "$worktree" && "$brm" measure --format json --as-of "$end")
done
