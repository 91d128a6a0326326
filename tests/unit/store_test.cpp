#include "brm/store.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "brm/error.hpp"
#include "brm/files.hpp"
#include "brm/git.hpp"
#include "brm/record_cache.hpp"
#include "brm/yaml.hpp"
#include "cache_loads.hpp"
#include "scratch_folder.hpp"

using namespace brm;
using brm::test::loaded;
using brm::test::loaded_without_cache;
using brm::test::ScratchFolder;
namespace fs = std::filesystem;

namespace {

// A repository in a fresh temporary folder, removed afterwards.
struct TempRepo : brm::test::ScratchFolder {
  TempRepo() : ScratchFolder("brm-store") {
    write("brm.yaml", "brm: 1\norganisation: Test\n");
    write("customers/anna-berg.yaml", "name: Anna Berg\nrole: customer\n");
    write("customers/per-holm.yaml", "name: Per Holm\nrole: purchaser\ncustomer: anna-berg\n");
  }
};

Value yaml(std::string_view text) {
  Value v;
  Diagnostics ds;
  REQUIRE(parse_yaml(text, "x.yaml", &v, &ds));
  return v;
}

WriteOptions no_commit() {
  WriteOptions o;
  o.commit = false;
  return o;
}

bool has_rule(const Diagnostics& ds, std::string_view rule, std::string_view file) {
  for (const auto& d : ds)
    if (d.rule == rule && d.file == file) return true;
  return false;
}

}  // namespace

TEST_CASE("store: a new record is written in canonical form") {
  TempRepo r;
  {
    Transaction t(r.root, no_commit());
    std::string id = t.new_id(KindId::Service, "Email and calendar", std::nullopt);
    CHECK(id == "email-and-calendar");
    t.put(KindId::Service, id, yaml("status: live\nname: Email and calendar\n"));
    CHECK(t.validate().empty());
    t.commit("service: add email-and-calendar");
    CHECK(t.written() == std::vector<std::string>{"services/email-and-calendar.yaml"});
  }
  CHECK(r.read("services/email-and-calendar.yaml") == "name: Email and calendar\nstatus: live\n");
  CHECK_FALSE(r.exists(".brm.lock"));
}

TEST_CASE("store: an invalid record is refused with its findings and nothing is written") {
  TempRepo r;
  Transaction t(r.root, no_commit());
  t.put(KindId::Customer, "eva", yaml("name: Eva\nrole: customer\nemial: eva@example.com\n"));
  Diagnostics errors = t.validate();
  CHECK(has_rule(errors, "unknown-field", "customers/eva.yaml"));
  CHECK_THROWS_AS(t.commit("customer: add eva"), InvalidChange);
  CHECK_FALSE(r.exists("customers/eva.yaml"));
}

TEST_CASE("store: a record put as text is written as it is, comments and layout kept") {
  TempRepo r;
  const std::string text = "# Chairs the board.\nrole: customer   # since 2024\nname: Anna Berg\n";
  {
    Transaction t(r.root, no_commit());
    t.put_text(KindId::Customer, "anna-berg", text);
    CHECK(t.validate().empty());
    t.commit("customer: edit anna-berg");
    CHECK(t.written() == std::vector<std::string>{"customers/anna-berg.yaml"});
  }
  CHECK(r.read("customers/anna-berg.yaml") == text);
  CHECK_FALSE(r.exists(".brm.lock"));
}

TEST_CASE("store: a record put as text is validated like any other write") {
  TempRepo r;
  const std::string before = r.read("customers/anna-berg.yaml");
  Transaction t(r.root, no_commit());
  SUBCASE("text that does not parse is refused at once, with its findings") {
    try {
      t.put_text(KindId::Customer, "anna-berg", "name: [Anna\nrole: customer\n");
      FAIL("no InvalidChange");
    } catch (const InvalidChange& e) {
      CHECK(has_rule(e.findings, "yaml-syntax", "customers/anna-berg.yaml"));
    }
    t.commit("customer: edit anna-berg");  // nothing was staged
    CHECK(t.written().empty());
  }
  SUBCASE("schema errors point at the lines of the text") {
    t.put_text(KindId::Customer, "anna-berg", "# a comment\nname: Anna Berg\nrole: boss\n");
    Diagnostics errors = t.validate();
    REQUIRE(has_rule(errors, "bad-value", "customers/anna-berg.yaml"));
    CHECK(errors.front().line == 3);
    CHECK_THROWS_AS(t.commit("customer: edit anna-berg"), InvalidChange);
  }
  SUBCASE("a change that breaks another record is refused") {
    t.put_text(KindId::Customer, "anna-berg",
               "name: Anna Berg\nrole: purchaser\ncustomer: nobody\n");
    CHECK_THROWS_AS(t.commit("customer: edit anna-berg"), InvalidChange);
  }
  CHECK_THROWS_AS(t.put_text(KindId::Customer, "../escape", "name: X\n"), Error);
  CHECK(r.read("customers/anna-berg.yaml") == before);
}

TEST_CASE("store: a removal that leaves a reference dangling is refused unless allowed") {
  TempRepo r;
  Transaction t(r.root, no_commit());
  t.remove(KindId::Customer, "anna-berg");
  Diagnostics errors = t.validate();
  CHECK(has_rule(errors, "unknown-reference", "customers/per-holm.yaml"));
  CHECK_THROWS_AS(t.commit("customer: rm anna-berg"), InvalidChange);
  CHECK(r.exists("customers/anna-berg.yaml"));
  t.allow_dangling();
  CHECK(t.validate().empty());
  t.commit("customer: rm anna-berg");
  CHECK_FALSE(r.exists("customers/anna-berg.yaml"));
  CHECK(t.written() == std::vector<std::string>{"customers/anna-berg.yaml"});
}

TEST_CASE("store: errors that were there before are not blamed on the change") {
  TempRepo r;
  r.write("complaints/2026-01-01-old.yaml",
          "customer: nobody\nreceived: 2026-01-01\nseverity: low\nsummary: Old\nstatus: open\n");
  Transaction t(r.root, no_commit());
  CHECK(has_rule(t.existing_findings(), "unknown-reference", "complaints/2026-01-01-old.yaml"));
  t.put(KindId::Service, "email", yaml("name: Email\nstatus: live\n"));
  CHECK(t.validate().empty());
  // A changed file is checked whole: its old error comes with it.
  t.put(
      KindId::Complaint, "2026-01-01-old",
      yaml("customer: nobody\nreceived: 2026-01-01\nseverity: high\nsummary: Old\nstatus: open\n"));
  CHECK(has_rule(t.validate(), "unknown-reference", "complaints/2026-01-01-old.yaml"));
}

TEST_CASE("store: a failed write leaves the old file in place") {
  TempRepo r;
  std::string old = r.read("customers/anna-berg.yaml");
  r.write("meetings", "a file where the meetings folder should be\n");
  Transaction t(r.root, no_commit());
  t.put(KindId::Customer, "anna-berg", yaml("name: Anna Berg-Lund\nrole: customer\n"));
  t.put(KindId::Meeting, "2026-03-15-anna-berg",
        yaml("date: 2026-03-15\ncustomer: anna-berg\nattendees: [Anna Berg]\n"));
  try {
    t.commit("two files");
    FAIL("the commit should have failed");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::Io);
  }
  CHECK(r.read("customers/anna-berg.yaml") == old);
  CHECK(t.written().empty());
}

TEST_CASE("store: files whose content would not change are not written") {
  TempRepo r;
  Transaction t(r.root, no_commit());
  t.put(KindId::Customer, "anna-berg", yaml("role: customer\nname: Anna Berg\n"));
  t.commit("nothing to do");
  CHECK(t.written().empty());
  REQUIRE(t.original_text("customers/anna-berg.yaml") != nullptr);
  CHECK(*t.original_text("customers/anna-berg.yaml") == "name: Anna Berg\nrole: customer\n");
  CHECK(t.original_text("customers/nobody.yaml") == nullptr);
}

TEST_CASE("store: new ids start with the date for dated kinds and get -2 on a clash") {
  TempRepo r;
  r.write("complaints/2026-03-04-email-outages.yaml", "broken: [\n");  // taken, even unparsed
  Transaction t(r.root, no_commit());
  CHECK(t.new_id(KindId::Customer, "Anna Berg", std::nullopt) == "anna-berg-2");
  CHECK(t.new_id(KindId::Customer, "Anna Berg", Date{2026, 3, 4}) == "anna-berg-2");
  CHECK(t.new_id(KindId::Complaint, "Email outages!", Date{2026, 3, 4}) ==
        "2026-03-04-email-outages-2");
  t.put(KindId::Customer, "eva", yaml("name: Eva\nrole: customer\n"));
  CHECK(t.new_id(KindId::Customer, "Eva", std::nullopt) == "eva-2");
  CHECK_THROWS_AS(t.put(KindId::Customer, "../escape", Value::mapping()), Error);
  CHECK_THROWS_AS(t.remove(KindId::Customer, "nobody"), Error);
}

TEST_CASE("store: slugs are lowercase ASCII without accents") {
  CHECK(slugify("Anna Berg") == "anna-berg");
  CHECK(slugify("  Åsa Öberg-Ström ") == "asa-oberg-strom");
  CHECK(slugify("Søren Ærø Straße") == "soren-aero-strasse");
  CHECK(slugify("Łukasz Żółć, Dvořák") == "lukasz-zolc-dvorak");
  CHECK(slugify("Crème brûlée & café") == "creme-brulee-cafe");
  CHECK(slugify("Anna's IT (2026)") == "annas-it-2026");
  CHECK(slugify("東京") == "record");
  CHECK(slugify("") == "record");
  std::string long_label(100, 'x');
  CHECK(slugify(long_label).size() == 48);
  CHECK(slugify(std::string(47, 'a') + " b") == std::string(47, 'a'));
}

TEST_CASE("store: a second writer waits for the lock and then gives up with a clear message") {
  TempRepo r;
  Transaction first(r.root, no_commit());
  REQUIRE(r.exists(".brm.lock"));
  WriteOptions o = no_commit();
  o.lock_timeout_ms = 50;
  try {
    Transaction second(r.root, o);
    FAIL("the second transaction should not get the lock");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::Io);
    std::string m = e.what();
    CHECK(m.find("another brm is writing to this repository (lock held by pid " +
                 std::to_string(::getpid())) == 0);
    CHECK(m.find("remove " + (r.root / ".brm.lock").string()) != std::string::npos);
  }
}

TEST_CASE("store: a lock left by a process that is gone is taken over") {
  TempRepo r;
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  r.write(".brm.lock", std::to_string(child) + "\n");
  WriteOptions o = no_commit();
  o.lock_timeout_ms = 50;
  Transaction t(r.root, o);
  CHECK(r.read(".brm.lock") == std::to_string(::getpid()) + "\n");
}

TEST_CASE("store: leftover temporary files of killed writers are removed") {
  TempRepo r;
  r.write("customers/.anna-berg.yaml.0badf00d.brm-tmp", "half a fil");
  r.write("customers/.keep", "");
  Transaction t(r.root, no_commit());
  CHECK_FALSE(r.exists("customers/.anna-berg.yaml.0badf00d.brm-tmp"));
  CHECK(r.exists("customers/.keep"));
}

TEST_CASE("store: in a git repository the lock is in the git dir and the change is committed") {
  TempRepo r;
  ::setenv("GIT_AUTHOR_NAME", "Test", 0);
  ::setenv("GIT_AUTHOR_EMAIL", "test@example.com", 0);
  git_init(r.root);
  git_commit_paths(r.root, {"brm.yaml", "customers/anna-berg.yaml", "customers/per-holm.yaml"},
                   "init");
  {
    Transaction t(r.root, WriteOptions{});
    CHECK(r.exists(".git/brm.lock"));
    CHECK_FALSE(r.exists(".brm.lock"));
    t.put(KindId::Service, "email", yaml("name: Email\nstatus: live\n"));
    t.commit("service: add email");
  }
  CHECK_FALSE(r.exists(".git/brm.lock"));
  CHECK(git_resolve(r.root, "HEAD").summary == "service: add email");
  Snapshot head = read_git_tree(r.root, "HEAD");
  bool found = false;
  for (const auto& f : head.files) found = found || f.path == "services/email.yaml";
  CHECK(found);

  // brm.yaml's `commit: false` turns committing off.
  r.write("brm.yaml", "brm: 1\norganisation: Test\ncommit: false\n");
  {
    Transaction t(r.root, WriteOptions{});
    t.put(KindId::Service, "wiki", yaml("name: Wiki\nstatus: live\n"));
    t.commit("service: add wiki");
  }
  CHECK(r.exists("services/wiki.yaml"));
  CHECK(git_resolve(r.root, "HEAD").summary == "service: add email");
}

TEST_CASE("store: validating a change leaves the loaded repository as it was") {
  TempRepo r;
  Transaction t(r.root, no_commit());
  auto ids = [&](KindId k) {
    std::vector<std::string> out;
    for (const Record& rec : t.repository().of(k)) out.push_back(rec.id);
    return out;
  };
  std::string anna_name(t.repository().find(KindId::Customer, "anna-berg")->text("name"));
  t.put(KindId::Customer, "anna-berg", yaml("name: Anna Berg-Lund\nrole: customer\n"));
  t.put(KindId::Customer, "eva", yaml("name: Eva\nrole: customer\n"));
  t.remove(KindId::Customer, "per-holm");
  CHECK(t.validate().empty());
  CHECK(ids(KindId::Customer) == std::vector<std::string>{"anna-berg", "per-holm"});
  CHECK(t.repository().find(KindId::Customer, "anna-berg")->text("name") == anna_name);
  // The same change validated again finds the same: nothing of the first stayed behind.
  CHECK(t.validate().empty());
}

TEST_CASE("store: after a write the next load takes the written file from the record cache") {
  TempRepo r;
  ScratchFolder cache_home("brm-store-cache");
  ::setenv("XDG_CACHE_HOME", cache_home.root.c_str(), 1);
  auto load = [&](Diagnostics* findings) {
    Repository repo = load_worktree(r.root, findings);
    std::vector<std::string> out;
    for (const auto& rs : repo.records)
      for (const Record& rec : rs) out.push_back(rec.path() + (rec.valid ? "" : " (invalid)"));
    return out;
  };
  Diagnostics before;
  load(&before);  // writes the cache
  r.write("complaints/2026-01-01-old.yaml",
          "customer: nobody\nreceived: 2026-01-01\nseverity: low\nsummary: Old\nstatus: open\n");
  {
    Transaction t(r.root, no_commit());
    t.put(KindId::Customer, "eva", yaml("name: Eva\nrole: customer\n"));
    t.remove(KindId::Customer, "per-holm");
    t.allow_dangling();
    t.commit("two changes");
  }
  std::string cache = read_file(record_cache_path(r.root));
  CHECK(cache.find("customers/eva.yaml") != std::string::npos);
  CHECK(cache.find("customers/per-holm.yaml") == std::string::npos);
  // Through the cache (twice: the findings are computed, then kept) and without it alike.
  Diagnostics first, second, uncached;
  std::vector<std::string> a = load(&first), b = load(&second);
  std::vector<std::string> c = test::without_cache([&] { return load(&uncached); });
  ::unsetenv("XDG_CACHE_HOME");
  CHECK(a == c);
  CHECK(b == c);
  CHECK(c == std::vector<std::string>{"customers/anna-berg.yaml", "customers/eva.yaml",
                                      "complaints/2026-01-01-old.yaml"});
  auto text = [](const Diagnostics& ds) {
    std::string out;
    for (const Diagnostic& d : ds) out += format_text(d) + "\n";
    return out;
  };
  CHECK(text(first) == text(uncached));
  CHECK(text(second) == text(uncached));
  CHECK(has_rule(uncached, "unknown-reference", "complaints/2026-01-01-old.yaml"));
}

namespace {

struct CacheFileStamp {
  std::uintmax_t size = 0;
  std::uint64_t inode = 0;
};
CacheFileStamp cache_file_stamp(const fs::path& root) {
  struct ::stat st {};
  if (::stat(record_cache_path(root).c_str(), &st) != 0) return {};
  return {static_cast<std::uintmax_t>(st.st_size), static_cast<std::uint64_t>(st.st_ino)};
}

}  // namespace

TEST_CASE("store: writes append to the record cache, which a torn append does not fool") {
  TempRepo r;
  ScratchFolder cache_home("brm-store-append");
  ::setenv("XDG_CACHE_HOME", cache_home.root.c_str(), 1);
  loaded(r.root);  // writes the cache, with the findings
  for (std::string id : {"eva", "ola", "kim"}) {
    CacheFileStamp before = cache_file_stamp(r.root);
    {
      Transaction t(r.root, no_commit());
      // A date more than a year ahead: a warning of the rules, kept with the findings.
      t.put(KindId::Complaint, "c-" + id,
            yaml("customer: anna-berg\nreceived: 2099-01-01\nseverity: low\nsummary: " + id +
                 "\nstatus: open\n"));
      t.commit("add " + id);
    }
    CacheFileStamp after = cache_file_stamp(r.root);
    CHECK(after.inode == before.inode);  // the same file, appended to
    CHECK(after.size > before.size);
    std::string cold = loaded_without_cache(r.root);
    CHECK(cold.find("complaints/c-" + id + ".yaml:2:11: warning:") != std::string::npos);
    CHECK(loaded(r.root) == cold);
    CHECK(cache_file_stamp(r.root).inode == before.inode);  // answered, not written again
  }
  // Torn: the last append lost its footer. The cache is not read, but rebuilt.
  CacheFileStamp whole = cache_file_stamp(r.root);
  fs::resize_file(record_cache_path(r.root), whole.size - 3);
  std::string cold = loaded_without_cache(r.root);
  CHECK(loaded(r.root) == cold);
  CacheFileStamp rebuilt = cache_file_stamp(r.root);
  CHECK(rebuilt.inode != whole.inode);
  CHECK(loaded(r.root) == cold);
  CHECK(cache_file_stamp(r.root).inode == rebuilt.inode);
  ::unsetenv("XDG_CACHE_HOME");
}
