// git's index as bytes (lib/git/git_index_file.hpp) against libgit2: the same index, the
// same files put in, the same bytes written. And what it leaves to libgit2.
#include "git_index_file.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "brm/git.hpp"
#include "brm/git_handle.hpp"
#include "scratch_folder.hpp"

namespace fs = std::filesystem;
using brm::gitx::IndexFile;

namespace {

struct GitRepo {
  brm::test::ScratchFolder dir{"brm-index-file"};

  GitRepo() {
    brm::gitx::init();
    brm::gitx::Repo repo;
    REQUIRE(git_repository_init(repo.out(), dir.root.c_str(), 0) == 0);
  }
  std::string index_path() const { return (dir.root / ".git" / "index").string(); }
  std::string work_tree() const { return dir.root.string() + "/"; }
  bool git(const std::string& args) const {
    // The user's and the system's settings left out (feature.manyFiles would write v4).
    std::string cmd = "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git -C '" +
                      dir.root.string() + "' " + args + " >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
  }
  // Stages `names` with libgit2 and writes its index; with `trees`, its cached trees too.
  void stage(const std::vector<std::string>& names, bool trees = false) const {
    brm::gitx::Repo repo;
    brm::gitx::Index index;
    REQUIRE(git_repository_open(repo.out(), dir.root.c_str()) == 0);
    REQUIRE(git_repository_index(index.out(), repo.get()) == 0);
    for (const std::string& n : names) REQUIRE(git_index_add_bypath(index.get(), n.c_str()) == 0);
    if (trees) {
      git_oid id;
      REQUIRE(git_index_write_tree(&id, index.get()) == 0);
    }
    REQUIRE(git_index_write(index.get()) == 0);
  }
};

std::string bytes_of(const std::string& path) {
  std::string out;
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

struct Saved {
  bool exists = false;
  std::string bytes;
  struct ::timespec times[2]{};
};
Saved save(const std::string& path) {
  Saved s;
  struct ::stat st;
  s.exists = ::stat(path.c_str(), &st) == 0;
  if (!s.exists) return s;
  s.bytes = bytes_of(path);
  s.times[0] = st.st_atim;
  s.times[1] = st.st_mtim;
  return s;
}
// The index as it was, its timestamp included: racily clean entries are told by it.
void restore(const std::string& path, const Saved& s) {
  fs::remove(path);
  if (!s.exists) return;
  FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f);
  std::fwrite(s.bytes.data(), 1, s.bytes.size(), f);
  std::fclose(f);
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), s.times, 0) == 0);
}

// Puts `names` (plain files, no filters) into the index as bytes and writes it.
std::string put_as_bytes(const GitRepo& r, const std::vector<std::string>& names) {
  std::optional<IndexFile> file = IndexFile::read(r.index_path());
  REQUIRE(file);
  for (const std::string& n : names) {
    REQUIRE(file->can_put(n));
    struct ::stat st;
    REQUIRE(::lstat((r.dir.root / n).c_str(), &st) == 0);
    brm::ObjectId id = brm::blob_object_id_of(r.dir.read(n));
    file->put(n, st, id, (st.st_mode & S_IXUSR) ? 0100755 : 0100644);
  }
  REQUIRE(file->write(r.work_tree()) == "");
  return bytes_of(r.index_path());
}

// libgit2's index after `names` are added, and the bytes' index after the same, from the
// same index file.
void check_same_as_libgit2(const GitRepo& r, const std::vector<std::string>& names) {
  Saved before = save(r.index_path());
  r.stage(names);
  std::string libgit2 = bytes_of(r.index_path());
  restore(r.index_path(), before);
  std::string ours = put_as_bytes(r, names);
  REQUIRE(!libgit2.empty());
  if (ours != libgit2) {
    std::size_t at = 0;
    while (at < ours.size() && at < libgit2.size() && ours[at] == libgit2[at]) ++at;
    FAIL_CHECK("the indexes differ at byte " << at << " of " << libgit2.size() << " (ours "
                                             << ours.size() << ")");
  }
  CHECK(r.git("ls-files --stage"));  // git reads it: its checksum and its form
}

void some_files(const GitRepo& r) {
  r.dir.write("brm.yaml", "version: 1\n");
  r.dir.write("customers/a.yaml", "id: a\n");
  r.dir.write("customers/b.yaml", "id: b\nname: B\n");
  r.dir.write("complaints/c.yaml", "id: c\n");
  r.dir.write("complaints-old.txt", "old\n");  // '-' sorts before '/'
  r.dir.write("complaints.d/z", "z\n");
  r.dir.write("zeta/deep/y.yaml", "y\n");
  r.stage({"brm.yaml", "customers/a.yaml", "customers/b.yaml", "complaints/c.yaml",
           "complaints-old.txt", "complaints.d/z", "zeta/deep/y.yaml"},
          true);
}

}  // namespace

TEST_CASE("index as bytes: the first file of a repository, with no index yet") {
  GitRepo r;
  r.dir.write("complaints/x.yaml", "id: x\n");
  check_same_as_libgit2(r, {"complaints/x.yaml"});
}

TEST_CASE("index as bytes: a new file among entries, with the cached trees on its path") {
  GitRepo r;
  some_files(r);
  r.dir.write("complaints/b2.yaml", "id: b2\n");
  r.dir.write("zeta/deep/a.yaml", "id: a\n");
  check_same_as_libgit2(r, {"complaints/b2.yaml", "zeta/deep/a.yaml"});
  // Put at the very start and the very end.
  r.dir.write("0.yaml", "zero\n");
  r.dir.write("zzz/last.yaml", "last\n");
  check_same_as_libgit2(r, {"0.yaml", "zzz/last.yaml"});
}

TEST_CASE("index as bytes: a changed file, and an executable one") {
  GitRepo r;
  some_files(r);
  r.dir.write("complaints/c.yaml", "id: c\ntitle: longer now\n");
  check_same_as_libgit2(r, {"complaints/c.yaml"});
  r.dir.write("tools/run.sh", "#!/bin/sh\n");
  fs::permissions(r.dir.root / "tools/run.sh", fs::perms::owner_exec, fs::perm_options::add);
  check_same_as_libgit2(r, {"tools/run.sh"});
}

TEST_CASE("index as bytes: version 3, and extensions libgit2 does not keep") {
  GitRepo r;
  some_files(r);
  REQUIRE(r.git("update-index --skip-worktree customers/b.yaml"));
  REQUIRE(bytes_of(r.index_path())[7] == 3);
  r.dir.write("complaints/v3.yaml", "id: v3\n");
  check_same_as_libgit2(r, {"complaints/v3.yaml"});
  // The untracked cache (UNTR) goes, as libgit2 leaves it out; git builds it again.
  REQUIRE(r.git("-c core.untrackedCache=true update-index --untracked-cache"));
  REQUIRE(r.git("-c core.untrackedCache=true status"));
  REQUIRE(bytes_of(r.index_path()).find("UNTR") != std::string::npos);
  r.dir.write("complaints/untr.yaml", "id: untr\n");
  check_same_as_libgit2(r, {"complaints/untr.yaml"});
}

TEST_CASE("index as bytes: a racily clean entry that changed is smudged, as libgit2 does") {
  GitRepo r;
  some_files(r);
  // The index as old as customers/a.yaml's entry: a change within that time passes its
  // stat check, so the writer must look at the content.
  struct ::stat st;
  REQUIRE(::stat((r.dir.root / "customers/a.yaml").c_str(), &st) == 0);
  r.dir.write("customers/a.yaml", "id: A\n");  // the same size
  struct ::timespec times[2] = {st.st_atim, st.st_mtim};
  REQUIRE(::utimensat(AT_FDCWD, (r.dir.root / "customers/a.yaml").c_str(), times, 0) == 0);
  REQUIRE(::utimensat(AT_FDCWD, r.index_path().c_str(), times, 0) == 0);
  r.dir.write("complaints/racy.yaml", "id: racy\n");
  check_same_as_libgit2(r, {"complaints/racy.yaml"});
  brm::gitx::Index index;
  REQUIRE(git_index_open(index.out(), r.index_path().c_str()) == 0);
  const git_index_entry* e = git_index_get_bypath(index.get(), "customers/a.yaml", 0);
  REQUIRE(e);
  CHECK(e->file_size == 0);
  CHECK(git_index_get_bypath(index.get(), "customers/b.yaml", 0)->file_size == 14);
}

TEST_CASE("index as bytes: an index another command wrote meanwhile is read again") {
  GitRepo r;
  some_files(r);
  std::optional<IndexFile> file = IndexFile::read(r.index_path());
  REQUIRE(file);
  r.dir.write("meetings/m.yaml", "id: m\n");
  r.stage({"meetings/m.yaml"});  // git add by another process
  r.dir.write("complaints/mine.yaml", "id: mine\n");
  struct ::stat st;
  REQUIRE(::lstat((r.dir.root / "complaints/mine.yaml").c_str(), &st) == 0);
  file->put("complaints/mine.yaml", st, brm::blob_object_id_of("id: mine\n"), 0100644);
  REQUIRE(file->write(r.work_tree()) == "");
  brm::gitx::Index index;
  REQUIRE(git_index_open(index.out(), r.index_path().c_str()) == 0);
  CHECK(git_index_entrycount(index.get()) == 9);
  CHECK(git_index_get_bypath(index.get(), "meetings/m.yaml", 0));
  CHECK(git_index_get_bypath(index.get(), "complaints/mine.yaml", 0));
  // And a lock held by another command is reported, nothing written.
  std::string before = bytes_of(r.index_path());
  r.dir.write(".git/index.lock", "");
  file->put("complaints/mine.yaml", st, brm::blob_object_id_of("other\n"), 0100644);
  CHECK(file->write(r.work_tree()).find("index.lock' exists") != std::string::npos);
  CHECK(bytes_of(r.index_path()) == before);
}

TEST_CASE("index as bytes: what it leaves to libgit2") {
  GitRepo r;
  some_files(r);
  std::optional<IndexFile> plain = IndexFile::read(r.index_path());
  REQUIRE(plain);
  CHECK(plain->tracked("customers/a.yaml"));
  CHECK_FALSE(plain->tracked("customers"));
  CHECK(plain->mode_of("complaints/c.yaml") == 0100644u);
  // A file below a file, a file over a folder of entries.
  CHECK_FALSE(plain->can_put("customers/a.yaml/x.yaml"));
  CHECK_FALSE(plain->can_put("customers"));
  CHECK(plain->can_put("customers/c.yaml"));
  REQUIRE(r.git("update-index --skip-worktree customers/b.yaml"));
  CHECK_FALSE(IndexFile::read(r.index_path())->can_put("customers/b.yaml"));
  // A link's entry (or a submodule's) under the name: libgit2 knows what becomes of it.
  REQUIRE(
      r.git("update-index --add --cacheinfo 120000,d95f3ad14dee633a758d2e331151e950dd13e4ed,"
            "customers/link.yaml"));
  CHECK_FALSE(IndexFile::read(r.index_path())->can_put("customers/link.yaml"));
  CHECK(IndexFile::read(r.index_path())->can_put("customers/a.yaml"));

  std::string good = bytes_of(r.index_path());
  std::string bad = good;
  bad[20] = static_cast<char>(bad[20] ^ 1);  // within the first entry: the checksum fails
  FILE* f = std::fopen(r.index_path().c_str(), "wb");
  std::fwrite(bad.data(), 1, bad.size(), f);
  std::fclose(f);
  CHECK_FALSE(IndexFile::read(r.index_path()));

  f = std::fopen(r.index_path().c_str(), "wb");
  std::fwrite(good.data(), 1, good.size(), f);
  std::fclose(f);
  REQUIRE(r.git("update-index --index-version 4"));
  CHECK_FALSE(IndexFile::read(r.index_path()));  // names compressed
  REQUIRE(r.git("update-index --index-version 2"));
  REQUIRE(IndexFile::read(r.index_path()));
  REQUIRE(r.git("update-index --split-index"));
  CHECK_FALSE(IndexFile::read(r.index_path()));  // "link", which must be understood
  REQUIRE(r.git("update-index --no-split-index"));
  REQUIRE(IndexFile::read(r.index_path()));

  // A conflict: libgit2 resolves it as git add does.
  brm::gitx::Repo repo;
  brm::gitx::Index index;
  REQUIRE(git_repository_open(repo.out(), r.dir.root.c_str()) == 0);
  REQUIRE(git_repository_index(index.out(), repo.get()) == 0);
  git_index_entry ours{};
  ours.mode = 0100644;
  ours.path = "complaints/c.yaml";
  brm::ObjectId blob = brm::blob_object_id_of("id: c\n");  // staged above: in the odb
  std::memcpy(ours.id.id, blob.data(), blob.size());
  REQUIRE(git_index_conflict_add(index.get(), nullptr, &ours, &ours) == 0);
  REQUIRE(git_index_write(index.get()) == 0);
  CHECK_FALSE(IndexFile::read(r.index_path()));
}

TEST_CASE("index as bytes: written into index.lock, put in place or dropped, as git commits") {
  GitRepo r;
  some_files(r);
  std::string lock = r.index_path() + ".lock";
  std::string before = bytes_of(r.index_path());
  std::optional<IndexFile> file = IndexFile::read(r.index_path());
  REQUIRE(file);
  r.dir.write("complaints/held.yaml", "id: held\n");
  struct ::stat st;
  REQUIRE(::lstat((r.dir.root / "complaints/held.yaml").c_str(), &st) == 0);
  file->put("complaints/held.yaml", st, brm::blob_object_id_of("id: held\n"), 0100644);
  REQUIRE(file->prepare(r.work_tree()) == "");
  CHECK(fs::exists(lock));
  CHECK(bytes_of(r.index_path()) == before);
  file->abandon();  // the commit failed
  CHECK_FALSE(fs::exists(lock));
  CHECK(bytes_of(r.index_path()) == before);
  REQUIRE(file->prepare(r.work_tree()) == "");
  std::string written = bytes_of(lock);
  REQUIRE(file->finish() == "");
  CHECK_FALSE(fs::exists(lock));
  CHECK(bytes_of(r.index_path()) == written);
  CHECK(written != before);
  {
    std::optional<IndexFile> dropped = IndexFile::read(r.index_path());
    REQUIRE(dropped);
    dropped->put("complaints/held.yaml", st, brm::blob_object_id_of("x\n"), 0100644);
    REQUIRE(dropped->prepare(r.work_tree()) == "");
  }  // gone without finish(): an exception on the way
  CHECK_FALSE(fs::exists(lock));
  CHECK(bytes_of(r.index_path()) == written);
}

TEST_CASE("index as bytes: the fuzzer's seeds are indexes it takes, and writes back the same") {
  std::size_t taken = 0;
  for (const auto& e :
       fs::directory_iterator(fs::path(BRM_SOURCE_DIR) / "tests/fuzz/seeds/git_index")) {
    std::string data = bytes_of(e.path().string());
    CAPTURE(e.path().filename().string());
    std::optional<IndexFile> index = IndexFile::from_bytes(data);
    REQUIRE(index);
    CHECK(IndexFile::with_checksum(data.substr(0, data.size() - 20)) == data);
    CHECK(index->tracked("customers/a.yaml"));
    // No extension but TREE and REUC is kept: the v2 seed, which has no other, comes back whole.
    if (data.find("UNTR") == std::string::npos) CHECK(index->bytes() == data);
    ++taken;
  }
  CHECK(taken >= 2);
}
