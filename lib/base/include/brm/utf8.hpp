// UTF-8 in one place: strict checking (what YAML and JSON accept), lenient decoding (what
// the validator counts and matches, never failing), encoding and counting code points.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace brm {

// Whether the byte continues a sequence (10xxxxxx) rather than starting a character.
inline bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The length of the well-formed UTF-8 sequence at s[at] (1 to 4), or 0 when there is none:
// no overlong forms, no surrogates, nothing beyond U+10FFFF.
std::size_t utf8_sequence_length(std::string_view s, std::size_t at);
// The offset of the first byte that is not well-formed UTF-8, or npos.
std::size_t find_invalid_utf8(std::string_view s);

// The code point at s[i], advancing i past it; a malformed sequence yields U+FFFD and
// advances one byte, so that counting and matching never fail.
char32_t next_code_point(std::string_view s, std::size_t& i);
std::u32string decode_utf8(std::string_view s);
void append_utf8(std::string& out, char32_t c);
// The number of code points (what JSON Schema's minLength counts, what a width cuts at).
std::size_t code_point_count(std::string_view s) noexcept;

}  // namespace brm
