#include "brm/merge.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "brm/canonical.hpp"
#include "brm/yaml.hpp"
#include "fuzz_targets.hpp"

using namespace brm;

namespace {

Value parse(std::string_view text) {
  Value doc;
  Diagnostics findings;
  bool ok = parse_yaml(text, "x.yaml", &doc, &findings);
  INFO(text);
  REQUIRE(ok);
  return doc;
}

TreeMerge merge3(std::string_view base, std::string_view ours, std::string_view theirs) {
  Value b = parse(base), o = parse(ours), t = parse(theirs);
  return merge_documents(&b, o, t);
}

FileMerge merge_files(std::string_view base, std::string_view ours, std::string_view theirs,
                      std::optional<KindId> kind = KindId::Customer) {
  return merge_record_files(base, ours, theirs, kind, "customers/anna-berg.yaml");
}

constexpr std::string_view kAnna =
    "name: Anna Berg\nrole: customer\nemail: anna@example.com\nphone: \"+46 8 123\"\n";

}  // namespace

TEST_CASE("merge: a field changed on one side takes that side") {
  TreeMerge m = merge3("a: 1\nb: 2\n", "a: 5\nb: 2\n", "a: 1\nb: 2\n");
  CHECK(m.conflicts.empty());
  CHECK(m.merged == parse("a: 5\nb: 2\n"));
  m = merge3("a: 1\nb: 2\n", "a: 1\nb: 2\n", "a: 1\nb: 7\n");
  CHECK(m.merged == parse("a: 1\nb: 7\n"));
}

TEST_CASE("merge: adjacent fields changed on the two sides both stay") {
  TreeMerge m = merge3(
      kAnna, "name: Anna Berg\nrole: customer\nemail: new@example.com\nphone: \"+46 8 123\"\n",
      "name: Anna Berg\nrole: customer\nemail: anna@example.com\nphone: \"+46 8 999\"\n");
  CHECK(m.conflicts.empty());
  CHECK(m.merged.find("email")->as_string() == "new@example.com");
  CHECK(m.merged.find("phone")->as_string() == "+46 8 999");
}

TEST_CASE("merge: the same change on both sides is taken once") {
  TreeMerge m = merge3("a: [x]\n", "a: [x, y]\n", "a: [x, y]\n");
  CHECK(m.conflicts.empty());
  CHECK(m.merged == parse("a: [x, y]\n"));
}

TEST_CASE("merge: a field changed differently on both sides is a conflict on it alone") {
  TreeMerge m = merge3("a: 1\nb: 1\nc: 1\n", "a: 2\nb: 2\nc: 1\n", "a: 3\nb: 1\nc: 5\n");
  REQUIRE(m.conflicts.size() == 1);
  CHECK(to_pointer(m.conflicts[0].path) == "/a");
  CHECK(*m.conflicts[0].ours == Value::integer(2));
  CHECK(*m.conflicts[0].theirs == Value::integer(3));
  CHECK(m.merged.find("b")->as_int() == 2);
  CHECK(m.merged.find("c")->as_int() == 5);
}

TEST_CASE("merge: a deletion against no change is taken; against a change it conflicts") {
  TreeMerge m = merge3("a: 1\nb: 1\n", "a: 1\n", "a: 2\nb: 1\n");
  CHECK(m.conflicts.empty());
  CHECK(m.merged == parse("a: 2\n"));
  m = merge3("a: 1\nb: 1\n", "a: 1\n", "a: 1\nb: 2\n");
  REQUIRE(m.conflicts.size() == 1);
  CHECK_FALSE(m.conflicts[0].ours.has_value());
  CHECK(*m.conflicts[0].theirs == Value::integer(2));
}

TEST_CASE("merge: actions both sides appended are all kept, ours first") {
  std::string base = "actions:\n  - what: A\n    owner: X\n";
  TreeMerge m =
      merge3(base, base + "  - what: B\n    owner: Y\n", base + "  - what: C\n    owner: Z\n");
  CHECK(m.conflicts.empty());
  const auto& items = m.merged.find("actions")->items();
  REQUIRE(items.size() == 3);
  CHECK(items[1].find("what")->as_string() == "B");
  CHECK(items[2].find("what")->as_string() == "C");
}

TEST_CASE("merge: list items are matched by identity and merged field by field") {
  std::string base = "actions:\n  - what: A\n    owner: X\n  - what: B\n    owner: Y\n";
  // Ours marks A done, theirs reorders nothing but changes B's owner.
  TreeMerge m = merge3(base,
                       "actions:\n  - what: A\n    owner: X\n    done: 2026-01-02\n"
                       "  - what: B\n    owner: Y\n",
                       "actions:\n  - what: A\n    owner: X\n  - what: B\n    owner: Q\n");
  CHECK(m.conflicts.empty());
  CHECK(m.merged == parse("actions:\n  - what: A\n    owner: X\n    done: 2026-01-02\n"
                          "  - what: B\n    owner: Q\n"));
  // The same action's owner changed differently: the conflict is that owner.
  m = merge3(base, "actions:\n  - what: A\n    owner: P\n  - what: B\n    owner: Y\n",
             "actions:\n  - what: A\n    owner: R\n  - what: B\n    owner: Y\n");
  REQUIRE(m.conflicts.size() == 1);
  CHECK(to_pointer(m.conflicts[0].path) == "/actions/0/owner");
}

TEST_CASE("merge: a removed item against an edit of it conflicts on the item") {
  std::string base = "responses:\n  - customer: a\n    score: 3\n  - customer: b\n    score: 4\n";
  TreeMerge m =
      merge3(base, "responses:\n  - customer: b\n    score: 4\n",
             "responses:\n  - customer: a\n    score: 5\n  - customer: b\n    score: 4\n");
  REQUIRE(m.conflicts.size() == 1);
  CHECK(to_pointer(m.conflicts[0].path) == "/responses/0");
  CHECK_FALSE(m.conflicts[0].ours.has_value());
  // A removed item the other side left alone goes.
  m = merge3(base, "responses:\n  - customer: b\n    score: 4\n",
             base + "  - customer: c\n    score: 1\n");
  CHECK(m.conflicts.empty());
  CHECK(m.merged ==
        parse("responses:\n  - customer: b\n    score: 4\n  - customer: c\n    score: 1\n"));
}

TEST_CASE("merge: plain strings merge by value; a service's levels by metric") {
  TreeMerge m = merge3("attendees: [A, B]\n", "attendees: [A, B, C]\n", "attendees: [B, D]\n");
  CHECK(m.conflicts.empty());
  CHECK(m.merged == parse("attendees: [B, C, D]\n"));
  std::string base =
      "services:\n  - service: email\n    levels:\n      - metric: availability\n        target: "
      "99\n";
  m = merge3(base, base + "      - metric: response\n        target: 4\n",
             "services:\n  - service: email\n    levels:\n      - metric: availability\n"
             "        target: 99.5\n");
  CHECK(m.conflicts.empty());
  const Value& levels = *m.merged.find("services")->items()[0].find("levels");
  REQUIRE(levels.size() == 2);
  CHECK(levels.items()[0].find("target")->as_double() == 99.5);
  CHECK(merge_identity("services[].levels").front() == "metric");
  CHECK(merge_identity("attendees").empty());
}

TEST_CASE("merge: without a base (add/add) every difference conflicts") {
  Value o = parse("name: Anna Berg\nrole: customer\nemail: a@x\n");
  Value t = parse("name: Anna Berg\nrole: customer\nphone: '1'\n");
  TreeMerge m = merge_documents(nullptr, o, t);
  CHECK(m.conflicts.size() == 2);
  CHECK(m.merged.find("name")->as_string() == "Anna Berg");
  CHECK(merge_documents(nullptr, o, o).conflicts.empty());
}

TEST_CASE("merge file: markers go around the conflicting field's lines only") {
  FileMerge m =
      merge_files(kAnna, "name: Anna Berg\nrole: customer\nemail: o@x\nphone: \"+46 8 123\"\n",
                  "name: Anna Berg\nrole: customer\nemail: t@x\nphone: \"+46 8 999\"\n");
  CHECK_FALSE(m.clean);
  CHECK(m.conflicts == 1);
  CHECK(m.text ==
        "name: Anna Berg\nrole: customer\n"
        "<<<<<<< ours\nemail: o@x\n=======\nemail: t@x\n>>>>>>> theirs\n"
        "phone: +46 8 999\n");
}

TEST_CASE("merge file: a conflict inside a list item keeps the item's dash outside") {
  std::string base =
      "date: 2026-03-15\ncustomer: c\nattendees: [A]\nactions:\n"
      "  - what: Send\n    owner: X\n    due: 2026-03-31\n";
  FileMerge m = merge_record_files(base,
                                   "date: 2026-03-15\ncustomer: c\nattendees: [A]\nactions:\n  - "
                                   "what: Send\n    owner: P\n    due: 2026-03-31\n",
                                   "date: 2026-03-15\ncustomer: c\nattendees: [A]\nactions:\n  - "
                                   "what: Send\n    owner: R\n    due: 2026-03-31\n",
                                   KindId::Meeting, "meetings/m.yaml");
  CHECK(m.text ==
        "date: 2026-03-15\ncustomer: c\nattendees:\n  - A\nactions:\n  - what: Send\n"
        "<<<<<<< ours\n    owner: P\n=======\n    owner: R\n>>>>>>> theirs\n"
        "    due: 2026-03-31\n");
}

TEST_CASE("merge file: a conflict that would empty its parent is widened to the parent") {
  std::string base = "name: A\nrole: customer\nbudget:\n  amount: 1\n";
  FileMerge m = merge_files(base, "name: A\nrole: customer\nbudget: {}\n",
                            "name: A\nrole: customer\nbudget:\n  amount: 2\n");
  CHECK(m.conflicts == 1);
  CHECK(m.text ==
        "name: A\nrole: customer\n<<<<<<< ours\nbudget: {}\n=======\nbudget:\n  amount: 2\n"
        ">>>>>>> theirs\n");
}

TEST_CASE("merge file: a clean merge is canonical, or git's own text when that agrees") {
  // Adjacent lines: git's text merge conflicts, the record merge does not.
  FileMerge m =
      merge_files(kAnna, "name: Anna Berg\nrole: customer\nemail: o@x\nphone: \"+46 8 123\"\n",
                  "name: Anna Berg\nrole: customer\nemail: anna@example.com\nphone: \"9\"\n");
  CHECK(m.clean);
  CHECK(m.text == "name: Anna Berg\nrole: customer\nemail: o@x\nphone: \"9\"\n");
  // Far apart and commented: git's merge of the lines is kept, comments and all.
  std::string base =
      "# The retail lead.\nname: Anna Berg\nrole: customer\ntitle: Head\nunit: Retail\n"
      "email: a@x\nstatus: active\n";
  m = merge_files(
      base,
      "# The retail lead.\nname: Anna Berg\nrole: customer\ntitle: Chief\nunit: Retail\n"
      "email: a@x\nstatus: active\n",
      "# The retail lead.\nname: Anna Berg\nrole: customer\ntitle: Head\nunit: Retail\n"
      "email: a@x\nstatus: inactive\n");
  CHECK(m.clean);
  CHECK(m.text.rfind("# The retail lead.\n", 0) == 0);
  CHECK(m.text.find("title: Chief\n") != std::string::npos);
  CHECK(m.text.find("status: inactive\n") != std::string::npos);
}

TEST_CASE("merge file: CRLF files stay CRLF") {
  FileMerge m = merge_files("name: A\r\nrole: customer\r\nemail: a\r\nphone: '1'\r\n",
                            "name: A\r\nrole: customer\r\nemail: b\r\nphone: '1'\r\n",
                            "name: A\r\nrole: customer\r\nemail: a\r\nphone: '2'\r\n");
  CHECK(m.clean);
  CHECK(m.text == "name: A\r\nrole: customer\r\nemail: b\r\nphone: \"2\"\r\n");
}

TEST_CASE("merge file: a side that does not parse is merged as lines") {
  FileMerge m = merge_files("name: A\nrole: customer\n", "name: [A\nrole: customer\n",
                            "name: A\nrole: purchaser\n");
  CHECK(m.by_lines);
  CHECK_FALSE(m.clean);
  CHECK(m.text.find("<<<<<<< ours") != std::string::npos);
  REQUIRE_FALSE(m.notes.empty());
  CHECK(m.notes[0].find("merged as lines") != std::string::npos);
}

TEST_CASE("merge file: two valid sides that merge into an invalid record are not clean") {
  // Ours makes her a purchaser (with the customer a purchaser needs), theirs gives her a
  // budget, which only customers have.
  std::string base = "name: A\nrole: customer\n";
  FileMerge m = merge_files(base, "name: A\nrole: purchaser\ncustomer: c\n",
                            "name: A\nrole: customer\nbudget:\n  amount: 5\n");
  CHECK(m.conflicts == 0);
  CHECK_FALSE(m.clean);
  CHECK_FALSE(m.findings.empty());
}

TEST_CASE("merge file: without a path the kind is guessed from the content") {
  FileMerge m =
      merge_record_files("title: T\ndate: 2026-06-01\nresponses:\n  - customer: a\n    score: 3\n",
                         "title: T\ndate: 2026-06-01\nresponses:\n  - customer: a\n    score: 3\n  "
                         "- customer: b\n    score: 4\n",
                         "title: T\ndate: 2026-06-01\nresponses:\n  - customer: a\n    score: 5\n",
                         std::nullopt, "x.yaml");
  CHECK(m.clean);
  CHECK(m.text ==
        "title: T\ndate: 2026-06-01\nresponses:\n  - customer: a\n    score: 5\n"
        "  - customer: b\n    score: 4\n");
}

TEST_CASE("merge: random edits of valid records keep the fuzz target's properties") {
  // The fuzz target's work on a fixed set of scripts, so that the normal build checks it.
  brm::fuzz::init_fuzzing();
  std::uint64_t state = 0x9E3779B97F4A7C15u;
  for (int n = 0; n < 3000; ++n) {
    std::vector<std::uint8_t> script(static_cast<std::size_t>(2 + n % 40));
    for (std::uint8_t& b : script) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      b = static_cast<std::uint8_t>(state >> 56);
    }
    std::string broken = brm::fuzz::run_merge_input(script.data(), script.size());
    INFO("script " << n);
    REQUIRE(broken == "");
  }
}

TEST_CASE("merge driver: .gitattributes gets a line per kind folder it lacks, once") {
  std::string once = with_merge_attributes("*.pdf binary\ncustomers/*.yaml merge=brm\n");
  CHECK(once.rfind("*.pdf binary\ncustomers/*.yaml merge=brm\n", 0) == 0);
  CHECK(once.find("meetings/*.yaml merge=brm\n") != std::string::npos);
  CHECK(once.find("customers/*.yaml merge=brm", 30) == std::string::npos);
  CHECK(with_merge_attributes(once) == once);
  CHECK(with_merge_attributes("x binary").rfind("x binary\n# ", 0) == 0);
}
