#include "brm/line_endings.hpp"

#include <doctest/doctest.h>

using namespace brm;

TEST_CASE("line endings: a CRLF file keeps CRLF, an LF file LF") {
  CHECK(uses_crlf("a: 1\r\nb: 2\r\n"));
  CHECK_FALSE(uses_crlf("a: 1\nb: 2\r\n"));
  CHECK_FALSE(uses_crlf("\n"));
  CHECK_FALSE(uses_crlf(""));
  CHECK(with_line_endings_of("x: 1\r\n", "a: 1\nb: 2\n") == "a: 1\r\nb: 2\r\n");
  CHECK(with_line_endings_of("x: 1\n", "a: 1\nb: 2\n") == "a: 1\nb: 2\n");
  CHECK(with_line_endings_of("", "a: 1\n") == "a: 1\n");
}

TEST_CASE("line endings: fmt compares in the file's own line endings") {
  CHECK(same_but_line_endings("a: 1\r\nb: 2\r\n", "a: 1\nb: 2\n"));
  CHECK(same_but_line_endings("a: 1\nb: 2\n", "a: 1\nb: 2\n"));
  CHECK_FALSE(same_but_line_endings("a: 1\r\nb: 2\n", "a: 1\nb: 2\n"));  // mixed: made uniform
  CHECK_FALSE(same_but_line_endings("a: 1\r\nb: 3\r\n", "a: 1\nb: 2\n"));
}
