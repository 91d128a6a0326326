#include "brm/memory.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#if defined(__SANITIZE_ADDRESS__)
#define BRM_OTHER_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define BRM_OTHER_MALLOC 1
#endif
#endif

namespace {

std::string first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The mappings of this process that asked for transparent huge pages ("hg" in VmFlags).
int huge_page_mappings() {
  std::ifstream smaps("/proc/self/smaps");
  int n = 0;
  for (std::string line; std::getline(smaps, line);)
    if (line.rfind("VmFlags:", 0) == 0 && (line + " ").find(" hg ") != std::string::npos) ++n;
  return n;
}

// Sets GLIBC_TUNABLES for the scope, and puts back what was there.
struct Tunables {
  std::optional<std::string> old;
  explicit Tunables(const char* value) {
    if (const char* v = std::getenv("GLIBC_TUNABLES")) old = v;
    ::setenv("GLIBC_TUNABLES", value, 1);
  }
  ~Tunables() {
    if (old)
      ::setenv("GLIBC_TUNABLES", old->c_str(), 1);
    else
      ::unsetenv("GLIBC_TUNABLES");
  }
};

}  // namespace

TEST_CASE("memory: the user's own malloc tunables win, and nothing is changed") {
  Tunables user("glibc.malloc.arena_max=2");
  int before = huge_page_mappings();
  brm::MemorySetup setup = brm::set_up_process_memory();
  CHECK_FALSE(setup.tuned);
  CHECK_FALSE(setup.huge_pages);
  CHECK(huge_page_mappings() == before);
}

TEST_CASE("memory: the heap asks for huge pages where the kernel hands them out") {
#ifdef BRM_OTHER_MALLOC
  MESSAGE("a sanitizer's allocator serves malloc: nothing to check");
#else
  Tunables other("glibc.rtld.optional_static_tls=512");  // not malloc's: brm tunes
  std::string mode = first_line("/sys/kernel/mm/transparent_hugepage/enabled");
  bool handed_out =
      mode.find("[madvise]") != std::string::npos || mode.find("[always]") != std::string::npos;
  int before = huge_page_mappings();
  brm::MemorySetup setup = brm::set_up_process_memory();
  CHECK(setup.tuned);
  CHECK(setup.huge_pages == handed_out);
  if (handed_out) CHECK(huge_page_mappings() > before);
  // Without them asked for, only the settings are made.
  CHECK(brm::set_up_process_memory(0).tuned);
#endif
}
