#!/usr/bin/env bash
# brm check's output for CI services, in a git repository whose brm.yaml sits in a
# subfolder (data/): SARIF validates against the SARIF 2.1.0 schema, Code Quality has
# GitLab's fields, and every path (SARIF, Code Quality, GitHub annotations) names a file
# from the git root, or from $GITHUB_WORKSPACE / $CI_PROJECT_DIR when they are set.
#   ci_formats_test.sh BRM NPM_DIR SOURCE_DIR      (exit 77: npm is not reachable)
set -eu
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
npm_dir=$2
src=$3
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/../npm/setup" "$npm_dir" || exit $?
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" GIT_CONFIG_NOSYSTEM=1 BRM_TODAY=2026-11-26 BRM_CACHE=off
unset GITHUB_WORKSPACE CI_PROJECT_DIR GIT_DIR GIT_WORK_TREE
git config --global user.name Test && git config --global user.email test@example.com
mkdir -p "$work/repo/data"
cp -r "$src/examples/broken/." "$work/repo/data/"
git -C "$work/repo" init -q && git -C "$work/repo" add -A && git -C "$work/repo" commit -qm data
check=(node "$here/check_reports.js" "$npm_dir/node_modules")

run() {  # run FORMAT OUT [ENV...]: brm check from inside data/customers, exit 1 expected
  local format=$1 out=$2; shift 2
  set +e
  (cd "$work/repo/data/customers" && env "$@" "$brm" check --format "$format") >"$out"
  local code=$?
  set -e
  [ "$code" = 1 ] || { echo "FAIL: brm check --format $format exited $code"; exit 1; }
}

run sarif "$work/sarif.json"
"${check[@]}" sarif "$work/sarif.json" "$work/repo" data/
run codeclimate "$work/cq.json"
"${check[@]}" codeclimate "$work/cq.json" "$work/repo" data/

# GitHub annotations: file= names a file from the git root.
run github "$work/github.txt"
grep -q '^::error file=data/' "$work/github.txt"
sed -n 's/^::[a-z]* file=\([^,:]*\).*/\1/p' "$work/github.txt" | sort -u | while read -r f; do
  [ -e "$work/repo/$f" ] || { echo "FAIL: annotation names '$f', no file under the git root"; exit 1; }
done
if grep -v '^::[a-z]* file=data/' "$work/github.txt"; then echo "FAIL: annotations outside data/"; exit 1; fi

# The CI services' own variables win: paths from $GITHUB_WORKSPACE, $CI_PROJECT_DIR.
run sarif "$work/sarif-ws.json" GITHUB_WORKSPACE="$work"
"${check[@]}" sarif "$work/sarif-ws.json" "$work" repo/data/
run codeclimate "$work/cq-ws.json" CI_PROJECT_DIR="$work"
"${check[@]}" codeclimate "$work/cq-ws.json" "$work" repo/data/
# ...unless the repository is not inside it: then the git root again.
run github "$work/github-elsewhere.txt" GITHUB_WORKSPACE=/nonexistent/elsewhere
cmp "$work/github.txt" "$work/github-elsewhere.txt"

# Fingerprints stay while lines move: a comment line on top of every record changes
# every line number and no fingerprint.
for f in "$work"/repo/data/*/*.yaml; do printf '# moved\n' | cat - "$f" >"$f.new" && mv "$f.new" "$f"; done
run codeclimate "$work/cq-moved.json"
fingerprints() { node -e 'for (const i of JSON.parse(require("fs").readFileSync(process.argv[1]))) console.log(i.fingerprint, i.location.lines.begin)' "$1" | sort; }
diff <(fingerprints "$work/cq.json" | cut -d' ' -f1) <(fingerprints "$work/cq-moved.json" | cut -d' ' -f1)
if diff -q <(fingerprints "$work/cq.json") <(fingerprints "$work/cq-moved.json") >/dev/null; then
  echo "FAIL: the line numbers did not move"; exit 1
fi
echo "ok: sarif, codeclimate and github paths from the git root and the CI variables"
