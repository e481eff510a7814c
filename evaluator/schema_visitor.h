#pragma once
// Private to the schema validator: valijson behind a small facade. schema_visitor.cc is the ONE
// translation unit that instantiates valijson's ValidationVisitor, with comply's handlers
// specialised for pattern / patternProperties / additionalProperties (RE2, compiled once),
// format, multipleOf (exact decimal), maximum / minimum (exact), type (1.0 is an integer) and
// propertyNames. No valijson type leaks out of this header.
//
//   auto v = ValijsonSchema::Build(prepassed, {0, 7}, "schema.json");
//   std::vector<SchemaError> errors;
//   bool ok = (*v)->Validate(0, instance, &errors, "");
//
// Build once; Validate is const and thread-safe (each call makes its own valijson Validator).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/json_doc.h"
#include "evaluator/record.h"
#include "evaluator/schema_prepass.h"
#include "providers/result.h"

namespace comply::schema_internal {

class ValijsonSchema {
 public:
  ~ValijsonSchema();

  // Parses the prepassed nodes with valijson; `probes` lists the node indices that Validate
  // can start from. Fails (kInvalidInput, "<source>: ...") when valijson or RE2 rejects them.
  static Result<std::unique_ptr<ValijsonSchema>> Build(const Prepassed& prepassed,
                                                       const std::vector<size_t>& probes,
                                                       std::string_view source);

  // Validates `instance` against node `node` (one of the probes). With errors == nullptr it
  // stops at the first failure. Errors carry RFC 6901 pointers prefixed with `base_pointer`,
  // a keyword and a message, umbrella duplicates dropped. Never throws: an exception inside
  // valijson becomes an error with keyword "validation".
  bool Validate(size_t node, JsonRef instance, std::vector<SchemaError>* errors,
                std::string_view base_pointer) const;

  // True when node `node` is a probe.
  bool HasProbe(size_t node) const;

 private:
  ValijsonSchema();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace comply::schema_internal
