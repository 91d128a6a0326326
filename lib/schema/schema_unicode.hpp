// The few Unicode facts the schema validator needs: general categories for IDNA rules
// in the hostname format (UTF-8 itself is brm/utf8.hpp).
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

}  // namespace brm::unicode
