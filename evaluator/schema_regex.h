#pragma once
// Private to the schema validator: ECMA-262 regular expressions (the dialect JSON Schema
// `pattern`, `patternProperties` and format "regex" use) translated into RE2 syntax.
//
//   std::string re2_text, problem;
//   PatternStatus s = TranslateEcmaPattern("^(?<y>\\d{4})$", &re2_text, &problem);
//   // s == PatternStatus::kOk, re2_text == "^(?P<y>\\d{4})$"
//
// Pure functions, thread-safe. No regex is built here (RE2 is compiled once by the caller).

#include <string>
#include <string_view>

namespace comply::schema_internal {

enum class PatternStatus {
  kOk,           // *re2 holds an equivalent RE2 pattern
  kUnsupported,  // valid ECMA-262 that RE2 cannot run (lookaround, backreference): *problem says which
  kSyntaxError,  // not a valid ECMA-262 pattern: *problem says why
};

// Translates `ecma` to RE2 syntax: (?<n> -> (?P<n>, \uXXXX and surrogate pairs, \cX, [^], [],
// ECMA's Unicode \s, '.' excluding line terminators, identity escapes, literal braces.
PatternStatus TranslateEcmaPattern(std::string_view ecma, std::string* re2, std::string* problem);

}  // namespace comply::schema_internal
