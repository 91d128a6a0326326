#!/usr/bin/env bash
# show and list answer from the record cache with only the fields they display of the other
# kinds (shown_fields in lib/repo/field_selection.cpp). Whatever they print from a warm cache must
# be what they print with the cache off: every kind's list (text and JSON) and every record's
# show, on a copy of the example repository, also after a write and with an error in it.
#   warm_equals_cold_test.sh BRM EXAMPLE_REPOSITORY
set -u
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BRM_TODAY=2026-11-26 NO_COLOR=1 HOME="$work/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME" && git config --global user.name T && git config --global user.email t@example.com
cp -r "$2" "$work/repo" && cd "$work/repo" && rm -rf .git && git init -q && git add -A &&
  git commit -qm start || exit 1
kinds=$(ls -d */ | tr -d / | grep -v '^schema$')
compared=0 failed=0

# Each command three times: cold (no cache file yet at the first), warm, and with the cache
# off; the three outputs and exit codes must agree.
same() {
  local a b c
  a=$("$brm" "$@" 2>&1; echo "exit $?")
  b=$("$brm" "$@" 2>&1; echo "exit $?")
  c=$(BRM_CACHE=off "$brm" "$@" 2>&1; echo "exit $?")
  compared=$((compared + 1))
  if [ "$a" != "$c" ] || [ "$b" != "$c" ]; then
    failed=$((failed + 1))
    echo "differs with the cache: brm $*"
    diff <(echo "$b") <(echo "$c") | head -10
  fi
}

round() {
  for kind in $kinds; do
    singular=${kind%s}
    same "$singular" list
    same "$singular" list --format json
    for f in "$kind"/*.yaml; do
      same "$singular" show "$(basename "$f" .yaml)"
    done
  done
}

round
same customer show anna-berg --format json
# After a write through brm (the cache is told what was written) ...
"$brm" complaint add "Printer queue lost" --customer anna-berg --received 2026-11-20 \
  --severity low >/dev/null 2>&1 || "$brm" customer set anna-berg notes=changed >/dev/null ||
  { echo "no write went through"; exit 1; }
round
# ... and with a broken record, which show and list warn about.
printf 'name: [unclosed\n' > customers/broken.yaml
same customer list
same customer show anna-berg
echo "$compared commands compared, $failed differ"
[ "$failed" = 0 ] && [ "$compared" -gt 20 ]
