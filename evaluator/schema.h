#pragma once
// A compiled JSON Schema: validation (valijson behind this interface) and the
// evaluated-properties walker that finds hallucinated fields (DESIGN.md "Checks" 2, 3).
//
//   Result<std::shared_ptr<const CompiledSchema>> s =
//       CompiledSchema::Compile(schema_json, suite_dir, "suites/invoice/schema.json");
//   std::vector<SchemaError> errors;
//   JsonDoc doc; doc.Parse(text);                     // the hot path: a flat DOM (json_doc.h)
//   bool valid = (*s)->Validate(doc.root(), &errors);
//   std::vector<std::string> extra;
//   (*s)->FindHallucinatedFields(doc.root(), &extra);  // "/line_items/2/discount"
//   (*s)->Validate(nlohmann_value, &errors);            // same, from a nlohmann DOM (copied)
//
// Compile once, share read-only: every const method is thread-safe (each call makes its own
// valijson validator); a throw inside valijson becomes a SchemaError of that call.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/json_doc.h"
#include "evaluator/record.h"
#include "providers/result.h"

namespace comply {

class CompiledSchema {
 public:
  virtual ~CompiledSchema() = default;

  // Parses and checks `schema`. `base_dir`: where relative `$ref` files resolve (nothing
  // outside it, nothing over the network). `source`: the file name used in error messages.
  // Fails with kInvalidInput naming the keyword's JSON Pointer when the schema is invalid,
  // uses an unsupported keyword, a ref-only cycle, a remote ref, or an RE2-incompatible pattern.
  static Result<std::shared_ptr<const CompiledSchema>> Compile(const nlohmann::json& schema,
                                                               const std::filesystem::path& base_dir,
                                                               std::string_view source);

  // True when `instance` is valid. When invalid and `errors` is non-null, appends every error
  // (RFC 6901 instance pointer, keyword, message; no umbrella duplicates).
  virtual bool Validate(JsonRef instance, std::vector<SchemaError>* errors) const = 0;
  bool Validate(const nlohmann::json& instance, std::vector<SchemaError>* errors) const;

  // Appends the pointers of object members that no applicable subschema declares
  // (evaluated-properties semantics; free-form objects and typed maps declare every key), in
  // key order at each level.
  virtual void FindHallucinatedFields(JsonRef instance, std::vector<std::string>* pointers) const = 0;
  void FindHallucinatedFields(const nlohmann::json& instance, std::vector<std::string>* pointers) const;

  // True when an instance Validate accepts never has hallucinated fields (the schema closes
  // every object it describes): FindHallucinatedFields may be skipped for valid instances.
  virtual bool ValidMeansNoHallucinatedFields() const = 0;
};

// "/line_items/2/discount" -> "/line_items/*/discount": array indices replaced by `*`
// (a member whose key is all digits inside an object keeps its name — this needs the instance,
// so callers pass it).
std::string WildcardPointer(std::string_view pointer, const nlohmann::json& instance);

}  // namespace comply
