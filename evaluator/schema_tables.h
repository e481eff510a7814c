#pragma once
// Private to the schema validator: the side tables comply's specialised valijson handlers read
// (schema_visitor.cc), keyed by constraint address, and the pass that fills them once per schema
// by walking valijson's parsed tree: one RE2 per distinct pattern, the format of each `format`,
// and per `properties` constraint its names, patterns and additionalProperties.
//
//   Tables t;
//   Status s = IndexSchema(schema.root(), prepassed.patterns, &t);   // after populateSchema
//   t.pattern.at(&constraint)->...                                   // while validating
//
// Filled once, then read-only: safe to share between threads.

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <re2/re2.h>
#include <valijson/schema.hpp>

#include "evaluator/schema_formats.h"
#include "providers/result.h"

namespace comply::schema_internal {

struct PropsInfo {
  std::vector<std::pair<std::string, const valijson::Subschema*>> props;
  std::vector<std::string> names;  // sorted
  std::vector<std::pair<const RE2*, const valijson::Subschema*>> patterns;
  const valijson::Subschema* additional = nullptr;  // nullptr: additionalProperties false
  bool additional_trivial = false;                  // the empty schema: every value passes
};

// Per-schema side tables the specialised handlers read, keyed by constraint address.
struct Tables {
  std::unordered_map<std::string, std::unique_ptr<RE2>> regex;  // by ECMA-262 text
  std::unordered_map<const void*, const RE2*> pattern;
  std::unordered_map<const void*, std::pair<Format, std::string>> format;
  std::unordered_map<const void*, PropsInfo> props;
  std::unordered_set<const valijson::Subschema*> trivial;  // no constraints at all
};


// Fills *tables from valijson's tree under `root`. `patterns` maps each ECMA-262 pattern to its
// RE2 translation (the pre-pass's). Fails when RE2 rejects a pattern.
Status IndexSchema(const valijson::Subschema* root, const std::map<std::string, std::string>& patterns,
                   Tables* tables);

}  // namespace comply::schema_internal
