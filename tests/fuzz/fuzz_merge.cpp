// libFuzzer target: random edits of valid records through the record merge (see
// fuzz_targets.hpp for what the bytes choose and the properties checked).
#include <cstdio>
#include <cstdlib>

#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  brm::fuzz::init_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string broken = brm::fuzz::run_merge_input(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "fuzz_merge: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
