// libFuzzer target: a survey import's CSV bytes through the CSV reader and writer.
#include <cstdio>
#include <cstdlib>

#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  brm::fuzz::init_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string broken = brm::fuzz::run_csv_input(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "fuzz_csv: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
