#pragma once
// Private to the schema validator: the pre-pass that runs before valijson parses anything.
//
// It reads the schema (and the `$ref`'d files inside the suite folder), honours `$schema`,
// `$id`, `$anchor` and JSON-Pointer refs, and flattens every reachable subschema into one
// numbered node in draft-07 syntax, children written as {"$ref": "#/$comply/n<k>"} (or a
// boolean). valijson then only ever sees local pointer refs, no `$id`, no 2019/2020 keywords.
// 2020-12 (the default without `$schema`) is mapped where it maps exactly: `$defs`,
// `prefixItems` (+ `items` as additionalItems), `dependentRequired` / `dependentSchemas`
// (as dependencies), siblings of `$ref` (as allOf); `unevaluatedProperties` is kept aside
// for the walker. Draft-4 `exclusiveMaximum: true` becomes the draft-6 number form.
//
// Refused, with the JSON Pointer: `$dynamicRef`, `$recursiveRef`, `unevaluatedItems` (other than
// true / {}), `minContains`, `maxContains`, remote refs, files outside the folder, unresolvable
// refs, cycles that never descend into the instance (e.g. a ref-only cycle), patterns RE2
// cannot run (lookaround, backreferences), invalid patterns, and assertion keywords with
// unusable values (`"type": "strng"`, `"minLength": -1`; see schema_keywords.h).
//
//   Result<Prepassed> p = Prepass(schema, "suites/invoice", "schema.json", {});
//   p->nodes[0]   // the root, draft-07 syntax

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/result.h"

namespace comply::schema_internal {

struct PrepassOptions {
  // Test hook: returns the document at an absolute non-file URI (e.g. the JSON Schema Test
  // Suite's http://localhost:1234/ remotes), or nullopt. Unset in production: remote refs fail.
  std::function<std::optional<nlohmann::json>(const std::string& uri)> fetch_remote;
};

// Key in a node for the unevaluatedProperties subschema (valijson ignores unknown keys).
inline constexpr const char* kUnevaluatedKey = "$comply_unevaluatedProperties";

struct Prepassed {
  std::vector<nlohmann::json> nodes;  // node 0 is the root
  std::vector<std::string> where;     // each node's original location, for messages
  std::map<std::string, std::string> patterns;  // ECMA-262 text -> RE2 text
};

// The reference written into a node for child k.
std::string NodeRef(size_t k);

// Fails with kInvalidInput "<source>: <what> at <pointer>" (see the list above).
Result<Prepassed> Prepass(const nlohmann::json& schema, const std::filesystem::path& base_dir,
                          std::string_view source, const PrepassOptions& options);

}  // namespace comply::schema_internal
