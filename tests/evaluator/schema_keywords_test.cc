// Keyword values the pre-pass refuses with their JSON Pointer (schema_keywords.h), and the
// messy-but-meaningful values it still accepts.
#include "evaluator/schema_keywords.h"

#include <catch2/catch.hpp>

#include "evaluator/schema.h"
#include "tests/test_util.h"

namespace comply {
namespace {

using nlohmann::json;

constexpr const char* kDraft4 = "http://json-schema.org/draft-04/schema#";
constexpr const char* kDraft7 = "http://json-schema.org/draft-07/schema#";

std::string CompileError(const json& schema, const std::filesystem::path& dir = ".") {
  auto s = CompiledSchema::Compile(schema, dir, "suites/x/schema.json");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ErrorCode::kInvalidInput);
  return s.error().message;
}

bool Valid(const json& schema, const json& instance) {
  auto s = CompiledSchema::Compile(schema, ".", "schema.json");
  INFO((s.ok() ? std::string() : s.error().message));
  REQUIRE(s.ok());
  std::vector<SchemaError> errors;
  return (*s)->Validate(instance, &errors);
}

TEST_CASE("schema keywords: unknown type names are refused with a guess", "[schema]") {
  CHECK(CompileError(json::parse(R"({"properties": {"a": {"type": "strng"}}})")) ==
        "suites/x/schema.json: \"type\" at /properties/a/type must be a type name or an array of "
        "type names; "
        "\"strng\" is not one (did you mean \"string\"?)");
  CHECK(CompileError(json::parse(R"({"type": "String"})")) ==
        "suites/x/schema.json: \"type\" at /type must be a type name or an array of type names; "
        "\"String\" is not one (did you mean \"string\"?)");
  CHECK(CompileError(json::parse(R"({"type": "date"})")) ==
        "suites/x/schema.json: \"type\" at /type must be a type name or an array of type names; "
        "\"date\" is not "
        "one (the type names: null, boolean, object, array, number, string, integer)");
  CHECK(CompileError(json::parse(R"({"type": 5})")) ==
        "suites/x/schema.json: \"type\" at /type must be a type name or an array of type names; 5 "
        "is not one");
}

TEST_CASE("schema keywords: type arrays name each bad item", "[schema]") {
  CHECK(CompileError(json::parse(R"({"properties": {"a": {"type": ["string", 7]}}})")) ==
        "suites/x/schema.json: \"type\" at /properties/a/type must be a type name or an array of "
        "type names; "
        "7 at /properties/a/type/1 is not one");
  CHECK(CompileError(json::parse(R"({"type": ["nul", "string"]})")) ==
        "suites/x/schema.json: \"type\" at /type must be a type name or an array of type names; "
        "\"nul\" at /type/0 is not one (did you mean \"null\"?)");
  CHECK(CompileError(json::parse(R"({"type": []})")) ==
        "suites/x/schema.json: \"type\" at /type must be a type name or an array of type names; [] "
        "names none");
  // Duplicates are harmless and stay allowed; "any" is draft-03 (read as draft-04) only.
  CHECK(Valid(json::parse(R"({"type": ["string", "string"]})"), "x"));
  CHECK(Valid({{"$schema", kDraft4}, {"type", "any"}}, 3));
  CHECK(CompileError(json::parse(R"({"type": "any"})")) ==
        "suites/x/schema.json: \"type\" at /type must be a type name or an array of type names; "
        "\"any\" is not "
        "one (the type names: null, boolean, object, array, number, string, integer)");
}

TEST_CASE("schema keywords: required and dependency lists hold property names", "[schema]") {
  CHECK(CompileError(json::parse(R"({"required": "name"})")) ==
        "suites/x/schema.json: \"required\" at /required must be an array of property names; "
        "\"name\" is not one "
        "(write [\"name\"])");
  CHECK(CompileError(json::parse(R"({"properties": {"a": {"required": true}}})")) ==
        "suites/x/schema.json: \"required\" at /properties/a/required must be an array of property "
        "names; true "
        "is not one (a boolean \"required\" is the draft-03 form: list the name in the "
        "\"required\" array of the "
        "object schema that declares the property)");
  CHECK(CompileError(json::parse(R"({"required": ["a", 2]})")) ==
        "suites/x/schema.json: \"required\" at /required must be an array of property names; 2 at "
        "/required/1 is "
        "not a string");
  CHECK(CompileError(json::parse(R"({"dependentRequired": {"a/b": "c"}})")) ==
        "suites/x/schema.json: \"dependentRequired\" at /dependentRequired/a~1b must be an array "
        "of property "
        "names; \"c\" is not one (write [\"c\"])");
  CHECK(CompileError({{"$schema", kDraft7}, {"dependencies", {{"a", 1}}}}) ==
        "suites/x/schema.json: \"dependencies\" at /dependencies/a must be a schema or an array of "
        "property "
        "names; 1 is not one");
  CHECK(Valid(json::parse(R"({"required": [], "dependentRequired": {"a": []}})"), json::object()));
}

TEST_CASE("schema keywords: enum, uniqueItems and format", "[schema]") {
  CHECK(CompileError(json::parse(R"({"enum": 3})")) ==
        "suites/x/schema.json: \"enum\" at /enum must be an array of the allowed values; 3 is not "
        "one (write [3])");
  CHECK(CompileError(json::parse(R"({"uniqueItems": "yes"})")) ==
        "suites/x/schema.json: \"uniqueItems\" at /uniqueItems must be true or false; \"yes\" is "
        "not one");
  CHECK(CompileError(json::parse(R"({"items": {"format": 5}})")) ==
        "suites/x/schema.json: \"format\" at /items/format must be a string; 5 is not one");
  CHECK_FALSE(Valid(json::parse(R"({"enum": []})"), 1));
}

TEST_CASE("schema keywords: counts are non-negative integers, 2.0 included", "[schema]") {
  CHECK(CompileError(json::parse(R"({"minLength": -1})")) ==
        "suites/x/schema.json: \"minLength\" at /minLength must be a non-negative integer; -1 is "
        "not one");
  CHECK(CompileError(json::parse(R"({"maxItems": 1.5})")) ==
        "suites/x/schema.json: \"maxItems\" at /maxItems must be a non-negative integer; 1.5 is "
        "not one");
  CHECK(CompileError(json::parse(R"({"maxProperties": "3"})")) ==
        "suites/x/schema.json: \"maxProperties\" at /maxProperties must be a non-negative integer; "
        "\"3\" is not "
        "one");
  CHECK(Valid(json::parse(R"({"maxLength": 2.0})"), "ab"));
  CHECK_FALSE(Valid(json::parse(R"({"maxLength": 2.0})"), "abc"));
  // Beyond int64: the same verdict as no bound (valijson could not read the number).
  CHECK(Valid(json::parse(R"({"maxLength": 18446744073709551615, "maxItems": 1e20})"), "abc"));
  CHECK_FALSE(Valid(json::parse(R"({"minItems": 1e20})"), json::array({1})));
}

TEST_CASE("schema keywords: bounds and multipleOf are numbers", "[schema]") {
  CHECK(CompileError(json::parse(R"({"multipleOf": 0})")) ==
        "suites/x/schema.json: \"multipleOf\" at /multipleOf must be a number greater than 0; 0 is "
        "not one");
  CHECK(CompileError(json::parse(R"({"anyOf": [{"minimum": "5"}]})")) ==
        "suites/x/schema.json: \"minimum\" at /anyOf/0/minimum must be a number; \"5\" is not one");
  CHECK(CompileError(json::parse(R"({"minimum": 0, "exclusiveMinimum": true})")) ==
        "suites/x/schema.json: \"exclusiveMinimum\" at /exclusiveMinimum must be a number; true is "
        "not one (a "
        "boolean is the draft-04 form: give the bound itself, e.g. \"exclusiveMinimum\": 0, or "
        "declare "
        "\"$schema\": \"http://json-schema.org/draft-04/schema#\")");
  CHECK(CompileError({{"$schema", kDraft4}, {"maximum", 3}, {"exclusiveMaximum", "yes"}}) ==
        "suites/x/schema.json: \"exclusiveMaximum\" at /exclusiveMaximum must be a boolean or a "
        "number; \"yes\" is "
        "not one");
  CHECK_FALSE(Valid({{"$schema", kDraft4}, {"minimum", 0}, {"exclusiveMinimum", true}}, 0));
  CHECK(Valid(json::parse(R"({"multipleOf": 0.5, "exclusiveMaximum": 2})"), 1.5));
}

TEST_CASE("schema keywords: only schemas in effect are checked", "[schema]") {
  // Unknown keywords and annotations are ignored; draft-07 siblings of $ref do not apply.
  CHECK(Valid(json::parse(R"({"x-type": 5, "title": 3, "const": {"a": 1}})"), json{{"a", 1}}));
  CHECK(Valid({{"$schema", kDraft7},
               {"$ref", "#/definitions/s"},
               {"type", "strng"},
               {"definitions", {{"s", {{"type", "string"}}}}}},
              "x"));
  CHECK(
      CompileError(json::parse(R"({"$ref": "#/$defs/s", "type": "strng", "$defs": {"s": {}}})")) ==
      "suites/x/schema.json: \"type\" at /type must be a type name or an array of type names; "
      "\"strng\" is not "
      "one (did you mean \"string\"?)");
  // dependentRequired is not a draft-07 keyword.
  CHECK(Valid({{"$schema", kDraft7}, {"dependentRequired", 5}}, 1));
}

TEST_CASE("schema keywords: pointers in other files name the file", "[schema]") {
  testing::TempDir dir;
  testing::WriteFile(dir / "defs.json", R"({"$defs": {"n": {"type": "interger"}}})");
  CHECK(CompileError(json::parse(R"({"$ref": "defs.json#/$defs/n"})"), dir.path()) ==
        "suites/x/schema.json: \"type\" at defs.json#/$defs/n/type must be a type name or an array "
        "of type "
        "names; \"interger\" is not one (did you mean \"integer\"?)");
}

TEST_CASE("schema keywords: long values are cut in messages", "[schema]") {
  using schema_internal::CheckKeywordValues;
  json schema = {{"format", json::array({std::string(100, 'x')})}};
  auto p = CheckKeywordValues(schema, 2020, "");
  REQUIRE(p.has_value());
  CHECK(*p ==
        "\"format\" at /format must be a string; [\"" + std::string(55, 'x') + "... is not one");
  CHECK_FALSE(CheckKeywordValues(json::parse(R"({"type": "string", "minLength": 1})"), 2020, "/a")
                  .has_value());
}

}  // namespace
}  // namespace comply
