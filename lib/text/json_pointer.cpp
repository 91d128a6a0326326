// RFC 6901 in one place: escaping, unescaping and evaluation.
#include "brm/json_pointer.hpp"

#include <algorithm>
#include <charconv>

namespace brm {
namespace {

std::string unescape(std::string_view raw) {
  std::string token;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
      token += raw[++i] == '0' ? '~' : '/';
    } else {
      token += raw[i];
    }
  }
  return token;
}

// An array index as RFC 6901 writes it: digits, no leading zero.
const Value* item_at(const Value& list, std::string_view token) {
  bool digits =
      !token.empty() && token.size() < 19 &&
      std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      (token == "0" || token[0] != '0');
  if (!digits) return nullptr;
  std::size_t index = 0;
  std::from_chars(token.data(), token.data() + token.size(), index);
  return index < list.items().size() ? &list.items()[index] : nullptr;
}

}  // namespace

std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> out;
  if (pointer.empty() || pointer.front() != '/') return out;
  std::size_t pos = 1;
  for (;;) {
    std::size_t end = pointer.find('/', pos);
    out.push_back(unescape(pointer.substr(pos, end == std::string_view::npos ? end : end - pos)));
    if (end == std::string_view::npos) return out;
    pos = end + 1;
  }
}

const Value* follow_pointer(const Value* doc, std::string_view pointer) {
  if (!is_pointer(pointer)) return nullptr;
  const Value* at = doc;
  for (const std::string& token : pointer_tokens(pointer)) {
    if (at == nullptr) return nullptr;
    if (at->is_mapping()) {
      at = at->find(token);
    } else if (at->is_sequence()) {
      at = item_at(*at, token);
    } else {
      return nullptr;
    }
  }
  return at;
}

void append_pointer_token(std::string& out, std::string_view token) {
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
}

std::string dotted_path(std::string_view pointer) {
  std::vector<std::string> tokens = pointer_tokens(pointer);
  std::string out;
  for (std::size_t i = 0; i < tokens.size(); ++i) out += (i ? "." : "") + tokens[i];
  return out;
}

}  // namespace brm
