#!/usr/bin/env bash
# robust-io: a write that the file system refuses (a read-only folder, a full disk, a
# file size limit) is a clear error with exit 5, and leaves the record as it was: same
# bytes, no temporary file, no lock, no commit.
#
# Root ignores permission bits, so a read-only folder is made with `chattr +i` where the
# file system has it, else by running brm as nobody on a folder without write bits. A
# full disk is a small tmpfs in a private mount namespace (`unshare -m`). A file size
# limit (`ulimit -f`) needs no privilege and is always tried. A case that cannot be set up
# here is skipped with a message; when none can, the test exits 77 (skipped).
#   io_errors_test.sh BRM
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source "$(dirname "$0")/common.sh"
immutable=()
trap 'for f in "${immutable[@]}"; do chattr -i "$f" 2>/dev/null; done; rm -rf "$work"' EXIT

ran=0
big=$(head -c 70000 /dev/zero | tr '\0' x)  # a record larger than the space left

# Runs "$@" (a brm write on customers/anna-berg.yaml in repository $repo), which must fail
# with exit 5 and a message naming the problem, and leave everything as it was.
expect_refused() {
  local what=$1 pattern=$2
  shift 2
  local before_file="$work/before" before_head
  cp "$repo/customers/anna-berg.yaml" "$before_file"
  before_head=$(git -C "$repo" rev-parse -q --verify HEAD 2>/dev/null)
  "$@" >"$work/out" 2>"$work/err"
  local code=$?
  echo "$what: exit $code: $(head -3 "$work/err" | tr '\n' ' ')"
  [ "$code" = 5 ] || fail "$what: exit $code, expected 5: $(cat "$work/err")"
  grep -Eq "^brm: error: .*($pattern)" "$work/err" || fail "$what: no clear message: $(cat "$work/err")"
  # Nothing was changed, so nothing needs restoring: no alarming second error.
  ! grep -q 'could not restore' "$work/err" || fail "$what: claims a restore failed: $(cat "$work/err")"
  cmp -s "$repo/customers/anna-berg.yaml" "$before_file" || fail "$what: the record changed"
  [ -z "$(find "$repo" -name '.*.brm-tmp' 2>/dev/null)" ] || fail "$what: a temporary file was left"
  [ ! -e "$repo/.git/brm.lock" ] && [ ! -e "$repo/.brm.lock" ] || fail "$what: the lock was left"
  [ "$(git -C "$repo" rev-parse -q --verify HEAD 2>/dev/null)" = "$before_head" ] ||
    fail "$what: a commit was made"
  ran=$((ran + 1))
}

setup_repo() {  # $1: folder; $2...: init flags
  repo=$1
  shift
  "$brm" init "$repo" --organisation "IO Test" "$@" >/dev/null 2>&1 || {
    fail "init $repo"
    return 1
  }
  "$brm" -C "$repo" customer add "Anna Berg" --role customer >/dev/null || fail "add in $repo"
}

# --- a read-only folder -----------------------------------------------------------------
setup_repo "$work/ro"
if chattr +i "$repo/customers" 2>/dev/null; then
  immutable+=("$repo/customers")
  expect_refused "immutable folder" "Operation not permitted|Permission denied|Read-only" \
    "$brm" -C "$repo" customer set anna-berg notes=changed
  expect_refused "immutable folder, add" "Operation not permitted|Permission denied|Read-only" \
    "$brm" -C "$repo" customer add "Per Holm" --role purchaser --customer anna-berg
  chattr -i "$repo/customers"
  chattr +i "$repo/customers/anna-berg.yaml" && immutable+=("$repo/customers/anna-berg.yaml")
  expect_refused "immutable file" "Operation not permitted|Permission denied" \
    "$brm" -C "$repo" customer set anna-berg notes=changed
  chattr -i "$repo/customers/anna-berg.yaml"
elif command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  # As nobody, without git (libgit2 refuses a repository that another user owns).
  setup_repo "$work/ro-nogit" --no-git
  chmod -R a+rX "$work" && chmod a-w "$repo/customers"
  expect_refused "read-only folder (as nobody)" "Permission denied" \
    setpriv --reuid=65534 --regid=65534 --clear-groups "$brm" -C "$repo" customer set anna-berg notes=changed
  chmod u+w "$repo/customers"
else
  echo "skipped: no way to make a read-only folder here (chattr +i and setpriv both fail)"
fi

# --- a full disk --------------------------------------------------------------------------
# A 1 MiB tmpfs in a mount namespace of our own, filled but for 16 KiB: enough for the
# lock, not for the record.
full_disk() {
  set -u
  local mnt=$1
  mount -t tmpfs -o size=1m tmpfs "$mnt" || exit 77
  setup_repo "$mnt/repo" || exit 1
  local avail
  avail=$(df --output=avail -B1 "$mnt" | tail -1)
  head -c $((avail - 16384)) /dev/zero >"$mnt/filler" 2>/dev/null
  expect_refused "full disk" "No space left on device" \
    "$brm" -C "$repo" customer set anna-berg "notes=$big"
  expect_refused "full disk, --no-commit" "No space left on device" \
    "$brm" -C "$repo" customer set anna-berg "notes=$big" --no-commit
  assert_sound "$repo"
  exit "$failures"
}
mkdir -p "$work/mnt"
if unshare -m true 2>/dev/null; then
  export -f full_disk setup_repo expect_refused fail assert_sound
  export brm work big failures=0 ran=0
  unshare -m bash -c 'full_disk "$1"' _ "$work/mnt"
  code=$?
  case $code in
    0) ran=$((ran + 2)) ;;
    77) echo "skipped: cannot mount a tmpfs here" ;;
    *) fail "full disk: $code failure(s)" ;;
  esac
else
  echo "skipped: no private mount namespace here (unshare -m fails)"
fi

# --- a file size limit --------------------------------------------------------------------
setup_repo "$work/fsize"
expect_refused "file size limit" "File too large" \
  bash -c 'ulimit -f 16 && exec "$@"' _ "$brm" -C "$repo" customer set anna-berg "notes=$big"
assert_sound "$repo"

if [ "$ran" = 0 ]; then
  echo "skipped: no I/O error could be set up here"
  exit 77
fi
finish
