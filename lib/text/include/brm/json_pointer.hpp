// JSON pointers (RFC 6901, "/services/0/levels"): the one reader and writer of them, for
// the schema validator's $refs and findings, the schema model and merge paths.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "brm/value.hpp"

namespace brm {

// The pointer's reference tokens, unescaped ("~1" is '/', "~0" is '~'); "" has none.
// A pointer that does not start with '/' has none either: callers check `is_pointer`.
std::vector<std::string> pointer_tokens(std::string_view pointer);
inline bool is_pointer(std::string_view s) { return s.empty() || s.front() == '/'; }

// What the pointer names inside `doc`, or nullptr when it leads nowhere: a missing key, an
// item number out of range or not written as RFC 6901 asks (no sign, no leading zero).
const Value* follow_pointer(const Value* doc, std::string_view pointer);

// Appends "/" and `token` escaped.
void append_pointer_token(std::string& out, std::string_view token);

// "/services/0/levels" as the dotted path `brm KIND set` takes: "services.0.levels".
std::string dotted_path(std::string_view pointer);

}  // namespace brm
