#!/usr/bin/env bash
# The layer rule is the build's: a source of the git layer that includes a header of the
# repo layer does not compile, and one that includes its own layer's and lower ones' does.
#   build_test.sh BUILD_DIR
set -u
build=$1
if ! out=$(cmake --build "$build" --target layer_probe_down 2>&1); then
  echo "FAIL: the git layer cannot include its own and lower layers' headers:"
  echo "$out" | tail -20
  exit 1
fi
if out=$(cmake --build "$build" --target layer_probe_up 2>&1); then
  echo "FAIL: the git layer included brm/repository.hpp (the repo layer above it) and built"
  exit 1
fi
if ! grep -q "brm/repository.hpp: No such file" <<<"$out"; then
  echo "FAIL: the upward include failed, but not for want of the header:"
  echo "$out" | tail -20
  exit 1
fi
echo "the git layer builds with lower headers and is refused brm/repository.hpp"
