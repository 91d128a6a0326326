#include "brm/text_edit.hpp"

#include <doctest/doctest.h>

#include "brm/diagnostic.hpp"
#include "brm/yaml.hpp"

using namespace brm;

namespace {

Value parsed(std::string_view text) {
  Value v;
  Diagnostics ignored;
  REQUIRE(parse_yaml(text, "x.yaml", &v, &ignored));
  return v;
}

}  // namespace

TEST_CASE("text_edit: a changed value is replaced where it stands, comments and quotes stay") {
  std::string text =
      "# note\nname: 'Anna Berg'  # kept\n\ntitle: \"Head\"\nbudget:\n  amount: 5 # eur\n";
  Value before = parsed(text);
  Value after = before;
  after.set("name", Value::string("Anna's"));
  after.set("title", Value::string("Chief \"IT\""));
  after.find("budget")->set("amount", Value::integer(7));
  auto out = edit_in_place(text, before, after);
  REQUIRE(out);
  CHECK(*out ==
        "# note\nname: 'Anna''s'  # kept\n\ntitle: \"Chief \\\"IT\\\"\"\nbudget:\n  amount: 7 # "
        "eur\n");
}

TEST_CASE("text_edit: a string that looks like a number keeps its quotes; CRLF stays") {
  std::string text = "code: abc\r\nstatus: open\r\n";
  Value before = parsed(text);
  Value after = before;
  after.set("code", Value::string("4411"));
  after.set("closed", Value::string("2026-11-20"));
  auto out = edit_in_place(text, before, after);
  REQUIRE(out);
  CHECK(*out == "code: \"4411\"\r\nstatus: open\r\nclosed: 2026-11-20\r\n");
}

TEST_CASE("text_edit: a new key of a list item goes after its last entry, at its indent") {
  std::string text = "actions:\n  - what: A  # x\n    due: 2026-01-01\n  - what: B\n";
  Value before = parsed(text);
  Value after = before;
  after.find("actions")->items()[0].set("done", Value::string("2026-01-02"));
  after.find("actions")->items()[1].set("done", Value::string("2026-01-03"));
  auto out = edit_in_place(text, before, after);
  REQUIRE(out);
  CHECK(*out ==
        "actions:\n  - what: A  # x\n    due: 2026-01-01\n    done: 2026-01-02\n  - what: B\n"
        "    done: 2026-01-03\n");
}

TEST_CASE("text_edit: structural changes and unreadable spots are left to the canonical form") {
  std::string text = "name: A\nnotes: |\n  one\nlist: [a, b]\n";
  Value before = parsed(text);
  Value nested = before;
  nested.set("budget", Value::mapping());
  CHECK_FALSE(edit_in_place(text, before, nested));
  Value more = before;
  more.find("list")->push_back(Value::string("c"));
  CHECK_FALSE(edit_in_place(text, before, more));
  Value block = before;
  block.set("notes", Value::string("two\n"));
  CHECK_FALSE(edit_in_place(text, before, block));
  Value removed = parsed("name: A\nlist: [a, b]\n");
  CHECK_FALSE(edit_in_place(text, before, removed));
  Value flow = before;
  flow.find("list")->items()[1] = Value::string("z");
  auto out = edit_in_place(text, before, flow);
  REQUIRE(out);
  CHECK(*out == "name: A\nnotes: |\n  one\nlist: [a, z]\n");
}
