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

# From a warm cache, show decodes only the records whose cached form holds the id shown (or
# the id of one of its agreements, for its results) and list only the kinds it shows; edits
# to the other records must still be seen. The files are dated back, so that the cache
# vouches for each by its stamp and the listing leaves them out; then one file changes at
# a time, in place (same size, same modification time: only the change time moves) or by
# a rename.
rewrite() {
  python3 - "$1" "$2" "$3" <<'PY'
import os, sys
path, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
st = os.stat(path)
data = open(path, 'rb').read()
assert len(old) == len(new) and data.count(old) == 1
with open(path, 'r+b') as f:
    f.write(data.replace(old, new))
os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
}
fail() {
  failed=$((failed + 1))
  echo "$1"
}
refers() {  # `brm customer show $1` lists $2 among the records that refer to it
  "$brm" customer show "$1" --format json | grep -q "\"id\": \"$2\""
}
find . -path ./.git -prune -o -type f -exec touch -d '2026-01-01 12:00' {} +
"$brm" check >/dev/null 2>&1
same customer show anna-bergg
same customer show no-such-id
same complaint list --customer anna-berg
same customer list --customer karin-lindqvist
same result list
same customer show pieter-de-vries --format json
# A text table decodes only the fields of its columns and filters (table_fields).
same customer list --role purchaser
same customer list --without-contact --status active
same complaint list --open
same complaint list --severity high --customer anna-berg
same meeting list --since 2026-06-01
same project list --late
same plan list --due
same agreement list --status active --format csv
same agreement list --status active
c=complaints/2025-09-08-tills-froze-during-saturday-peak.yaml
refers karin-lindqvist 2025-09-08-tills-froze-during-saturday-peak || fail "no referrer to move"
sleep 0.1  # past the file system clock's tick: the change time moves
rewrite $c "customer: karin-lindqvist" "customer: henrik-sorensen"
same customer show karin-lindqvist --format json
same customer show henrik-sorensen --format json
same customer show henrik-sorensen
refers henrik-sorensen 2025-09-08-tills-froze-during-saturday-peak || fail "edit in place not seen"
refers karin-lindqvist 2025-09-08-tills-froze-during-saturday-peak && fail "edit in place not seen"
mv $c complaints/2025-09-09-tills-froze-again.yaml
same customer show henrik-sorensen --format json
refers henrik-sorensen 2025-09-09-tills-froze-again || fail "rename not seen"
refers henrik-sorensen 2025-09-08-tills-froze-during-saturday-peak && fail "rename not seen"
# A customer's results come through its agreements: an agreement moved moves them.
refers pieter-de-vries 2026-09-30-consumer-finance-it-services-2026-2027 ||
  fail "no result through an agreement"
sleep 0.1
rewrite agreements/consumer-finance-it-services-2026-2027.yaml \
  "customer: pieter-de-vries" "customer: henrik-sorensen"
same customer show pieter-de-vries
same customer show henrik-sorensen
refers henrik-sorensen 2026-09-30-consumer-finance-it-services-2026-2027 ||
  fail "result through an edited agreement not seen"
same result list --breached
same agreement list --customer henrik-sorensen

# ... and with a broken record, which show and list warn about.
printf 'name: [unclosed\n' > customers/broken.yaml
same customer list
same customer show anna-berg
echo "$compared commands compared, $failed differ"
[ "$failed" = 0 ] && [ "$compared" -gt 20 ]
