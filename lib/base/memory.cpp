#include "brm/memory.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace brm {
namespace {

constexpr int kKeepFreed = 1 << 30;         // M_TRIM_THRESHOLD: never, in practice
constexpr int kLargestFromHeap = 32 << 20;  // M_MMAP_THRESHOLD: glibc's own maximum
constexpr int kDefaultTopPad = 128 << 10;   // M_TOP_PAD: glibc's default

void* set_aside = nullptr;  // below the huge pages: kept, reachable, to the end (see below)

bool user_tunes_malloc() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  return tunables && std::strstr(tunables, "glibc.malloc.");
}

// The kernel's huge page size when it hands them out on request or always; 0 when never
// (or when there is no such kernel setting to read).
std::size_t huge_page_size() {
  std::ifstream enabled("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(enabled, modes);
  if (modes.find("[madvise]") == std::string::npos && modes.find("[always]") == std::string::npos)
    return 0;
  std::ifstream size_file("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
  std::size_t size = 0;
  size_file >> size;
  return size >= 4096 && (size & (size - 1)) == 0 ? size : 0;
}

// Grows the heap by `bytes` in one step (M_TOP_PAD) and asks for huge pages over the
// whole pages of what it grew by. Only when malloc is glibc's heap: a sanitizer's
// allocator leaves the program break where it was.
bool prime_heap_with_huge_pages(std::size_t bytes, std::size_t page) {
  // More than all the free memory the heap has, so that it must grow for it.
  std::size_t request = mallinfo2().fordblks + (std::size_t{1} << 20);
  if (request >= static_cast<std::size_t>(kLargestFromHeap)) return false;
  auto* before = static_cast<char*>(::sbrk(0));
  mallopt(M_TOP_PAD, static_cast<int>(bytes));
  void* probe = std::malloc(request);
  auto* after = static_cast<char*>(::sbrk(0));
  auto* p = static_cast<char*>(probe);
  mallopt(M_TOP_PAD, kDefaultTopPad);
  // The probe starts in what was left of the old top, below `before`; it ends in the growth.
  bool from_heap = probe && before != reinterpret_cast<char*>(-1) && after > before &&
                   p + request > before && p + request <= after;
  auto top = reinterpret_cast<std::uintptr_t>(p);
  auto start = (reinterpret_cast<std::uintptr_t>(before) + page - 1) & ~(page - 1);
  auto end = reinterpret_cast<std::uintptr_t>(after) & ~(page - 1);
  if (!from_heap || end <= start ||
      ::madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE) != 0) {
    std::free(probe);
    return false;
  }
  // The heap hands out what comes next from where the probe is, below the huge pages:
  // that stretch (up to one huge page of small ones, a fault each) is set aside, never
  // touched and never freed, so that the run's memory comes from the huge pages. A
  // smaller realloc stays in place and gives the rest back to the top.
  if (top < start && start - top > 4096) {
    set_aside = std::realloc(probe, start - top - 64);
  } else {
    std::free(probe);
  }
  return true;
}

}  // namespace

MemorySetup set_up_process_memory(std::size_t huge_heap) {
  MemorySetup setup;
  if (user_tunes_malloc()) return setup;
  // A sanitizer's allocator takes mallopt and does nothing (returns 0).
  setup.tuned = mallopt(M_MMAP_THRESHOLD, kLargestFromHeap) == 1 &&
                mallopt(M_TRIM_THRESHOLD, kKeepFreed) == 1 && mallopt(M_ARENA_MAX, 1) == 1;
  if (!setup.tuned || huge_heap == 0) return setup;
  if (std::size_t page = huge_page_size())
    setup.huge_pages = prime_heap_with_huge_pages(huge_heap, page);
  return setup;
}

}  // namespace brm
