#pragma once
// Private to the schema validator: the error post-pass. valijson's results become comply's
// SchemaErrors — RFC 6901 pointers rebuilt from valijson's context, a keyword on every error,
// umbrella errors dropped when a real error sits at or below them, a "false" error where an
// umbrella has nothing under it. comply's own handlers tag their messages (Tagged) with the
// keyword; valijson's untagged messages are classified by their text.
//
//   m_results->pushError(context, Tagged("pattern", "does not match ..."));   // in a handler
//   PostPass(results, "", &errors);                                            // after validating
//
// Pure functions, thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include <valijson/validation_results.hpp>

#include "evaluator/record.h"

namespace comply::schema_internal {

inline constexpr char kMark = '\x1f';  // tagged errors: "\x1f<keyword>\x1f<message>"

// A message carrying its keyword through valijson's results.
inline std::string Tagged(std::string_view keyword, std::string_view message) {
  std::string s;
  s.reserve(keyword.size() + message.size() + 2);
  s += kMark;
  s += keyword;
  s += kMark;
  s += message;
  return s;
}

// Appends the errors of `results` to *out, pointers prefixed with `base`, duplicates dropped.
void PostPass(const valijson::ValidationResults& results, std::string_view base,
              std::vector<SchemaError>* out);

}  // namespace comply::schema_internal
