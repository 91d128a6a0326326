// Field-level diffs of documents, as brm log shows them.
#include "brm/log.hpp"

#include <doctest/doctest.h>

#include "brm/yaml.hpp"

using namespace brm;

namespace {

Value doc(const std::string& text) {
  Value v;
  Diagnostics findings;
  REQUIRE(parse_yaml(text, "t.yaml", &v, &findings));
  return v;
}

// "changed it_contact: 'Erik Lund' -> 'Maria Sjö'" lines of one record.
std::vector<std::string> lines(const std::string& before, const std::string& after) {
  RecordChange r;
  r.kind = "customer";
  r.id = "anna-berg";
  r.fields = diff_documents(doc(before), doc(after));
  LogEntry e;
  e.commit.id = "0123456789abcdef";
  e.commit.author = "Rita";
  // Not `= "s"`: GCC 12 warns falsely about that assignment here (-Wrestrict, GCC
  // bug 105329) once Value's moves are inline.
  e.commit.summary = std::string("s");
  e.changes.push_back(r);
  std::string text = log_to_text({e});
  std::vector<std::string> out;
  std::size_t start = text.find('\n') + 1;  // after the commit line
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

}  // namespace

TEST_CASE("log: a changed, an added and a removed field") {
  auto l = lines("name: Anna\nit_contact: Erik Lund\nnotes: old\n",
                 "name: Anna\nit_contact: Maria Sjö\nemail: a@example.com\n");
  REQUIRE(l.size() == 3);
  CHECK(l[0] == "  customer anna-berg: changed it_contact: 'Erik Lund' -> 'Maria Sjö'");
  CHECK(l[1] == "  customer anna-berg: removed notes");
  CHECK(l[2] == "  customer anna-berg: added email: 'a@example.com'");
}

TEST_CASE("log: a new mapping is listed leaf by leaf with dotted paths") {
  auto f =
      diff_documents(doc("name: A\n"), doc("name: A\nbudget:\n  amount: 5\n  currency: EUR\n"));
  REQUIRE(f.size() == 2);
  CHECK(f[0].path == "budget.amount");
  CHECK(f[0].change == Change::Added);
  CHECK(f[0].after.as_int() == 5);
  CHECK(f[1].path == "budget.currency");
}

TEST_CASE("log: list items by index") {
  auto f =
      diff_documents(doc("attendees: [A, B]\nactions:\n  - what: x\n"),
                     doc("attendees: [A, C, B]\nactions:\n  - what: x\n    done: 2026-08-29\n"));
  REQUIRE(f.size() == 3);
  CHECK(f[0].path == "attendees.1");
  CHECK(f[0].change == Change::Changed);
  CHECK(f[1].path == "attendees.2");
  CHECK(f[1].change == Change::Added);
  CHECK(f[2].path == "actions.0.done");
  auto removed = diff_documents(doc("attendees: [A, B]\n"), doc("attendees: [A]\n"));
  REQUIRE(removed.size() == 1);
  CHECK(removed[0].path == "attendees.1");
  CHECK(removed[0].change == Change::Removed);
}

TEST_CASE("log: formatting alone changes no field; a number written as text does") {
  CHECK(diff_documents(doc("a: 5\nb: {x: 1}\n"), doc("# note\nb:\n  x: 1.0\na: 5.0\n")).empty());
  auto f = diff_documents(doc("cost_centre: 4410\n"), doc("cost_centre: \"4410\"\n"));
  REQUIRE(f.size() == 1);
  CHECK(f[0].change == Change::Changed);
}

TEST_CASE("log: a value that changes type is one change; empty containers show as such") {
  auto l = lines("extra: x\n", "extra: {}\n");
  REQUIRE(l.size() == 1);
  CHECK(l[0] == "  customer anna-berg: changed extra: 'x' -> {}");
  auto added = lines("name: A\n", "name: A\nextra: {}\n");
  REQUIRE(added.size() == 1);
  CHECK(added[0] == "  customer anna-berg: added extra: {}");
}

TEST_CASE("log: long and multi-line values are cut to one short line") {
  auto l = lines("notes: short\n", "notes: |\n  first line\n  " + std::string(80, 'x') + "\n");
  REQUIRE(l.size() == 1);
  CHECK(l[0].find("'short' -> 'first line\\nxxxx") != std::string::npos);
  CHECK(l[0].find("\u2026'") != std::string::npos);
}

TEST_CASE("log: the commit line has the short id, the UTC day, the author and the subject") {
  LogEntry e;
  e.commit.id = "0123456789abcdef";
  e.commit.time = 1782864000 - 1;  // 2026-06-30T23:59:59Z
  e.commit.author = "Rita Relationship";
  e.commit.summary = "customer: add anna-berg";
  RecordChange r;
  r.change = Change::Added;
  r.kind = "customer";
  r.id = "anna-berg";
  e.changes.push_back(r);
  CHECK(log_to_text({e}) ==
        "0123456  2026-06-30  Rita Relationship  customer: add anna-berg\n"
        "  customer anna-berg: added\n");
  std::string json = log_to_json({e});
  CHECK(json.find("\"time\": \"2026-06-30T23:59:59Z\"") != std::string::npos);
  CHECK(json.find("\"change\": \"added\"") != std::string::npos);
}
