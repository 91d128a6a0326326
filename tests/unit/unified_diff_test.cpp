#include "brm/unified_diff.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "scratch_folder.hpp"

using namespace brm;

TEST_CASE("unified diff: equal texts give nothing") {
  CHECK(unified_diff("a\nb\n", "a\nb\n", "a/x", "b/x").empty());
  CHECK(unified_diff("", "", "a/x", "b/x").empty());
}

TEST_CASE("unified diff: one changed line with its context") {
  std::string old_text = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string new_text = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  CHECK(unified_diff(old_text, new_text, "a/x.yaml", "b/x.yaml") ==
        "--- a/x.yaml\n+++ b/x.yaml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST_CASE("unified diff: empty ranges are named by the line before them") {
  CHECK(unified_diff("", "a\n", "o", "n") == "--- o\n+++ n\n@@ -0,0 +1 @@\n+a\n");
  CHECK(unified_diff("a\nb\n", "b\n", "o", "n") == "--- o\n+++ n\n@@ -1,2 +1 @@\n-a\n b\n");
}

TEST_CASE("unified diff: a last line without a newline is marked") {
  CHECK(unified_diff("a\nb", "a\nb\n", "o", "n") ==
        "--- o\n+++ n\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
}

TEST_CASE("unified diff: changes far apart get hunks of their own, near ones share one") {
  std::string old_text, far, near;
  for (int i = 1; i <= 20; ++i) old_text += std::to_string(i) + "\n";
  far = old_text;
  far.replace(far.find("2\n"), 2, "two\n");
  far.replace(far.find("19\n"), 3, "nineteen\n");
  std::string d = unified_diff(old_text, far, "o", "n");
  CHECK(d.find("@@ -1,5 +1,5 @@") != std::string::npos);
  CHECK(d.find("@@ -16,5 +16,5 @@") != std::string::npos);
  near = old_text;
  near.replace(near.find("\n5\n"), 3, "\nfive\n");
  near.replace(near.find("\n11\n"), 4, "\neleven\n");  // 5 unchanged lines between: one hunk
  d = unified_diff(old_text, near, "o", "n");
  CHECK(d.find("@@ -2,13 +2,13 @@") != std::string::npos);
  CHECK(d.find("\n@@", d.find("@@ -2,13")) == std::string::npos);
}

namespace {

std::string read_all(std::FILE* f) {
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  return out;
}

// What GNU diff prints for the two texts, with the same labels.
std::string gnu_diff(const brm::test::ScratchFolder& dir, const std::string& a,
                     const std::string& b) {
  std::ofstream(dir.root / "old", std::ios::binary) << a;
  std::ofstream(dir.root / "new", std::ios::binary) << b;
  std::string cmd = "diff -u --label o --label n '" + (dir.root / "old").string() + "' '" +
                    (dir.root / "new").string() + "'";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out = read_all(p);
  ::pclose(p);
  return out;
}

// Texts from a few lines that repeat, as YAML files repeat `- ` items and blank lines:
// the cases where several shortest edit scripts exist and the choice shows.
std::string random_text(std::mt19937& rng, int lines) {
  static const char* pool[] = {"a\n", "b\n", "c\n", "\n", "  - x\n", "name: y\n", "d\n"};
  std::uniform_int_distribution<int> pick(0, 6);
  std::string t;
  for (int i = 0; i < lines; ++i) t += pool[pick(rng)];
  return t;
}

}  // namespace

TEST_CASE("unified diff: the same hunks as GNU diff -u") {
  if (std::system("diff --version >/dev/null 2>&1") != 0)
    return;  // diffutils is essential in Debian
  brm::test::ScratchFolder dir("brm-diff");
  std::mt19937 rng(20261205);
  std::uniform_int_distribution<int> length(0, 24);
  int compared = 0;
  for (int i = 0; i < 400; ++i) {
    std::string a = random_text(rng, length(rng)), b;
    // Half the cases are edits of `a`, as fmt makes; half are unrelated texts.
    if (i % 2 == 0) {
      b = random_text(rng, length(rng));
    } else {
      b = a;
      std::uniform_int_distribution<std::size_t> at(0, b.size());
      b.insert(at(rng), random_text(rng, 2));
      std::size_t cut = at(rng) % (b.size() + 1);
      b.erase(cut, std::min<std::size_t>(b.size() - cut, 5));
    }
    if (i % 7 == 0 && !b.empty()) b.pop_back();  // a last line without its newline
    CAPTURE(a);
    CAPTURE(b);
    CHECK(unified_diff(a, b, "o", "n") == gnu_diff(dir, a, b));
    ++compared;
  }
  CHECK(compared == 400);
}
