// The subset reader must be indistinguishable from yaml-cpp wherever it accepts a text:
// same events, same tags, same marks. These tests compare the two event logs.
#include "yaml_block.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "brm/yaml.hpp"

using namespace brm;
namespace fs = std::filesystem;

namespace {

void check_same_events(const std::string& text) {
  CAPTURE(text);
  std::string fast = block_yaml_event_log(text);
  REQUIRE_MESSAGE(!fast.empty(), "the subset reader declined a text it should read");
  CHECK(fast == yaml_cpp_event_log(text));
}

}  // namespace

TEST_CASE("yaml subset: events and marks equal yaml-cpp's") {
  const std::vector<std::string> texts = {
      "a: 1\n",
      "a: 1",                                            // no final line break
      "a: 1\nb:\n",                                      // ... before a final line break
      "a:\n  b:\nc: 3\n",                                // null marked at the next, outer key
      "name: \"Jörg Berg\"\nunit: Ärger und Ü\nx: y\n",  // columns count bytes
      "a: plain text   # comment\nb: 'single'  \nc: \"double\" # c\n",
      "# a comment first\n\n  a: 1\n  b: 2\n\n# and last\n",
      "list:\n  - a\n  - b: 1\n    c: 2\n  -\n  - x\nafter: 1\n",
      "seq:\n- x\n- y\nnext: 2\n",  // a sequence at its key's indentation
      "services:\n  - service: svc-079\n    levels:\n      - metric: availability\n"
      "        target: 99.0\n  - service: svc-033\nfinancing:\n  amount: 166000\n",
      "attendees: [\"Nils Hoffmann\", Jörg K, c]\nempty: []\nanswers: {overall: 4, b: \"x\"}\n"
      "none: {}\n",
      "flow: [ a , b ]  # spaced\nmap: { k: v }\n",
      "minutes: |\n  line one\n\n    indented # not a comment\n  three\n\n\nnext: |-\n  x\n  y\n"
      "z: 1\n",
      "- a: |\n    in a sequence\n  b: 1\n- c\n",
      "- \n- x\n",
      "url: https://example.com/a#b\ntime: 10:30\nneg: -5\nodd: a,b [c] {d}\n",
      "a: 1\n   # an indented comment\nb: 2\n",
      "k-e.y_1: v\n2024: year\ntrue: yes\n",
      "a:\n  b:\n    c:\n      - d\n",
      "top: # comment after the key\n  inner: 1\n",
  };
  for (const auto& text : texts) check_same_events(text);
}

TEST_CASE("yaml subset: declines what it does not reproduce, and yaml-cpp reads it") {
  const std::vector<std::string> texts = {
      "",
      "# only a comment\n",
      "a: \"esc\\\"aped\"\n",
      "a: 'it''s'\n",
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "a: multi\n  line\n",
      "a: >\n  folded\n",
      "a: |+\n  keep\n",
      "a: |2\n   indicator\n",
      "a: 1\r\nb: 2\r\n",
      "a:\t1\n",
      "---\na: 1\n",
      "a: 1\n...\n",
      "? complex\n: key\n",
      "- - nested\n",
      "a: [1, 2, ]\n",
      "a: [[1]]\n",
      "a: {b: }\n",
      "just a scalar\n",
      "\"quoted key\": 1\n",
      "a: \"unclosed\n",
      "a: 1\n  b: 2\n",  // more indented than the map: yaml-cpp's error
      "a: b: c\n",
      "a: |\n  no final break",
      "a: 1\nb:",  // an empty value at the end, with no final line break
      "a:\n ",     // ... where yaml-cpp's mark depends on the last line
      "a: |\n\n  leading empty line\n",
  };
  for (const auto& text : texts) {
    CAPTURE(text);
    CHECK(block_yaml_event_log(text).empty());
  }
}

TEST_CASE("yaml subset: the loader gives the same tree and findings either way") {
  // An unclosed quote and a duplicate key: findings come from the tree builder, which
  // both readers feed.
  Value doc;
  Diagnostics findings;
  CHECK_FALSE(parse_yaml("a: 1\na: 2\n", "customers/x.yaml", &doc, &findings));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "duplicate-key");
  CHECK(findings[0].line == 2);
  CHECK(findings[0].column == 1);
}

TEST_CASE("yaml subset: every example, test repository and schema file reads the same both ways") {
  std::size_t accepted = 0, files = 0, schemas = 0;
  for (const char* top : {"examples", "tests/cli", "schema"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(BRM_SOURCE_DIR) / top)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".yaml") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      std::string s = text.str();
      if (s.size() > (1u << 20)) continue;
      if (s.starts_with("\xEF\xBB\xBF")) s.erase(0, 3);
      ++files;
      std::string fast = block_yaml_event_log(s);
      if (fast.empty()) continue;
      ++accepted;
      if (std::string_view(top) == "schema") ++schemas;
      CAPTURE(entry.path().string());
      CHECK(fast == yaml_cpp_event_log(s));
    }
  }
  // Nearly all of them are in the subset; if that falls, the fast path stopped working.
  CHECK(files > 300);
  CHECK(accepted * 10 > files * 9);
  // The built-in schemas too: every brm command parses them as it starts.
  CHECK(schemas >= 9);
}
