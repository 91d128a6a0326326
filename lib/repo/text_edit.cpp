// Edits of a record file's text in place: each changed scalar is found by its mark and
// its text replaced; the result is kept only when it reads back as the record wanted.
#include "brm/text_edit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "brm/canonical.hpp"
#include "brm/diagnostic.hpp"
#include "brm/yaml.hpp"

namespace brm {
namespace {

std::optional<std::size_t> offset_of(std::string_view text, Mark mark) {
  if (mark.line == 0 || mark.column == 0) return std::nullopt;
  std::size_t at = 0;
  for (std::uint32_t line = 1; line < mark.line; ++line) {
    at = text.find('\n', at);
    if (at == std::string_view::npos) return std::nullopt;
    ++at;
  }
  at += mark.column - 1;
  return at <= text.size() ? std::optional<std::size_t>(at) : std::nullopt;
}

// Where a one-line scalar's text stands: [begin, end), and its quote ('\0' when plain).
struct ScalarSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  char quote = '\0';
};

// The end of a quoted scalar that starts at `at`, past its closing quote; nullopt when it
// goes on past its line.
std::optional<std::size_t> quoted_end(std::string_view text, std::size_t at) {
  char quote = text[at];
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' || c == '\r') return std::nullopt;
    if (quote == '"' && c == '\\') {
      ++i;
    } else if (c == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside single quotes
        continue;
      }
      return i + 1;
    }
  }
  return std::nullopt;
}

// A plain scalar ends at its line's end or a comment, and in a flow collection (after '[',
// '{' or ',') at the next flow indicator too; trailing blanks are not part of it.
std::size_t plain_end(std::string_view text, std::size_t at) {
  std::size_t back = at;
  while (back > 0 && (text[back - 1] == ' ' || text[back - 1] == '\t')) --back;
  bool flow = back > 0 && std::string_view("[{,").find(text[back - 1]) != std::string_view::npos;
  std::size_t end = at;
  while (end < text.size() && text[end] != '\n' && text[end] != '\r') {
    if (flow && std::string_view(",]}").find(text[end]) != std::string_view::npos) break;
    if (text[end] == '#' && end > at && (text[end - 1] == ' ' || text[end - 1] == '\t')) break;
    ++end;
  }
  while (end > at && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return end;
}

std::optional<ScalarSpan> scalar_span(std::string_view text, Mark mark) {
  auto at = offset_of(text, mark);
  if (!at || *at >= text.size()) return std::nullopt;
  char first = text[*at];
  if (first == '|' || first == '>') return std::nullopt;  // a block scalar: lines of its own
  if (first == '"' || first == '\'') {
    auto end = quoted_end(text, *at);
    if (!end) return std::nullopt;
    return ScalarSpan{*at, *end, first};
  }
  return ScalarSpan{*at, plain_end(text, *at), '\0'};
}

// One change of the text: [begin, end) replaced by `text` (an insertion when empty).
struct Edit {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

class InPlaceEdit {
 public:
  explicit InPlaceEdit(std::string_view text)
      : text_(text), eol_(text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n") {}

  // Gathers the edits from `before` to `after`; false when the change is structural.
  bool collect(const Value& before, const Value& after, bool top) {
    if (before.is_mapping() && after.is_mapping()) return collect_mapping(before, after, top);
    if (before.is_sequence() && after.is_sequence()) {
      if (before.items().size() != after.items().size()) return false;
      for (std::size_t i = 0; i < before.items().size(); ++i)
        if (!collect(before.items()[i], after.items()[i], false)) return false;
      return true;
    }
    if (is_collection(before) || is_collection(after)) return false;
    if (before == after && before.type() == after.type()) return true;
    auto span = scalar_span(text_, before.mark());
    if (!span) return false;
    edits_.push_back({span->begin, span->end, to_yaml_scalar(after, span->quote)});
    return true;
  }

  // The text with the edits made, later ones first so that earlier offsets hold.
  std::optional<std::string> apply() {
    // Stable: new keys inserted at one place keep their order when applied back to front.
    std::stable_sort(edits_.begin(), edits_.end(),
                     [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    std::string out(text_);
    for (std::size_t i = edits_.size(); i-- > 0;) {
      const Edit& e = edits_[i];
      if (i + 1 < edits_.size() && e.end > edits_[i + 1].begin) return std::nullopt;
      out.replace(e.begin, e.end - e.begin, e.text);
    }
    return out;
  }

 private:
  static bool is_collection(const Value& v) { return v.is_mapping() || v.is_sequence(); }

  bool collect_mapping(const Value& before, const Value& after, bool top) {
    for (const Value::Entry& e : before.entries())
      if (!after.find(e.key)) return false;  // a removed key
    std::vector<const Value::Entry*> added;
    for (const Value::Entry& e : after.entries()) {
      const Value* was = before.find(e.key);
      if (!was)
        added.push_back(&e);
      else if (!added.empty())  // a new key before an old one: appending breaks the order
        return false;
      else if (!collect(*was, e.value, false))
        return false;
    }
    if (added.empty()) return true;
    using Place = std::pair<std::size_t, std::size_t>;
    std::optional<Place> at =
        top ? std::optional<Place>(Place(text_.size(), 0)) : after_last_entry(before);
    if (!at) return false;
    for (const Value::Entry* e : added) {
      if (is_collection(e->value) || !is_plain_safe(e->key)) return false;
      std::string line = at->first > 0 && text_[at->first - 1] != '\n' ? eol_ : "";
      line += fmt::format("{}{}: {}{}", std::string(at->second, ' '), e->key,
                          to_yaml_scalar(e->value), eol_);
      edits_.push_back({at->first, at->first, std::move(line)});
    }
    return true;
  }

  // Where a new key of a nested block mapping goes: after the line of its last entry, a
  // one-line scalar; and the indentation of its keys.
  std::optional<std::pair<std::size_t, std::size_t>> after_last_entry(const Value& map) const {
    if (map.entries().empty() || is_collection(map.entries().back().value)) return std::nullopt;
    auto span = scalar_span(text_, map.entries().back().value.mark());
    if (!span) return std::nullopt;
    std::size_t start = text_.rfind('\n', span->begin);
    start = start == std::string_view::npos ? 0 : start + 1;
    std::size_t key = text_.find_first_not_of(" \t", start);
    // The first entry of a list item stands after its "- ".
    if (key + 1 < text_.size() && text_[key] == '-' && text_[key + 1] == ' ')
      key = text_.find_first_not_of(" \t", key + 1);
    if (key == std::string_view::npos || key >= span->begin) return std::nullopt;
    std::size_t end = text_.find('\n', span->end);
    return std::pair(end == std::string_view::npos ? text_.size() : end + 1, key - start);
  }

  std::string_view text_;
  std::string eol_;
  std::vector<Edit> edits_;
};

}  // namespace

std::optional<std::string> edit_in_place(std::string_view text, const Value& before,
                                         const Value& after) {
  if (!before.is_mapping() || !after.is_mapping()) return std::nullopt;
  InPlaceEdit edit(text);
  if (!edit.collect(before, after, true)) return std::nullopt;
  std::optional<std::string> out = edit.apply();
  Value back;
  Diagnostics ignored;
  if (!out || !parse_yaml(*out, "", &back, &ignored) || !(back == after)) return std::nullopt;
  return out;
}

std::optional<std::string> replace_scalar_at(std::string_view text, Mark mark,
                                             std::string_view from, std::string_view to) {
  auto span = scalar_span(text, mark);
  if (!span) return std::nullopt;
  std::string_view token = text.substr(span->begin, span->end - span->begin);
  std::string replacement;
  if (span->quote) {
    if (token != fmt::format("{}{}{}", span->quote, from, span->quote)) return std::nullopt;
    replacement = fmt::format("{}{}{}", span->quote, to, span->quote);
  } else {
    if (token != from) return std::nullopt;
    replacement = is_plain_safe(to) ? std::string(to) : fmt::format("\"{}\"", to);
  }
  std::string out(text.substr(0, span->begin));
  out += replacement;
  out += text.substr(span->end);
  return out;
}

}  // namespace brm
