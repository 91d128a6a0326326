#include "brm/markup.hpp"

#include <doctest/doctest.h>

namespace brm {

TEST_CASE("markup: HTML escaping covers the five characters and drops control codes") {
  CHECK(escape_html("<script>alert(1)</script> & \"x\" 'y'") ==
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;");
  CHECK(escape_html("a\x1b[31mb") == "a\xEF\xBF\xBD[31mb");
  CHECK(escape_html("line\nnext\ttab") == "line\nnext\ttab");
  CHECK(escape_html("Sørensen") == "Sørensen");
}

TEST_CASE("markup: Markdown escaping keeps text out of markup and in its table cell") {
  CHECK(escape_markdown("a | b") == "a \\| b");
  CHECK(escape_markdown("*bold* _it_ `code` [link](x) <b> &amp;") ==
        "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\<b\\> \\&amp;");
  CHECK(escape_markdown("# not a heading, #42") == "\\# not a heading, #42");
  CHECK(escape_markdown("two\r\nlines\n\nhere") == "two lines here");
  // Text that starts a list would nest one inside the item it is written into.
  CHECK(escape_markdown("- item") == "\\- item");
  CHECK(escape_markdown("+ item") == "\\+ item");
  CHECK(escape_markdown("12. item") == "12\\. item");
  CHECK(escape_markdown("3) item, -1 and 2.5") == "3\\) item, -1 and 2.5");
}

TEST_CASE("markup: one_line keeps a record from moving the cursor") {
  CHECK(one_line("red \x1b[31malert\x1b[0m\nnext") == "red [31malert[0m next");
  CHECK(one_line("tab\there") == "tab here");
}

}  // namespace brm
