// History walks against a small git history built here with libgit2, with known
// committer times: --at and --trend must give what a measure of each commit's files gives.
#include "brm/history.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "brm/error.hpp"
#include "brm/git.hpp"
#include "brm/git2_lazy.hpp"
#include "brm/json.hpp"
#include "brm/log.hpp"
#include "brm/parse_cache.hpp"
#include "brm/record_cache.hpp"
#include "repo_fixture.hpp"

using namespace brm;
namespace fs = std::filesystem;

namespace {

Date day(const char* text) { return *Date::parse(text); }

std::int64_t unix_time(const char* date, int hour, int minute) {
  return day(date).days() * 86400 + hour * 3600 + minute * 60;
}

using Files = std::map<std::string, std::string>;  // path -> text; the whole tree

// A scratch git repository whose commits are whole trees with fixed times.
class History {
 public:
  History() {
    git_libgit2_init();
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("brm-history-" + std::to_string(rd()));
    fs::create_directories(dir_);
    REQUIRE(git_repository_init(&repo_, dir_.c_str(), 0) == 0);
  }
  ~History() {
    git_repository_free(repo_);
    std::error_code ec;
    fs::remove_all(dir_, ec);
    git_libgit2_shutdown();
  }
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  const fs::path& dir() const { return dir_; }

  // Commits `files` as the whole tree; `parents` default to HEAD. `offset` in minutes
  // east of UTC, to show that the UTC day is what counts.
  // Paths in `links` are committed as symbolic links.
  std::string commit(const Files& files, std::int64_t time, int offset = 0,
                     std::vector<std::string> parents = {}, bool move_head = true,
                     const std::set<std::string>& links = {}) {
    git_index* index = nullptr;
    REQUIRE(git_index_new(&index) == 0);
    for (const auto& [path, text] : files) {
      git_oid blob;
      REQUIRE(git_blob_create_from_buffer(&blob, repo_, text.data(), text.size()) == 0);
      git_index_entry e{};
      e.mode = links.count(path) ? GIT_FILEMODE_LINK : GIT_FILEMODE_BLOB;
      e.id = blob;
      e.path = path.c_str();
      REQUIRE(git_index_add(index, &e) == 0);
    }
    git_oid tree_id;
    REQUIRE(git_index_write_tree_to(&tree_id, index, repo_) == 0);
    git_index_free(index);
    git_tree* tree = nullptr;
    REQUIRE(git_tree_lookup(&tree, repo_, &tree_id) == 0);

    if (parents.empty() && !head_.empty()) parents.push_back(head_);
    std::vector<git_commit*> parent_commits;
    for (const std::string& p : parents) {
      git_oid oid;
      git_oid_fromstr(&oid, p.c_str());
      git_commit* c = nullptr;
      REQUIRE(git_commit_lookup(&c, repo_, &oid) == 0);
      parent_commits.push_back(c);
    }
    git_signature* sig = nullptr;
    REQUIRE(git_signature_new(&sig, "Rita Relationship", "rita@example.com",
                              static_cast<git_time_t>(time), offset) == 0);
    git_oid id;
    std::vector<const git_commit*> cparents(parent_commits.begin(), parent_commits.end());
    REQUIRE(git_commit_create(&id, repo_, move_head ? "HEAD" : nullptr, sig, sig, nullptr, "commit",
                              tree, cparents.size(), cparents.data()) == 0);
    git_signature_free(sig);
    git_tree_free(tree);
    for (git_commit* c : parent_commits) git_commit_free(c);
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &id);
    if (move_head) head_ = buf;
    return buf;
  }

 private:
  fs::path dir_;
  git_repository* repo_ = nullptr;
  std::string head_;
};

// The figures of a tree's files, loaded from memory, without git: what a checkout gives.
Measures measures_of(const Files& files, Date as_of) {
  Snapshot snap;
  for (const auto& [path, text] : files) snap.files.push_back({path, text, ""});
  Diagnostics findings;
  Repository repo = load_repository(std::move(snap), &findings);
  return compute_measures(repo, as_of);
}

std::string json_of(const Measures& m) { return to_json(measures_to_value(m, false)); }

const char* settings = "brm: 1\norganisation: Test\n";

// The tree at each commit, growing as the history goes.
struct Story {
  Files c1, c2, c3, c4, side, c5, merge, c6, c7;
  Story() {
    c1 = {{"brm.yaml", settings},
          {"customers/anna.yaml", "name: Anna\nrole: customer\n"},
          {"complaints/2026-01-05-x.yaml",
           "customer: anna\nreceived: 2026-01-05\nseverity: low\nsummary: X\nstatus: open\n"}};
    c2 = c1;
    c2["customers/anna.yaml"] = "name: Anna\nrole: customer\nit_contact: Erik\n";
    c3 = c2;
    c3["customers/per.yaml"] = "name: Per\nrole: purchaser\ncustomer: anna\n";
    c4 = c3;
    c4["agreements/a.yaml"] =
        "title: A\ncustomer: anna\nstatus: active\nsigned: 2026-01-20\nstart: 2026-02-01\n"
        "end: 2026-03-31\nservices:\n  - service: email\n";
    side = c4;
    side["customers/side.yaml"] = "name: Side\nrole: customer\n";
    c5 = c4;
    c5["complaints/2026-01-05-x.yaml"] =
        "customer: anna\nreceived: 2026-01-05\nseverity: low\nsummary: X\nstatus: resolved\n"
        "closed: 2026-03-10\nresolution: done\n";
    // The repository's own schema: every customer needs an email, so both are left out.
    c5["schema/customer.schema.yaml"] = "required: [email]\n";
    merge = c5;
    merge["customers/side.yaml"] = side["customers/side.yaml"];
    c6 = merge;
    c6.erase("schema/customer.schema.yaml");
    c6.erase("customers/per.yaml");
    c6["customers/per-holm.yaml"] = "name: Per\nrole: purchaser\ncustomer: anna\nit_contact: E\n";
    c6["surveys/2026-05-01-s.yaml"] =
        "title: S\ndate: 2026-05-01\nresponses:\n  - customer: per-holm\n    score: 4\n"
        "  - customer: anna\n    score: 3\n";
    c7 = c6;
    c7["customers/broken.yaml"] = "name: Broken\nrole: customer\nemial: x\n";
  }
};

struct Built {
  Story s;
  History h;
  std::string c1, c2, c3, c4, side, c5, merge, c6, c7;
  Built() {
    c1 = h.commit(s.c1, unix_time("2026-01-10", 12, 0));
    c2 = h.commit(s.c2, unix_time("2026-01-31", 20, 0));
    // 00:30 on Feb 1 at +02:00 is 22:30 on Jan 31 in UTC: a January commit.
    c3 = h.commit(s.c3, unix_time("2026-01-31", 22, 30), 120);
    c4 = h.commit(s.c4, unix_time("2026-02-01", 0, 0));
    // A side branch committed after c5 but merged later: not on the first-parent line.
    side = h.commit(s.side, unix_time("2026-03-20", 9, 0), 0, {c4}, false);
    c5 = h.commit(s.c5, unix_time("2026-03-15", 9, 0));
    merge = h.commit(s.merge, unix_time("2026-04-10", 9, 0), 0, {c5, side});
    c6 = h.commit(s.c6, unix_time("2026-05-20", 9, 0));
    c7 = h.commit(s.c7, unix_time("2026-06-30", 23, 59));
  }
};

}  // namespace

TEST_CASE("history: period ends of months and quarters within the range") {
  auto months = period_ends(TrendStep::Monthly, day("2026-01-15"), day("2026-04-29"));
  REQUIRE(months.size() == 3);
  CHECK(months[0] == day("2026-01-31"));
  CHECK(months[1] == day("2026-02-28"));
  CHECK(months[2] == day("2026-03-31"));  // April ends after the range
  auto more = period_ends(TrendStep::Monthly, day("2026-01-01"), day("2026-04-30"));
  CHECK(more.back() == day("2026-04-30"));
  auto quarters = period_ends(TrendStep::Quarterly, day("2025-11-01"), day("2026-12-31"));
  REQUIRE(quarters.size() == 5);
  CHECK(quarters[0] == day("2025-12-31"));
  CHECK(quarters[4] == day("2026-12-31"));
  CHECK(period_ends(TrendStep::Monthly, day("2028-02-01"), day("2028-03-01")).front() ==
        day("2028-02-29"));
}

// The id of the commit commit_on() picks, or "" for none: a wrong pick fails the check
// instead of dereferencing null and ending the whole unit binary.
static std::string id_on(const std::vector<CommitInfo>& history, Date d) {
  const CommitInfo* c = commit_on(history, d);
  return c ? c->id : std::string();
}

TEST_CASE("history: the commit of a day is the newest first-parent one by its end, in UTC") {
  Built b;
  auto history = first_parent_history(b.h.dir()).commits;
  REQUIRE(history.size() == 8);  // the side commit is not on the first-parent line
  CHECK(history.front().id == b.c7);
  CHECK(history.back().id == b.c1);
  for (const auto& c : history) CHECK(c.id != b.side);
  CHECK(commit_on(history, day("2026-01-09")) == nullptr);
  CHECK(id_on(history, day("2026-01-10")) == b.c1);
  CHECK(id_on(history, day("2026-01-31")) == b.c3);
  CHECK(id_on(history, day("2026-02-01")) == b.c4);
  CHECK(id_on(history, day("2026-03-31")) == b.c5);
  CHECK(id_on(history, day("2026-06-30")) == b.c7);
}

// What git does in a clone of depth N: the boundary commit listed in .git/shallow, the
// commits beyond it absent. libgit2 writes loose objects here, so removing one is easy.
void remove_commit(const fs::path& dir, const std::string& id) {
  REQUIRE(fs::remove(dir / ".git" / "objects" / id.substr(0, 2) / id.substr(2)));
}
void make_shallow(const fs::path& dir, const std::string& boundary,
                  const std::vector<std::string>& gone) {
  std::ofstream(dir / ".git" / "shallow") << boundary << "\n";
  for (const std::string& id : gone) remove_commit(dir, id);
}

// The exit code and message of what `fn` throws.
template <class Fn>
std::pair<ExitCode, std::string> error_of(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return {e.code(), e.what()};
  }
  return {ExitCode::Ok, ""};
}

TEST_CASE("history: a shallow clone's history stops at its boundary, the boundary included") {
  Built b;
  make_shallow(b.h.dir(), b.c4, {b.c3, b.c2, b.c1});
  FirstParentHistory h = first_parent_history(b.h.dir());
  CHECK(h.shallow);
  std::vector<std::string> ids;
  for (const CommitInfo& c : h.commits) ids.push_back(c.id);
  CHECK(ids == std::vector<std::string>{b.c7, b.c6, b.merge, b.c5, b.c4});

  // The trend: a row for each month the clone's history covers, and the boundary named.
  TrendOptions o;
  o.to = day("2026-06-30");
  Trend t = compute_trend(b.h.dir(), o);
  REQUIRE(t.rows.size() == 5);
  CHECK(t.rows.front().period_end == day("2026-02-28"));
  CHECK(t.rows.front().commit.id == b.c4);
  REQUIRE(t.shallow_boundary);
  CHECK(t.shallow_boundary->id == b.c4);
  o.from = day("2026-03-01");  // a range inside the clone's history: nothing is missing
  CHECK_FALSE(compute_trend(b.h.dir(), o).shallow_boundary);

  // The boundary itself is a revision like any other; one past it says where the clone stops.
  CHECK(git_resolve(b.h.dir(), "HEAD~4").id == b.c4);
  for (const char* rev : {"HEAD~5", "HEAD~4^", "HEAD~3~2", "HEAD^1~9"}) {
    CAPTURE(rev);
    auto [code, message] = error_of([&] { git_resolve(b.h.dir(), rev); });
    CHECK(code == ExitCode::Git);
    CHECK(message.find("past the history of this shallow clone, which stops at commit " +
                       b.c4.substr(0, 7) + " (2026-02-01)") != std::string::npos);
    CHECK(message.find("git fetch --unshallow") != std::string::npos);
  }
  auto [code, message] = error_of([&] { read_git_tree(b.h.dir(), b.c2); });
  CHECK(code == ExitCode::Git);
  CHECK(message.find("shallow clone") != std::string::npos);

  // brm log: the boundary's files read as added, as git log shows a commit without parents.
  std::vector<LogEntry> log = repository_log(b.h.dir(), {});
  REQUIRE(log.size() == 5);
  CHECK(log.back().commit.id == b.c4);
  std::set<std::string> added;
  for (const RecordChange& r : log.back().changes)
    if (r.change == Change::Added) added.insert(r.path);
  CHECK(added == std::set<std::string>{"brm.yaml", "agreements/a.yaml",
                                       "complaints/2026-01-05-x.yaml", "customers/anna.yaml",
                                       "customers/per.yaml"});
  LogOptions anna;
  anna.record = "anna";
  log = repository_log(b.h.dir(), anna);
  REQUIRE(log.size() == 1);
  CHECK(log[0].commit.id == b.c4);
}

TEST_CASE("history: a missing parent outside a shallow clone is an error, never the end") {
  Built b;
  remove_commit(b.h.dir(), b.c3);
  auto [code, message] = error_of([&] { first_parent_history(b.h.dir()); });
  CHECK(code == ExitCode::Git);
  CHECK(message.find("cannot read the first parent of commit " + b.c4.substr(0, 7)) !=
        std::string::npos);
  TrendOptions o;
  o.to = day("2026-06-30");
  CHECK(error_of([&] { compute_trend(b.h.dir(), o); }).first == ExitCode::Git);
}

TEST_CASE("history: brm's history starts at the first commit that holds brm.yaml") {
  // A project that came to brm later: two commits without brm.yaml, then brm in a folder.
  History h;
  h.commit({{"README", "a project\n"}}, unix_time("2026-01-10", 12, 0));
  h.commit({{"README", "a project\n"}, {"customers/anna.yaml", "not brm's: no brm.yaml yet\n"}},
           unix_time("2026-02-10", 12, 0));
  Story s;
  std::string first = h.commit(s.c1, unix_time("2026-04-10", 12, 0));
  std::string second = h.commit(s.c2, unix_time("2026-05-10", 12, 0));
  FirstParentHistory walk = first_parent_history(h.dir());
  CHECK_FALSE(walk.shallow);
  REQUIRE(walk.commits.size() == 2);
  CHECK(walk.commits.back().id == first);
  TrendOptions o;
  o.from = day("2026-01-01");
  o.to = day("2026-05-31");
  Trend t = compute_trend(h.dir(), o);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].period_end == day("2026-04-30"));
  CHECK(t.rows[1].commit.id == second);
  CHECK_FALSE(t.shallow_boundary);
}

TEST_CASE("history: a file stored through a filter is one finding on --at, and left out") {
  // git-crypt's ciphertext under a filter= attribute of the revision; a plain record beside
  // it; and a later commit that changes the filtered file, for a step of the trend.
  History h;
  Files files = {{"brm.yaml", settings},
                 {".gitattributes", "customers/secret.yaml filter=git-crypt diff=git-crypt\n"},
                 {"customers/secret.yaml", std::string("\0GITCRYPT\0\x91\x0f", 12)},
                 {"customers/anna.yaml", "name: Anna\nrole: customer\n"}};
  std::string first = h.commit(files, unix_time("2026-01-10", 12, 0));
  files["customers/secret.yaml"] = std::string("\0GITCRYPT\0\x22\x33", 12);
  h.commit(files, unix_time("2026-02-10", 12, 0));

  Snapshot snap = read_git_tree(h.dir(), first);
  REQUIRE(snap.findings.size() == 1);
  CHECK(snap.findings[0].file == "customers/secret.yaml");
  CHECK(snap.findings[0].rule == "filtered-file");
  CHECK(snap.findings[0].message.find("'git-crypt'") != std::string::npos);
  for (const SourceFile& f : snap.files) CHECK(f.path != "customers/secret.yaml");
  CHECK(count_record_files(snap) == 2);
  CHECK(load_revision(h.dir(), first).left_out == 1);
  // A full load and a step count it alike.
  TrendOptions o;
  o.to = day("2026-02-28");
  Trend t = compute_trend(h.dir(), o);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.steps == 1);
  CHECK(t.rows[0].measures.left_out == 1);
  CHECK(t.rows[1].measures.left_out == 1);
  CHECK(t.rows[1].measures.customers.total == 1);
}

TEST_CASE("history: --at reads a revision's files and defaults as_of to its UTC day") {
  Built b;
  Revision rev = load_revision(b.h.dir(), b.c3);
  CHECK(rev.commit.id == b.c3);
  CHECK(date_of_unix_time(rev.commit.time) == day("2026-01-31"));
  CHECK(json_of(compute_measures(rev.repo, day("2026-01-31"))) ==
        json_of(measures_of(b.s.c3, day("2026-01-31"))));
  Revision tip = load_revision(b.h.dir(), "HEAD");
  CHECK(tip.commit.id == b.c7);
  CHECK(tip.left_out == 1);                              // customers/broken.yaml
  Revision schema = load_revision(b.h.dir(), "HEAD~3");  // c5: its schema wants emails
  CHECK(schema.commit.id == b.c5);
  CHECK(schema.left_out == 2);
}

TEST_CASE("history: a monthly trend agrees with a measure of each month's commit") {
  Built b;
  TrendOptions o;
  o.from = day("2025-11-01");  // before the first commit: those months are left out
  o.to = day("2026-07-15");
  Trend t = compute_trend(b.h.dir(), o);
  std::vector<std::pair<const char*, const Files*>> want = {
      {"2026-01-31", &b.s.c3},    {"2026-02-28", &b.s.c4}, {"2026-03-31", &b.s.c5},
      {"2026-04-30", &b.s.merge}, {"2026-05-31", &b.s.c6}, {"2026-06-30", &b.s.c7}};
  REQUIRE(t.rows.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CAPTURE(want[i].first);
    const TrendRow& row = t.rows[i];
    CHECK(row.period_end == day(want[i].first));
    CHECK(row.measures.as_of == row.period_end);
    CHECK(json_of(row.measures) == json_of(measures_of(*want[i].second, row.period_end)));
    // --at on the same commit gives the same figures.
    Revision rev = load_revision(b.h.dir(), row.commit.id);
    CHECK(json_of(row.measures) == json_of(compute_measures(rev.repo, row.period_end)));
    CHECK(row.measures.left_out == rev.left_out);
  }
  CHECK(t.rows[0].commit.id == b.c3);
  CHECK(t.rows[3].commit.id == b.merge);
  // One whole load, then steps by tree diffs, but a whole load again when the schemas
  // change (in c5 and back in c6).
  CHECK(t.full_loads == 3);
  CHECK(t.full_loads + t.steps == 6);
  // Spot checks of what the story means.
  CHECK(t.rows[0].measures.customers.with_contact == 1);
  CHECK(t.rows[1].measures.with_written_agreement == 1);
  CHECK(t.rows[2].measures.customers.total == 0);  // the schema leaves both out
  CHECK(t.rows[2].measures.complaints_open == 0);
  CHECK(t.rows[4].measures.responses == 2);
  CHECK(t.rows[5].measures.left_out == 1);
}

TEST_CASE("history: a quarterly trend, and a range that ends before the first commit") {
  Built b;
  TrendOptions o;
  o.step = TrendStep::Quarterly;
  o.to = day("2026-12-31");
  Trend t = compute_trend(b.h.dir(), o);
  REQUIRE(t.rows.size() == 4);
  CHECK(t.rows[0].period_end == day("2026-03-31"));
  CHECK(t.rows[0].commit.id == b.c5);
  CHECK(t.rows[3].commit.id == b.c7);  // the last commit stands for the days after it
  CHECK(json_of(t.rows[1].measures) == json_of(measures_of(b.s.c7, day("2026-06-30"))));
  o.to = day("2025-12-31");
  CHECK(compute_trend(b.h.dir(), o).rows.empty());
}

TEST_CASE("history: the parse cache answers for a blob it has seen under the same schemas") {
  Built b;
  ParseCache cache;
  Revision first = load_revision(b.h.dir(), b.c6, &cache);
  CHECK(cache.hits() == 0);
  std::size_t parsed = cache.size();
  CHECK(parsed == 6);  // the record files: brm.yaml is not cached
  Revision again = load_revision(b.h.dir(), b.c7, &cache);
  CHECK(cache.hits() == 6);  // all but the new broken record
  CHECK(json_of(compute_measures(again.repo, day("2026-06-30"))) ==
        json_of(measures_of(b.s.c7, day("2026-06-30"))));
  // Under other schemas nothing is reused: validity depends on them.
  std::size_t hits = cache.hits();
  load_revision(b.h.dir(), b.c5, &cache);
  CHECK(cache.hits() == hits);
}

TEST_CASE("history: trend steps agree with whole loads through every kind of change") {
  // A year of monthly commits, each changing the tree at random: records added, changed,
  // renamed and removed, whole folders coming and going, files that are not records
  // (hidden, not .yaml, in a subfolder, symbolic links), records with errors and brm.yaml
  // itself. Each month's figures by steps must be those of a whole load of that commit.
  History h;
  std::mt19937 rng(20261126);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  Files files = {{"brm.yaml", settings}};
  std::set<std::string> links;
  std::vector<std::string> customers;
  int serial = 0;
  auto customer_text = [&](int i, bool contact) {
    return fmt::format("name: C{}\nrole: customer\n{}", i, contact ? "it_contact: Erik\n" : "");
  };
  std::vector<std::string> commits;
  for (int month = 1; month <= 12; ++month) {
    for (int change = 0; change < 6; ++change) {
      std::string n = std::to_string(++serial);
      switch (pick(12)) {
        case 0:
        case 1:  // a customer, and sometimes a purchaser under one
          customers.push_back("c" + n);
          files["customers/c" + n + ".yaml"] = customer_text(serial, pick(2) == 0);
          if (customers.size() > 1 && pick(2) == 0)
            files["customers/p" + n + ".yaml"] = fmt::format(
                "name: P{}\nrole: purchaser\ncustomer: {}\n{}", n,
                customers[static_cast<std::size_t>(pick(static_cast<int>(customers.size())))],
                pick(2) ? "it_contact: Eva\n" : "");
          break;
        case 2:  // a customer's contact comes or goes
          if (!customers.empty()) {
            const std::string& c =
                customers[static_cast<std::size_t>(pick(static_cast<int>(customers.size())))];
            if (files.count("customers/" + c + ".yaml"))
              files["customers/" + c + ".yaml"] = customer_text(serial, pick(2) == 0);
          }
          break;
        case 3:  // an agreement
          if (!customers.empty())
            files["agreements/a" + n + ".yaml"] = fmt::format(
                "title: A\ncustomer: {}\nstatus: active\nsigned: 2025-01-{:02}\n"
                "start: 2025-02-01\nend: 2027-01-31\nservices:\n  - service: email\n",
                customers[static_cast<std::size_t>(pick(static_cast<int>(customers.size())))],
                1 + pick(28));
          break;
        case 4:  // a complaint, open or closed
          files["complaints/k" + n + ".yaml"] = fmt::format(
              "customer: c1\nreceived: 2025-{:02}-03\nseverity: low\nsummary: K\n{}", month,
              pick(2)
                  ? "status: open\n"
                  : fmt::format("status: resolved\nclosed: 2025-{:02}-20\nresolution: r\n", month));
          break;
        case 5:  // a survey
          files["surveys/s" + n + ".yaml"] = fmt::format(
              "title: S\ndate: 2025-{:02}-10\nresponses:\n  - score: {}\n  - score: {}\n", month,
              1 + pick(5), 1 + pick(5));
          break;
        case 6: {  // some record goes, or is renamed
          std::vector<std::string> records;
          for (const auto& [path, text] : files)
            if (path != "brm.yaml" && !links.count(path)) records.push_back(path);
          if (records.empty()) break;
          std::string path =
              records[static_cast<std::size_t>(pick(static_cast<int>(records.size())))];
          std::string text = files[path];
          files.erase(path);
          if (pick(2)) files[path.substr(0, path.rfind('/') + 1) + "r" + n + ".yaml"] = text;
          break;
        }
        case 7:  // a whole folder goes
          for (auto it = files.begin(); it != files.end();)
            it = it->first.rfind("agreements/", 0) == 0 ? files.erase(it) : std::next(it);
          break;
        case 8:  // files that are not records
          files["customers/.hidden" + n + ".yaml"] = customer_text(serial, true);
          files["customers/notes" + n + ".txt"] = "notes\n";
          files["customers/old/c" + n + ".yaml"] = customer_text(serial, true);
          break;
        case 9:  // a symbolic link where a record was or will be
          files["customers/l" + n + ".yaml"] = "c1.yaml";
          links.insert("customers/l" + n + ".yaml");
          break;
        case 10:  // a record with an error
          files["customers/b" + n + ".yaml"] = "name: B\nrole: customer\nemial: x\n";
          break;
        case 11:  // the settings
          files["brm.yaml"] = fmt::format(
              "brm: 1\norganisation: Test\nsurvey:\n  scale: 5\n"
              "  satisfied: {}\n",
              3 + pick(3));
          break;
      }
    }
    commits.push_back(h.commit(files, unix_time(fmt::format("2025-{:02}-15", month).c_str(), 12, 0),
                               0, {}, true, links));
  }
  TrendOptions o;
  o.to = day("2025-12-31");
  Trend t = compute_trend(h.dir(), o);
  REQUIRE(t.rows.size() == 12);
  CHECK(t.full_loads == 1);
  CHECK(t.steps == 11);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    CAPTURE(i);
    const TrendRow& row = t.rows[i];
    CHECK(row.commit.id == commits[i]);
    Revision whole = load_revision(h.dir(), row.commit.id);
    CHECK(json_of(row.measures) == json_of(compute_measures(whole.repo, row.period_end)));
    CHECK(row.measures.left_out == whole.left_out);
  }
  // The story did what it says: figures that move, records left out.
  CHECK(t.rows.back().measures.customers.total > 3);
  CHECK(std::any_of(t.rows.begin(), t.rows.end(),
                    [](const TrendRow& r) { return r.measures.left_out > 0; }));
}

TEST_CASE("history: a first load's cache knows every record blob of HEAD by its git id") {
  // The work tree's cache is what a trend takes unchanged blobs from, matched by git blob
  // id; a first run computes those ids as it parses. Each way of loading must leave every
  // record file's id right, or the trend parses them all again.
  Story s;
  for (int way = 0; way < 3; ++way) {
    CAPTURE(way);
    History h;
    h.commit(s.c7, unix_time("2026-06-30", 12, 0));
    for (const auto& [path, text] : s.c7) {
      fs::create_directories((h.dir() / path).parent_path());
      std::ofstream(h.dir() / path, std::ios::binary) << text;
    }
    Diagnostics findings;
    if (way == 0) load_worktree(h.dir(), &findings);
    if (way == 1) check_worktree(h.dir(), &findings);
    if (way == 2) load_worktree_fields(h.dir(), measured_fields());
    REQUIRE(fs::exists(record_cache_path(h.dir())));
    Snapshot head = read_git_tree(h.dir(), "HEAD");
    std::size_t record_files = count_record_files(head);
    CHECK(record_files == 7);
    ParseCache cache;
    CachedRecords(h.dir(), measured_fields()).fill(head, &cache);
    CHECK(cache.size() == record_files);
  }
}

TEST_CASE("history: a blob's id is git's (git hash-object), and libgit2's") {
  // Known ids, as `git hash-object` gives them.
  CHECK(blob_id_of("") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  CHECK(blob_id_of("hello") == "b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0");
  // Across SHA-1's 64-byte blocks and with every byte value, as libgit2 hashes them.
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text.push_back(static_cast<char>(i * 7 % 256));
    if (i % 97 != 0) continue;
    git_oid oid;
    REQUIRE(git_odb_hash(&oid, text.data(), text.size(), GIT_OBJECT_BLOB) == 0);
    char hex[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(hex, sizeof hex, &oid);
    CHECK(blob_id_of(text) == hex);
  }
}

TEST_CASE("history: object ids as 20 bytes and as hex, both ways") {
  std::string hex = blob_id_of("name: Anna\n");
  REQUIRE(hex.size() == 40);
  CHECK(to_hex(blob_object_id_of("name: Anna\n")) == hex);
  std::optional<ObjectId> back = object_id_from_hex(hex);
  REQUIRE(back);
  CHECK(*back == blob_object_id_of("name: Anna\n"));
  CHECK_FALSE(object_id_from_hex(hex.substr(1)));
  CHECK_FALSE(object_id_from_hex(hex.substr(1) + "g"));
  CHECK_FALSE(object_id_from_hex(""));
}
