#pragma once
// Private to the schema validator: checks the values of the assertion keywords of one schema
// object before valijson sees them. valijson refuses some bad values without saying where
// they are (`"type": 5`, `"minLength": -1`) and silently drops or misreads others
// (`"required": "name"`, `"format": 5`, a draft-04 boolean `exclusiveMinimum` in a later
// draft); this names the keyword's JSON Pointer and says what the value must be.
//
//   std::optional<std::string> p = CheckKeywordValues(obj, 2020, "/properties/a");
//   // *p == "\"type\" at /properties/a/type must be a type name or an array of type names;
//   //        \"strng\" is not one (did you mean \"string\"?)"
//
// Checked: `type`, `required`, `enum`, `minLength` / `maxLength` / `minItems` / `maxItems` /
// `minProperties` / `maxProperties`, `multipleOf`, `minimum` / `maximum`, `exclusiveMinimum` /
// `exclusiveMaximum`, `uniqueItems`, `format`, the entries of `dependencies` and (2019-09 and
// later) `dependentRequired`. Left to the pre-pass: keywords whose value is a subschema, a map
// or an array of subschemas, `pattern` and `$ref`. Not looked at: `const` (any value),
// annotations and unknown keywords. Harmless slips stay allowed: duplicate names in `type` or
// `required`, an empty `required` or `enum`, an empty `format`.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace comply::schema_internal {

// Returns the first problem as "\"<keyword>\" at <pointer> must be ...; <value> is not one",
// or nullopt when every checked value is usable. `draft` is 4 (draft-04, and draft-03, which
// the pre-pass reads as draft-04), 6, 7, 2019 or 2020; `where` is the pointer of `schema`
// ("" for the root) that keyword pointers are appended to. `schema` must be an object.
// Never throws; thread-safe.
std::optional<std::string> CheckKeywordValues(const nlohmann::json& schema, int draft,
                                              std::string_view where);

}  // namespace comply::schema_internal
