// libFuzzer target: YAML text through the subset reader and yaml-cpp, which must agree
// wherever the subset reader accepts the text.
#include <cstdio>
#include <cstdlib>

#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string broken = brm::fuzz::run_yaml_block_input(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "fuzz_yaml_block: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
