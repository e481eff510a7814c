// FindHallucinatedFields (DESIGN.md "Checks" 3), unevaluatedProperties and WildcardPointer.
#include <catch2/catch.hpp>

#include <pthread.h>

#include <functional>
#include <thread>

#include "evaluator/schema.h"

namespace comply {
namespace {

using nlohmann::json;

std::vector<std::string> Extra(const json& schema, const json& instance) {
  auto s = CompiledSchema::Compile(schema, ".", "schema.json");
  INFO((s.ok() ? std::string() : s.error().message));
  REQUIRE(s.ok());
  std::vector<std::string> out;
  (*s)->FindHallucinatedFields(instance, &out);
  return out;
}

using V = std::vector<std::string>;

// Runs fn on a thread with a 4 MiB stack (oneTBB's default worker stack size).
void RunOnSmallStack(const std::function<void()>& fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 4u << 20);
  pthread_t thread;
  auto body = [](void* arg) -> void* {
    (*static_cast<const std::function<void()>*>(arg))();
    return nullptr;
  };
  REQUIRE(pthread_create(&thread, &attr, body, const_cast<std::function<void()>*>(&fn)) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

bool ClosedSchema(const json& schema) {
  auto s = CompiledSchema::Compile(schema, ".", "schema.json");
  REQUIRE(s.ok());
  return (*s)->ValidMeansNoHallucinatedFields();
}

TEST_CASE("walker: schemas that close every object let valid instances skip the walk", "[schema]") {
  const json closed = {{"type", "object"},
                       {"additionalProperties", false},
                       {"properties",
                        {{"a", {{"type", "array"}, {"items", {{"$ref", "#/$defs/item"}}}}},
                         {"m", {{"type", "object"}, {"additionalProperties", {{"type", "integer"}}}}},
                         {"f", {{"type", "object"}}}}},
                       {"$defs", {{"item", {{"properties", {{"x", true}}}, {"additionalProperties", false}}}}}};
  CHECK(ClosedSchema(closed));
  // Open somewhere below, or applicability depending on the instance: the walk is needed.
  json open = closed;
  open["$defs"]["item"].erase("additionalProperties");
  CHECK_FALSE(ClosedSchema(open));
  CHECK_FALSE(ClosedSchema({{"properties", {{"a", true}}}, {"additionalProperties", true}}));
  CHECK_FALSE(ClosedSchema(json::parse(R"({"anyOf": [{"properties": {"a": true}, "additionalProperties": false}]})")));
  CHECK_FALSE(ClosedSchema({{"properties", {{"a", true}}}, {"unevaluatedProperties", false}}));
  // The claim itself, on instances the closed schema accepts and rejects.
  auto s = CompiledSchema::Compile(closed, ".", "schema.json");
  REQUIRE(s.ok());
  for (const json& inst : {json{{"a", {{{"x", 1}}, json::object()}}, {"m", {{"k", 1}}}, {"f", {{"z", {{"y", 1}}}}}},
                           json{{"a", {{{"x", 1}, {"y", 2}}}}}, json{{"b", 1}}}) {
    std::vector<SchemaError> errors;
    std::vector<std::string> extra;
    const bool valid = (*s)->Validate(inst, &errors);
    (*s)->FindHallucinatedFields(inst, &extra);
    INFO(inst.dump());
    if (valid) CHECK(extra.empty());
    if (!extra.empty()) CHECK_FALSE(valid);
  }
}

TEST_CASE("walker: undeclared members are hallucinated, in document order", "[schema]") {
  json schema = {{"properties", {{"a", json::object()}, {"b", json::object()}}}};
  CHECK(Extra(schema, {{"a", 1}, {"b", 2}}) == V{});
  CHECK(Extra(schema, {{"z", 1}, {"a", 1}, {"c", 2}, {"x/y", 3}}) == V{"/c", "/x~1y", "/z"});
}

TEST_CASE("walker: allowed by additionalProperties true is still hallucinated", "[schema]") {
  json schema = {{"properties", {{"a", json::object()}}}, {"additionalProperties", true}};
  CHECK(Extra(schema, {{"a", 1}, {"b", 2}}) == V{"/b"});
  json described = {{"properties", {{"a", json::object()}}}, {"additionalProperties", {{"description", "x"}}}};
  CHECK(Extra(described, {{"a", 1}, {"b", 2}}) == V{"/b"});
}

TEST_CASE("walker: typed maps and free-form objects declare every key", "[schema]") {
  json schema = json::parse(R"({"properties": {
      "meta": {"type": "object", "additionalProperties": {"type": "string"}},
      "free": {"type": "object"},
      "n": {"properties": {"k": {}}, "unevaluatedProperties": {"type": "integer"}}}})");
  CHECK(Extra(schema, json::parse(R"({"meta": {"x": "1"}, "free": {"y": {"z": 1}}, "n": {"k": 1, "j": 2}})")) == V{});
}

TEST_CASE("walker: through $ref and array items", "[schema]") {
  json schema = json::parse(R"({
    "$defs": {"line": {"type": "object", "properties": {"sku": {}, "qty": {}}}},
    "properties": {"line_items": {"type": "array", "items": {"$ref": "#/$defs/line"}}}})");
  json inst = json::parse(R"({"line_items": [{"sku": 1}, {"sku": 2}, {"sku": 3, "discount": 5}]})");
  CHECK(Extra(schema, inst) == V{"/line_items/2/discount"});
}

TEST_CASE("walker: allOf declares the union", "[schema]") {
  json schema = json::parse(R"({"allOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]})");
  CHECK(Extra(schema, {{"a", 1}, {"b", 2}, {"c", 3}}) == V{"/c"});
}

TEST_CASE("walker: oneOf and anyOf follow only the matching branches", "[schema]") {
  json schema = json::parse(R"({"oneOf": [
      {"properties": {"kind": {"const": "card"}, "number": {}}, "required": ["kind"]},
      {"properties": {"kind": {"const": "bank"}, "iban": {}}, "required": ["kind"]}]})");
  CHECK(Extra(schema, {{"kind", "card"}, {"number", 1}, {"iban", 2}}) == V{"/iban"});
  json any = schema;
  any["anyOf"] = any["oneOf"];
  any.erase("oneOf");
  CHECK(Extra(any, {{"kind", "bank"}, {"number", 1}, {"iban", 2}}) == V{"/number"});
  // No branch matches: every branch declares.
  CHECK(Extra(any, {{"kind", "cash"}, {"number", 1}, {"iban", 2}, {"x", 0}}) == V{"/x"});
}

TEST_CASE("walker: if/then/else", "[schema]") {
  json schema = json::parse(R"({"properties": {"type": {}},
      "if": {"properties": {"type": {"const": "a"}}},
      "then": {"properties": {"alpha": {}}},
      "else": {"properties": {"beta": {}}}})");
  CHECK(Extra(schema, {{"type", "a"}, {"alpha", 1}, {"beta", 2}}) == V{"/beta"});
  CHECK(Extra(schema, {{"type", "b"}, {"alpha", 1}, {"beta", 2}}) == V{"/alpha"});
}

TEST_CASE("walker: prefixItems and items after them", "[schema]") {
  json schema = json::parse(R"({"prefixItems": [{"properties": {"a": {}}}, {"properties": {"b": {}}}],
                                "items": {"properties": {"c": {}}}})");
  json inst = json::parse(R"([{"a": 1, "z": 1}, {"b": 1}, {"c": 1, "q": 1}, {"c": 2}])");
  CHECK(Extra(schema, inst) == V{"/0/z", "/2/q"});
}

TEST_CASE("walker: recursive schema on a deep instance", "[schema]") {
  json schema = json::parse(R"({"properties": {"name": {}, "child": {"$ref": "#"}}})");
  json inst = json::object();
  json* at = &inst;
  for (int i = 0; i < 500; ++i) {
    (*at)["name"] = i;
    (*at)["child"] = json::object();
    at = &(*at)["child"];
  }
  (*at)["oops"] = 1;
  auto s = CompiledSchema::Compile(schema, ".", "schema.json");
  REQUIRE(s.ok());
  std::vector<std::string> out;
  std::vector<SchemaError> errors;
  bool valid = false;
  // A worker-sized stack (oneTBB's default is 4 MiB) must be enough for validation and walk.
  RunOnSmallStack([&] {
    valid = (*s)->Validate(inst, &errors);
    (*s)->FindHallucinatedFields(inst, &out);
  });
  CHECK(valid);
  REQUIRE(out.size() == 1);
  CHECK(out[0].size() == 500 * 6 + 5);
  CHECK(out[0].substr(out[0].size() - 11) == "/child/oops");
  // Destroying the deep value recurses inside nlohmann; keep it off the test's own stack.
  RunOnSmallStack([&] { inst = json(); });
}

TEST_CASE("unevaluatedProperties false and as a schema", "[schema]") {
  json schema = json::parse(R"({"allOf": [{"properties": {"a": {}}}], "properties": {"b": {}},
                                "unevaluatedProperties": false})");
  auto s = CompiledSchema::Compile(schema, ".", "schema.json");
  REQUIRE(s.ok());
  std::vector<SchemaError> errors;
  CHECK((*s)->Validate({{"a", 1}, {"b", 2}}, &errors));
  CHECK_FALSE((*s)->Validate({{"a", 1}, {"c", 2}}, &errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"/c", "unevaluatedProperties", "property \"c\" is not allowed (unevaluatedProperties is false)"});
  json typed = json::parse(R"({"properties": {"a": {}}, "unevaluatedProperties": {"type": "integer"}})");
  auto t = CompiledSchema::Compile(typed, ".", "schema.json");
  REQUIRE(t.ok());
  errors.clear();
  CHECK((*t)->Validate({{"a", "x"}, {"n", 2}}, &errors));
  CHECK_FALSE((*t)->Validate({{"a", "x"}, {"n", "2"}}, &errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"/n", "type", "must be of type integer"});
}

TEST_CASE("WildcardPointer replaces array indices only", "[schema]") {
  json inst = json::parse(R"({"line_items": [{"x": 1}, {"x": 2}, {"discount": 1}], "by_id": {"12": {"a": [0]}}})");
  CHECK(WildcardPointer("/line_items/2/discount", inst) == "/line_items/*/discount");
  CHECK(WildcardPointer("/by_id/12/a/0", inst) == "/by_id/12/a/*");
  CHECK(WildcardPointer("", inst) == "");
  CHECK(WildcardPointer("/missing/3", inst) == "/missing/3");
}

}  // namespace
}  // namespace comply
