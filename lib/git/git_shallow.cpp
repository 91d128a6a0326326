// Shallow clones read the way git reads them (shallow.c, commit grafts): the commits named
// in the `shallow` file are roots of the clone's history.
#include "brm/git_shallow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>

#include "brm/date.hpp"
#include "brm/error.hpp"
#include "brm/git_handle.hpp"

namespace brm::gitx {
namespace {

bool oid_less(const git_oid& a, const git_oid& b) { return git_oid_cmp(&a, &b) < 0; }

constexpr std::string_view unshallow_hint =
    "hint: 'git fetch --unshallow' fetches the rest of the history";

// The commit `rev` names when it is BASE followed by ~N, ^N or ^ steps (HEAD~5, main^2~1)
// and a step leaves a shallow boundary: that boundary. nullopt for any other revision, or
// one whose steps stay inside the clone.
std::optional<Commit> boundary_passed(git_repository* repo, std::string_view rev,
                                      const ShallowCommits& shallow) {
  std::size_t start = rev.find_first_of("~^");
  if (start == 0 || start == std::string_view::npos) return std::nullopt;
  std::string_view steps = rev.substr(start);
  if (steps.find_first_not_of("~^0123456789") != std::string_view::npos) return std::nullopt;
  Object base;
  if (git_revparse_single(base.out(), repo, std::string(rev.substr(0, start)).c_str()) < 0)
    return std::nullopt;
  Object peeled;
  if (git_object_peel(peeled.out(), base.get(), GIT_OBJECT_COMMIT) < 0) return std::nullopt;
  Commit at;
  at.p = reinterpret_cast<git_commit*>(peeled.p);
  peeled.p = nullptr;
  for (std::size_t i = 0; i < steps.size();) {
    char op = steps[i++];
    std::size_t digits = steps.find_first_not_of("0123456789", i);
    if (digits == std::string_view::npos) digits = steps.size();
    if (digits - i > 6) return std::nullopt;  // no history is a million commits deep here
    unsigned n = digits == i
                     ? 1
                     : static_cast<unsigned>(std::stoul(std::string(steps.substr(i, digits - i))));
    i = digits;
    // ~N: N first parents; ^N: the N-th parent (^0, the commit itself).
    unsigned moves = op == '~' ? n : n == 0 ? 0 : 1;
    unsigned which = op == '~' ? 0 : n == 0 ? 0 : n - 1;
    for (unsigned m = 0; m < moves; ++m) {
      if (shallow.contains(*git_commit_id(at.get()))) return at;
      Commit parent;
      if (git_commit_parent(parent.out(), at.get(), which) < 0) return std::nullopt;
      at = std::move(parent);
    }
  }
  return std::nullopt;
}

bool looks_like_object_id(std::string_view rev) {
  return rev.size() >= 4 && rev.size() <= GIT_OID_HEXSZ &&
         std::all_of(rev.begin(), rev.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

ShallowCommits::ShallowCommits(git_repository* repo) {
  std::ifstream in(std::filesystem::path(git_repository_commondir(repo)) / "shallow");
  std::string line;
  while (std::getline(in, line)) {
    git_oid id;
    if (line.size() >= GIT_OID_HEXSZ && git_oid_fromstrn(&id, line.data(), GIT_OID_HEXSZ) == 0)
      ids_.push_back(id);
  }
  std::sort(ids_.begin(), ids_.end(), oid_less);
}

bool ShallowCommits::contains(const git_oid& id) const {
  return std::binary_search(ids_.begin(), ids_.end(), id, oid_less);
}

std::string describe_commit(std::string_view id, std::int64_t time) {
  return fmt::format("commit {} ({})", id.substr(0, 7), date_of_unix_time(time).str());
}

std::string shallow_boundary_warning(std::string_view id, std::int64_t time) {
  return fmt::format("the history stops at {}, the oldest of this shallow clone\n{}",
                     describe_commit(id, time), unshallow_hint);
}

void fail_revision(git_repository* repo, std::string_view rev) {
  const git_error* e = git_error_last();
  std::string why = e && e->message ? e->message : "unknown git error";
  ShallowCommits shallow(repo);
  if (shallow.empty())
    throw Error(ExitCode::Git, fmt::format("unknown revision '{}': {}", rev, why));
  if (std::optional<Commit> boundary = boundary_passed(repo, rev, shallow)) {
    std::string where =
        describe_commit(oid_string(git_commit_id(boundary->get())),
                        static_cast<std::int64_t>(git_commit_time(boundary->get())));
    throw Error(ExitCode::Git,
                fmt::format("revision '{}' is past the history of this shallow clone, which "
                            "stops at {}\n{}",
                            rev, where, unshallow_hint));
  }
  if (looks_like_object_id(rev))
    throw Error(ExitCode::Git,
                fmt::format("unknown revision '{}': {}\nhint: the repository is a shallow clone; "
                            "a commit older than its history is not in it: 'git fetch "
                            "--unshallow' fetches the rest",
                            rev, why));
  throw Error(ExitCode::Git, fmt::format("unknown revision '{}': {}", rev, why));
}

}  // namespace brm::gitx
