#!/usr/bin/env bash
# robust-no-outside-reads: links in a repository are never followed, by any command.
# The repository holds links to files and folders outside it (relative and absolute)
# and to a file inside it; every command runs under strace, and no system call may open,
# stat or list anything through those links or outside the scratch folder's repository.
# Exits 77 (skipped) where strace cannot trace.
#   no_outside_reads_test.sh BRM
brm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source "$(dirname "$0")/common.sh"
# LeakSanitizer cannot run under ptrace; the other sanitizer suites cover leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

if ! command -v strace >/dev/null || ! strace -f -qq -o /dev/null true 2>/dev/null; then
  echo "skipped: strace is missing or cannot trace here"
  exit 77
fi

repo="$work/repo"
outside="$work/outside"
mkdir -p "$outside/folder"
printf 'name: Secret Person\nrole: customer\n' >"$outside/secret.yaml"
printf 'name: Printing\nstatus: live\n' >"$outside/folder/printing.yaml"
new_repo "$repo"
"$brm" -C "$repo" customer add "Anna Berg" --role customer >/dev/null || fail "setup add"
ln -s ../../outside/secret.yaml "$repo/customers/relative.yaml"
ln -s "$outside/secret.yaml" "$repo/customers/absolute.yaml"
ln -s anna-berg.yaml "$repo/customers/inside.yaml"
rm -rf "$repo/services"
ln -s "$outside/folder" "$repo/services"
mkdir -p "$repo/schema"
ln -s ../../outside/secret.yaml "$repo/schema/customer.schema.yaml"
links=("$repo/customers/relative.yaml" "$repo/customers/absolute.yaml" "$repo/customers/inside.yaml"
       "$repo/services" "$repo/schema/customer.schema.yaml")

trace() {  # trace NAME ARGS...: runs brm ARGS under strace into $work/trace.NAME
  local name=$1
  shift
  (cd "$repo" && strace -f -qq -s 4096 -o "$work/trace.$name" \
    -e trace=open,openat,openat2,creat,stat,lstat,newfstatat,statx,access,faccessat,faccessat2,readlink,readlinkat,chdir,getdents64 \
    "$brm" "$@" >"$work/out.$name" 2>&1)
  echo "brm $*: exit $?"
}

trace check check
trace list customer list
trace show customer show anna-berg
trace measure measure
trace agenda agenda
trace report report --format html -o "$work/report.html"
trace export export --format csv -o "$work/export"
trace set customer set anna-berg notes=traced
trace add customer add "Per Holm" --role purchaser --customer anna-berg
trace fmt fmt
grep -q 'Secret Person' "$work"/out.* "$work/report.html" "$work/export"/* 2>/dev/null &&
  fail "an outside file's text shows in brm's output"

# Each system call that names a path: opening, stat-ing (without AT_SYMLINK_NOFOLLOW) or
# entering a link, a path below a folder link, or anything under $outside is a violation.
python3 - "$outside" "$work" "${links[@]}" <<'EOF' || fail "brm reached through a link (above)"
import os, re, sys
outside, work, links = sys.argv[1], sys.argv[2], sys.argv[3:]
call = re.compile(r'^\d+\s+(\w+)\((.*)\)\s+=\s+(-?\d+|\?)')
bad = []
for name in sorted(os.listdir(work)):
    if not name.startswith("trace."):
        continue
    for line in open(os.path.join(work, name), errors="replace"):
        m = call.match(line)
        if not m:
            continue
        sc, args = m.group(1), m.group(2)
        paths = re.findall(r'"((?:[^"\\]|\\.)*)"', args)
        if not paths:
            continue
        path = paths[0]
        nofollow = "O_NOFOLLOW" in args or "AT_SYMLINK_NOFOLLOW" in args or sc in ("lstat", "readlink", "readlinkat")
        if path.startswith(outside):
            bad.append(f"{name[6:]}: {line.strip()}")
            continue
        for link in links:
            if path == link and not nofollow:
                bad.append(f"{name[6:]}: follows {os.path.relpath(link, work)}: {line.strip()}")
            elif path.startswith(link + "/"):
                bad.append(f"{name[6:]}: goes through {os.path.relpath(link, work)}: {line.strip()}")
for b in bad:
    print(b[:400])
sys.exit(1 if bad else 0)
EOF
finish
