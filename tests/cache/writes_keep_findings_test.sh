#!/usr/bin/env bash
# A write keeps the record cache's findings up to date (note_written): after each write the
# next brm check answers from the cache without computing anything, and what it prints must
# be what a check with the cache off prints. Writes of every sort follow one another (adds,
# a warning, a set, a removal that leaves references dangling, a refused add, the record
# put back), then the cache is damaged by a torn write and must be rebuilt.
#   writes_keep_findings_test.sh BRM EXAMPLE_REPOSITORY
set -u
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BRM_TODAY=2026-11-26 NO_COLOR=1 HOME="$work/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME" && git config --global user.name T && git config --global user.email t@example.com
cp -r "$2" "$work/repo" && cd "$work/repo" && rm -rf .git && git init -q && git add -A &&
  git commit -qm start || exit 1
compared=0 failed=0 kept=0

cache_file() { ls .git/brm/records-*.cache 2>/dev/null | head -1; }
# The generation of the cache's findings (lib/repo/record_cache.cpp: the tail's third field),
# new whenever they are computed and written. A check may still write the cache without
# computing them: the refresh of racy files' stamps, which keeps the generation.
generation() {
  python3 - "$(cache_file)" <<'PY' 2>/dev/null
import struct, sys
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'BRMCACHE' and data[-8:] == b'BRMCACHE'
version = struct.unpack_from('<I', data, 8)[0]
assert version == 9, f'this test reads the cache format 9, not {version}'
tail = struct.unpack_from('<Q', data, len(data) - 16)[0]
schemas_key = struct.unpack_from('<Q', data, tail)[0]
print(struct.unpack_from('<Q', data, tail + 8 + schemas_key + 8)[0])
PY
}

# brm check through the cache against brm check without it, text and JSON.
same_check() {
  local a b
  for format in text json; do
    a=$("$brm" check --format "$format" 2>&1; echo "exit $?")
    b=$(BRM_CACHE=off "$brm" check --format "$format" 2>&1; echo "exit $?")
    compared=$((compared + 1))
    if [ "$a" != "$b" ]; then
      failed=$((failed + 1))
      echo "after '$step': brm check --format $format differs with the cache"
      diff <(echo "$a") <(echo "$b") | head -10
    fi
  done
}

# One write, then the checks. `kept`: the write must have left findings that the next check
# takes as they are (computes none, so writes none).
write() {
  local expect=$1
  shift
  step="brm $*"
  "$brm" "$@" >/dev/null 2>"$work/stderr"
  code=$?
  local before
  before=$(generation)
  same_check
  if [ "$expect" = kept ]; then
    if [ -n "$before" ] && [ "$before" = "$(generation)" ]; then
      kept=$((kept + 1))
    else
      failed=$((failed + 1))
      echo "after '$step': the check wrote the cache again (the write did not keep the findings)"
    fi
  fi
}

# A write that must succeed and keep the findings.
taken() {
  write kept "$@"
  if [ "$code" != 0 ]; then
    failed=$((failed + 1))
    echo "after '$step': exit $code, wanted 0:"
    head -5 "$work/stderr"
  fi
}

# A write that must be refused (exit 1) naming `rule`, which leaves the findings as they were.
refused() {
  local rule=$1 out code
  shift
  step="brm $* (refused)"
  out=$("$brm" "$@" 2>&1)
  code=$?
  if [ "$code" != 1 ] || ! grep -q "\[$rule\]" <<<"$out"; then
    failed=$((failed + 1))
    echo "after '$step': exit $code, wanted 1 with [$rule]:"
    echo "$out" | head -5
  fi
  same_check
}

step=start
same_check
write kept complaint add "Printer queue lost" --customer anna-berg --received 2026-11-20 --severity low
write kept complaint add "Scanner offline" --customer anna-berg --received 2026-11-21 --severity low
# A warning the rules give (a date more than a year ahead) comes with the write.
write kept meeting add --customer anna-berg --date 2028-01-10 --subject "Far ahead"
write any customer set anna-berg notes=changed
# References to the removed customer dangle: errors elsewhere, which the next check reports.
write kept customer rm anna-berg --force
write kept complaint add "Refused: no such customer" --customer anna-berg --received 2026-11-22 \
  --severity low
# An add validates with the rules over the records it can reach: the references to its id
# that were unknown (their hint names the closest id), and the records it refers to, whose
# role counts.
taken customer add "Anna Bergh" --role customer --extra 'cost_centre="4410"'
refused purchaser-chain customer add "Piet Chain" --role purchaser --customer agnieszka-nowak \
  --extra 'cost_centre="4410"'
refused unknown-reference complaint add "No such customer" --customer anna-bergg \
  --received 2026-11-20 --severity low
taken customer add "Anna Berg" --id anna-berg --role customer --extra 'cost_centre="4410"'
# Kinds whose new records other rules read beyond their ids: validated over everything.
refused wrong-role agreement add "Wrong role" --customer agnieszka-nowak --status draft \
  --start 2027-01-01 --service card-payments
taken agreement add "Printing 2027" --customer anna-berg --status draft --start 2027-01-01 \
  --service card-payments
# A file changed by hand: the findings no longer hold, the add loads what the rules read.
printf '# edited by hand\n' >>complaints/"$(ls complaints | head -1)"
taken complaint add "After a hand edit" --customer anna-berg --received 2026-11-22 \
  --severity low
for i in 1 2 3 4 5 6; do
  write kept complaint add "Complaint $i" --customer eva-janssen --received 2026-11-2$i --severity low
done
# A torn cache (a crash in the middle of writing it) is found out and rebuilt.
step="torn cache"
truncate -s -7 "$(cache_file)"
same_check
write kept complaint add "After the tear" --customer eva-janssen --received 2026-11-20 --severity low
# A killed writer's temporary cache file goes at the next write once a minute old, also
# when that write only appends to the cache; a newer one (a write in progress) stays.
stale=".git/brm/.$(basename "$(cache_file)").0badcafe.brm-tmp"
fresh=".git/brm/.$(basename "$(cache_file)").0badbeef.brm-tmp"
echo torn >"$stale" && touch -d '2 minutes ago' "$stale" && echo torn >"$fresh"
write kept complaint add "Stale temporaries" --customer eva-janssen --received 2026-11-20 --severity low
if [ -e "$stale" ] || [ ! -e "$fresh" ]; then
  failed=$((failed + 1))
  echo "after '$step': the old temporary cache file was left, or the new one removed"
fi
echo "$compared checks compared, $failed failed, $kept writes kept the findings"
[ "$failed" = 0 ] && [ "$kept" -ge 10 ]
