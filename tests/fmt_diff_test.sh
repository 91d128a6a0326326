#!/usr/bin/env bash
# `brm fmt --check --diff` on real files prints what `diff -u` prints between each file
# and what `brm fmt` makes of it (and the hunks `git diff --no-index` prints, without
# the function names git adds after them), and
# `git apply` of it gives what `brm fmt` writes.
#   fmt_diff_test.sh BRM SOURCE_DIR
set -eu
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" GIT_CONFIG_NOSYSTEM=1 BRM_TODAY=2026-11-26 BRM_CACHE=off LC_ALL=C

# Files as people write them: the golden cases' non-canonical repositories, and the
# example repository with keys moved, values quoted, comments and blank lines added,
# and final newlines taken away.
mkdir "$work/a"
cp -r "$src/examples/example-group/." "$work/a/"
rm -r "$work/a/schema"  # its rules are not what the golden cases' records were written for
for c in fmt-rewrite fmt-check; do
  cp -r "$src/tests/cli/$c/repo/customers/." "$work/a/customers/"
done
python3 - "$work/a" <<'PY'
import os, random, sys
random.seed(14)
root = sys.argv[1]
for folder in sorted(os.listdir(root)):
    d = os.path.join(root, folder)
    if not os.path.isdir(d) or folder == 'schema':
        continue
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        lines = open(p, encoding='utf-8').read().split('\n')[:-1]
        top = [i for i, l in enumerate(lines) if l and not l.startswith((' ', '#', '-'))]
        choice = random.randrange(6)
        if choice == 0 and len(top) > 2:        # the first key moved to the end, with its block
            end = top[1]
            lines = lines[end:] + lines[:end]
        elif choice == 1:                       # a comment and a blank line
            at = random.randrange(len(lines) + 1)
            lines[at:at] = ['# checked by Rita', '']
        elif choice == 2 and top:               # a value quoted that needs no quotes
            i = random.choice(top)
            k, _, v = lines[i].partition(': ')
            if v[:1].isalpha() and v not in ('true', 'false', 'null'):
                lines[i] = f"{k}: '{v}'"
        text = '\n'.join(lines) + '\n'
        if choice == 3:                         # no final newline
            text = text.rstrip('\n')
        open(p, 'w', encoding='utf-8').write(text)
PY
cp -r "$work/a" "$work/b"
(cd "$work/b" && "$brm" fmt --no-commit >/dev/null 2>"$work/fmt.err") || { cat "$work/fmt.err"; exit 1; }
set +e
(cd "$work/a" && "$brm" fmt --check --diff) >"$work/got"
code=$?
set -e
[ "$code" = 1 ] || { echo "FAIL: fmt --check --diff exited $code"; exit 1; }

: >"$work/want"
: >"$work/want-git"
changed=0
while read -r f; do
  changed=$((changed + 1))
  diff -u --label "a/$f" --label "b/$f" "$work/a/$f" "$work/b/$f" >>"$work/want" || true
  printf -- '--- a/%s\n+++ b/%s\n' "$f" "$f" >>"$work/want-git"
  git diff --no-index --no-color --no-indent-heuristic "$work/a/$f" "$work/b/$f" |
    sed -n '/^@@/,$p' | sed 's/^\(@@ [^@]* @@\).*/\1/' >>"$work/want-git" || true
done < <(cd "$work/a" && find . -name '*.yaml' ! -path './schema/*' ! -name brm.yaml | sed 's|^\./||' | sort |
           while read -r f; do cmp -s "$f" "$work/b/$f" || echo "$f"; done)
[ "$changed" -gt 20 ] || { echo "FAIL: only $changed files changed"; exit 1; }
diff -u "$work/want" "$work/got" || { echo "FAIL: not what diff -u prints"; exit 1; }
diff -u "$work/want-git" "$work/got" || { echo "FAIL: not the hunks git diff prints"; exit 1; }
(cd "$work/a" && git apply "$work/got")
diff -r "$work/a" "$work/b" >/dev/null || { echo "FAIL: git apply did not give fmt's result"; exit 1; }
echo "ok: $changed files, the same diff as diff -u and git diff"
