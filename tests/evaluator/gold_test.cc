#include "evaluator/gold.h"

#include <map>
#include <string>

#include <catch2/catch.hpp>

namespace comply {
namespace {

using nlohmann::json;

MatchSpec Spec(MatchSpec::Kind kind, double tolerance = 0) {
  MatchSpec m;
  m.kind = kind;
  m.tolerance = tolerance;
  return m;
}

std::vector<FieldMatch> Compare(const char* expected, const char* actual,
                                const std::map<std::string, MatchSpec>& match = {}) {
  const json e = json::parse(expected);
  const json a = json::parse(actual);
  return CompareGold(e, &a, match);
}

TEST_CASE("gold: exact is JSON equality, only the expected fields count", "[checks]") {
  auto m = Compare(R"({"total": 1, "currency": "EUR", "paid": true})",
                   R"({"total": 1.0, "currency": "eur", "paid": true, "extra": 5})");
  REQUIRE(m.size() == 3);
  // Members are walked in key order.
  CHECK(m[0].path == "/currency");
  CHECK(m[0].kind == "exact");
  CHECK_FALSE(m[0].match);
  CHECK(m[0].expected == "EUR");
  CHECK(m[0].actual == "eur");
  CHECK(m[1].path == "/paid");
  CHECK(m[1].match);
  CHECK(m[2].path == "/total");
  CHECK(m[2].match);  // 1 == 1.0
}

TEST_CASE("gold: nested objects are walked to leaves; missing fields miss", "[checks]") {
  auto m = Compare(R"({"customer": {"name": "ACME", "vat": null}, "lines": [1, 2]})",
                   R"({"customer": {"name": "ACME"}, "lines": [1, 2]})");
  REQUIRE(m.size() == 3);
  CHECK(m[0].path == "/customer/name");
  CHECK(m[0].match);
  CHECK(m[1].path == "/customer/vat");
  CHECK_FALSE(m[1].match);  // missing, even though null is expected
  CHECK(m[1].actual.is_null());
  CHECK(m[2].path == "/lines");  // an array is a leaf
  CHECK(m[2].match);

  m = Compare(R"({"customer": {"name": "ACME"}})", R"({"customer": "ACME"})");
  REQUIRE(m.size() == 1);
  CHECK(m[0].path == "/customer/name");
  CHECK_FALSE(m[0].match);
}

TEST_CASE("gold: nothing extracted means every field misses", "[checks]") {
  const json e = json::parse(R"({"a": 1, "b": {"c": "x"}})");
  auto m = CompareGold(e, nullptr, {});
  REQUIRE(m.size() == 2);
  CHECK(m[0].path == "/a");
  CHECK(m[1].path == "/b/c");
  CHECK_FALSE(m[0].match);
  CHECK_FALSE(m[1].match);
  CHECK(m[1].actual.is_null());
  CHECK(m[1].expected == "x");
}

TEST_CASE("gold: leaf pointers are RFC 6901-escaped", "[checks]") {
  auto m = Compare(R"({"a/b": 1, "m~n": 2})", R"({"a/b": 1, "m~n": 3})",
                   {{"/m~0n", Spec(MatchSpec::Kind::kNumeric, 1.0)}});
  REQUIRE(m.size() == 2);
  CHECK(m[0].path == "/a~1b");
  CHECK(m[0].match);
  CHECK(m[1].path == "/m~0n");
  CHECK(m[1].kind == "numeric");
  CHECK(m[1].match);
}

TEST_CASE("gold: normalized trims, collapses whitespace and folds ASCII case", "[checks]") {
  std::map<std::string, MatchSpec> spec = {{"/name", Spec(MatchSpec::Kind::kNormalized)},
                                           {"/n", Spec(MatchSpec::Kind::kNormalized)}};
  auto m = Compare(R"({"name": "ACME  Corp\n"})", R"({"name": "  acme corp"})", spec);
  REQUIRE(m.size() == 1);
  CHECK(m[0].kind == "normalized");
  CHECK(m[0].match);
  CHECK_FALSE(Compare(R"({"name": "ACME Corp"})", R"({"name": "ACMECorp"})", spec)[0].match);
  CHECK_FALSE(Compare(R"({"name": "ACME"})", R"({"name": "ACME Ltd"})", spec)[0].match);
  CHECK(Compare(R"({"name": ""})", R"({"name": " \t "})", spec)[0].match);
  // Non-strings compare exactly.
  CHECK(Compare(R"({"n": 5})", R"({"n": 5.0})", spec)[0].match);
  CHECK_FALSE(Compare(R"({"n": 5})", R"({"n": "5"})", spec)[0].match);
}

TEST_CASE("gold: numeric uses an absolute tolerance; strings are not numbers", "[checks]") {
  std::map<std::string, MatchSpec> spec = {{"/total", Spec(MatchSpec::Kind::kNumeric, 0.01)}};
  CHECK(Compare(R"({"total": 10.0})", R"({"total": 10.004})", spec)[0].match);
  CHECK(Compare(R"({"total": 10})", R"({"total": 9.99})", spec)[0].match);
  CHECK_FALSE(Compare(R"({"total": 10.0})", R"({"total": 10.02})", spec)[0].match);
  CHECK_FALSE(Compare(R"({"total": 10.0})", R"({"total": "10.0"})", spec)[0].match);
  std::map<std::string, MatchSpec> zero = {{"/total", Spec(MatchSpec::Kind::kNumeric, 0)}};
  CHECK(Compare(R"({"total": 3})", R"({"total": 3.0})", zero)[0].match);
  CHECK_FALSE(Compare(R"({"total": 3})", R"({"total": 3.001})", zero)[0].match);
}

TEST_CASE("gold: set compares arrays as multisets", "[checks]") {
  std::map<std::string, MatchSpec> spec = {{"/codes", Spec(MatchSpec::Kind::kSet)}};
  CHECK(Compare(R"({"codes": [1, 2, 2, "a"]})", R"({"codes": ["a", 2, 1, 2.0]})", spec)[0].match);
  CHECK_FALSE(Compare(R"({"codes": [1, 2]})", R"({"codes": [1, 2, 2]})", spec)[0].match);
  CHECK_FALSE(Compare(R"({"codes": [1, 2, 2]})", R"({"codes": [1, 1, 2]})", spec)[0].match);
  CHECK_FALSE(Compare(R"({"codes": [1]})", R"({"codes": 1})", spec)[0].match);
  CHECK(Compare(R"({"codes": [{"a": 1}, [2]]})", R"({"codes": [[2], {"a": 1}]})", spec)[0].match);
  CHECK(Compare(R"({"codes": [1, 2]})", R"({"codes": [2, 1]})", spec)[0].kind == "set");
  // Without a set spec, order matters.
  CHECK_FALSE(Compare(R"({"codes": [1, 2]})", R"({"codes": [2, 1]})")[0].match);
}

TEST_CASE("gold: match specs are looked up by exact pointer, then with indices as *",
          "[checks]") {
  std::map<std::string, MatchSpec> spec = {
      {"/items/*/amount", Spec(MatchSpec::Kind::kNumeric, 0.1)},
      {"/items/1/amount", Spec(MatchSpec::Kind::kExact)}};
  auto m = Compare(R"({"items": [{"amount": 10.0}, {"amount": 5.0}, {"amount": 1}]})",
                   R"({"items": [{"amount": 10.05}, {"amount": 5.05}]})", spec);
  REQUIRE(m.size() == 3);
  CHECK(m[0].path == "/items/0/amount");
  CHECK(m[0].kind == "numeric");
  CHECK(m[0].match);
  CHECK(m[1].path == "/items/1/amount");
  CHECK(m[1].kind == "exact");
  CHECK_FALSE(m[1].match);
  CHECK(m[2].path == "/items/2/amount");
  CHECK_FALSE(m[2].match);  // no third item in the answer
  CHECK(m[2].actual.is_null());

  // A member whose name is all digits is not an array index.
  m = Compare(R"({"by_year": {"2024": 1}})", R"({"by_year": {"2024": 1.04}})",
              {{"/by_year/*", Spec(MatchSpec::Kind::kNumeric, 0.1)}});
  REQUIRE(m.size() == 1);
  CHECK(m[0].kind == "exact");
  CHECK_FALSE(m[0].match);
}

TEST_CASE("gold: a non-object expected value is one leaf at the root", "[checks]") {
  auto m = Compare(R"("yes")", R"("YES")", {{"", Spec(MatchSpec::Kind::kNormalized)}});
  REQUIRE(m.size() == 1);
  CHECK(m[0].path == "");
  CHECK(m[0].match);
  CHECK(Compare("{}", R"({"a": 1})").empty());
  m = Compare(R"({"meta": {}})", R"({"meta": {"x": 1}})");
  REQUIRE(m.size() == 1);  // an empty nested object is compared as a whole
  CHECK(m[0].path == "/meta");
  CHECK_FALSE(m[0].match);
}

}  // namespace
}  // namespace comply
