#include "brm/git2_lazy.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include "brm/error.hpp"

namespace brm::gitx::lazy {
namespace {

// Opened once, by the soname brm was built against (CMakeLists.txt), and never closed.
void* library() {
  static void* const handle = [] {
    void* h = ::dlopen(BRM_LIBGIT2_SONAME, RTLD_LAZY | RTLD_LOCAL);
    if (!h) {
      const char* why = ::dlerror();
      throw Error(ExitCode::Git, fmt::format("cannot load libgit2 ({}): {}", BRM_LIBGIT2_SONAME,
                                             why ? why : "unknown error"));
    }
    return h;
  }();
  return handle;
}

}  // namespace

void* symbol(const char* name) {
  void* f = ::dlsym(library(), name);
  if (!f)
    throw Error(ExitCode::Git,
                fmt::format("libgit2 ({}) has no function '{}'", BRM_LIBGIT2_SONAME, name));
  return f;
}

}  // namespace brm::gitx::lazy
