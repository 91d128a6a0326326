#include "brm/yaml.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

using namespace brm;

namespace {
struct Parsed {
  bool ok;
  Value doc;
  Diagnostics findings;
};
Parsed parse(std::string_view text, YamlLimits limits = {}) {
  Parsed p;
  p.ok = parse_yaml(text, "customers/x.yaml", &p.doc, &p.findings, limits);
  return p;
}
std::string first_rule(const Parsed& p) { return p.findings.empty() ? "" : p.findings[0].rule; }
}  // namespace

TEST_CASE("yaml: plain scalars resolve by the YAML 1.2 core schema") {
  auto p = parse(
      "a: 123\nb: \"123\"\nc: no\nd: true\ne: 2026-03-04\nf: 99.5\ng: ~\nh:\ni: 0x1F\nj: yes\n"
      "k: 1e3\nl: .inf\nm: -7\n");
  REQUIRE(p.ok);
  CHECK(p.doc.find("a")->type() == Value::Type::Int);
  CHECK(p.doc.find("a")->as_int() == 123);
  CHECK(p.doc.find("b")->is_string());
  CHECK(p.doc.find("c")->as_string() == "no");
  CHECK(p.doc.find("d")->is_bool());
  CHECK(p.doc.find("e")->as_string() == "2026-03-04");
  CHECK(p.doc.find("f")->type() == Value::Type::Float);
  CHECK(p.doc.find("g")->is_null());
  CHECK(p.doc.find("h")->is_null());
  CHECK(p.doc.find("i")->as_int() == 31);
  CHECK(p.doc.find("j")->is_string());
  CHECK(p.doc.find("k")->as_double() == 1000.0);
  CHECK(p.doc.find("m")->as_int() == -7);
}

TEST_CASE("yaml: every value and key keeps its line and column") {
  auto p = parse("name: Anna\nbudget:\n  amount: 5\n");
  REQUIRE(p.ok);
  const auto& entries = p.doc.entries();
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].key_mark.line == 2);
  CHECK(entries[1].key_mark.column == 1);
  const Value* amount = p.doc.find("budget")->find("amount");
  CHECK(amount->mark().line == 3);
  CHECK(amount->mark().column == 11);
}

TEST_CASE("yaml: an integer beyond 64 bits is refused, not rounded or wrapped") {
  for (std::string_view text : {"a: 99999999999999999999\n", "a: -99999999999999999999\n",
                                "a: 0x1FFFFFFFFFFFFFFFF\n", "a: [1, 99999999999999999999999]\n"}) {
    INFO(text);
    auto p = parse(text);
    CHECK_FALSE(p.ok);
    REQUIRE(first_rule(p) == "number-too-big");
    CHECK(p.findings[0].line == 1);
    CHECK(p.findings[0].message.find("quote it") != std::string::npos);
  }
  auto p = parse("a: 9223372036854775807\nb: -9223372036854775808\nc: 1e23\nd: 1.5e300\n");
  REQUIRE(p.ok);
  CHECK(p.doc.find("a")->as_int() == 9223372036854775807);
  CHECK(p.doc.find("b")->type() == Value::Type::Int);
  CHECK(p.doc.find("c")->as_double() == 1e23);
  auto big = parse("a: 99999999999999999999999\n");
  REQUIRE(!big.findings.empty());
  CHECK(big.findings[0].message ==
        "99999999999999999999999 is too big for an integer (at most 9223372036854775807); quote "
        "it to keep it as text");
}

TEST_CASE("yaml: an empty value is placed at its key, not at the next line or past the end") {
  auto p = parse(
      "name: Anna\nit_contact:\nnull_stuff: 1\nbudget:\n  amount:   # none yet\n"
      "  year: ~\nlast:");
  REQUIRE(p.ok);
  const Value* contact = p.doc.find("it_contact");
  REQUIRE(contact);
  CHECK(contact->is_null());
  CHECK(contact->mark().line == 2);
  CHECK(contact->mark().column == 1);
  const Value* amount = p.doc.find("budget")->find("amount");
  CHECK(amount->mark().line == 5);
  CHECK(amount->mark().column == 3);
  CHECK(p.doc.find("budget")->find("year")->mark().column == 9);  // a written ~ stays
  CHECK(p.doc.find("last")->mark().line == 7);
  // The same through yaml-cpp (a flow mapping sends the file past the fast reader).
  auto flow = parse("a: {b: 1}\nit_contact:\nc: 2\n");
  REQUIRE(flow.ok);
  CHECK(flow.doc.find("it_contact")->mark().line == 2);
}

TEST_CASE("yaml: a value holding ': ' gets a hint to quote it") {
  auto p = parse("name: Anna\nunit: Sales: North\n");
  CHECK_FALSE(p.ok);
  REQUIRE(first_rule(p) == "yaml-syntax");
  CHECK(p.findings[0].message ==
        "invalid YAML: illegal map value (a value with ': ' in it needs quotes: unit: "
        "\"Sales: North\")");
}

TEST_CASE("yaml: a duplicate key is an error at the second key") {
  auto p = parse("name: a\nrole: customer\nname: b\n");
  CHECK_FALSE(p.ok);
  CHECK(first_rule(p) == "duplicate-key");
  CHECK(p.findings[0].line == 3);
  CHECK(p.findings[0].message.find("first at line 1") != std::string::npos);
}

TEST_CASE("yaml: syntax errors carry the position") {
  auto p = parse("name: \"Anna\nrole: customer\n");
  CHECK_FALSE(p.ok);
  CHECK(first_rule(p) == "yaml-syntax");
  CHECK(p.findings[0].line >= 1);
}

TEST_CASE("yaml: tabs in indentation are an error, tabs in a block scalar are text") {
  auto bad = parse("budget:\n\tamount: 5\n");
  CHECK_FALSE(bad.ok);
  CHECK(first_rule(bad) == "tab-indent");
  CHECK(bad.findings[0].line == 2);
  auto good = parse("notes: |\n  a\n  \tb\n");
  CHECK(good.ok);
  CHECK(good.doc.find("notes")->as_string() == "a\n\tb\n");
}

TEST_CASE("yaml: one document per file") {
  auto p = parse("a: 1\n---\nb: 2\n");
  CHECK_FALSE(p.ok);
  CHECK(first_rule(p) == "multiple-documents");
  CHECK(p.findings[0].line == 2);
}

TEST_CASE("yaml: an empty file and a comment-only file are empty") {
  CHECK(first_rule(parse("")) == "empty-file");
  CHECK(first_rule(parse("# nothing\n")) == "empty-file");
}

TEST_CASE("yaml: a byte-order mark is tolerated") {
  auto p = parse("\xEF\xBB\xBFname: Anna\n");
  REQUIRE(p.ok);
  CHECK(p.doc.find("name")->as_string() == "Anna");
}

TEST_CASE("yaml: invalid UTF-8 and NUL bytes are findings with a position") {
  auto p = parse("name: An\xFFna\n");
  CHECK(first_rule(p) == "invalid-utf8");
  CHECK(p.findings[0].line == 1);
  CHECK(p.findings[0].column == 9);
  CHECK(first_rule(parse(std::string("a: b\n\0c", 7))) == "not-text");
}

TEST_CASE("yaml: nesting deeper than the limit is a finding, not a crash") {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  auto p = parse("a: " + deep + "\n");
  CHECK_FALSE(p.ok);
  CHECK(first_rule(p) == "too-deep");
  std::string very_deep(100000, '[');
  auto q = parse(very_deep);
  CHECK_FALSE(q.ok);
}

TEST_CASE("yaml: an alias bomb is stopped by the value limit") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += fmt::format("{}: &{} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n", c,
                        c, fmt::arg("p", prev));
    prev = c;
  }
  auto p = parse(bomb);
  CHECK_FALSE(p.ok);
  CHECK(first_rule(p) == "too-large");
}

TEST_CASE("yaml: aliases within the limit expand to copies") {
  auto p = parse("a: &x {k: 1}\nb: *x\n");
  REQUIRE(p.ok);
  CHECK(p.doc.find("b")->find("k")->as_int() == 1);
}

TEST_CASE("yaml: complex keys and unknown tags are refused") {
  CHECK(first_rule(parse("? [a, b]\n: c\n")) == "complex-key");
  CHECK(first_rule(parse("a: !custom x\n")) == "unsupported-tag");
  auto tagged = parse("a: !!str 123\n");
  REQUIRE(tagged.ok);
  CHECK(tagged.doc.find("a")->is_string());
}

TEST_CASE("yaml: a file over the size limit is not parsed") {
  YamlLimits small;
  small.max_bytes = 10;
  auto p = parse("name: a long enough value\n", small);
  CHECK(first_rule(p) == "too-large");
}

TEST_CASE("yaml: a quote left open at the end of the file is an error") {
  auto p = parse("name: Anna\nnotes: \"never closed\n");
  CHECK_FALSE(p.ok);
  CHECK(first_rule(p) == "yaml-syntax");
  CHECK(p.findings[0].line == 2);
  CHECK_FALSE(parse("name: 'open\n").ok);
  auto ok = parse("a: 'it''s'\nb: \"q\\\"x\"\nc: \"åäö\"\nd: 'å'\n");
  CHECK(ok.ok);
  CHECK(ok.doc.find("a")->as_string() == "it's");
}

TEST_CASE("yaml: git's conflict markers are one finding at the first marker's line") {
  auto p = parse(
      "name: Anna Berg\n<<<<<<< HEAD\nit_contact: Lars\n=======\nit_contact: Maria\n"
      ">>>>>>> other\nrole: customer\n");
  CHECK_FALSE(p.ok);
  REQUIRE(p.findings.size() == 1);
  CHECK(p.findings[0].rule == "merge-conflict");
  CHECK(p.findings[0].line == 2);
  CHECK(p.findings[0].column == 1);
  CHECK(p.findings[0].message.find("unresolved merge conflict") == 0);
  // diff3 style, CRLF, markers without a label, and a file whose opening marker was cut.
  auto diff3 = parse("<<<<<<<\r\na: 1\r\n||||||| base\r\na: 0\r\n=======\r\na: 2\r\n>>>>>>>\r\n");
  CHECK(first_rule(diff3) == "merge-conflict");
  CHECK(diff3.findings[0].line == 1);
  auto cut = parse("name: A\na: 1\n=======\na: 2\n>>>>>>> theirs\n");
  CHECK(first_rule(cut) == "merge-conflict");
  CHECK(cut.findings[0].line == 3);
  // Not markers: indented, in a block scalar, longer or glued to text, or a lone =======.
  CHECK(parse("notes: |\n  <<<<<<< HEAD\n  =======\n  >>>>>>> x\n").ok);
  CHECK(parse("a: '<<<<<<< HEAD'\n").ok);
  CHECK(first_rule(parse("a: 1\n<<<<<<<<x\n")) != "merge-conflict");
  CHECK(first_rule(parse("a: 1\n=======\n")) != "merge-conflict");
}
