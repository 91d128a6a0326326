#include "brm/utf8.hpp"

#include <doctest/doctest.h>

#include "brm/strings.hpp"

using namespace brm;

TEST_CASE("utf8: strict checking refuses overlong forms, surrogates and cut sequences") {
  CHECK(find_invalid_utf8("plain ascii") == std::string_view::npos);
  CHECK(find_invalid_utf8("\xC3\xA5sa \xE2\x82\xAC \xF0\x9F\x98\x80") == std::string_view::npos);
  CHECK(find_invalid_utf8("ab\xC0\xAF") == 2);        // overlong '/'
  CHECK(find_invalid_utf8("a\xED\xA0\x80") == 1);     // U+D800, a surrogate
  CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0);  // beyond U+10FFFF
  CHECK(find_invalid_utf8("ok\xE2\x82") == 2);        // cut short
  CHECK(find_invalid_utf8("\x80") == 0);              // a stray continuation
  CHECK(utf8_sequence_length("\xE2\x82\xAC", 0) == 3);
  CHECK(utf8_sequence_length("a", 1) == 0);  // past the end
}

TEST_CASE("utf8: lenient decoding turns each bad byte into U+FFFD and goes on") {
  CHECK(decode_utf8("a\xC3\xA5") == U"a\u00E5");
  CHECK(decode_utf8("\xFF"
                    "b") ==
        U"\uFFFD"
        U"b");
  CHECK(decode_utf8("\xE2\x82") == U"\uFFFD\uFFFD");
  std::string out;
  for (char32_t c : std::u32string(U"\u00E5\u20AC\U0001F600x")) append_utf8(out, c);
  CHECK(out == "\xC3\xA5\xE2\x82\xAC\xF0\x9F\x98\x80x");
  CHECK(decode_utf8(out) == U"\u00E5\u20AC\U0001F600x");
  CHECK(code_point_count(out) == 4);
}

TEST_CASE("strings: join, split, trim_blanks and dotted paths") {
  CHECK(join({"a", "b", "c"}, ", ") == "a, b, c");
  CHECK(join({}, ", ") == "");
  CHECK(join({"", "x"}, "|") == "|x");
  CHECK(split("a,,b", ',') == std::vector<std::string_view>{"a", "", "b"});
  CHECK(split("", ',') == std::vector<std::string_view>{""});
  CHECK(trim_blanks(" \t a b \t") == "a b");
  CHECK(dotted_child("", "name") == "name");
  CHECK(dotted_child("budget", "amount") == "budget.amount");
}
