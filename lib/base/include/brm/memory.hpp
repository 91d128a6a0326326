// How brm's process takes its memory from the kernel.
#pragma once

#include <cstddef>

namespace brm {

// Sets up glibc's allocator for a run of brm, once, before the work begins (main).
//
// brm is a short run that builds tens of megabytes of small objects and then exits, and
// the first touch of a fresh page is most of what that memory costs (on a virtual
// machine, 10-15 µs a page). So freed memory stays with the process for reuse instead
// of going back to the kernel (M_TRIM_THRESHOLD, M_MMAP_THRESHOLD), every thread takes
// from the one heap (M_ARENA_MAX), and, where the kernel gives transparent huge pages
// only on request ("madvise"), the first `huge_heap` bytes of the heap ask for them, as
// glibc's own `glibc.malloc.hugetlb=1` tunable would.
//
// Nothing is changed when GLIBC_TUNABLES sets any glibc.malloc tunable (the user's
// choice wins) or when another allocator (a sanitizer's) serves malloc. Returns whether
// the huge pages were asked for.
struct MemorySetup {
  bool tuned = false;       // the mallopt settings were made
  bool huge_pages = false;  // part of the heap asked for transparent huge pages
};
MemorySetup set_up_process_memory(std::size_t huge_heap = std::size_t{64} << 20);

}  // namespace brm
