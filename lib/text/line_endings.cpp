// Keeping a file's own line endings (line_endings.hpp).
#include "brm/line_endings.hpp"

namespace brm {

bool uses_crlf(std::string_view text) {
  std::size_t nl = text.find('\n');
  return nl != std::string_view::npos && nl > 0 && text[nl - 1] == '\r';
}

std::string with_line_endings_of(std::string_view existing, std::string lf_text) {
  if (!uses_crlf(existing)) return lf_text;
  std::string out;
  out.reserve(lf_text.size() + lf_text.size() / 16);
  for (char c : lf_text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

bool same_but_line_endings(std::string_view text, std::string_view lf_text) {
  return text == (uses_crlf(text) ? with_line_endings_of(text, std::string(lf_text)) : lf_text);
}

}  // namespace brm
