// libFuzzer target: a record file's bytes through loading, validation, rules and
// everything downstream (see fuzz_targets.hpp for what the first byte selects).
#include <cstdio>
#include <cstdlib>

#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  brm::fuzz::init_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string broken = brm::fuzz::run_record_input(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "fuzz_record: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
