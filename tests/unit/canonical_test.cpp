#include "brm/canonical.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "brm/yaml.hpp"

using namespace brm;

namespace {

Value parse(std::string_view text) {
  Value doc;
  Diagnostics findings;
  bool ok = parse_yaml(text, "x.yaml", &doc, &findings);
  INFO(text);
  INFO((findings.empty() ? "" : format_text(findings.front())));
  REQUIRE(ok);
  return doc;
}

// The writer's contract: what it writes reads back as the same value, and writing
// that again changes nothing.
void check_round_trip(const Value& doc, std::string_view label, KindId kind, bool record) {
  std::string text = record ? to_canonical_yaml(kind, doc) : to_yaml(doc);
  INFO(label);
  INFO(text);
  Value back;
  Diagnostics findings;
  bool ok = parse_yaml(text, "x.yaml", &back, &findings);
  INFO((findings.empty() ? "" : format_text(findings.front())));
  REQUIRE(ok);
  CHECK(back == doc);
  CHECK((record ? to_canonical_yaml(kind, back) : to_yaml(back)) == text);
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Random documents full of what makes YAML writers stumble.
class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  Value value(int depth) {
    int pick = uniform(depth > 0 ? 9 : 6);
    switch (pick) {
      case 0:
        return Value::null();
      case 1:
        return Value::boolean(uniform(2) == 1);
      case 2:
        return Value::integer(integer());
      case 3:
        return Value::floating(floating());
      case 4:
      case 5:
        return Value::string(text());
      case 6:
      case 7: {
        Value m = Value::mapping();
        for (int i = 0, n = uniform(4); i < n; ++i) m.set(text(), value(depth - 1));
        return m;
      }
      default: {
        Value s = Value::sequence();
        for (int i = 0, n = uniform(4); i < n; ++i) s.push_back(value(depth - 1));
        return s;
      }
    }
  }

  std::string text() {
    static const std::vector<std::string> words = {"",
                                                   " ",
                                                   "true",
                                                   "False",
                                                   "null",
                                                   "~",
                                                   "NULL",
                                                   "1",
                                                   "-1",
                                                   "0x1F",
                                                   "0o17",
                                                   "1.5",
                                                   "1e3",
                                                   ".inf",
                                                   "-.Inf",
                                                   ".nan",
                                                   "yes",
                                                   "no",
                                                   "on",
                                                   "2026-03-04",
                                                   "---",
                                                   "...",
                                                   "- a",
                                                   "a: b",
                                                   "a:b",
                                                   "a #b",
                                                   "a#b",
                                                   "#b",
                                                   "a:",
                                                   "? x",
                                                   ": x",
                                                   "|",
                                                   ">",
                                                   "'q'",
                                                   "\"q\"",
                                                   "&a",
                                                   "*a",
                                                   "!tag",
                                                   "%x",
                                                   "@x",
                                                   "`x",
                                                   "[a]",
                                                   "{a: 1}",
                                                   "a, b",
                                                   "Åsa Öberg",
                                                   "x\ny",
                                                   "x\n",
                                                   "x\n\n",
                                                   "\nx",
                                                   " x\ny",
                                                   "x \ny",
                                                   "tab\there",
                                                   "cr\rlf",
                                                   "\xC2\x85",
                                                   "\xE2\x80\xA8",
                                                   "\xEF\xBB\xBF",
                                                   std::string("nul\0byte", 8),
                                                   "back\\slash",
                                                   "-",
                                                   "+1",
                                                   "=SUM(A1)",
                                                   "https://x.example/a#b",
                                                   "line one\n\n  indented\nlast",
                                                   "\xC3\xA9t\xC3\xA9",
                                                   "trailing ",
                                                   " leading",
                                                   "\t"};
    if (uniform(3) == 0)
      return words[static_cast<std::size_t>(uniform(static_cast<int>(words.size())))];
    static const std::vector<std::string> pieces = {
        "a",  "b",  "Z",  "0",  "9", " ", ":",        "#",        "-", "?", "'",
        "\"", "\\", "\n", "\t", "|", ">", "[",        "]",        "{", "}", ",",
        "&",  "*",  "!",  "%",  "@", ".", "\xC3\xA5", "\xC3\x9F", "\r"};
    std::string s;
    for (int i = 0, n = uniform(8); i < n; ++i)
      s += pieces[static_cast<std::size_t>(uniform(static_cast<int>(pieces.size())))];
    return s;
  }

 private:
  int uniform(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::int64_t integer() {
    static const std::int64_t edge[] = {0, -1, 7, INT64_MAX, INT64_MIN, 4410};
    if (uniform(2) == 0) return edge[uniform(6)];
    return std::uniform_int_distribution<std::int64_t>(INT64_MIN, INT64_MAX)(rng_);
  }
  double floating() {
    static const double edge[] = {
        0.0,  -0.0, 1.0,      99.5,     0.1, 1e20, 1e-7, 5e-324, 1.7976931348623157e308,
        -2.5, 1e19, HUGE_VAL, -HUGE_VAL};
    if (uniform(2) == 0) return edge[uniform(13)];
    return std::uniform_real_distribution<double>(-1e6, 1e6)(rng_);
  }
  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("canonical: keys follow the schema's order, nested objects and list items too") {
  Value doc = parse(
      "financing: {period: yearly, amount: 480000}\n"
      "services:\n"
      "  - levels:\n"
      "      - unit: percent\n"
      "        target: 99.5\n"
      "        metric: availability\n"
      "    service: email\n"
      "status: active\n"
      "title: Retail IT services 2026\n"
      "start: 2026-01-01\n"
      "customer: retail-division\n");
  CHECK(to_canonical_yaml(KindId::Agreement, doc) ==
        "title: Retail IT services 2026\n"
        "customer: retail-division\n"
        "status: active\n"
        "start: 2026-01-01\n"
        "services:\n"
        "  - service: email\n"
        "    levels:\n"
        "      - metric: availability\n"
        "        target: 99.5\n"
        "        unit: percent\n"
        "financing:\n"
        "  amount: 480000\n"
        "  period: yearly\n");
}

TEST_CASE("canonical: keys under extra and keys the schema does not know keep file order") {
  Value doc = parse("extra: {zeta: 1, alpha: {b: 2, a: 1}}\nname: Anna\nzz: 1\nrole: customer\n");
  CHECK(to_canonical_yaml(KindId::Customer, doc) ==
        "name: Anna\n"
        "role: customer\n"
        "extra:\n"
        "  zeta: 1\n"
        "  alpha:\n"
        "    b: 2\n"
        "    a: 1\n"
        "zz: 1\n");
}

TEST_CASE("canonical: survey answers and questions are ordered through items and $refs") {
  Value doc = parse(
      "responses:\n  - score: 4\n    answers: {q2: 3, q1: 4}\n    customer: anna\n"
      "questions:\n  - text: Overall?\n    id: overall\n"
      "date: 2026-06-01\ntitle: Survey\n");
  CHECK(to_canonical_yaml(KindId::Survey, doc) ==
        "title: Survey\n"
        "date: 2026-06-01\n"
        "questions:\n"
        "  - id: overall\n"
        "    text: Overall?\n"
        "responses:\n"
        "  - customer: anna\n"
        "    score: 4\n"
        "    answers:\n"
        "      q2: 3\n"
        "      q1: 4\n");
}

TEST_CASE("canonical: strings are quoted only where YAML would read something else") {
  auto one = [](Value v) {
    Value doc = Value::mapping();
    doc.set("notes", std::move(v));
    std::string text = to_yaml(doc);
    return text.substr(7, text.size() - 8);  // "notes: " ... "\n"
  };
  CHECK(one(Value::string("Anna Berg")) == "Anna Berg");
  CHECK(one(Value::string("yes")) == "yes");  // a string in YAML 1.2
  CHECK(one(Value::string("2026-03-04")) == "2026-03-04");
  CHECK(one(Value::string("+46 8 555 012 30")) == "+46 8 555 012 30");
  CHECK(one(Value::string("https://example.com/a#b")) == "https://example.com/a#b");
  CHECK(one(Value::string("4410")) == "\"4410\"");
  CHECK(one(Value::string("true")) == "\"true\"");
  CHECK(one(Value::string("null")) == "\"null\"");
  CHECK(one(Value::string("1.5")) == "\"1.5\"");
  CHECK(one(Value::string("")) == "\"\"");
  CHECK(one(Value::string("a: b")) == "\"a: b\"");
  CHECK(one(Value::string("a #b")) == "\"a #b\"");
  CHECK(one(Value::string("ends:")) == "\"ends:\"");
  CHECK(one(Value::string("- item")) == "\"- item\"");
  CHECK(one(Value::string("#tag")) == "\"#tag\"");
  CHECK(one(Value::string(" padded")) == "\" padded\"");
  CHECK(one(Value::string("say \"hi\"\t\\")) == "\"say \\\"hi\\\"\\t\\\\\"");
  CHECK(one(Value::string("bell\x07")) == "\"bell\\x07\"");
}

TEST_CASE("canonical: multi-line strings are literal blocks with the chomping they need") {
  Value doc = Value::mapping();
  doc.set("a", Value::string("one\ntwo"));
  doc.set("b", Value::string("one\n\ntwo\n"));
  doc.set("c", Value::string("one\n\n"));
  doc.set("d", Value::string("  indented first\nline"));
  doc.set("e", Value::string("trailing \nspace"));
  doc.set("f", Value::string("cr\r\nlf"));
  CHECK(to_yaml(doc) ==
        "a: |-\n  one\n  two\n"
        "b: |\n  one\n\n  two\n"
        "c: |+\n  one\n\n"
        "d: \"  indented first\\nline\"\n"
        "e: \"trailing \\nspace\"\n"
        "f: \"cr\\r\\nlf\"\n");
  check_round_trip(doc, "blocks", KindId::Customer, false);
}

TEST_CASE("canonical: numbers, null, booleans and empty collections") {
  Value doc = Value::mapping();
  doc.set("int", Value::integer(-7));
  doc.set("float", Value::floating(99.5));
  doc.set("whole", Value::floating(1.0));
  doc.set("big", Value::floating(1e20));
  doc.set("inf", Value::floating(-HUGE_VAL));
  doc.set("null", Value::null());
  doc.set("yes", Value::boolean(true));
  doc.set("map", Value::mapping());
  doc.set("list", Value::sequence());
  CHECK(to_yaml(doc) ==
        "int: -7\nfloat: 99.5\nwhole: 1.0\nbig: 1e+20\ninf: -.inf\n\"null\": null\n"
        "yes: true\nmap: {}\nlist: []\n");
  Value back = parse(to_yaml(doc));
  CHECK(back.find("whole")->type() == Value::Type::Float);
  CHECK(back.find("big")->type() == Value::Type::Float);
}

TEST_CASE("canonical: lists of lists, lists of blocks, and a scalar document") {
  Value inner = Value::sequence();
  inner.push_back(Value::string("a"));
  inner.push_back(Value::sequence());
  Value list = Value::sequence();
  list.push_back(inner);
  list.push_back(Value::string("x\ny\n"));
  list.push_back(Value::mapping());
  CHECK(to_yaml(list) == "-\n  - a\n  - []\n- |\n  x\n  y\n- {}\n");
  check_round_trip(list, "nested", KindId::Customer, false);
  CHECK(to_yaml(Value::string("just text")) == "just text\n");
}

TEST_CASE("canonical: every example file reads back the same and is a fixed point") {
  namespace fs = std::filesystem;
  fs::path examples = fs::path(BRM_SOURCE_DIR) / "examples";
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(examples)) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    std::string text = read(e.path());
    Value doc;
    Diagnostics findings;
    if (!parse_yaml(text, e.path().string(), &doc, &findings)) continue;  // broken on purpose
    const Kind* kind = find_kind(e.path().parent_path().filename().string());
    check_round_trip(doc, e.path().string(), kind ? kind->id : KindId::Customer, kind != nullptr);
    ++files;
  }
  CHECK(files > 50);
}

TEST_CASE("canonical: the example repository is already in canonical form") {
  namespace fs = std::filesystem;
  fs::path root = fs::path(BRM_SOURCE_DIR) / "examples" / "example-group";
  for (const Kind& k : kinds()) {
    if (!fs::is_directory(root / k.folder)) continue;
    for (const auto& e : fs::directory_iterator(root / k.folder)) {
      std::string text = read(e.path());
      INFO(e.path().string());
      CHECK(to_canonical_yaml(k.id, parse(text)) == text);
    }
  }
}

TEST_CASE("canonical: generated documents read back the same and are a fixed point") {
  Generator gen(20261126);
  for (int i = 0; i < 3000; ++i) {
    Value doc = gen.value(4);
    check_round_trip(doc, fmt::format("document {}", i), KindId::Agreement, i % 2 == 0);
  }
}

TEST_CASE("canonical: is_plain_safe agrees with the parser") {
  Generator gen(7);
  for (int i = 0; i < 5000; ++i) {
    std::string s = gen.text();
    if (!is_plain_safe(s)) continue;
    INFO(s);
    Value v = parse("k: " + s + "\n");
    REQUIRE(v.find("k") != nullptr);
    CHECK(v.find("k")->is_string());
    CHECK(v.find("k")->as_string() == s);
  }
}

TEST_CASE("canonical: comments are found outside strings and block scalars only") {
  CHECK(has_comments("# top\nname: Anna\n"));
  CHECK(has_comments("name: Anna  # the customer\n"));
  CHECK(has_comments("list:\n  - a\n  # between\n  - b\n"));
  CHECK(has_comments("notes: |  # why\n  text\n"));
  CHECK(has_comments("- note: |\n    text\n  other: 1 # after the block\n"));
  CHECK(has_comments("a: 'quoted' # after\n"));
  CHECK(has_comments("a: [x, y] # flow\n"));
  CHECK_FALSE(has_comments("name: Anna\nemail: a@example.com\n"));
  CHECK_FALSE(has_comments("url: https://example.com/page#anchor\n"));
  CHECK_FALSE(has_comments("title: C# and F# training\n"));
  CHECK_FALSE(has_comments("a: \"not # a comment\"\nb: 'nor # this'\n"));
  CHECK_FALSE(has_comments("a: \"runs\n  on # still text\"\n"));
  CHECK_FALSE(has_comments("a: 'it''s # text'\n"));
  CHECK_FALSE(has_comments("notes: |\n  # a heading in text\n  more\nb: 1\n"));
  CHECK_FALSE(has_comments("- |\n  # text in a list item\n- b\n"));
  CHECK(has_comments("text: don't # stop\n"));  // the apostrophe opens no string
  CHECK_FALSE(has_comments("tags: [a#b, c]\n"));
}

TEST_CASE("canonical: a first-line yaml-language-server modeline is kept, nothing else") {
  const std::string modeline =
      "# yaml-language-server: $schema=../.brm/schema/customer.schema.json";
  CHECK(leading_modeline(modeline + "\nname: A\n") == modeline);
  CHECK(leading_modeline("\xEF\xBB\xBF" + modeline + "\r\nname: A\r\n") == modeline);
  CHECK(leading_modeline("name: A\n" + modeline + "\n").empty());
  CHECK(leading_modeline("# a comment\nname: A\n").empty());
  Value doc = parse("role: customer\nname: Anna\n");
  CHECK(to_canonical_yaml(KindId::Customer, doc, modeline) ==
        modeline + "\nname: Anna\nrole: customer\n");
  CHECK(to_canonical_yaml(KindId::Customer, doc, "") == "name: Anna\nrole: customer\n");
  // The writes keep it, so it is no comment that they drop; another one still is.
  CHECK(!has_comments(modeline + "\nname: Anna\n"));
  CHECK(has_comments(modeline + "\nname: Anna  # the customer\n"));
  CHECK(has_comments("# yaml-language-server is great\nname: Anna\n"));
}
