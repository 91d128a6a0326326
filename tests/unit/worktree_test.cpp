// read_worktree: the listing's order, and what a cache's say (Reuse) may and may not
// change in the snapshot.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "brm/repository.hpp"
#include "scratch_folder.hpp"

namespace brm {
namespace {

namespace fs = std::filesystem;

struct Worktree : test::ScratchFolder {
  Worktree() : ScratchFolder("brm-worktree") { write("brm.yaml", "brm: 1\n"); }
};

std::vector<std::string> paths(const Snapshot& s) {
  std::vector<std::string> out;
  for (const SourceFile& f : s.files) out.push_back(f.path);
  return out;
}

std::vector<std::string> finding_texts(const Snapshot& s) {
  std::vector<std::string> out;
  for (const Diagnostic& d : s.findings) out.push_back(format_text(d));
  return out;
}

bool is_record(std::string_view path) { return kind_of_record_path(path) != nullptr; }

// Names that share long prefixes and differ past the first eight bytes after them, as
// dated record names do, so that the listing's sort has to look past its quick key.
void write_fixture(Worktree& w) {
  for (const char* name :
       {"2026-05-17-meeting-b", "2026-05-17-meeting-a", "2026-05-17-meeting",
        "2026-05-17-meeting-aa", "2026-05-1", "2026-04-30-x", "2027.yaml", "2027"})
    w.write(std::string("meetings/") + name + ".yaml", "date: 2026-05-17\n");
  w.write("customers/zeta.yaml", "name: Zeta\n");
  w.write("customers/alpha.yaml", "name: Alpha\n");
  w.write("customers/notes.txt", "a stray file\n");
  w.write("customers/.gitkeep", "");
  w.write("schema/customer.schema.yaml", "required: [name]\n");
}

}  // namespace

TEST_CASE("read_worktree: kinds' folders in order, each sorted by name, then the schemas") {
  Worktree w;
  write_fixture(w);
  Snapshot snap = read_worktree(w.root);
  std::vector<std::string> expected = {"brm.yaml", "customers/alpha.yaml", "customers/zeta.yaml"};
  // Byte order of the whole names: "-a.yaml" before ".yaml", "1.yaml" before "17-...",
  // and a name before the longer names it begins.
  std::vector<std::string> meetings;
  for (const char* name :
       {"2026-04-30-x", "2026-05-1", "2026-05-17-meeting-a", "2026-05-17-meeting-aa",
        "2026-05-17-meeting-b", "2026-05-17-meeting", "2027", "2027.yaml"})
    meetings.push_back(std::string("meetings/") + name + ".yaml");
  CHECK(std::is_sorted(meetings.begin(), meetings.end()));
  std::vector<std::string> got = paths(snap);
  // The kinds' folders come in the kinds' order; the meetings' place among them is
  // whatever kinds() says, but within the folder the names are in byte order.
  std::vector<std::string> got_meetings;
  for (const std::string& p : got)
    if (p.rfind("meetings/", 0) == 0) got_meetings.push_back(p);
  CHECK(got_meetings == meetings);
  CHECK(got.front() == "brm.yaml");
  CHECK(got.back() == "schema/customer.schema.yaml");
  CHECK(std::find(got.begin(), got.end(), "customers/alpha.yaml") <
        std::find(got.begin(), got.end(), "customers/zeta.yaml"));
  CHECK(got.size() == expected.size() + meetings.size() + 1);
  REQUIRE(snap.findings.size() == 1);
  CHECK(snap.findings[0].file == "customers/notes.txt");
  CHECK(snap.left_out == 0);
  for (const SourceFile& f : snap.files) CHECK_FALSE(f.content.empty());
}

TEST_CASE("read_worktree: a reused file is listed without its content, in its place") {
  Worktree w;
  write_fixture(w);
  Snapshot plain = read_worktree(w.root);
  std::vector<std::string> asked;
  Reuse reuse;
  reuse.file = [&](std::string_view path, const FileStamp& stamp) {
    asked.emplace_back(path);
    struct ::stat st {};
    REQUIRE(::lstat((w.root / std::string(path)).c_str(), &st) == 0);
    CHECK(stamp.size == static_cast<std::uint64_t>(st.st_size));
    CHECK(stamp.inode == static_cast<std::uint64_t>(st.st_ino));
    return path != "customers/zeta.yaml";
  };
  bool leave_out_asked = false;
  reuse.leave_out = [&](const Snapshot&) { return leave_out_asked = true; };
  Snapshot snap = read_worktree(w.root, reuse);
  // Only record files are asked, once each, in the listing's order.
  std::vector<std::string> records;
  for (const std::string& p : paths(plain))
    if (is_record(p)) records.push_back(p);
  CHECK(asked == records);
  // zeta was read, so the record files are all in the snapshot.
  CHECK_FALSE(leave_out_asked);
  CHECK(paths(snap) == paths(plain));
  CHECK(finding_texts(snap) == finding_texts(plain));
  CHECK(snap.left_out == 0);
  for (std::size_t i = 0; i < snap.files.size(); ++i) {
    const SourceFile& f = snap.files[i];
    bool stood_in = is_record(f.path) && f.path != "customers/zeta.yaml";
    CHECK(f.content == (stood_in ? "" : plain.files[i].content));
    CHECK(f.stamp == plain.files[i].stamp);
  }
}

TEST_CASE("read_worktree: record files left out only when every one was stood in for") {
  Worktree w;
  write_fixture(w);
  Snapshot plain = read_worktree(w.root);
  std::size_t records = 0;
  for (const SourceFile& f : plain.files) records += is_record(f.path) ? 1 : 0;
  std::vector<std::string> others_paths;
  Reuse reuse;
  reuse.file = [](std::string_view, const FileStamp&) { return true; };

  SUBCASE("the caller takes the offer") {
    reuse.leave_out = [&](const Snapshot& others) {
      others_paths = paths(others);
      return true;
    };
    Snapshot snap = read_worktree(w.root, reuse);
    std::vector<std::string> expected = {"brm.yaml", "schema/customer.schema.yaml"};
    CHECK(others_paths == expected);
    CHECK(paths(snap) == expected);
    CHECK(snap.left_out == records);
    CHECK(finding_texts(snap) == finding_texts(plain));
    CHECK(snap.files[0].content == "brm: 1\n");
    CHECK(snap.files[1].content == "required: [name]\n");
  }
  SUBCASE("the caller declines: the whole snapshot, the others' contents intact") {
    reuse.leave_out = [&](const Snapshot& others) {
      others_paths = paths(others);
      return false;
    };
    Snapshot snap = read_worktree(w.root, reuse);
    CHECK(others_paths.size() == 2);
    CHECK(paths(snap) == paths(plain));
    CHECK(finding_texts(snap) == finding_texts(plain));
    CHECK(snap.left_out == 0);
    for (std::size_t i = 0; i < snap.files.size(); ++i)
      CHECK(snap.files[i].content == (is_record(snap.files[i].path) ? "" : plain.files[i].content));
  }
  SUBCASE("a link among the record files is a finding, and the offer still stands") {
    fs::create_symlink("alpha.yaml", w.root / "customers/link.yaml");
    reuse.leave_out = [](const Snapshot&) { return true; };
    Snapshot snap = read_worktree(w.root, reuse);
    // The link is never asked about (it is a finding), and the rest were all stood in
    // for: the offer stands, and the finding is kept.
    CHECK(snap.left_out == records);
    bool link_reported = false;
    for (const Diagnostic& d : snap.findings)
      link_reported |= d.file == "customers/link.yaml" && d.rule == "symlink";
    CHECK(link_reported);
  }
}

}  // namespace brm
