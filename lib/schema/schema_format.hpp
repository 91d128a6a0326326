// The `format` keyword's checks (RFC 3339 dates and times, e-mail, host names, IP
// addresses, URIs, UUIDs, ...), kept apart from the validator so that other code can ask
// "is this a date?" the same way the schemas do.
#pragma once

#include <cstdint>
#include <string_view>

namespace brm {

enum class Format : std::uint8_t {
  Unknown,  // a format brm does not know: always passes, as the specification asks
  Date,
  DateTime,
  Time,
  Duration,
  Email,
  IdnEmail,
  Hostname,
  IdnHostname,
  Ipv4,
  Ipv6,
  Uri,
  UriReference,
  Iri,
  IriReference,
  Uuid,
  JsonPointer,
  RelativeJsonPointer,
  Regex,
  UriTemplate,
};

Format format_from_name(std::string_view name) noexcept;
// What a value of the format looks like, for messages: "a date YYYY-MM-DD".
std::string_view format_description(Format f) noexcept;

// Whether `text` is a valid `f`; Unknown accepts everything.
bool check_format(Format f, std::string_view text);

// RFC 3339 full-date, telling a wrong shape ("03/04/2026") apart from a day that does
// not exist ("2026-02-30"), since people need different messages for the two.
enum class DateCheck : std::uint8_t { Ok, BadShape, NoSuchDay };
DateCheck check_date(std::string_view text) noexcept;

}  // namespace brm
