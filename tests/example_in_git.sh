# Sourced by the tests that run brm on a copy of an example repository committed to git:
#   source example_in_git.sh BRM EXAMPLE_REPOSITORY
# sets $brm (absolute) and $work (removed on exit), defines fail, and leaves the shell in
# $work/repo, a git repository of the example with one commit.
set -u
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cp -r "$2" "$work/repo"
cd "$work/repo" || exit 1
export BRM_TODAY=2026-11-20 GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@example.com \
  GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@example.com
git init -q && git add -A && git commit -qm start || exit 1
