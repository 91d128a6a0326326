#!/usr/bin/env bash
# Every JSON document brm prints is held against its schema in schema/output/, on real
# output: the example repository, the broken one, and a git history made here.
#   output_schemas_test.sh BRM VALIDATE_JSON SOURCE_DIR
set -u
brm=$1 validate=$2 src=$3
schemas="$src/schema/output"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" BRM_TODAY=2026-11-26 TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=Rita GIT_AUTHOR_EMAIL=rita@example.com
export GIT_COMMITTER_NAME=Rita GIT_COMMITTER_EMAIL=rita@example.com
unset GIT_DIR GIT_WORK_TREE
mkdir -p "$HOME"
fail=0
checked=0

# expect SCHEMA ARGS...: brm ARGS must print a document valid against SCHEMA.
expect() {
  local schema=$1
  shift
  "$brm" "$@" >"$work/out.json" 2>"$work/err"
  local code=$?
  if [ "$code" -gt 1 ]; then
    echo "FAIL brm $*: exit $code: $(cat "$work/err")"; fail=1; return
  fi
  if ! "$validate" "$schemas" "$schema" <"$work/out.json"; then
    echo "FAIL brm $*: not valid against $schema.schema.json"; fail=1; return
  fi
  if ! grep -q '^  "version": 1,$' "$work/out.json"; then
    echo "FAIL brm $*: \"version\": 1 is not the first member"; fail=1; return
  fi
  checked=$((checked + 1))
}

example="$src/examples/example-group"
expect check -C "$example" check --format json
expect check -C "$src/examples/broken" check --format json
for kind in customer agreement complaint meeting survey service requirement; do
  expect list -C "$example" "$kind" list --format json
done
id=$("$brm" -C "$example" customer list --format csv | sed -n '2s/,.*//p')
expect show -C "$example" customer show "$id" --format json
expect agenda -C "$example" agenda --format json
expect export -C "$example" export
expect measure -C "$example" measure --format json
expect measure-trend -C "$example" measure --trend quarterly --format json

# A history with an added, a changed and a removed record.
"$brm" init "$work/repo" --example >/dev/null 2>&1 || { echo "FAIL brm init --example"; exit 1; }
customer=$("$brm" -C "$work/repo" customer list --format csv | sed -n '2s/,.*//p')
"$brm" -C "$work/repo" customer set "$customer" it_contact="Someone Else" >/dev/null
"$brm" -C "$work/repo" service add "Brand New Service" --status live >/dev/null
"$brm" -C "$work/repo" service rm brand-new-service >/dev/null
expect log -C "$work/repo" log --format json
expect log -C "$work/repo" log "$customer" --format json
grep -q '"change": "removed"' "$work/out.json" ||
  grep -q '"fields"' "$work/out.json" || { echo "FAIL log: no changed fields seen"; fail=1; }

# The schemas bite: a document of the version before (none) or with a stray member fails.
if printf '{"findings": [], "files": 0, "errors": 0, "warnings": 0, "notes": 0}' |
  "$validate" "$schemas" check >/dev/null; then
  echo "FAIL check.schema.json accepts a document without a version"; fail=1
fi
if printf '{"version": 1, "commits": [], "extra": 1}' | "$validate" "$schemas" log >/dev/null; then
  echo "FAIL log.schema.json accepts an unknown member"; fail=1
fi

# Every schema here is used above: a new output needs a new case.
for f in "$schemas"/*.schema.json; do
  name=$(basename "$f" .schema.json)
  grep -q "^ *expect $name " "$0" || { echo "FAIL $name.schema.json is not tested"; fail=1; }
done

# --format text is every human format's name, list's old "table" stays an alias.
for args in "check" "customer list" "customer list --format table" "agenda" "measure" \
  "customer show $id"; do
  fmtargs="--format text"
  case $args in *table*) fmtargs= ;; esac
  "$brm" -C "$example" $args $fmtargs >/dev/null 2>"$work/err" ||
    { echo "FAIL brm $args $fmtargs: $(cat "$work/err")"; fail=1; }
done
"$brm" -C "$work/repo" log --format text >/dev/null || { echo "FAIL brm log --format text"; fail=1; }

echo "output schemas: $checked documents checked"
exit $fail
