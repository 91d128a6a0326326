#!/usr/bin/env bash
# The .deb as a user gets it: built with CPack from this build, unpacked (dpkg-deb -x, and
# dpkg -i into a scratch root when running as root), then the installed brm checks the
# example repository and commits an add to a copy of it (libgit2 is opened at run time),
# the installed manual is mandoc-lint clean, the completions are where the shells look,
# and the package depends on the libraries brm links and the libgit2 it opens.
#   deb_test.sh BUILD-DIR SOURCE-DIR     (exit 77: dpkg-deb or cpack is missing)
set -u
build=$(cd "$1" && pwd) src=$2
for tool in dpkg-deb dpkg-shlibdeps cpack mandoc; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; echo "FAIL cpack"; exit 1; }
deb=$(ls "$work"/out/brm_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { cat "$work/cpack.log"; echo "FAIL no brm_*.deb"; exit 1; }
echo "built $(basename "$deb")"

check_root() {  # ROOT HOW
  local root=$1 how=$2
  for f in usr/bin/brm usr/share/man/man1/brm.1.gz usr/share/man/man5/brm.5.gz \
    usr/share/man/man7/brm-rules.7.gz usr/share/bash-completion/completions/brm \
    usr/share/zsh/vendor-completions/_brm usr/share/fish/vendor_completions.d/brm.fish \
    usr/share/brm/schema/customer.schema.yaml usr/share/brm/schema/output/check.schema.json; do
    [ -e "$root/$f" ] || { echo "FAIL $how: no /$f"; fail=1; }
  done
  [ -L "$root/usr/share/man/man1/brm-customer.1.gz" ] &&
    [ -f "$root/usr/share/man/man1/brm-customer.1.gz" ] ||
    { echo "FAIL $how: brm-customer.1.gz is not a working link"; fail=1; }
  if find "$root/usr" -type d -empty | grep -q .; then
    echo "FAIL $how: empty folders: $(find "$root/usr" -type d -empty)"; fail=1
  fi
  if ! (cd "$src" && "$root/usr/bin/brm" -C examples/example-group check >"$work/check.out" 2>&1); then
    cat "$work/check.out"; echo "FAIL $how: the installed brm does not check the example"; fail=1
  fi
  # A write with its commit: the installed brm opens libgit2 at run time, by its soname.
  if command -v git >/dev/null; then
    local repo="$work/commit-${how// /-}"
    cp -r "$src/examples/example-group" "$repo" &&
      git -C "$repo" init -q && git -C "$repo" add -A &&
      git -C "$repo" -c user.name=T -c user.email=t@example.com commit -qm start || fail=1
    local customer
    customer=$(ls "$repo/customers" | head -1)
    if ! (cd "$repo" && GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=T \
      GIT_COMMITTER_EMAIL=t@example.com BRM_TODAY=2026-11-20 "$root/usr/bin/brm" complaint add \
      "Mail slow" --customer "${customer%.yaml}" --severity low --received 2026-11-20 \
      >"$work/add.out" 2>&1) ||
      [ "$(git -C "$repo" log -1 --format=%s)" != "complaint: add 2026-11-20-mail-slow" ]; then
      cat "$work/add.out"; echo "FAIL $how: the installed brm does not commit"; fail=1
    fi
  fi
  gzip -t "$root"/usr/share/man/man*/*.gz || { echo "FAIL $how: a page is not gzip"; fail=1; }
  local page
  for page in "$root"/usr/share/man/man*/*.gz; do
    if ! gzip -dc "$page" | mandoc -Tlint -W warning; then
      echo "FAIL $how: mandoc -Tlint ${page#$root}"; fail=1
    fi
  done
}

dpkg-deb -x "$deb" "$work/root"
check_root "$work/root" "dpkg-deb -x"

# Depends from dpkg-shlibdeps: the shared libraries brm links, with versions.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libc6 libstdc++6 libgit2 libyaml-cpp libfmt; do
  echo "$depends" | grep -q "$lib" || { echo "FAIL Depends lacks $lib"; fail=1; }
done
dpkg-deb -I "$deb" | grep -q "^ Depends: .*libgit2" || { echo "FAIL dpkg-deb -I shows no Depends"; fail=1; }

# dpkg itself, into an empty root of its own (the libraries are the host's, hence
# --force-depends); only as root, where dpkg can set owners.
if [ "$(id -u)" = 0 ] && command -v dpkg >/dev/null; then
  mkdir -p "$work/dpkg/var/lib/dpkg/info" "$work/dpkg/var/lib/dpkg/updates"
  touch "$work/dpkg/var/lib/dpkg/status"
  if dpkg --root="$work/dpkg" --force-depends --force-script-chrootless --log=/dev/null \
    -i "$deb" >"$work/dpkg.log" 2>&1; then
    check_root "$work/dpkg" "dpkg -i --root"
  else
    cat "$work/dpkg.log"; echo "FAIL dpkg -i --root"; fail=1
  fi
else
  echo "skipped dpkg -i --root: not root"
fi
exit $fail
