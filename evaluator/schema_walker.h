#pragma once
// Private to the schema validator: the evaluated-properties walker. It walks an instance with
// the set of subschemas that apply at each location — following $ref, allOf, if/then/else,
// dependentSchemas, items / prefixItems, and for anyOf / oneOf only the branches the instance
// matches — and answers two questions (DESIGN.md "Checks" 2-3):
//   - hallucinated fields: members no applicable `properties` / `patternProperties` names,
//     outside free-form objects and typed maps;
//   - `unevaluatedProperties`: members no adjacent or in-place keyword evaluated.
//
//   auto w = SchemaWalker::Build(prepassed, "schema.json");
//   auto v = ValijsonSchema::Build(prepassed, (*w)->Probes(), "schema.json");
//   (*w)->FindHallucinated(instance, **v, &pointers);   // "/line_items/2/discount"
//
// Build once; the const methods are thread-safe. Recursion follows the instance only (depth
// bounded by the caller's 512 limit, and cut at kMaxWalkDepth); in-place schema chains are
// expanded with an explicit stack (the pre-pass refused in-place cycles).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/record.h"
#include "evaluator/schema_prepass.h"
#include "evaluator/schema_visitor.h"
#include "providers/result.h"

namespace comply::schema_internal {

inline constexpr int kMaxWalkDepth = 600;

class SchemaWalker {
 public:
  ~SchemaWalker();

  // Fails (kInvalidInput) only when a pattern cannot be compiled by RE2.
  static Result<std::unique_ptr<SchemaWalker>> Build(const Prepassed& prepassed, std::string_view source);

  // Nodes the walker validates instances against (root, anyOf / oneOf branches, `if`,
  // unevaluatedProperties schemas): pass them as the valijson probes.
  std::vector<size_t> Probes() const;

  bool has_unevaluated() const;

  // True when FindHallucinated can only find members in instances the schema rejects (every
  // object location is closed by additionalProperties false or is a typed map, with no
  // combinators that make the applicable set depend on the instance): callers may skip it
  // for valid instances.
  bool ValidMeansDeclared() const;

  // Appends hallucinated member pointers in instance document order.
  void FindHallucinated(JsonRef instance, const ValijsonSchema& validator,
                        std::vector<std::string>* pointers) const;

  // Checks every unevaluatedProperties; appends errors (keyword "unevaluatedProperties" or the
  // subschema's own) when `errors` is non-null. True when none fails.
  bool CheckUnevaluated(JsonRef instance, const ValijsonSchema& validator,
                        std::vector<SchemaError>* errors) const;

 private:
  SchemaWalker();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace comply::schema_internal
