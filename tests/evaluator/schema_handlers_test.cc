// comply's specialised valijson handlers and their helpers: RE2 patterns (ECMA-262 translated),
// formats, exact multipleOf, maximum/minimum above INT64_MAX, integer 1.0, propertyNames.
#include <catch2/catch.hpp>

#include "evaluator/schema.h"
#include "evaluator/schema_decimal.h"
#include "evaluator/schema_formats.h"
#include "evaluator/schema_regex.h"

namespace comply {
namespace {

using nlohmann::json;
using namespace schema_internal;

std::vector<SchemaError> Errors(const json& schema, const json& instance) {
  auto s = CompiledSchema::Compile(schema, ".", "schema.json");
  INFO((s.ok() ? std::string() : s.error().message));
  REQUIRE(s.ok());
  std::vector<SchemaError> errors;
  bool valid = (*s)->Validate(instance, &errors);
  CHECK(valid == errors.empty());
  return errors;
}

std::string Translate(const std::string& ecma) {
  std::string out, problem;
  INFO(ecma);
  REQUIRE(TranslateEcmaPattern(ecma, &out, &problem) == PatternStatus::kOk);
  return out;
}

TEST_CASE("ECMA-262 patterns are translated to RE2 syntax", "[schema]") {
  CHECK(Translate("^(?<year>\\d{4})$") == "^(?P<year>\\d{4})$");
  CHECK(Translate("\\u00e9") == "\\x{E9}");
  CHECK(Translate("\\uD83D\\uDE00") == "\\x{1F600}");
  CHECK(Translate("\\cJ") == "\\x{A}");
  CHECK(Translate("[^]") == "[\\s\\S]");
  CHECK(Translate("a{") == "a\\{");
  CHECK(Translate("\\/") == "\\x{2F}");
  std::string out, problem;
  CHECK(TranslateEcmaPattern("(?<!x)y", &out, &problem) == PatternStatus::kUnsupported);
  CHECK(problem == "lookbehind \"(?<!\"");
  CHECK(TranslateEcmaPattern("*a", &out, &problem) == PatternStatus::kSyntaxError);
  CHECK(problem == "nothing to repeat");
}

TEST_CASE("pattern runs on RE2: unanchored search, ECMA syntax, linear time", "[schema]") {
  json schema = {{"pattern", "^INV-[0-9]{6}$"}};
  CHECK(Errors(schema, "INV-000001").empty());
  auto errors = Errors(schema, "INV-1");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"", "pattern", "does not match the pattern \"^INV-[0-9]{6}$\""});
  CHECK(Errors({{"pattern", "b"}}, "abc").empty());
  CHECK(Errors({{"pattern", "^(?<a>x)\\u0079$"}}, "xy").empty());
  CHECK(Errors({{"pattern", "a"}}, 12).empty());  // not a string: ignored
  // A backtracking engine takes exponential time on this; RE2 does not.
  CHECK(Errors({{"pattern", "^(a+)+$"}}, std::string(5000, 'a') + "!").size() == 1);
  // Long strings do not overflow the stack (std::regex did at ~32 KB).
  CHECK(Errors({{"pattern", "^(a|b)*$"}}, std::string(200000, 'a')).empty());
}

TEST_CASE("patternProperties use RE2", "[schema]") {
  json schema = {{"patternProperties", {{"^x-", {{"type", "string"}}}}}, {"additionalProperties", false}};
  CHECK(Errors(schema, {{"x-a", "1"}}).empty());
  auto errors = Errors(schema, {{"x-a", 1}, {"y", "1"}});
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == SchemaError{"/x-a", "type", "must be of type string"});
  CHECK(errors[1] == SchemaError{"/y", "additionalProperties", "property \"y\" is not allowed"});
}

TEST_CASE("multipleOf is decimal-exact", "[schema]") {
  CHECK(IsMultipleOf(Decimal::FromDouble(19.99), Decimal::FromDouble(0.01)));
  CHECK(IsMultipleOf(Decimal::FromDouble(0.3), Decimal::FromDouble(0.1)));
  CHECK_FALSE(IsMultipleOf(Decimal::FromDouble(0.305), Decimal::FromDouble(0.01)));
  CHECK(IsMultipleOf(Decimal::FromInt(-42), Decimal::FromInt(7)));
  CHECK(IsMultipleOf(Decimal::FromDouble(1e300), Decimal::FromDouble(0.5)));
  int fails = 0;
  for (int cents = 0; cents < 100000; cents += 7) {
    if (!Errors({{"multipleOf", 0.01}}, cents / 100.0).empty()) ++fails;
  }
  CHECK(fails == 0);
  auto errors = Errors({{"multipleOf", 0.01}}, 1.005);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"", "multipleOf", "is not a multiple of 0.01"});
  CHECK(Errors({{"multipleOf", 3}}, 9.0).empty());
  CHECK(Errors({{"multipleOf", 3}}, 10).size() == 1);
}

TEST_CASE("maximum and minimum above INT64_MAX compare exactly", "[schema]") {
  json schema = json::parse(R"({"maximum": 18446744073709551615, "minimum": -9223372036854775808})");
  CHECK(Errors(schema, 5).empty());
  CHECK(Errors(schema, 1e19).empty());
  auto errors = Errors(schema, 1e20);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"", "maximum", "must be <= 18446744073709551616"});
  errors = Errors({{"exclusiveMinimum", 0}}, 0);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"", "exclusiveMinimum", "must be > 0"});
}

TEST_CASE("type integer accepts 1.0", "[schema]") {
  CHECK(Errors({{"type", "integer"}}, 1.0).empty());
  auto errors = Errors({{"type", {"integer", "null"}}}, 1.5);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"", "type", "must be of type integer, null"});
}

TEST_CASE("propertyNames reports the offending name", "[schema]") {
  auto errors = Errors({{"propertyNames", {{"pattern", "^[a-z]+$"}}}}, {{"ok", 1}, {"Bad", 2}});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"/Bad", "propertyNames", "property name \"Bad\" is not allowed by propertyNames"});
}

TEST_CASE("formats", "[schema]") {
  struct Case {
    const char* format;
    const char* value;
    bool valid;
  };
  const Case cases[] = {
      {"date-time", "2026-11-27T21:57:15Z", true},   {"date-time", "2026-11-27t21:57:15.5+01:00", true},
      {"date-time", "2026-02-30T00:00:00Z", false},  {"date-time", "2026-11-27 21:57:15Z", false},
      {"date", "2024-02-29", true},                  {"date", "2023-02-29", false},
      {"time", "23:59:60Z", true},                   {"time", "12:00:60Z", false},
      {"time", "12:00:00", false},                   {"email", "a.b+c@example.com", true},
      {"email", "a..b@example.com", false},          {"email", "no-at.example.com", false},
      {"idn-email", "実例@例え.テスト", true},         {"uri", "https://example.com/a?b#c", true},
      {"uri", "//example.com", false},               {"uri", "http://exa mple.com", false},
      {"uri-reference", "../a/b#c", true},           {"uri-reference", "#a#b", false},
      {"uuid", "2eb8aa08-aa98-11ea-b4aa-73b441d16380", true}, {"uuid", "2eb8aa08-aa98-11ea-b4aa-73b441d1638", false},
      {"ipv4", "192.168.0.1", true},                 {"ipv4", "256.0.0.1", false},
      {"ipv4", "01.2.3.4", false},                   {"ipv6", "::1", true},
      {"ipv6", "2001:db8::8a2e:370:7334", true},     {"ipv6", "1::2::3", false},
      {"ipv6", "::ffff:192.168.0.1", true},          {"hostname", "www.example.com", true},
      {"hostname", "-bad.example.com", false},       {"hostname", "under_score.com", false},
      {"regex", "^[a-z]+(?<n>x)$", true},            {"regex", "^(abc]", false},
  };
  for (const Case& c : cases) {
    INFO(c.format << " " << c.value);
    CHECK(CheckFormat(FormatFromName(c.format), c.value) == c.valid);
    CHECK(Errors({{"format", c.format}}, c.value).empty() == c.valid);
  }
  auto errors = Errors({{"format", "date"}}, "2023-02-29");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == SchemaError{"", "format", "is not a valid \"date\""});
  // Not a string: ignored (valijson threw here). Unknown formats: ignored.
  CHECK(Errors({{"format", "date"}}, json::array({1})).empty());
  CHECK(Errors({{"format", "date"}}, json::object()).empty());
  CHECK(Errors({{"format", "color-name"}}, "blurple").empty());
}

}  // namespace
}  // namespace comply
