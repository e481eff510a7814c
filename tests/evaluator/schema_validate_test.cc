// Validate(): keywords, pointers, messages, umbrella removal (DESIGN.md "Checks" 2).
#include <catch2/catch.hpp>

#include "evaluator/schema.h"

namespace comply {
namespace {

using nlohmann::json;

std::shared_ptr<const CompiledSchema> MustCompile(const json& schema) {
  auto s = CompiledSchema::Compile(schema, ".", "schema.json");
  INFO((s.ok() ? std::string() : s.error().message));
  REQUIRE(s.ok());
  return *s;
}

std::vector<SchemaError> Errors(const json& schema, const json& instance) {
  std::vector<SchemaError> errors;
  bool valid = MustCompile(schema)->Validate(instance, &errors);
  CHECK(valid == errors.empty());
  return errors;
}

TEST_CASE("a valid instance has no errors", "[schema]") {
  json schema = {{"type", "object"},
                 {"properties", {{"a", {{"type", "integer"}}}, {"b", {{"type", "string"}}}}},
                 {"required", {"a"}}};
  CHECK(Errors(schema, {{"a", 1}, {"b", "x"}}).empty());
}

TEST_CASE("errors carry RFC 6901 pointers and keywords, without umbrellas", "[schema]") {
  json schema = json::parse(R"({
    "type": "object",
    "properties": {
      "items": {"type": "array", "items": {"type": "object", "properties": {"q/t~": {"type": "integer"}}}},
      "name": {"type": "string", "maxLength": 3}
    },
    "required": ["name", "id"]
  })");
  auto errors = Errors(schema, json::parse(R"({"items": [{"q/t~": 1}, {"q/t~": "x"}], "name": "long"})"));
  std::vector<SchemaError> expected = {
      {"", "required", "Missing required property 'id'."},
      {"/items/1/q~1t~0", "type", "must be of type integer"},
      {"/name", "maxLength", "String should be no more than 3 characters in length."},
  };
  std::sort(errors.begin(), errors.end(), [](auto& a, auto& b) { return a.path < b.path; });
  CHECK(errors == expected);
}

TEST_CASE("a false subschema reports a false error at the member", "[schema]") {
  json schema = {{"properties", {{"a", false}}}};
  auto errors = Errors(schema, {{"a", 1}});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"/a", "false", "no value is allowed here (the schema is false)"});
  errors = Errors(false, 1);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"", "false", "no value is allowed here (the schema is false)"});
}

TEST_CASE("additionalProperties false names the member", "[schema]") {
  json schema = {{"properties", {{"a", json::object()}}}, {"additionalProperties", false}};
  auto errors = Errors(schema, {{"a", 1}, {"zz", 2}});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"/zz", "additionalProperties", "property \"zz\" is not allowed"});
}

}  // namespace
}  // namespace comply
