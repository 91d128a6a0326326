#!/usr/bin/env bash
# The editor path end to end: brm init writes .vscode/settings.json, `brm schema -o`
# writes the schemas it names, and the real yaml-language-server (from npm) reports an
# unknown field and a wrong enum value in a record and completes its fields.
#   yaml_ls_test.sh BRM NPM_DIR      (exit 77: npm or its registry is not reachable)
set -eu
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
npm_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/../npm/setup" "$npm_dir" || exit $?
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" GIT_CONFIG_NOSYSTEM=1 BRM_TODAY=2026-11-26

"$brm" init "$work/repo" --example --no-git >/dev/null
rm -rf "$work/repo/.brm/schema"            # the test's schemas come from brm schema -o
"$brm" -C "$work/repo" schema -o .brm/schema
test -f "$work/repo/.brm/schema/customer.schema.json"
if grep -rq 'urn:brm\|x-brm-' "$work/repo/.brm/schema"; then
  echo "FAIL: the exported schemas still hold brm's URNs or x-brm keywords"; exit 1
fi
cat > "$work/repo/customers/bad.yaml" <<'YAML'
name: Bo Bad
role: custommer
emial: bo@example.com

YAML
mkdir "$work/repo/drafts"
cat > "$work/repo/drafts/modeline.yaml" <<'YAML'
# yaml-language-server: $schema=../.brm/schema/customer.schema.json
name: Mo Modeline
role: customer
emial: mo@example.com
YAML
timeout 90 node "$here/yaml_ls_client.js" "$npm_dir/node_modules" "$work/repo"
