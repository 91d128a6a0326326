#!/usr/bin/env bash
# The pre-commit hooks and the CI templates hold what their services read, and every brm
# command in them runs: on the example repository (clean) and on examples/broken (fails).
#   templates_test.sh BRM SOURCE_DIR
set -eu
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" BRM_TODAY=2026-11-26 BRM_CACHE=off
mkdir "$work/bin" && ln -s "$brm" "$work/bin/brm" && export PATH="$work/bin:$PATH"
# The commands, one per line: hooks' entries, and the run/script lines that call brm.
python3 - "$src" >"$work/commands" <<'PY'
import sys, yaml
src = sys.argv[1]
hooks = yaml.safe_load(open(f'{src}/.pre-commit-hooks.yaml'))
assert [h['id'] for h in hooks] == ['brm-check', 'brm-fmt'], hooks
for h in hooks:
    assert h['language'] == 'system' and h['pass_filenames'] is False and h['entry'].startswith('brm ')
    print(h['entry'].replace('brm ', 'brm -C "$BRM_DIR" ', 1))
gh = yaml.safe_load(open(f'{src}/ci/github-actions.yml'))
steps = [s for job in gh['jobs'].values() for s in job['steps']]
assert any(s.get('uses', '').startswith('github/codeql-action/upload-sarif') and
           s['with']['sarif_file'] == 'brm.sarif' for s in steps)
gl = yaml.safe_load(open(f'{src}/ci/gitlab-ci.yml'))
assert gl['brm']['artifacts']['reports']['codequality'] == 'gl-code-quality-report.json'
lines = [s['run'] for s in steps if 'run' in s] + gl['brm']['script']
for line in lines:
    if line.startswith('brm '):
        print(line)
PY
cat "$work/commands"
cp -r "$src/examples/example-group" "$work/clean"
cp -r "$src/examples/broken" "$work/broken"
cd "$work"
while read -r command; do
  BRM_DIR=clean bash -c "$command" >/dev/null || { echo "FAIL on the example repository: $command"; exit 1; }
  if BRM_DIR=broken bash -c "$command" >/dev/null 2>&1 && ! [[ $command == *'|| ['* ]]; then
    echo "FAIL: passes on examples/broken: $command"; exit 1
  fi
done <"$work/commands"
test -s brm.sarif && test -s gl-code-quality-report.json
echo "ok: $(wc -l <"$work/commands") commands"
