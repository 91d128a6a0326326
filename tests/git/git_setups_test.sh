#!/usr/bin/env bash
# brm in the git setups people have ("Git, as git does it" in COMMANDS.md). Each case builds
# the setup with the real git, runs brm, and compares with what git does in the same place:
# the same commit or the same refusal, the same author, the same bytes in the blob.
# Usage: git_setups_test.sh BRM [CASE...]   (exit 77: git is missing)
set -u
command -v git >/dev/null || exit 77
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
work=$(mktemp -d)
trap 'chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"' EXIT
export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 TZ=UTC LC_ALL=C.UTF-8 BRM_TODAY=2026-11-26
export NO_COLOR=1 PATH="$work/bin:$PATH"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
  GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE EMAIL GIT_CEILING_DIRECTORIES
mkdir -p "$HOME" "$work/bin"
ln -s "$brm" "$work/bin/brm"
git config --global user.name "Rita Relationship"
git config --global user.email rita@example.com
git config --global init.defaultBranch main

fail() { echo "  $*" >&2; return 1; }
# A git repository holding a brm repository in `dir` (default: the repository's root) with
# one canonical customer, committed with git.
make_repo() {  # make_repo REPO [BRM-SUBFOLDER]
  local root=$1 sub=${2:-.}
  git init -q "$root" && mkdir -p "$root/$sub/customers" || return 1
  printf 'brm: 1\norganisation: Test\ncurrency: EUR\n' > "$root/$sub/brm.yaml"
  printf 'name: Anna Berg\nrole: customer\ntitle: Head of Retail\n' > "$root/$sub/customers/anna-berg.yaml"
  git -C "$root" add -A && git -C "$root" commit -q -m start
}
head_of() { git -C "${1:-.}" rev-parse -q --verify HEAD; }
add_nina() { brm customer add "Nina Dahl" --role customer "$@"; }

# ---- discovery --------------------------------------------------------------------

case_safe_directory() {
  make_repo r && chown -R nobody r && cd r || return 1
  local before; before=$(git -c safe.directory='*' rev-parse HEAD)
  git status >/dev/null 2>&1 && return "$(fail "git itself works here: no ownership problem")"
  add_nina >"$E/out" 2>"$E/err"; local code=$?
  [ "$code" = 4 ] || fail "customer add: exit $code, expected 4" || return 1
  grep -q "dubious ownership" "$E/err" && grep -q "safe.directory $PWD" "$E/err" || fail "$(cat "$E/err")" || return 1
  [ ! -e customers/nina-dahl.yaml ] || fail "a file was written" || return 1
  [ "$(git -c safe.directory='*' rev-parse HEAD)" = "$before" ] || fail "HEAD moved" || return 1
  [ -z "$(ls .git | grep -i brm)" ] || fail "brm left something in .git" || return 1
  brm log >/dev/null 2>"$E/err"; code=$?
  [ "$code" = 4 ] && grep -q "dubious ownership" "$E/err" || fail "log: exit $code: $(cat "$E/err")" || return 1
  brm init sub >/dev/null 2>"$E/err"; code=$?
  [ "$code" = 4 ] && [ ! -e sub ] || fail "init sub: exit $code, sub exists: $(ls -a sub 2>&1)" || return 1
  # The fix the message names makes it work, as it does for git.
  git config --global --add safe.directory "$PWD"
  add_nina >/dev/null 2>"$E/err" || fail "after safe.directory: $(cat "$E/err")" || return 1
  [ "$(git log -1 --format=%s)" = "customer: add nina-dahl" ] || fail "no commit"
}

# A read-only command writes its record cache into the git folder git itself would use, and
# nowhere in a repository git refuses to work in.
case_record_cache_where_git_is() {
  make_repo r && chown -R nobody r && cd r || return 1
  brm check >/dev/null 2>"$E/err" || fail "check: $(cat "$E/err")" || return 1
  [ -z "$(ls .git | grep -i brm)" ] || fail "brm check wrote into another user's .git" || return 1
  [ -z "$(ls "$HOME/.cache" 2>/dev/null)" ] || fail "brm check wrote a cache in \$HOME" || return 1
  cd .. && make_repo tree && mv tree/.git meta.git && cd tree || return 1
  GIT_DIR=../meta.git brm check >/dev/null 2>"$E/err" || fail "GIT_DIR check: $(cat "$E/err")" || return 1
  [ -n "$(ls ../meta.git/brm 2>/dev/null)" ] || fail "no cache in GIT_DIR" || return 1
  [ -z "$(ls "$HOME/.cache" 2>/dev/null)" ] || fail "the cache went to \$HOME, not GIT_DIR"
}

case_git_dir_and_work_tree() {
  make_repo tree && mv tree/.git meta.git && cd tree || return 1
  GIT_DIR=../meta.git GIT_WORK_TREE=. add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  [ "$(git --git-dir=../meta.git log -1 --format=%s)" = "customer: add nina-dahl" ] ||
    fail "no commit in GIT_DIR" || return 1
  [ -z "$(git --git-dir=../meta.git --work-tree=. status --porcelain)" ] || fail "status not clean" || return 1
  # GIT_DIR alone: the current folder is the work tree, as git takes it.
  GIT_DIR=../meta.git brm customer set nina-dahl title=Boss >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  [ "$(git --git-dir=../meta.git show HEAD:customers/nina-dahl.yaml | grep title)" = "title: Boss" ] ||
    fail "GIT_DIR alone: not committed"
}

case_worktree() {
  make_repo main && git -C main worktree add -q -b feature ../wt && cd wt || return 1
  local main_head; main_head=$(head_of ../main)
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  [ "$(git log -1 --format=%s feature)" = "customer: add nina-dahl" ] || fail "not on feature" || return 1
  [ "$(head_of ../main)" = "$main_head" ] || fail "main moved" || return 1
  [ -z "$(git status --porcelain)" ] || fail "worktree status: $(git status --porcelain)"
}

case_subfolder() {
  make_repo outer crm && cd outer/crm || return 1
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  [ "$(git show --name-only --format= HEAD)" = "crm/customers/nina-dahl.yaml" ] ||
    fail "committed: $(git show --name-only --format= HEAD)" || return 1
  [ -z "$(git status --porcelain)" ] || fail "status: $(git status --porcelain)"
}

# A `.git` folder that is no repository (empty here) is passed over by git, which goes
# on up; brm finds the repository git finds, and takes its lock there, not in the folder.
case_empty_dot_git_folder() {
  make_repo outer crm && mkdir outer/crm/.git && cd outer/crm || return 1
  [ "$(git rev-parse --absolute-git-dir)" = "$(cd ../.git && pwd)" ] || fail "setup: git found $(git rev-parse --git-dir)" || return 1
  # Another writer holds the repository's lock for a second: brm waits for it.
  sleep 30 & local holder=$!
  echo "$holder" > ../.git/brm.lock
  (sleep 1; rm -f ../.git/brm.lock; kill "$holder") &
  local start; start=$(date +%s%N)
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  [ $(( $(date +%s%N) - start )) -ge 900000000 ] || fail "brm did not wait for the repository's lock" || return 1
  [ "$(git show --name-only --format= HEAD)" = "crm/customers/nina-dahl.yaml" ] ||
    fail "committed: $(git show --name-only --format= HEAD)" || return 1
  [ -z "$(git status --porcelain)" ] || fail "status: $(git status --porcelain)" || return 1
  [ ! -e ../.git/brm.lock ] && [ ! -e .git/brm.lock ] || fail "a lock was left behind" || return 1
}

# ---- the commit: identity, message, same commit as git's --------------------------

case_identity_same_commit_as_git() {
  make_repo r && cp -a r copy && cd r || return 1
  git config user.name "Config Name"
  export GIT_AUTHOR_NAME="CI Bot" GIT_AUTHOR_EMAIL=bot@ci.example GIT_AUTHOR_DATE="2026-01-02T03:04:05+01:00"
  export GIT_COMMITTER_NAME="CI Committer" GIT_COMMITTER_EMAIL=ci@ci.example
  export GIT_COMMITTER_DATE="@1767322800 +0000"
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  cp customers/nina-dahl.yaml ../copy/customers/ && cd ../copy && git config user.name "Config Name" &&
    git add customers/nina-dahl.yaml && git commit -q -m "customer: add nina-dahl" || return 1
  [ "$(head_of ../r)" = "$(head_of)" ] ||
    fail "commits differ:" "$(git -C ../r cat-file -p HEAD)" "---" "$(git cat-file -p HEAD)" || return 1
  # An RFC 2822 date, and a zone of its own.
  export GIT_AUTHOR_DATE="Sat, 5 Dec 2026 10:11:12 -0330"
  (cd ../r && brm customer set nina-dahl title=Boss >/dev/null 2>"$E/err") || fail "$(cat "$E/err")" || return 1
  cp ../r/customers/nina-dahl.yaml customers/ && git commit -q -am "customer: set nina-dahl title" || return 1
  [ "$(head_of ../r)" = "$(head_of)" ] ||
    fail "commits differ:" "$(git -C ../r cat-file -p HEAD)" "---" "$(git cat-file -p HEAD)"
}

case_bad_date_refused_as_git_refuses() {
  make_repo r && cd r || return 1
  GIT_AUTHOR_DATE="next tuesday-ish" add_nina >/dev/null 2>"$E/err"; local code=$?
  [ "$code" = 4 ] && grep -q "invalid date format in GIT_AUTHOR_DATE" "$E/err" ||
    fail "exit $code: $(cat "$E/err")" || return 1
  [ ! -e customers/nina-dahl.yaml ] || fail "written" || return 1
  touch x && git add x && ! GIT_AUTHOR_DATE="next tuesday-ish" git commit -qm x 2>/dev/null ||
    fail "git accepted the date"
}

case_no_identity() {
  make_repo r && cd r && mkdir ../nobody || return 1
  HOME=$PWD/../nobody add_nina >/dev/null 2>"$E/err"; local code=$?
  [ "$code" = 4 ] && grep -q "user.name" "$E/err" || fail "exit $code: $(cat "$E/err")" || return 1
  [ ! -e customers/nina-dahl.yaml ] || fail "a file was written"
}

# ---- hooks --------------------------------------------------------------------------

hook() {  # hook DIR NAME BODY
  mkdir -p "$1" && printf '#!/bin/sh\n%s\n' "$3" > "$1/$2" && chmod +x "$1/$2"
}

case_failing_pre_commit() {
  make_repo r && cp -a r copy && cd r || return 1
  hook .git/hooks pre-commit 'echo "pre-commit says no" >&2; exit 1'
  git add -N customers/anna-berg.yaml 2>/dev/null
  local index_before; index_before=$(git ls-files -s --debug | md5sum)
  local head_before; head_before=$(head_of)
  add_nina >"$E/out" 2>"$E/err"; local code=$?
  [ "$code" = 4 ] && grep -q "pre-commit says no" "$E/err" && grep -q "pre-commit hook" "$E/err" ||
    fail "exit $code: $(cat "$E/err")" || return 1
  [ ! -s "$E/out" ] || fail "stdout: $(cat "$E/out")" || return 1
  [ ! -e customers/nina-dahl.yaml ] || fail "the file stayed" || return 1
  [ "$(head_of)" = "$head_before" ] || fail "HEAD moved" || return 1
  [ "$(git ls-files -s --debug | md5sum)" = "$index_before" ] || fail "the index changed" || return 1
  [ -z "$(git status --porcelain)" ] || fail "status: $(git status --porcelain)" || return 1
  ls .git | grep -q next-index && fail "the hooks' index was left" && return 1
  # git refuses in the same place.
  cd ../copy && hook .git/hooks pre-commit 'exit 1' && touch x && git add x || return 1
  ! git commit -q -m x 2>/dev/null || fail "git committed"
}

case_hooks_run_as_git_runs_them() {
  make_repo r && cd r && git config core.hooksPath hooks-dir || return 1
  # pre-commit sees the commit's index (with the new file) and runs at the work tree root.
  hook hooks-dir pre-commit 'git ls-files --error-unmatch customers/nina-dahl.yaml >/dev/null &&
    [ "$(pwd)" = "'"$PWD"'" ] && [ -n "$GIT_INDEX_FILE" ] && echo "pre-commit ran" && echo ok >> .git/ran'
  hook hooks-dir commit-msg 'echo "Signed-off-by: Hook <hook@example.com>" >> "$1"; echo msg >> .git/ran'
  hook hooks-dir post-commit 'git rev-parse HEAD > .git/post-commit-saw'
  git add hooks-dir && git commit -q --no-verify -m hooks || return 1
  cd customers && add_nina >"$E/out" 2>"$E/err" && cd .. || fail "$(cat "$E/err")" || return 1
  [ "$(cat "$E/out")" = "nina-dahl" ] || fail "stdout: $(cat "$E/out")" || return 1
  grep -q "pre-commit ran" "$E/err" || fail "hook output not on stderr" || return 1
  [ "$(cat .git/ran)" = "$(printf 'ok\nmsg')" ] || fail "ran: $(cat .git/ran)" || return 1
  [ "$(cat .git/post-commit-saw)" = "$(head_of)" ] || fail "post-commit did not see the commit" || return 1
  # git, with the same hooks and message, gives the same message.
  local brm_message; brm_message=$(git log -1 --format=%B)
  [ "$brm_message" != "customer: add nina-dahl" ] || fail "commit-msg's edit was lost" || return 1
  touch y && git add y && git commit -q -m "customer: add nina-dahl" 2>/dev/null || fail "git commit failed" || return 1
  [ "$(git log -1 --format=%B)" = "$brm_message" ] || fail "message: $brm_message" || return 1
  # A failing commit-msg stops the write too.
  hook hooks-dir commit-msg 'exit 1'
  local head_before; head_before=$(head_of)
  brm customer set nina-dahl title=X >/dev/null 2>"$E/err"; local code=$?
  [ "$code" = 4 ] && grep -q "commit-msg hook" "$E/err" || fail "commit-msg: exit $code: $(cat "$E/err")" || return 1
  [ "$(head_of)" = "$head_before" ] && ! grep -q "title: X" customers/nina-dahl.yaml ||
    fail "the failed write changed something"
}

# A pre-commit hook that rewrites the record brm wrote (a formatter gone wrong): the record
# cache, told of the write, must not vouch for brm's text over the hook's, then or later.
case_hook_rewrites_the_record() {
  make_repo r && cd r || return 1
  hook .git/hooks pre-commit 'sed -i "s/^role: customer$/role: nobody/" customers/nina-dahl.yaml'
  brm check >/dev/null 2>&1
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  grep -q "^role: nobody" customers/nina-dahl.yaml || fail "setup: the hook did not rewrite" || return 1
  local with without
  for when in "at once" "after the racy window"; do
    [ "$when" = "at once" ] || sleep 3
    with=$(brm check 2>&1; echo "exit $?")
    without=$(BRM_CACHE=off brm check 2>&1; echo "exit $?")
    [ "$with" = "$without" ] || fail "$when: the cache hid the hook's change: $with" || return 1
    grep -q "nobody" <<<"$with" || fail "$when: no finding for the hook's role: $with" || return 1
  done
}

case_hook_not_executable() {
  make_repo r && cp -a r copy && cd r || return 1
  hook .git/hooks pre-commit 'exit 1' && chmod -x .git/hooks/pre-commit
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  [ "$(grep -c "pre-commit' hook was ignored" "$E/err")" = 1 ] || fail "hint: $(cat "$E/err")" || return 1
  # git ignores it too, with the same hint.
  cd ../copy && hook .git/hooks pre-commit 'exit 1' && chmod -x .git/hooks/pre-commit && touch x &&
    git add x && git commit -q -m x 2>"$E/gerr" || fail "git refused" || return 1
  grep -q "pre-commit' hook was ignored" "$E/gerr" || fail "git said: $(cat "$E/gerr")"
}

# ---- signing ------------------------------------------------------------------------

case_ssh_signing() {
  command -v ssh-keygen >/dev/null || { echo "  (skipped: no ssh-keygen)" >&2; return 0; }
  make_repo r && cd r || return 1
  ssh-keygen -q -t ed25519 -N "" -C test -f "$work/signing-key" || return 1
  echo "rita@example.com $(cat "$work/signing-key.pub")" > "$work/allowed"
  git config commit.gpgsign true && git config gpg.format ssh &&
    git config user.signingkey "$work/signing-key" &&
    git config gpg.ssh.allowedSignersFile "$work/allowed" || return 1
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  git verify-commit HEAD 2>vout || fail "not verified: $(cat vout)" || return 1
  grep -q 'Good "git" signature for rita@example.com' vout || fail "$(cat vout)" || return 1
  # Where it cannot sign: exit 4 naming the setting, nothing written.
  git config gpg.format x509 && git config gpg.x509.program /nonexistent/gpgsm || return 1
  local head_before; head_before=$(head_of)
  brm customer set nina-dahl title=X >/dev/null 2>"$E/err"; local code=$?
  [ "$code" = 4 ] && grep -q "gpg.x509.program" "$E/err" || fail "exit $code: $(cat "$E/err")" || return 1
  [ "$(head_of)" = "$head_before" ] && ! grep -q "title" customers/nina-dahl.yaml || fail "written"
  # A signer that fails: refused, and the file put back.
  git config gpg.format openpgp && git config gpg.program false || return 1
  brm customer set nina-dahl title=X >/dev/null 2>"$E/err"; code=$?
  [ "$code" = 4 ] && grep -q "gpg failed to sign" "$E/err" || fail "gpg: exit $code: $(cat "$E/err")" || return 1
  ! grep -q "title" customers/nina-dahl.yaml || fail "the file was not put back"
}

case_openpgp_signing() {
  command -v gpg >/dev/null && command -v gpgconf >/dev/null || { echo "  (skipped: no gpg)" >&2; return 0; }
  export GNUPGHOME=$PWD/gnupg && mkdir -m 700 "$GNUPGHOME" || return 1
  gpg --batch --quiet --passphrase '' --quick-gen-key "Rita Relationship <rita@example.com>" \
    ed25519 sign never 2>/dev/null || { echo "  (skipped: gpg cannot make a key here)" >&2; return 0; }
  make_repo r && cd r && git config commit.gpgsign true || return 1
  add_nina >/dev/null 2>"$E/err"; local code=$?
  git verify-commit HEAD 2>"$E/vout"; local verified=$?
  gpgconf --kill gpg-agent 2>/dev/null
  [ "$code" = 0 ] || fail "$(cat "$E/err")" || return 1
  [ "$verified" = 0 ] && grep -q "Good signature" "$E/vout" || fail "not verified: $(cat "$E/vout")"
}

# ---- attributes and ignore rules ----------------------------------------------------

case_filter_attribute() {
  make_repo r && cd r || return 1
  echo 'customers/*.yaml filter=crypt diff=crypt' > .gitattributes
  git add .gitattributes && git commit -q -m crypt || return 1
  add_nina >/dev/null 2>"$E/err"; local code=$?
  [ "$code" = 4 ] && grep -q "filter=crypt" "$E/err" || fail "add: exit $code: $(cat "$E/err")" || return 1
  [ ! -e customers/nina-dahl.yaml ] || fail "written" || return 1
  brm customer set anna-berg title=X --no-commit >/dev/null 2>"$E/err"; code=$?
  [ "$code" = 4 ] && ! grep -q "title: X" customers/anna-berg.yaml || fail "set: exit $code"
}

case_ignored_folder() {
  make_repo r && cd r || return 1
  echo 'customers/' > .gitignore && git add .gitignore && git commit -q -m ignore || return 1
  add_nina >/dev/null 2>"$E/err"; local code=$?
  [ "$code" = 4 ] && grep -q "customers/nina-dahl.yaml" "$E/err" && grep -q ".gitignore:1:customers/" "$E/err" ||
    fail "exit $code: $(cat "$E/err")" || return 1
  [ ! -e customers/nina-dahl.yaml ] || fail "written" || return 1
  # git add refuses the same path; a tracked file in the folder is fine for both.
  echo "name: x" > customers/x.yaml && ! git add customers/x.yaml 2>/dev/null || fail "git added it" || return 1
  rm customers/x.yaml
  brm customer set anna-berg title=X >/dev/null 2>"$E/err" || fail "set tracked: $(cat "$E/err")" || return 1
  add_nina --force >/dev/null 2>"$E/err" || fail "--force: $(cat "$E/err")" || return 1
  git ls-files --error-unmatch customers/nina-dahl.yaml >/dev/null 2>&1 || fail "not committed"
}

# ---- line endings -----------------------------------------------------------------

case_autocrlf() {
  make_repo origin && git clone -q -c core.autocrlf=true origin r && cd r || return 1
  grep -q $'\r' customers/anna-berg.yaml || fail "setup: checkout has no CRLF" || return 1
  brm fmt --check >"$E/out" 2>&1 || fail "fmt --check listed: $(cat "$E/out")" || return 1
  local head_before; head_before=$(head_of)
  brm fmt >/dev/null 2>&1 && [ "$(head_of)" = "$head_before" ] || fail "fmt made a commit" || return 1
  brm customer set anna-berg title=Boss >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  [ "$(grep -c $'\r$' customers/anna-berg.yaml)" = "$(wc -l < customers/anna-berg.yaml)" ] ||
    fail "the file lost its CRLF" || return 1
  [ "$(git hash-object customers/anna-berg.yaml)" = "$(git rev-parse HEAD:customers/anna-berg.yaml)" ] ||
    fail "blob is not what git add stores" || return 1
  ! git cat-file -p HEAD:customers/anna-berg.yaml | grep -q $'\r' || fail "CRLF in the blob" || return 1
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  grep -q $'\r$' customers/nina-dahl.yaml || fail "a new file has no CRLF, as checkout gives" || return 1
  [ "$(git hash-object customers/nina-dahl.yaml)" = "$(git rev-parse HEAD:customers/nina-dahl.yaml)" ] ||
    fail "new blob differs" || return 1
  [ -z "$(git status --porcelain)" ] || fail "status: $(git status --porcelain)"
}

case_crlf_file_keeps_crlf() {
  make_repo r && cd r && sed -i 's/$/\r/' customers/anna-berg.yaml && git commit -qam crlf || return 1
  brm fmt --check >"$E/out" 2>&1 || fail "fmt --check listed: $(cat "$E/out")" || return 1
  brm customer set anna-berg title=Boss >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  [ "$(git diff --numstat HEAD~1 HEAD)" = "$(printf '1\t1\tcustomers/anna-berg.yaml')" ] ||
    fail "diff: $(git diff --numstat HEAD~1 HEAD)" || return 1
  [ "$(git hash-object customers/anna-berg.yaml)" = "$(git rev-parse HEAD:customers/anna-berg.yaml)" ] ||
    fail "blob differs from the file"
}

case_eol_attribute() {
  make_repo r && cd r && echo '*.yaml text eol=crlf' > .gitattributes && git add .gitattributes &&
    git commit -qm eol || return 1
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  grep -q $'\r$' customers/nina-dahl.yaml || fail "eol=crlf: no CRLF in the file" || return 1
  [ "$(git hash-object customers/nina-dahl.yaml)" = "$(git rev-parse HEAD:customers/nina-dahl.yaml)" ] ||
    fail "blob differs from git's"
}

case_no_empty_commit() {
  make_repo r && cd r || return 1
  brm fmt >/dev/null 2>&1 && git add -A && git commit -qm canonical 2>/dev/null
  brm customer set anna-berg title=Other --no-commit >/dev/null 2>&1 || return 1
  local head_before; head_before=$(head_of)
  brm customer set anna-berg "title=Head of Retail" >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  [ "$(head_of)" = "$head_before" ] || fail "an empty commit was made" || return 1
  grep -q "no commit" "$E/err" || fail "not said: $(cat "$E/err")" || return 1
  [ -z "$(git status --porcelain)" ] || fail "status: $(git status --porcelain)"
}

# ---- git's index ----------------------------------------------------------------------

# After an add, the index holds what `git add` + `git commit` of the same file leave: the
# same entries (a submodule's among them), a skip-worktree flag kept, and cached trees that
# are either dropped or HEAD's own (git write-tree trusts them, so a stale one would show
# as a wrong tree).
case_index_as_git_add_leaves_it() {
  make_repo r && cd r && echo notes > notes.txt && git add notes.txt &&
    git update-index --add --cacheinfo "160000,$(git rev-parse HEAD),vendor/lib" && mkdir -p vendor/lib &&
    git commit -qm notes && git update-index --skip-worktree notes.txt &&
    git -c core.untrackedCache=true update-index --untracked-cache &&
    git -c core.untrackedCache=true status >/dev/null && cp -a . ../by-git || return 1
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  (cd ../by-git && cp -p ../r/customers/nina-dahl.yaml customers/ &&
    git add customers/nina-dahl.yaml && git commit -qm nina) || return 1
  [ "$(git ls-files --stage)" = "$(git -C ../by-git ls-files --stage)" ] ||
    fail "entries differ: $(diff <(git ls-files --stage) <(git -C ../by-git ls-files --stage))" || return 1
  [ "$(git ls-files -v | grep '^S')" = "S notes.txt" ] || fail "skip-worktree: $(git ls-files -v)" || return 1
  [ -z "$(git status --porcelain)" ] || fail "status: $(git status --porcelain)" || return 1
  [ "$(git write-tree)" = "$(git rev-parse 'HEAD^{tree}')" ] || fail "write-tree is not HEAD's tree" || return 1
  brm customer set anna-berg title=Boss >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  [ "$(git write-tree)" = "$(git rev-parse 'HEAD^{tree}')" ] && [ -z "$(git status --porcelain)" ] ||
    fail "after a change: $(git status --porcelain)"
}

# A commit that fails after the index is staged (here the signing program fails, as git's
# does: "gpg failed to sign the data") leaves the index as it was and no index.lock.
case_index_kept_when_the_commit_fails() {
  make_repo r && cd r && git config commit.gpgsign true && git config gpg.program false || return 1
  local index_before; index_before=$(git ls-files --stage --debug | md5sum)
  add_nina >/dev/null 2>"$E/err"; local code=$?
  [ "$code" = 4 ] || fail "exit $code: $(cat "$E/err")" || return 1
  [ ! -e .git/index.lock ] || fail "index.lock left behind" || return 1
  [ "$(git ls-files --stage --debug | md5sum)" = "$index_before" ] || fail "the index changed" || return 1
  [ -z "$(git status --porcelain)" ] || fail "status: $(git status --porcelain)"
}

# core.fileMode=false: the mode git has for a file stays, whatever the file's own bits are,
# in the index and in the commit, as git add keeps it.
case_file_mode_not_trusted() {
  make_repo r && cd r && git update-index --chmod=+x customers/anna-berg.yaml &&
    git commit -qm exec && git config core.fileMode false && cp -a . ../by-git || return 1
  brm customer set anna-berg title=Boss >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  (cd ../by-git && cp ../r/customers/anna-berg.yaml customers/ && git add customers/anna-berg.yaml &&
    git commit -qm boss) || return 1
  [ "$(git ls-files --stage)" = "$(git -C ../by-git ls-files --stage)" ] ||
    fail "index: $(git ls-files --stage)" || return 1
  [ "$(git ls-tree -r HEAD)" = "$(git -C ../by-git ls-tree -r HEAD)" ] || fail "tree: $(git ls-tree -r HEAD)"
}

# An index that git wrote in version 4 (feature.manyFiles) is libgit2's to update.
case_index_version_4() {
  make_repo r && cd r && git update-index --index-version 4 || return 1
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  [ -z "$(git status --porcelain)" ] || fail "status: $(git status --porcelain)" || return 1
  [ "$(git write-tree)" = "$(git rev-parse 'HEAD^{tree}')" ] || fail "write-tree is not HEAD's tree" || return 1
  git ls-files --error-unmatch customers/nina-dahl.yaml >/dev/null || fail "not in the index"
}

# ---- brm init -----------------------------------------------------------------------

case_init_never_overwrites() {
  mkdir -p mine/customers && echo "mine" > mine/customers/anna-berg.yaml && echo "readme" > mine/README.md
  brm init mine --example >/dev/null 2>"$E/err"; local code=$?
  [ "$code" != 0 ] && grep -q "README.md" "$E/err" && grep -q "customers/anna-berg.yaml" "$E/err" ||
    fail "exit $code: $(cat "$E/err")" || return 1
  [ "$(cat mine/customers/anna-berg.yaml)" = mine ] && [ "$(cat mine/README.md)" = readme ] ||
    fail "overwritten" || return 1
  [ ! -e mine/brm.yaml ] && [ ! -e mine/.git ] || fail "left things behind"
}

case_init_all_or_nothing() {
  mkdir nobody && HOME=$PWD/nobody brm init crm >/dev/null 2>"$E/err"; local code=$?
  [ "$code" = 4 ] || fail "exit $code: $(cat "$E/err")" || return 1
  [ ! -e crm ] || fail "left: $(find crm | head)" || return 1
  # A hook that fails in the repository around it: nothing left either.
  make_repo outer && hook outer/.git/hooks pre-commit 'exit 1' || return 1
  brm init outer/crm >/dev/null 2>&1; code=$?
  [ "$code" = 4 ] && [ ! -e outer/crm ] || fail "hook: exit $code, left $(ls outer)" || return 1
  rm outer/.git/hooks/pre-commit
  brm init outer/crm >/dev/null 2>"$E/err" || fail "retry: $(cat "$E/err")" || return 1
  brm init crm >/dev/null 2>"$E/err" || fail "retry: $(cat "$E/err")"
}

# ---- states: merge, rebase, detached, unborn -------------------------------------

case_detached_and_unborn() {
  make_repo r && cd r && git checkout -q --detach || return 1
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  grep -q "^warning: HEAD is detached" "$E/err" || fail "no warning: $(cat "$E/err")" || return 1
  [ "$(git log -1 --format=%s)" = "customer: add nina-dahl" ] || fail "no commit" || return 1
  cd .. && git init -q u && mkdir -p u/customers && printf 'brm: 1\norganisation: U\ncurrency: EUR\n' > u/brm.yaml &&
    cd u || return 1
  add_nina >/dev/null 2>"$E/err" || fail "unborn: $(cat "$E/err")" || return 1
  [ "$(git log --format=%s main)" = "customer: add nina-dahl" ] || fail "unborn: no commit on main"
}

case_merge_in_progress() {
  make_repo r && cd r && git checkout -q -b other && echo x > x && git add x && git commit -qm x &&
    git checkout -q main && git merge -q --no-ff --no-commit other >/dev/null 2>&1 || return 1
  [ -e .git/MERGE_HEAD ] || fail "setup: no merge in progress" || return 1
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  grep -q "^warning: a merge is in progress" "$E/err" || fail "no warning: $(cat "$E/err")"
}

case_rebase_in_progress() {
  make_repo r && cd r && echo x > x && git add x && git commit -qm x || return 1
  GIT_SEQUENCE_EDITOR="sed -i 1s/^pick/edit/" git rebase -q -i HEAD~1 >/dev/null 2>&1
  [ -d .git/rebase-merge ] || fail "setup: no rebase in progress" || return 1
  add_nina >/dev/null 2>"$E/err" || fail "$(cat "$E/err")" || return 1
  grep -q "^warning: a rebase is in progress" "$E/err" || fail "no warning: $(cat "$E/err")" || return 1
  [ "$(git log -1 --format=%s)" = "customer: add nina-dahl" ] || fail "no commit" || return 1
  git rebase --continue >/dev/null 2>&1 && git ls-files --error-unmatch customers/nina-dahl.yaml >/dev/null ||
    fail "the rebase could not go on"
}

cases=("$@")
[ ${#cases[@]} = 0 ] && cases=($(declare -F | awk '{print $3}' | grep '^case_' | sed 's/^case_//'))
failed=0
for c in "${cases[@]}"; do
  dir=$(mktemp -d "$work/case.XXXX")
  if (cd "$dir" && export E="$dir" && set +e && "case_$c"); then
    echo "ok   $c"
  else
    echo "FAIL $c"
    failed=$((failed + 1))
  fi
  git config --global --unset-all safe.directory 2>/dev/null
done
echo "$failed of ${#cases[@]} failed"
[ "$failed" = 0 ]
