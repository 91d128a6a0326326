// Who commits, as `git commit` decides it (git's ident.c and date.c, read, not copied).
#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <ctime>

#include "git_write.hpp"

namespace brm::gitx {
namespace {

const char* env(const char* name) { return std::getenv(name); }

std::optional<std::string> config_string(git_config* config, const char* name) {
  git_buf buf = GIT_BUF_INIT;
  std::optional<std::string> out;
  if (git_config_get_string_buf(&buf, config, name) == 0) out = std::string(buf.ptr);
  git_buf_dispose(&buf);
  git_error_clear();
  return out;
}

// The first of: the variable, `role`.KEY, user.KEY, (for the email) EMAIL.
std::optional<std::string> ident_part(git_config* config, const char* variable, const char* role,
                                      const char* key) {
  if (const char* v = env(variable)) return std::string(v);
  if (auto v = config_string(config, fmt::format("{}.{}", role, key).c_str())) return v;
  if (auto v = config_string(config, fmt::format("user.{}", key).c_str())) return v;
  if (std::string_view(key) == "email")
    if (const char* v = env("EMAIL")) return std::string(v);
  return std::nullopt;
}

[[noreturn]] void unknown_identity(const char* upper) {
  throw Error(ExitCode::Git,
              fmt::format("git does not know who you are: set user.name and user.email\n"
                          "hint: git config --global user.name \"Your Name\"; "
                          "git config --global user.email you@example.com\n"
                          "hint: or set GIT_{0}_NAME and GIT_{0}_EMAIL; or pass --no-commit",
                          upper));
}

void signature_of(Signature& sig, git_config* config, const char* role, const char* upper) {
  auto name = ident_part(config, fmt::format("GIT_{}_NAME", upper).c_str(), role, "name");
  auto email = ident_part(config, fmt::format("GIT_{}_EMAIL", upper).c_str(), role, "email");
  if (!name || name->empty() || !email) unknown_identity(upper);
  std::string date_var = fmt::format("GIT_{}_DATE", upper);
  const char* date = env(date_var.c_str());
  if (!date || !*date) {
    check(git_signature_now(sig.out(), name->c_str(), email->c_str()),
          fmt::format("invalid {} identity", role));
    return;
  }
  auto when = parse_git_date(date);
  if (!when)
    throw Error(ExitCode::Git, fmt::format("invalid date format in {}: '{}'", date_var, date));
  check(git_signature_new(sig.out(), name->c_str(), email->c_str(), when->seconds,
                          when->offset_minutes),
        fmt::format("invalid {} identity", role));
}

// ---- dates ------------------------------------------------------------------------

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Cursor {
  std::string_view s;
  std::size_t at = 0;
  bool done() const { return at >= s.size(); }
  char peek() const { return done() ? '\0' : s[at]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++at;
    return true;
  }
  void spaces() {
    while (!done() && (s[at] == ' ' || s[at] == ',')) ++at;
  }
  // Exactly `digits` digits when > 0, else one or more.
  std::optional<long long> number(int digits = 0) {
    std::size_t from = at;
    long long v = 0;
    while (!done() && std::isdigit(static_cast<unsigned char>(s[at])) &&
           (digits == 0 || static_cast<int>(at - from) < digits))
      v = v * 10 + (s[at++] - '0');
    if (at == from || (digits && static_cast<int>(at - from) != digits)) return std::nullopt;
    return v;
  }
};

// "+0100", "+01:00", "Z"; nullopt when there is no zone; false in `ok` when it is malformed.
std::optional<int> zone(Cursor& c, bool* ok) {
  c.spaces();
  if (c.eat('Z')) return 0;
  char sign = c.peek();
  if (sign != '+' && sign != '-') return std::nullopt;
  ++c.at;
  auto hh = c.number(2);
  c.eat(':');
  auto mm = c.number(2);
  if (!hh || !mm || *hh > 14 || *mm > 59) {
    *ok = false;
    return std::nullopt;
  }
  int minutes = static_cast<int>(*hh * 60 + *mm);
  return sign == '-' ? -minutes : minutes;
}

// The local zone's offset at that wall-clock time, for a date given without a zone.
int local_offset(std::int64_t wall_seconds) {
  auto t = static_cast<std::time_t>(wall_seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  tm.tm_isdst = -1;
  std::time_t as_local = std::mktime(&tm);
  std::tm local{};
  ::localtime_r(&as_local, &local);
  return static_cast<int>(local.tm_gmtoff / 60);
}

std::optional<GitTime> finish(Cursor& c, std::int64_t wall_seconds) {
  bool ok = true;
  auto z = zone(c, &ok);
  c.spaces();
  if (!ok || !c.done()) return std::nullopt;
  int offset = z ? *z : local_offset(wall_seconds);
  return GitTime{static_cast<git_time_t>(wall_seconds - offset * 60), offset};
}

// HH:MM[:SS][.fraction]
std::optional<std::int64_t> clock_time(Cursor& c) {
  auto h = c.number(2);
  if (!h || !c.eat(':')) return std::nullopt;
  auto m = c.number(2);
  long long sec = 0;
  if (c.eat(':')) {
    auto s = c.number(2);
    if (!s) return std::nullopt;
    sec = *s;
  }
  if (c.eat('.')) c.number();
  if (!m || *h > 23 || *m > 59 || sec > 60) return std::nullopt;
  return *h * 3600 + *m * 60 + sec;
}

std::optional<GitTime> iso_date(std::string_view text) {
  Cursor c{text};
  auto y = c.number(4);
  if (!y || !c.eat('-')) return std::nullopt;
  auto mo = c.number(2);
  if (!mo || !c.eat('-')) return std::nullopt;
  auto d = c.number(2);
  if (!d || *mo < 1 || *mo > 12 || *d < 1 || *d > 31) return std::nullopt;
  if (!c.eat('T')) c.eat(' ');
  auto t = clock_time(c);
  if (!t) return std::nullopt;
  std::int64_t days =
      days_from_civil(static_cast<int>(*y), static_cast<unsigned>(*mo), static_cast<unsigned>(*d));
  return finish(c, days * 86400 + *t);
}

std::optional<GitTime> rfc2822_date(std::string_view text) {
  static constexpr std::string_view months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                "jul", "aug", "sep", "oct", "nov", "dec"};
  Cursor c{text};
  if (std::isalpha(static_cast<unsigned char>(c.peek()))) {  // the day's name
    while (std::isalpha(static_cast<unsigned char>(c.peek()))) ++c.at;
    c.spaces();
  }
  auto d = c.number();
  c.spaces();
  std::string mon;
  while (std::isalpha(static_cast<unsigned char>(c.peek())))
    mon += static_cast<char>(std::tolower(static_cast<unsigned char>(text[c.at++])));
  unsigned m = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (mon.size() >= 3 && mon.compare(0, 3, months[i]) == 0) m = i + 1;
  c.spaces();
  auto y = c.number(4);
  c.spaces();
  auto t = clock_time(c);
  if (!d || !m || !y || !t || *d < 1 || *d > 31) return std::nullopt;
  return finish(c,
                days_from_civil(static_cast<int>(*y), m, static_cast<unsigned>(*d)) * 86400 + *t);
}

std::optional<GitTime> raw_date(std::string_view text) {
  Cursor c{text};
  c.eat('@');
  auto secs = c.number();
  if (!secs) return std::nullopt;
  bool ok = true;
  auto z = zone(c, &ok);
  c.spaces();
  if (!ok || !c.done()) return std::nullopt;
  return GitTime{static_cast<git_time_t>(*secs), z.value_or(0)};
}

}  // namespace

std::optional<GitTime> parse_git_date(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (auto t = raw_date(text)) return t;
  if (auto t = iso_date(text)) return t;
  return rfc2822_date(text);
}

Identity identity_of(git_config* config) {
  Identity id;
  signature_of(id.author, config, "author", "AUTHOR");
  signature_of(id.committer, config, "committer", "COMMITTER");
  return id;
}

}  // namespace brm::gitx
