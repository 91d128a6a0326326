#!/usr/bin/env bash
# The C++ sources follow .clang-format (Google base, 100 columns): clang-format changes
# nothing in any of them. A file it would change is named with clang-format's own diff.
#   format_check.sh SOURCE_DIR   (exit 77: clang-format is missing)
set -u
command -v clang-format >/dev/null || exit 77
cd "$1" || exit 1
bad=0
while IFS= read -r -d '' f; do
  clang-format --dry-run -Werror "$f" 2>/dev/null >/dev/null && continue
  echo "not formatted: $f (run: clang-format -i $f)"
  clang-format "$f" | diff -u "$f" - | head -20
  bad=$((bad + 1))
done < <(find lib cmd tests bench -path bench/work -prune -o \( -name '*.cpp' -o -name '*.hpp' \) \
  -print0 | sort -z)  # bench/work: bench/run's own build, generated sources
[ "$bad" = 0 ] && echo "every C++ file is formatted" || { echo "$bad files not formatted"; exit 1; }
