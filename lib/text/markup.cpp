#include "brm/markup.hpp"

namespace brm {
namespace {

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (is_control(c) && ch != '\n' && ch != '\t')
          out += "\xEF\xBF\xBD";
        else
          out += ch;
    }
  }
  return out;
}

std::string escape_markdown(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (is_control(static_cast<unsigned char>(ch))) {
      if ((ch == '\n' || ch == '\r' || ch == '\t') && !out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    switch (ch) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '~':
      case '&':
        out += '\\';
        break;
      case '#':  // a heading only at the start
        if (out.empty()) out += '\\';
        break;
      case '-':  // "- " at the start would begin a list inside the list item
      case '+':
        if (out.empty() && i + 1 < text.size() && text[i + 1] == ' ') out += '\\';
        break;
      case '.':  // "1. " at the start would begin an ordered list
      case ')': {
        bool marker = !out.empty() && out.find_first_not_of("0123456789") == std::string::npos &&
                      (i + 1 == text.size() || text[i + 1] == ' ');
        if (marker) out += '\\';
        break;
      }
      default:
        break;
    }
    out += ch;
  }
  return out;
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    if (is_control(static_cast<unsigned char>(ch))) {
      if ((ch == '\n' || ch == '\r' || ch == '\t') && !out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += ch;
  }
  return out;
}

}  // namespace brm
