// libFuzzer target: bytes as git's index through the reader a commit uses.
#include <cstdio>
#include <cstdlib>

#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  brm::fuzz::init_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string broken = brm::fuzz::run_git_index_input(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "fuzz_git_index: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
