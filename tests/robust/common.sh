# Shared by the robustness tests: a scratch folder, a private HOME and git identity, and
# small assertions. Source it after setting `brm` to the binary under test.
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 BRM_TODAY=2026-11-26 TZ=UTC LC_ALL=C.UTF-8
export NO_COLOR=1 EDITOR=false VISUAL=
unset GIT_DIR GIT_WORK_TREE
mkdir -p "$HOME"
printf '[user]\n\tname = Rita Relationship\n\temail = rita@example.com\n[init]\n\tdefaultBranch = main\n' \
  >"$HOME/.gitconfig"

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Ends the test: 0 when nothing failed.
finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
  fi
  echo "ok"
  exit 0
}

# A new brm repository with git at $1.
new_repo() {
  "$brm" init "$1" --organisation "Robust Test" >/dev/null 2>"$work/init.err" || {
    cat "$work/init.err"
    echo "cannot create a repository"
    exit 1
  }
}

# brm check must pass and git fsck must be clean in repository $1.
assert_sound() {
  local out
  if ! out=$("$brm" -C "$1" check 2>&1); then fail "brm check fails in $1:"$'\n'"$out"; fi
  if ! out=$(git -C "$1" fsck --strict 2>&1); then fail "git fsck fails in $1:"$'\n'"$out"; fi
}
