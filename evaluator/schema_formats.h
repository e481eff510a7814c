#pragma once
// Private to the schema validator: the `format` checks comply asserts, written by hand (no
// regex is built per call). Unknown formats are not asserted.
//
//   Format f = FormatFromName("date-time");
//   bool ok = CheckFormat(f, "2026-11-27T21:57:15Z");   // true
//
// Pure functions, thread-safe.

#include <string_view>

namespace comply::schema_internal {

enum class Format {
  kUnknown,  // not asserted
  kDateTime,
  kDate,
  kTime,
  kDuration,
  kEmail,
  kIdnEmail,
  kHostname,
  kIdnHostname,
  kIpv4,
  kIpv6,
  kUri,
  kUriReference,
  kIri,
  kIriReference,
  kUriTemplate,
  kUuid,
  kJsonPointer,
  kRelativeJsonPointer,
  kRegex,
};

Format FormatFromName(std::string_view name);

// True when `value` is valid for `format` (always true for kUnknown).
bool CheckFormat(Format format, std::string_view value);

}  // namespace comply::schema_internal
