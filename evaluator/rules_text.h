#pragma once
// Small text helpers shared by the rule and template checks: RE2 pattern translation,
// UTF-8 code point counting, quoting a fragment for a message, reading a values list.
//
//   std::string p = TranslateNamedGroups("(?<year>\\d{4})");   // "(?P<year>\\d{4})"
//   Quote(value)                                               // "\"INV-1...\"" (60 code points)
//
// Thread-safe (pure). Private to evaluator/.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "providers/result.h"

namespace comply::rules_internal {

// ECMA-262 / PCRE named groups `(?<name>` become RE2's `(?P<name>`; lookbehind `(?<=`,
// `(?<!`, escaped parentheses and character classes are left alone.
std::string TranslateNamedGroups(std::string_view pattern);

// Unicode code points in UTF-8 text (bytes that are not continuation bytes).
std::size_t CodePoints(std::string_view s);

// `s` in double quotes, cut to `max_code_points` with "..." when longer.
std::string Quote(std::string_view s, std::size_t max_code_points = 60);

std::string_view TrimAscii(std::string_view s);

// Reads a values list: one value a line, trimmed; a line starting with `#` is a comment;
// blank lines are skipped. Fails with the OS reason ("No such file or directory").
Result<std::vector<std::string>> ReadValuesFile(const std::string& path);

}  // namespace comply::rules_internal
