#!/usr/bin/env bash
# libgit2 is opened when a command first works with git, not when brm starts
# (lib/git/include/brm/git2_lazy.hpp): the reading commands never load it, even right
# after a write (a racy file is hashed without it); a write with its commit does, and
# commits as before. ld.so's own trace (LD_DEBUG=files) says what was loaded.
#   lazy_libgit2_test.sh BRM EXAMPLE_REPOSITORY
# shellcheck source=example_in_git.sh
source "$(dirname "$0")/example_in_git.sh" "$1" "$2"
# The trace goes to a file: grep -q on a pipe would stop reading and kill brm halfway.
loads_libgit2() {
  LD_DEBUG=files LD_DEBUG_OUTPUT="$work/ld" "$@" >/dev/null 2>&1
  grep -q 'file=libgit2\.so' "$work"/ld.*
  local found=$?
  rm -f "$work"/ld.*
  return $found
}

customer=$(ls customers | head -1)
customer=${customer%.yaml}
loads_libgit2 "$brm" complaint add "Mail slow" --customer "$customer" --severity low \
  --received 2026-11-20 || fail "a write with its commit did not load libgit2"
[ "$(git log -1 --format=%s)" = "complaint: add 2026-11-20-mail-slow" ] ||
  fail "no commit: $(git log -1 --format=%s)"
# At once (the new file is racy and read again) and with the cache as it stands.
for cmd in "check" "check --format json" "customer list" "customer show $customer" "measure"; do
  # shellcheck disable=SC2086
  ! loads_libgit2 "$brm" $cmd || fail "'brm $cmd' loaded libgit2"
  # shellcheck disable=SC2086
  BRM_CACHE=off "$brm" $cmd >/dev/null 2>&1
  rc_plain=$?
  # shellcheck disable=SC2086
  "$brm" $cmd >/dev/null 2>&1
  [ $? = "$rc_plain" ] || fail "'brm $cmd' exits otherwise with the cache"
done
# A command that reads git history loads it when it needs it.
loads_libgit2 "$brm" log || fail "'brm log' did not load libgit2"
echo "ok"
