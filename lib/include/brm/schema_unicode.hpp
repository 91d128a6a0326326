// The few Unicode facts the schema validator needs: UTF-8 decoding, and general
// categories for IDNA rules in the hostname format.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace brm::unicode {

struct CodeRange {
  char32_t lo;
  char32_t hi;
};

std::span<const CodeRange> letters();         // \p{L}
std::span<const CodeRange> decimal_digits();  // \p{Nd}
std::span<const CodeRange> marks();           // \p{M}: combining marks
bool in_ranges(std::span<const CodeRange> ranges, char32_t c) noexcept;
bool is_virama(char32_t c) noexcept;

// Code points of UTF-8 text; an invalid byte becomes U+FFFD so that counting and
// matching never fail.
std::u32string decode_utf8(std::string_view s);
void append_utf8(std::string& out, char32_t c);
// Number of code points (what JSON Schema's minLength/maxLength count).
std::size_t length(std::string_view s) noexcept;

}  // namespace brm::unicode
