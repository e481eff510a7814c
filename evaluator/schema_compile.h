#pragma once
// Private to the schema validator: CompiledSchema::Compile with options. Production code calls
// CompiledSchema::Compile (no remote documents at all); tests pass a fetch_remote hook that maps
// the JSON Schema Test Suite's http://localhost:1234/ to its local remotes folder.
//
//   PrepassOptions o;
//   o.fetch_remote = [](const std::string& uri) -> std::optional<nlohmann::json> { ... };
//   auto s = CompileSchemaWithOptions(schema, dir, "test.json", o);

#include <filesystem>
#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

#include "evaluator/schema.h"
#include "evaluator/schema_prepass.h"

namespace comply::schema_internal {

Result<std::shared_ptr<const CompiledSchema>> CompileSchemaWithOptions(const nlohmann::json& schema,
                                                                       const std::filesystem::path& base_dir,
                                                                       std::string_view source,
                                                                       const PrepassOptions& options);

}  // namespace comply::schema_internal
