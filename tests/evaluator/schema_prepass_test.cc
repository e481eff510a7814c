// The schema pre-pass: refs, $id, dialects, refusals with pointers (DESIGN.md "Checks" 2).
#include <catch2/catch.hpp>

#include "evaluator/schema.h"
#include "tests/test_util.h"

namespace comply {
namespace {

using nlohmann::json;

std::string CompileError(const json& schema, const std::filesystem::path& dir = ".") {
  auto s = CompiledSchema::Compile(schema, dir, "schema.json");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ErrorCode::kInvalidInput);
  return s.error().message;
}

bool Valid(const json& schema, const json& instance, const std::filesystem::path& dir = ".") {
  auto s = CompiledSchema::Compile(schema, dir, "schema.json");
  INFO((s.ok() ? std::string() : s.error().message));
  REQUIRE(s.ok());
  std::vector<SchemaError> errors;
  return (*s)->Validate(instance, &errors);
}

TEST_CASE("prepass: a ref-only cycle is refused with its path", "[schema]") {
  json schema = json::parse(R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
                                "properties": {"x": {"$ref": "#/$defs/a"}}})");
  CHECK(CompileError(schema) ==
        "schema.json: $ref cycle that never descends into the instance: /$defs/a -> /$defs/b -> /$defs/a");
}

TEST_CASE("prepass: recursive schemas that descend load", "[schema]") {
  json schema = json::parse(R"({"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#"}}}})");
  CHECK(Valid(schema, json::parse(R"({"kids": [{"kids": []}]})")));
  CHECK_FALSE(Valid(schema, json::parse(R"({"kids": [{"kids": [1]}]})")));
}

TEST_CASE("prepass: remote refs are refused, never fetched", "[schema]") {
  json schema = json::parse(R"({"properties": {"a": {"$ref": "https://example.com/s.json#/x"}}})");
  CHECK(CompileError(schema) ==
        "schema.json: remote $ref \"https://example.com/s.json#/x\" at /properties/a/$ref is not fetched "
        "(only files inside the suite folder resolve)");
}

TEST_CASE("prepass: file refs resolve inside the suite folder only", "[schema]") {
  testing::TempDir dir;
  testing::WriteFile(dir / "suite/defs.json", R"({"$defs": {"code": {"type": "string", "pattern": "^[A-Z]{3}$"}}})");
  testing::WriteFile(dir / "outside.json", R"({"type": "string"})");
  json schema = json::parse(R"({"properties": {"c": {"$ref": "defs.json#/$defs/code"}}})");
  CHECK(Valid(schema, {{"c", "EUR"}}, dir / "suite"));
  CHECK_FALSE(Valid(schema, {{"c", "eur"}}, dir / "suite"));
  json outside = json::parse(R"({"$ref": "../outside.json"})");
  CHECK(CompileError(outside, dir / "suite") ==
        "schema.json: $ref \"../outside.json\" at /$ref resolves outside the suite folder");
}

TEST_CASE("prepass: $id bases and $anchor resolve locally", "[schema]") {
  json schema = json::parse(R"({"$id": "https://example.com/root.json",
    "$defs": {"n": {"$id": "num.json", "type": "integer"}, "s": {"$anchor": "str", "type": "string"}},
    "properties": {"a": {"$ref": "num.json"}, "b": {"$ref": "#str"}, "c": {"$ref": "https://example.com/num.json"}}})");
  CHECK(Valid(schema, {{"a", 1}, {"b", "x"}, {"c", 2}}));
  CHECK_FALSE(Valid(schema, {{"a", "1"}}));
  CHECK_FALSE(Valid(schema, {{"b", 1}}));
}

TEST_CASE("prepass: siblings of $ref apply in 2020-12, not in draft 7", "[schema]") {
  json schema = json::parse(R"({"$defs": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/s", "maxLength": 2}}})");
  CHECK_FALSE(Valid(schema, {{"a", "long"}}));
  json draft7 = json::parse(R"({"$schema": "http://json-schema.org/draft-07/schema#",
    "definitions": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/definitions/s", "maxLength": 2}}})");
  CHECK(Valid(draft7, {{"a", "long"}}));
}

TEST_CASE("prepass: 2020-12 prefixItems, dependentRequired, dependentSchemas", "[schema]") {
  json schema = json::parse(R"({"prefixItems": [{"type": "integer"}, {"type": "string"}], "items": false})");
  CHECK(Valid(schema, json::parse("[1, \"a\"]")));
  CHECK_FALSE(Valid(schema, json::parse("[1, \"a\", 3]")));
  CHECK_FALSE(Valid(schema, json::parse("[\"a\"]")));
  json deps = json::parse(R"({"dependentRequired": {"card": ["cvv"]}, "dependentSchemas": {"card": {"required": ["exp"]}}})");
  CHECK(Valid(deps, {{"card", 1}, {"cvv", 1}, {"exp", 1}}));
  CHECK_FALSE(Valid(deps, {{"card", 1}, {"exp", 1}}));
  CHECK_FALSE(Valid(deps, {{"card", 1}, {"cvv", 1}}));
  CHECK(Valid(deps, {{"other", 1}}));
}

TEST_CASE("prepass: unsupported keywords are refused with their pointer", "[schema]") {
  CHECK(CompileError(json::parse(R"({"properties": {"a": {"$dynamicRef": "#x"}}})")) ==
        "schema.json: unsupported keyword \"$dynamicRef\" at /properties/a/$dynamicRef");
  CHECK(CompileError(json::parse(R"({"items": {"unevaluatedItems": false}})")) ==
        "schema.json: unsupported keyword \"unevaluatedItems\" at /items/unevaluatedItems");
  CHECK(CompileError(json::parse(R"({"contains": {}, "minContains": 2})")) ==
        "schema.json: unsupported keyword \"minContains\" at /minContains");
}

TEST_CASE("prepass: patterns RE2 cannot run are refused with their pointer", "[schema]") {
  CHECK(CompileError(json::parse(R"({"properties": {"p": {"pattern": "^(?=a)b"}}})")) ==
        "schema.json: pattern at /properties/p/pattern uses lookahead \"(?=\", which RE2 cannot run");
  CHECK(CompileError(json::parse(R"({"patternProperties": {"(a)\\1": {}}})")) ==
        "schema.json: pattern at /patternProperties/(a)\\1 uses backreference \"\\1\", which RE2 cannot run");
  CHECK(CompileError(json::parse(R"({"pattern": "a(b"})")) ==
        "schema.json: pattern at /pattern is not a valid regular expression: unbalanced parenthesis");
}

TEST_CASE("prepass: draft-4 boolean exclusiveMaximum", "[schema]") {
  json schema = json::parse(R"({"$schema": "http://json-schema.org/draft-04/schema#", "maximum": 3, "exclusiveMaximum": true})");
  CHECK(Valid(schema, 2));
  CHECK_FALSE(Valid(schema, 3));
}

}  // namespace
}  // namespace comply
