#!/usr/bin/env bash
# The schemas `brm schema -o` writes, as Ajv (strict mode) takes them, on the example
# repository and its own schema/customer.schema.yaml.
#   ajv_schemas_test.sh BRM NPM_DIR SOURCE_DIR      (exit 77: npm is not reachable)
set -eu
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
npm_dir=$2
src=$3
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/../npm/setup" "$npm_dir" || exit $?
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work"
"$brm" -C "$src/examples/example-group" schema -o "$work/schemas"
node "$here/ajv_schemas.js" "$npm_dir/node_modules" "$work/schemas" "$src/examples/example-group"
