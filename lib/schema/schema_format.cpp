// Format checks for JSON Schema's `format`. Each follows the grammar of its RFC (cited
// at the function); where the specification leaves room, the JSON-Schema-Test-Suite's
// reading is taken, since that is what other validators agree on.
#include "schema_format.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "brm/date.hpp"
#include "brm/utf8.hpp"
#include "schema_regex.hpp"
#include "schema_unicode.hpp"

namespace brm {
namespace {

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_alpha(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char32_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return is_digit(static_cast<unsigned char>(c)); });
}

int number(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// RFC 3339 partial-time and time-offset (section 5.6), with the leap-second rule: second
// 60 is allowed only when the time is 23:59 in UTC.
bool check_time(std::string_view s) {
  if (s.size() < 9 || s[2] != ':' || s[5] != ':') return false;
  std::string_view hh = s.substr(0, 2), mm = s.substr(3, 2), ss = s.substr(6, 2);
  if (!all_digits(hh) || !all_digits(mm) || !all_digits(ss)) return false;
  int h = number(hh), m = number(mm), sec = number(ss);
  if (h > 23 || m > 59 || sec > 60) return false;
  std::size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    std::size_t start = ++i;
    while (i < s.size() && is_digit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;  // the offset is required
  int offset_minutes = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size()) return false;
  } else if (s[i] == '+' || s[i] == '-') {
    std::string_view off = s.substr(i + 1);
    if (off.size() != 5 || off[2] != ':') return false;
    std::string_view oh = off.substr(0, 2), om = off.substr(3, 2);
    if (!all_digits(oh) || !all_digits(om)) return false;
    if (number(oh) > 23 || number(om) > 59) return false;
    offset_minutes = (number(oh) * 60 + number(om)) * (s[i] == '+' ? 1 : -1);
  } else {
    return false;
  }
  if (sec == 60) {
    int utc = ((h * 60 + m - offset_minutes) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}

// RFC 3339 appendix A: duration, where weeks stand alone and each run of units (Y M D,
// H M S) may start anywhere but not skip one.
bool check_duration(std::string_view s) {
  if (s.size() < 2 || s[0] != 'P') return false;
  std::size_t i = 1;
  auto read_units = [&](std::string_view order, bool* any) {
    std::size_t next = 0;  // index into `order` the next unit may take
    bool started = false;
    while (i < s.size() && s[i] != 'T') {
      std::size_t start = i;
      while (i < s.size() && is_digit(static_cast<unsigned char>(s[i]))) ++i;
      if (i == start || i >= s.size()) return false;
      std::size_t unit = order.find(s[i]);
      if (unit == std::string_view::npos || unit < next) return false;
      if (started && unit != next) return false;
      started = true;
      next = unit + 1;
      ++i;
    }
    *any = started;
    return true;
  };
  // Weeks: digits then W, and nothing else.
  if (s.back() == 'W') {
    return s.size() > 2 && all_digits(s.substr(1, s.size() - 2));
  }
  bool date_part = false;
  if (!read_units("YMD", &date_part)) return false;
  if (i == s.size()) return date_part;
  ++i;  // T
  bool time_part = false;
  if (!read_units("HMS", &time_part)) return false;
  return i == s.size() && time_part;
}

bool check_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    while (i < s.size() && is_digit(static_cast<unsigned char>(s[i]))) ++i;
    std::string_view part = s.substr(start, i - start);
    if (part.empty() || part.size() > 3) return false;
    if (part.size() > 1 && part[0] == '0') return false;  // octal reading is ambiguous
    if (number(part) > 255) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
  return parts == 4;
}

// RFC 4291 section 2.2 text forms, including the embedded IPv4 form; zone ids are not
// part of an address.
bool check_ipv6(std::string_view s) {
  if (s.size() < 2) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && is_hex(static_cast<unsigned char>(s[i]))) ++i;
    if (i < s.size() && s[i] == '.') {
      // The last 32 bits as dotted decimal.
      if (!check_ipv4(s.substr(start))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    std::size_t len = i - start;
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // a trailing single colon
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

bool check_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// RFC 3492 Punycode.
constexpr std::uint32_t kBase = 36, kTmin = 1, kTmax = 26, kSkew = 38, kDamp = 700;

std::uint32_t punycode_adapt(std::uint32_t delta, std::uint32_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  std::uint32_t k = 0;
  while (delta > ((kBase - kTmin) * kTmax) / 2) {
    delta /= kBase - kTmin;
    k += kBase;
  }
  return k + (kBase - kTmin + 1) * delta / (delta + kSkew);
}

std::uint32_t punycode_threshold(std::uint32_t k, std::uint32_t bias) {
  return k <= bias ? kTmin : (k >= bias + kTmax ? kTmax : k - bias);
}

// False when the input is not valid Punycode.
bool punycode_decode(std::string_view in, std::u32string* out) {
  out->clear();
  std::size_t basic_end = in.rfind('-');
  std::size_t pos = 0;
  if (basic_end != std::string_view::npos) {
    for (std::size_t k = 0; k < basic_end; ++k) {
      auto c = static_cast<unsigned char>(in[k]);
      if (c >= 0x80) return false;
      out->push_back(c);
    }
    pos = basic_end + 1;
  }
  std::uint32_t n = 128, i = 0, bias = 72;
  while (pos < in.size()) {
    std::uint32_t old_i = i, w = 1;
    for (std::uint32_t k = kBase;; k += kBase) {
      if (pos >= in.size()) return false;
      char c = in[pos++];
      std::uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<std::uint32_t>(c - '0') + 26;
      } else if (c >= 'a' && c <= 'z') {
        digit = static_cast<std::uint32_t>(c - 'a');
      } else if (c >= 'A' && c <= 'Z') {
        digit = static_cast<std::uint32_t>(c - 'A');
      } else {
        return false;
      }
      if (digit > (0xFFFFFFFFu - i) / w) return false;
      i += digit * w;
      std::uint32_t t = punycode_threshold(k, bias);
      if (digit < t) break;
      if (w > 0xFFFFFFFFu / (kBase - t)) return false;
      w *= kBase - t;
    }
    auto count = static_cast<std::uint32_t>(out->size() + 1);
    bias = punycode_adapt(i - old_i, count, old_i == 0);
    if (i / count > 0x10FFFF - n) return false;
    n += i / count;
    i %= count;
    if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return false;
    out->insert(out->begin() + static_cast<std::ptrdiff_t>(i), static_cast<char32_t>(n));
    ++i;
  }
  return true;
}

// Lowercase output; false on overflow (labels that long are refused anyway).
bool punycode_encode(const std::u32string& in, std::string* out) {
  out->clear();
  for (char32_t c : in) {
    if (c < 0x80) *out += static_cast<char>(c);
  }
  auto basic = static_cast<std::uint32_t>(out->size());
  std::uint32_t handled = basic;
  if (basic > 0) *out += '-';
  auto digit = [](std::uint32_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); };
  std::uint32_t n = 128, delta = 0, bias = 72;
  while (handled < in.size()) {
    char32_t m = 0x10FFFF + 1;
    for (char32_t c : in) {
      if (c >= n && c < m) m = c;
    }
    if ((m - n) > (0xFFFFFFFFu - delta) / (handled + 1)) return false;
    delta += (m - n) * (handled + 1);
    n = m;
    for (char32_t c : in) {
      if (c < n && ++delta == 0) return false;
      if (c != n) continue;
      std::uint32_t q = delta;
      for (std::uint32_t k = kBase;; k += kBase) {
        std::uint32_t t = punycode_threshold(k, bias);
        if (q < t) break;
        *out += digit(t + (q - t) % (kBase - t));
        q = (q - t) / (kBase - t);
      }
      *out += digit(q);
      bias = punycode_adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return true;
}

bool in_range(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }
bool is_greek(char32_t c) { return in_range(c, 0x370, 0x3FF) || in_range(c, 0x1F00, 0x1FFF); }
bool is_hebrew(char32_t c) { return in_range(c, 0x590, 0x5FF); }
bool is_kana_or_han(char32_t c) {
  return (in_range(c, 0x3040, 0x30FF) && c != 0x30FB) || in_range(c, 0x3400, 0x4DBF) ||
         in_range(c, 0x4E00, 0x9FFF) || in_range(c, 0xF900, 0xFAFF) ||
         in_range(c, 0x20000, 0x3134F);
}
// Joining types for the ZERO WIDTH NON-JOINER rule, approximated by script blocks:
// Arabic, Syriac, N'Ko and Mongolian letters join on both sides.
bool joins(char32_t c) {
  return in_range(c, 0x620, 0x64A) || in_range(c, 0x66E, 0x6D3) || in_range(c, 0x6FA, 0x6FF) ||
         in_range(c, 0x710, 0x74F) || in_range(c, 0x7CA, 0x7EA) || in_range(c, 0x1820, 0x1878);
}
bool is_mark(char32_t c) { return unicode::in_ranges(unicode::marks(), c); }

// ZERO WIDTH NON-JOINER: after a virama, or between letters that join (RFC 5892 A.1).
bool zwnj_allowed(const std::u32string& label, std::size_t i) {
  if (i > 0 && unicode::is_virama(label[i - 1])) return true;
  std::size_t l = i, r = i + 1;
  while (l > 0 && is_mark(label[l - 1])) --l;
  while (r < label.size() && is_mark(label[r])) ++r;
  return l > 0 && r < label.size() && joins(label[l - 1]) && joins(label[r]);
}

// The rule of a code point RFC 5892 lists (CONTEXTJ, CONTEXTO, or DISALLOWED though a
// letter); nullopt for the others.
std::optional<bool> listed_rule(const std::u32string& label, std::size_t i) {
  char32_t before = i > 0 ? label[i - 1] : 0;
  char32_t after = i + 1 < label.size() ? label[i + 1] : 0;
  switch (label[i]) {
    case 0x0640:  // ARABIC TATWEEL
    case 0x07FA:  // NKO LAJANYALAN
    case 0x302E:  // HANGUL SINGLE DOT TONE MARK
    case 0x302F:  // HANGUL DOUBLE DOT TONE MARK
    case 0x3031:  // VERTICAL KANA REPEAT MARKs
    case 0x3032:
    case 0x3033:
    case 0x3034:
    case 0x3035:
    case 0x303B:  // VERTICAL IDEOGRAPHIC ITERATION MARK
      return false;
    case 0x00B7:  // MIDDLE DOT: only in l·l (Catalan)
      return before == 'l' && after == 'l';
    case 0x0375:  // GREEK LOWER NUMERAL SIGN: before Greek
      return is_greek(after);
    case 0x05F3:  // HEBREW GERESH and GERSHAYIM: after Hebrew
    case 0x05F4:
      return is_hebrew(before);
    case 0x30FB:  // KATAKANA MIDDLE DOT: with Hiragana, Katakana or Han in the label
      return std::any_of(label.begin(), label.end(), is_kana_or_han);
    case 0x200D:  // ZERO WIDTH JOINER: after a virama
      return unicode::is_virama(before);
    case 0x200C:
      return zwnj_allowed(label, i);
    default:
      return std::nullopt;
  }
}

// IDNA2008 allows letters, marks and decimal digits (RFC 5892 section 2.1); symbols,
// punctuation, spaces and controls are DISALLOWED.
bool is_pvalid(char32_t c) {
  bool allowed = unicode::in_ranges(unicode::letters(), c) || is_mark(c) ||
                 unicode::in_ranges(unicode::decimal_digits(), c) || c == 0x00DF || c == 0x03C2 ||
                 c == 0x06FD || c == 0x06FE || c == 0x0F0B || c == 0x3007;
  bool excluded = c <= 0xA0 || c == 0x3002 || c == 0xFF0E || c == 0xFF61 ||
                  in_range(c, 0x2000, 0x200B) || in_range(c, 0xD800, 0xDFFF);
  return allowed && !excluded;
}

// RFC 5891 section 5.4 and RFC 5892 (IDNA2008) for one U-label. The full derived
// property table is not carried; ASCII must be LDH, the listed DISALLOWED and CONTEXT
// code points get their rules, and other non-ASCII code points are taken as PVALID.
bool check_u_label(const std::u32string& label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  if (label.size() >= 4 && label[2] == '-' && label[3] == '-') return false;
  if (is_mark(label.front())) return false;
  bool arabic_indic = false, extended_arabic_indic = false;
  for (std::size_t i = 0; i < label.size(); ++i) {
    char32_t c = label[i];
    if (c < 0x80) {
      if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-')) return false;
    } else if (std::optional<bool> listed = listed_rule(label, i)) {
      if (!*listed) return false;
    } else {
      arabic_indic = arabic_indic || in_range(c, 0x660, 0x669);
      extended_arabic_indic = extended_arabic_indic || in_range(c, 0x6F0, 0x6F9);
      if (!is_pvalid(c)) return false;
    }
  }
  return !(arabic_indic && extended_arabic_indic);
}

enum class Bidi : std::uint8_t { L, R, AL, AN, EN, ES, CS, ET, ON, BN, NSM };

// Bidi classes (UAX #9) approximated by blocks: enough for the Bidi rule on host names.
Bidi bidi_class(char32_t c) {
  if (c < 0x80) {
    if (is_digit(c)) return Bidi::EN;
    if (is_alpha(c)) return Bidi::L;
    if (c == '+' || c == '-') return Bidi::ES;
    if (c == ',' || c == '.' || c == ':' || c == '/') return Bidi::CS;
    if (c == '#' || c == '$' || c == '%') return Bidi::ET;
    return Bidi::ON;
  }
  if (c == 0x200C || c == 0x200D) return Bidi::BN;
  if (is_mark(c)) return Bidi::NSM;
  if (in_range(c, 0x600, 0x605) || in_range(c, 0x660, 0x669) || c == 0x66B || c == 0x66C ||
      c == 0x6DD || c == 0x8E2) {
    return Bidi::AN;
  }
  if (in_range(c, 0x6F0, 0x6F9) || c == 0xB2 || c == 0xB3 || c == 0xB9) return Bidi::EN;
  if (in_range(c, 0x590, 0x5FF) || in_range(c, 0x7C0, 0x85F) || in_range(c, 0xFB1D, 0xFB4F) ||
      in_range(c, 0x10800, 0x10CFF) || in_range(c, 0x1E800, 0x1EC6F)) {
    return Bidi::R;
  }
  if (in_range(c, 0x600, 0x7BF) || in_range(c, 0x860, 0x8FF) || in_range(c, 0xFB50, 0xFDFF) ||
      in_range(c, 0xFE70, 0xFEFF) || in_range(c, 0x1EC70, 0x1EEFF)) {
    return Bidi::AL;
  }
  return Bidi::L;
}

// RFC 5893 section 2, for each label of a domain that has a right-to-left label.
bool check_bidi_label(const std::u32string& label) {
  auto is = [](Bidi b, std::initializer_list<Bidi> set) {
    return std::find(set.begin(), set.end(), b) != set.end();
  };
  Bidi first = bidi_class(label.front());
  if (!is(first, {Bidi::L, Bidi::R, Bidi::AL})) return false;
  bool rtl = first != Bidi::L;
  bool en = false, an = false;
  Bidi last = first;
  for (char32_t c : label) {
    Bidi b = bidi_class(c);
    bool allowed = rtl ? is(b, {Bidi::R, Bidi::AL, Bidi::AN, Bidi::EN, Bidi::ES, Bidi::CS, Bidi::ET,
                                Bidi::ON, Bidi::BN, Bidi::NSM})
                       : is(b, {Bidi::L, Bidi::EN, Bidi::ES, Bidi::CS, Bidi::ET, Bidi::ON, Bidi::BN,
                                Bidi::NSM});
    if (!allowed) return false;
    en = en || b == Bidi::EN;
    an = an || b == Bidi::AN;
    if (b != Bidi::NSM) last = b;
  }
  if (rtl) return is(last, {Bidi::R, Bidi::AL, Bidi::EN, Bidi::AN}) && !(en && an);
  return is(last, {Bidi::L, Bidi::EN});
}

// The U-label an A-label ("xn--...", any case) stands for, when it is valid and
// canonical Punycode of a valid U-label (IDNA2008).
std::optional<std::u32string> u_label_of(const std::u32string& label) {
  std::string a_label;
  for (char32_t c : label.substr(4)) a_label += static_cast<char>(is_alpha(c) ? (c | 0x20) : c);
  std::u32string u_label;
  std::string again;
  if (!punycode_decode(a_label, &u_label) || !check_u_label(u_label)) return std::nullopt;
  if (!punycode_encode(u_label, &again) || again != a_label) return std::nullopt;
  return u_label;
}

bool is_a_label(const std::u32string& label) {
  return label.size() >= 4 && (label[0] == 'x' || label[0] == 'X') &&
         (label[1] == 'n' || label[1] == 'N') && label[2] == '-' && label[3] == '-';
}

// An ASCII label: letters, digits and inner hyphens; an A-label as its U-label.
std::optional<std::u32string> ascii_host_label(const std::u32string& label, bool idn) {
  if (label.front() == '-' || label.back() == '-') return std::nullopt;
  for (char32_t c : label)
    if (!(is_alpha(c) || is_digit(c) || c == '-')) return std::nullopt;
  if (is_a_label(label)) return u_label_of(label);
  if (idn && label.size() >= 4 && label[2] == '-' && label[3] == '-')
    return std::nullopt;  // reserved for future ACE prefixes
  return label;
}

// One label of a host name as Unicode (for the Bidi rule), or nullopt when it is invalid.
std::optional<std::u32string> host_label(const std::u32string& label, bool idn) {
  if (label.empty() || label.size() > 63) return std::nullopt;
  if (std::all_of(label.begin(), label.end(), [](char32_t c) { return c < 0x80; }))
    return ascii_host_label(label, idn);
  std::string a_label;
  if (!idn || !check_u_label(label) || !punycode_encode(label, &a_label)) return std::nullopt;
  if (a_label.size() + 4 > 63) return std::nullopt;
  return label;
}

// RFC 5893: the Bidi rule applies to every label of a domain with a right-to-left label.
bool passes_bidi_rule(const std::vector<std::u32string>& labels) {
  bool bidi_domain = std::any_of(labels.begin(), labels.end(), [](const std::u32string& l) {
    return std::any_of(l.begin(), l.end(), [](char32_t c) {
      Bidi b = bidi_class(c);
      return b == Bidi::R || b == Bidi::AL || b == Bidi::AN;
    });
  });
  return !bidi_domain || std::all_of(labels.begin(), labels.end(), check_bidi_label);
}

// RFC 1123 host names, with A-labels (xn--) checked as IDNA2008 says: valid and
// canonical Punycode of a valid U-label. `idn` also accepts U-labels (at most 63 octets
// as A-labels) and the ideographic full stops as separators (RFC 3490 section 3.1).
bool check_hostname(std::string_view s, bool idn) {
  std::u32string text = decode_utf8(s);
  if (idn) {
    for (char32_t& c : text) {
      if (c == 0x3002 || c == 0xFF0E || c == 0xFF61) c = '.';
    }
  }
  if (text.empty() || text.size() > 253) return false;
  std::vector<std::u32string> labels;
  for (std::size_t start = 0;;) {
    std::size_t end = text.find('.', start);
    auto label =
        host_label(text.substr(start, end == std::u32string::npos ? end : end - start), idn);
    if (!label) return false;
    labels.push_back(std::move(*label));
    if (end == std::u32string::npos) break;
    start = end + 1;
  }
  return passes_bidi_rule(labels);
}

bool is_atext(char32_t c, bool idn) {
  return is_alpha(c) || is_digit(c) ||
         std::u32string_view(U"!#$%&'*+-/=?^_`{|}~").find(c) != std::u32string_view::npos ||
         (idn && c >= 0x80);
}

// RFC 5321 section 4.1.2 Mailbox (RFC 6531 for the internationalized form): a dot-string
// or quoted local part, and a domain or an address literal.
bool check_email(std::string_view s, bool idn) {
  std::u32string text = decode_utf8(s);
  std::size_t at = text.rfind('@');
  if (at == std::u32string::npos || at == 0 || at + 1 == text.size()) return false;
  std::u32string_view local(text.data(), at);
  if (local.front() == '"') {
    if (local.size() < 2 || local.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < local.size(); ++i) {
      char32_t c = local[i];
      if (c == '\\') {
        ++i;
        if (i + 1 >= local.size() || local[i] < 32 || (local[i] > 126 && !idn)) return false;
      } else if (c == '"' || c < 32 || (c > 126 && !idn)) {
        return false;
      }
    }
  } else {
    if (local.front() == '.' || local.back() == '.') return false;
    for (std::size_t i = 0; i < local.size(); ++i) {
      if (local[i] == '.') {
        if (local[i + 1] == '.') return false;
      } else if (!is_atext(local[i], idn)) {
        return false;
      }
    }
  }
  std::string domain;
  for (char32_t c : text.substr(at + 1)) append_utf8(domain, c);
  if (domain.front() == '[') {
    if (domain.back() != ']') return false;
    std::string_view literal = std::string_view(domain).substr(1, domain.size() - 2);
    if (literal.substr(0, 5) == "IPv6:") return check_ipv6(literal.substr(5));
    return check_ipv4(literal);
  }
  return check_hostname(domain, idn);
}

// RFC 3986 (and RFC 3987 when `iri`): the generic syntax, checked piece by piece.
class UriChecker {
 public:
  UriChecker(std::string_view s, bool iri) : text_(decode_utf8(s)), iri_(iri) {}

  bool uri() {
    std::size_t colon = scheme_end();
    if (colon == std::u32string::npos) return false;
    return rest(colon + 1, false);
  }

  bool reference() {
    std::size_t colon = scheme_end();
    if (colon != std::u32string::npos) return rest(colon + 1, false);
    return rest(0, true);
  }

 private:
  bool unreserved(char32_t c) const {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
           (iri_ && c >= 0xA0 && !(c >= 0xD800 && c <= 0xDFFF) && c != 0xFFFE && c != 0xFFFF);
  }
  static bool sub_delim(char32_t c) {
    return std::u32string_view(U"!$&'()*+,;=").find(c) != std::u32string_view::npos;
  }

  // Checks text_[from, to) against a character set plus percent-encoding.
  template <typename Allowed>
  bool chars(std::size_t from, std::size_t to, Allowed allowed) const {
    for (std::size_t i = from; i < to; ++i) {
      char32_t c = text_[i];
      if (c == '%') {
        if (i + 2 >= to) return false;
        if (!is_hex(text_[i + 1]) || !is_hex(text_[i + 2])) return false;
        i += 2;
      } else if (!(unreserved(c) || sub_delim(c) || allowed(c))) {
        return false;
      }
    }
    return true;
  }

  // The end of a valid scheme, or npos when the text does not start with one.
  std::size_t scheme_end() const {
    if (text_.empty() || !is_alpha(text_[0])) return std::u32string::npos;
    for (std::size_t i = 1; i < text_.size(); ++i) {
      char32_t c = text_[i];
      if (c == ':') return i;
      if (!(is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'))
        return std::u32string::npos;
    }
    return std::u32string::npos;
  }

  bool rest(std::size_t i, bool relative) {
    std::size_t end = text_.size();
    std::size_t hash = text_.find('#', i);
    if (hash != std::u32string::npos) {
      if (!chars(hash + 1, end,
                 [](char32_t c) { return c == ':' || c == '@' || c == '/' || c == '?'; })) {
        return false;
      }
      end = hash;
    }
    std::size_t question = text_.find('?', i);
    if (question != std::u32string::npos && question < end) {
      bool iri = iri_;
      if (!chars(question + 1, end, [iri](char32_t c) {
            return c == ':' || c == '@' || c == '/' || c == '?' ||
                   (iri && c >= 0xE000 && c <= 0x10FFFD);
          })) {
        return false;
      }
      end = question;
    }
    std::size_t path_start = i;
    if (text_.substr(i, 2) == U"//") {
      std::size_t auth_end = std::min(text_.find('/', i + 2), end);
      if (!authority(i + 2, auth_end)) return false;
      path_start = auth_end;
    } else if (relative) {
      // path-noscheme: no ':' in the first segment.
      std::size_t slash = std::min(text_.find('/', i), end);
      for (std::size_t k = i; k < slash; ++k) {
        if (text_[k] == ':') return false;
      }
    }
    return chars(path_start, end, [](char32_t c) { return c == ':' || c == '@' || c == '/'; });
  }

  bool authority(std::size_t from, std::size_t to) {
    std::size_t at = text_.find('@', from);
    if (at != std::u32string::npos && at < to) {
      if (!chars(from, at, [](char32_t c) { return c == ':'; })) return false;
      from = at + 1;
    }
    std::size_t host_end = to;
    if (from < to && text_[from] == '[') {
      std::size_t close = text_.find(']', from);
      if (close == std::u32string::npos || close >= to) return false;
      std::string literal;
      for (std::size_t k = from + 1; k < close; ++k) append_utf8(literal, text_[k]);
      if (!ip_literal(literal)) return false;
      host_end = close + 1;
      if (host_end < to && text_[host_end] != ':') return false;
    } else {
      std::size_t colon = text_.find(':', from);
      if (colon != std::u32string::npos && colon < to) host_end = colon;
      if (!chars(from, host_end, [](char32_t) { return false; })) return false;
    }
    if (host_end < to) {  // ":" port
      for (std::size_t k = host_end + 1; k < to; ++k) {
        if (!is_digit(text_[k])) return false;
      }
    }
    return true;
  }

  static bool ip_literal(std::string_view s) {
    if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) {  // IPvFuture
      std::size_t dot = s.find('.');
      if (dot == std::string_view::npos || dot < 2 || dot + 1 == s.size()) return false;
      for (std::size_t k = 1; k < dot; ++k) {
        if (!is_hex(static_cast<unsigned char>(s[k]))) return false;
      }
      for (char c : s.substr(dot + 1)) {
        auto u = static_cast<unsigned char>(c);
        if (!(is_alpha(u) || is_digit(u) || sub_delim(u) || c == ':' || c == '-' || c == '.' ||
              c == '_' || c == '~')) {
          return false;
        }
      }
      return true;
    }
    return check_ipv6(s);
  }

  std::u32string text_;
  bool iri_;
};

bool check_json_pointer(std::string_view s) {
  if (s.empty()) return true;
  if (s[0] != '/') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  }
  return true;
}

// draft-handrews-relative-json-pointer: a non-negative integer, then '#' or a pointer.
bool check_relative_json_pointer(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_digit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0 || (s[0] == '0' && i > 1)) return false;
  std::string_view rest = s.substr(i);
  return rest == "#" || check_json_pointer(rest);
}

// RFC 6570 varspec: a varname (letters, digits, '_', pct-encoded, dotted) and an optional
// modifier ('*', or ':' and a length of 1 to 9999).
bool check_varspec(std::u32string_view spec) {
  std::size_t k = 0;
  bool need_char = true;
  while (k < spec.size()) {
    char32_t v = spec[k];
    if (is_alpha(v) || is_digit(v) || v == '_') {
      need_char = false;
      ++k;
    } else if (v == '%' && k + 2 < spec.size() && is_hex(spec[k + 1]) && is_hex(spec[k + 2])) {
      need_char = false;
      k += 3;
    } else if (v == '.' && !need_char) {
      need_char = true;
      ++k;
    } else {
      break;
    }
  }
  if (k == 0 || need_char) return false;
  std::u32string_view modifier = spec.substr(k);
  if (modifier.empty() || modifier == U"*") return true;
  if (modifier[0] != ':' || modifier.size() < 2 || modifier.size() > 5 || modifier[1] == '0')
    return false;
  return std::all_of(modifier.begin() + 1, modifier.end(), [](char32_t d) { return is_digit(d); });
}

// An expression's inside: an optional operator, then varspecs separated by commas.
bool check_expression(std::u32string_view expr) {
  if (!expr.empty() && std::u32string_view(U"+#./;?&").find(expr[0]) != std::u32string_view::npos)
    expr.remove_prefix(1);
  if (expr.empty()) return false;
  for (std::size_t start = 0;;) {
    std::size_t comma = expr.find(',', start);
    if (!check_varspec(
            expr.substr(start, comma == std::u32string_view::npos ? comma : comma - start)))
      return false;
    if (comma == std::u32string_view::npos) return true;
    start = comma + 1;
  }
}

// RFC 6570 level 4 templates: literals, and expressions with an operator and varspecs.
bool check_uri_template(std::string_view s) {
  std::u32string text = decode_utf8(s);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char32_t c = text[i];
    if (c == '{') {
      std::size_t close = text.find('}', i);
      if (close == std::u32string::npos) return false;
      if (!check_expression(std::u32string_view(text.data() + i + 1, close - i - 1))) return false;
      i = close;
    } else if (c == '%') {
      if (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2])) return false;
      i += 2;
    } else if (c <= 0x20 || c == 0x7F ||
               std::u32string_view(U"\"<>\\^`|}").find(c) != std::u32string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

DateCheck check_date(std::string_view s) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return DateCheck::BadShape;
  std::string_view y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return DateCheck::BadShape;
  int year = number(y), month = number(m), day = number(d);
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
    return DateCheck::NoSuchDay;
  return DateCheck::Ok;
}

Format format_from_name(std::string_view name) noexcept {
  static constexpr std::pair<std::string_view, Format> kNames[] = {
      {"date", Format::Date},
      {"date-time", Format::DateTime},
      {"time", Format::Time},
      {"duration", Format::Duration},
      {"email", Format::Email},
      {"idn-email", Format::IdnEmail},
      {"hostname", Format::Hostname},
      {"idn-hostname", Format::IdnHostname},
      {"ipv4", Format::Ipv4},
      {"ipv6", Format::Ipv6},
      {"uri", Format::Uri},
      {"uri-reference", Format::UriReference},
      {"iri", Format::Iri},
      {"iri-reference", Format::IriReference},
      {"uuid", Format::Uuid},
      {"json-pointer", Format::JsonPointer},
      {"relative-json-pointer", Format::RelativeJsonPointer},
      {"regex", Format::Regex},
      {"uri-template", Format::UriTemplate},
  };
  for (const auto& [n, f] : kNames) {
    if (n == name) return f;
  }
  return Format::Unknown;
}

std::string_view format_description(Format f) noexcept {
  switch (f) {
    case Format::Date:
      return "a date YYYY-MM-DD";
    case Format::DateTime:
      return "a date and time like 2026-03-04T09:30:00Z";
    case Format::Time:
      return "a time like 09:30:00Z";
    case Format::Duration:
      return "a duration like P1DT2H";
    case Format::Email:
    case Format::IdnEmail:
      return "an email address";
    case Format::Hostname:
    case Format::IdnHostname:
      return "a host name";
    case Format::Ipv4:
      return "an IPv4 address";
    case Format::Ipv6:
      return "an IPv6 address";
    case Format::Uri:
    case Format::Iri:
      return "an absolute URI";
    case Format::UriReference:
    case Format::IriReference:
      return "a URI reference";
    case Format::Uuid:
      return "a UUID";
    case Format::JsonPointer:
      return "a JSON pointer";
    case Format::RelativeJsonPointer:
      return "a relative JSON pointer";
    case Format::Regex:
      return "a regular expression";
    case Format::UriTemplate:
      return "a URI template";
    case Format::Unknown:
      break;
  }
  return "a valid value";
}

bool check_format(Format f, std::string_view s) {
  switch (f) {
    case Format::Unknown:
      return true;
    case Format::Date:
      return check_date(s) == DateCheck::Ok;
    case Format::DateTime: {
      if (s.size() < 11 || (s[10] != 'T' && s[10] != 't')) return false;
      return check_date(s.substr(0, 10)) == DateCheck::Ok && check_time(s.substr(11));
    }
    case Format::Time:
      return check_time(s);
    case Format::Duration:
      return check_duration(s);
    case Format::Email:
      return check_email(s, false);
    case Format::IdnEmail:
      return check_email(s, true);
    case Format::Hostname:
      return check_hostname(s, false);
    case Format::IdnHostname:
      return check_hostname(s, true);
    case Format::Ipv4:
      return check_ipv4(s);
    case Format::Ipv6:
      return check_ipv6(s);
    case Format::Uri:
      return UriChecker(s, false).uri();
    case Format::UriReference:
      return UriChecker(s, false).reference();
    case Format::Iri:
      return UriChecker(s, true).uri();
    case Format::IriReference:
      return UriChecker(s, true).reference();
    case Format::Uuid:
      return check_uuid(s);
    case Format::JsonPointer:
      return check_json_pointer(s);
    case Format::RelativeJsonPointer:
      return check_relative_json_pointer(s);
    case Format::Regex:
      return is_ecma_regex(s, nullptr);
    case Format::UriTemplate:
      return check_uri_template(s);
  }
  return true;
}

}  // namespace brm
