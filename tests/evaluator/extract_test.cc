#include "evaluator/extract.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace comply {
namespace {

using nlohmann::json;

std::vector<std::string> Names(const Extraction& e) {
  std::vector<std::string> out;
  for (Drift d : e.drift) out.emplace_back(DriftName(d));
  return out;
}

using V = std::vector<std::string>;

Extraction Lenient(const std::string& text, bool finish_length = false) {
  return Extract(text, ExtractionMode::kLenient, finish_length);
}

TEST_CASE("extract: a bare object or array is strict with no drift", "[checks]") {
  Extraction e = Lenient(R"({"a": 1, "b": [true, null]})");
  CHECK(e.found);
  CHECK_FALSE(e.too_deep);
  CHECK(e.method == "strict");
  CHECK(e.drift.empty());
  CHECK(e.value == json::parse(R"({"a": 1, "b": [true, null]})"));

  e = Extract("[1, 2, 3]", ExtractionMode::kStrict, false);
  CHECK(e.method == "strict");
  CHECK(e.value == json::array({1, 2, 3}));
  CHECK(e.drift.empty());

  e = Lenient(" \n\t{\"a\": 1}\r\n  ");
  CHECK(e.method == "strict");
  CHECK(e.drift.empty());
  CHECK(e.value == json{{"a", 1}});
}

TEST_CASE("extract: a bare scalar is strict; the search only finds { and [", "[checks]") {
  Extraction e = Lenient("42");
  CHECK(e.found);
  CHECK(e.method == "strict");
  CHECK(e.value == 42);
  e = Lenient("\"x\"");
  CHECK(e.value == "x");
  CHECK(e.drift.empty());
  e = Lenient("true");
  CHECK(e.value == true);

  e = Lenient("The answer is 42");
  CHECK_FALSE(e.found);
  CHECK(e.method == "none");
  CHECK(e.value.is_null());
  CHECK(Names(e) == V{"not_json"});
  e = Lenient("42 \"x\"");
  CHECK(Names(e) == V{"not_json"});
}

TEST_CASE("extract: code fences with and without a language tag", "[checks]") {
  Extraction e = Lenient("```json\n{\"a\": 1}\n```");
  CHECK(e.found);
  CHECK(e.method == "lenient");
  CHECK(e.value == json{{"a", 1}});
  CHECK(Names(e) == V{"code_fence"});

  e = Lenient("```\n[1, 2]\n```\n");
  CHECK(e.value == json::array({1, 2}));
  CHECK(Names(e) == V{"code_fence"});

  e = Lenient("```JSON {\"a\": 1}```");
  CHECK(e.value == json{{"a", 1}});
  CHECK(Names(e) == V{"code_fence"});

  e = Lenient("Here is the invoice:\n```json\n{\"a\": 1}\n```\nLet me know if you need more.");
  CHECK(e.value == json{{"a", 1}});
  CHECK(Names(e) == V{"code_fence", "leading_text", "trailing_text"});
}

TEST_CASE("extract: prose before and after the value", "[checks]") {
  Extraction e = Lenient("Sure! Here it is: {\"a\": 1}");
  CHECK(e.method == "lenient");
  CHECK(e.value == json{{"a", 1}});
  CHECK(Names(e) == V{"leading_text"});

  e = Lenient("{\"a\": 1}\nHope this helps.");
  CHECK(Names(e) == V{"trailing_text"});

  e = Lenient("Result: [1, 2] (two items)");
  CHECK(e.value == json::array({1, 2}));
  CHECK(Names(e) == V{"leading_text", "trailing_text"});

  // Braces, brackets and quotes inside strings do not end the value.
  e = Lenient(R"(Note {"a": "}{][", "b": "say \"hi\" }"} end)");
  CHECK(e.value == json({{"a", "}{]["}, {"b", "say \"hi\" }"}}));
  CHECK(Names(e) == V{"leading_text", "trailing_text"});

  // Prose brackets that do not look like JSON are text, not candidates.
  e = Lenient("See [the docs] and {braces}: {\"a\": 1}");
  CHECK(e.value == json{{"a", 1}});
  CHECK(Names(e) == V{"leading_text"});
}

TEST_CASE("extract: several values use the first and record multiple_json", "[checks]") {
  Extraction e = Lenient("{\"a\": 1}\n{\"b\": 2}");
  CHECK(e.value == json{{"a", 1}});
  CHECK(Names(e) == V{"multiple_json"});

  e = Lenient("{\"a\": 1}\n```json\n{\"b\": 2}\n```");
  CHECK(e.value == json{{"a", 1}});
  CHECK(Names(e) == V{"code_fence", "multiple_json"});

  e = Lenient("First: {\"a\": 1} and second: [2]");
  CHECK(e.value == json{{"a", 1}});
  CHECK(Names(e) == V{"leading_text", "trailing_text", "multiple_json"});
}

TEST_CASE("extract: a text ending inside a value is truncated", "[checks]") {
  Extraction e = Lenient("{\"a\": \"hel");
  CHECK_FALSE(e.found);
  CHECK(e.method == "none");
  CHECK(Names(e) == V{"truncated"});

  e = Lenient("[1, 2, ");
  CHECK(Names(e) == V{"truncated"});

  e = Lenient("```json\n{\"a\": [1,");
  CHECK(Names(e) == V{"code_fence", "truncated"});

  e = Lenient("Here you go: {\"items\": [{\"x\": 1}, {\"y\": ");
  CHECK_FALSE(e.found);  // the complete inner object is not extracted: nothing is repaired
  CHECK(Names(e) == V{"leading_text", "truncated"});

  e = Lenient("{");
  CHECK(Names(e) == V{"truncated"});
  e = Lenient("[tr");
  CHECK(Names(e) == V{"truncated"});
}

TEST_CASE("extract: JSON-like text that does not parse is malformed", "[checks]") {
  const std::vector<std::string> inputs = {
      "{\"a\": 1,}",                    // trailing comma
      "[1, 2,]",                        // trailing comma in an array
      "{'a': 1}",                       // single quotes
      "{\"a\": NaN}",                   // NaN
      "[NaN, 1]",                       // NaN in an array
      "[Infinity]",                     // Infinity
      "{\"a\": 1 // one\n}",            // line comment
      "{ /* c */ \"a\": 1}",            // block comment
      "{a: 1}",                         // unquoted key
      "{\"a\": [1, 2}",                 // mismatched bracket
      "{\"a\": \"\xff\xfe\"}",          // invalid UTF-8 inside a string
  };
  for (const std::string& in : inputs) {
    DYNAMIC_SECTION(in) {
      Extraction e = Lenient(in);
      CHECK_FALSE(e.found);
      CHECK(e.method == "none");
      CHECK(e.value.is_null());
      CHECK(Names(e) == V{"malformed"});
    }
  }
}

TEST_CASE("extract: malformed and truncated combine with prose and fences", "[checks]") {
  Extraction e = Lenient("Result: {'a': 1} done");
  CHECK(Names(e) == V{"leading_text", "trailing_text", "malformed"});

  // The fence closes before the value does.
  e = Lenient("```json\n{\"a\": [1, 2\n```");
  CHECK(Names(e) == V{"code_fence", "malformed"});

  e = Lenient("{'a': 1} {\"b\": ");
  CHECK(Names(e) == V{"truncated", "malformed"});

  // A later valid value is used; the malformed one before it is leading text.
  e = Lenient("{'a': 1} then {\"a\": 1}");
  CHECK(e.found);
  CHECK(e.value == json{{"a", 1}});
  CHECK(Names(e) == V{"leading_text"});

  // A value then a cut-off second one: the first is used, the rest is trailing text.
  e = Lenient("{\"a\": 1} {\"b\": ");
  CHECK(e.value == json{{"a", 1}});
  CHECK(Names(e) == V{"trailing_text"});
}

TEST_CASE("extract: empty and whitespace-only texts", "[checks]") {
  Extraction e = Lenient("");
  CHECK_FALSE(e.found);
  CHECK(e.method == "none");
  CHECK(Names(e) == V{"empty"});
  e = Lenient(" \n\t \r\n");
  CHECK(Names(e) == V{"empty"});
  e = Lenient("I cannot help with that.");
  CHECK(Names(e) == V{"not_json"});
  e = Lenient("```\nhello\n```");
  CHECK(Names(e) == V{"code_fence", "not_json"});
}

TEST_CASE("extract: finish_reason length adds truncated only when nothing parses", "[checks]") {
  Extraction e = Lenient("{\"a\": 1}", true);
  CHECK(e.found);
  CHECK(e.drift.empty());
  e = Lenient("Sure: {\"a\": 1}", true);
  CHECK(Names(e) == V{"leading_text"});
  e = Lenient("{\"a\": 1", true);
  CHECK(Names(e) == V{"truncated"});
  e = Lenient("{\"a\": 1,}", true);
  CHECK(Names(e) == V{"truncated", "malformed"});
  e = Lenient("I was about to", true);
  CHECK(Names(e) == V{"truncated", "not_json"});
  e = Lenient("", true);
  CHECK(Names(e) == V{"truncated", "empty"});
}

TEST_CASE("extract: the mode does not change what is extracted", "[checks]") {
  const std::string text = "```json\n{\"a\": 1}\n```";
  Extraction s = Extract(text, ExtractionMode::kStrict, false);
  Extraction l = Extract(text, ExtractionMode::kLenient, false);
  CHECK(s.found);
  CHECK(s.value == l.value);
  CHECK(s.method == "lenient");
  CHECK(Names(s) == Names(l));
}

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST_CASE("extract: depth 512 is built, 513 is too deep", "[checks]") {
  Extraction e = Lenient(Nested(512));
  CHECK(e.found);
  CHECK_FALSE(e.too_deep);
  CHECK(e.method == "strict");
  CHECK(e.value.is_array());

  e = Lenient(Nested(513));
  CHECK(e.found);
  CHECK(e.too_deep);
  CHECK(e.value.is_null());
  CHECK(e.method == "strict");
  CHECK(e.drift.empty());

  e = Lenient("deep: " + Nested(513));
  CHECK(e.found);
  CHECK(e.too_deep);
  CHECK(e.value.is_null());
  CHECK(e.method == "lenient");
  CHECK(Names(e) == V{"leading_text"});

  e = Lenient("ok: " + Nested(512));
  CHECK_FALSE(e.too_deep);
  CHECK(e.value.is_array());
}

TEST_CASE("extract: 100,000-deep nesting never recurses", "[checks]") {
  Extraction e = Lenient(Nested(100000));
  CHECK(e.found);
  CHECK(e.too_deep);
  CHECK(e.value.is_null());

  e = Lenient(std::string(100000, '['));
  CHECK_FALSE(e.found);
  CHECK(Names(e) == V{"truncated"});

  std::string deep_open = "x ";
  for (int i = 0; i < 100000; ++i) deep_open += "{\"a\":";
  e = Lenient(deep_open);
  CHECK_FALSE(e.found);
  CHECK(Names(e) == V{"leading_text", "truncated"});

  // Deep and invalid (an unquoted key at the bottom): malformed, nothing built.
  std::string deep_bad = std::string(100000, '[') + "{a: 1}" + std::string(100000, ']');
  e = Lenient(deep_bad);
  CHECK_FALSE(e.found);
  CHECK(Names(e) == V{"malformed"});
}

TEST_CASE("extract: large inputs are scanned once", "[checks]") {
  // Many prose braces that are not JSON-like, then one value: linear scan.
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "{x ";
  text += "{\"a\": 1}";
  Extraction e = Lenient(text);
  CHECK(e.value == json{{"a", 1}});
  CHECK(Names(e) == V{"leading_text"});

  // Many complete values: each is checked once.
  std::string many;
  for (int i = 0; i < 50000; ++i) many += "{\"i\": " + std::to_string(i) + "}\n";
  e = Lenient(many);
  CHECK(e.value == json{{"i", 0}});
  CHECK(Names(e) == V{"multiple_json"});

  // Many unclosed array openers: one candidate that runs to the end.
  std::string open;
  for (int i = 0; i < 200000; ++i) open += "[1";
  e = Lenient("text " + open);
  CHECK(Names(e) == V{"leading_text", "truncated"});
}

TEST_CASE("extract: invalid UTF-8 outside the value does not matter", "[checks]") {
  Extraction e = Lenient("\xff\xfe {\"a\": \"\xc3\xa9\"}");
  CHECK(e.found);
  CHECK(e.value == json{{"a", "\xc3\xa9"}});
  CHECK(Names(e) == V{"leading_text"});
}

TEST_CASE("extract: drift names and which drift fails per mode", "[checks]") {
  const std::vector<std::string> names = {"code_fence", "leading_text", "trailing_text",
                                          "multiple_json", "truncated", "malformed",
                                          "not_json", "empty"};
  for (int i = 0; i < kDriftCount; ++i) {
    CHECK(DriftName(static_cast<Drift>(i)) == names[i]);
    CHECK(DriftFails(static_cast<Drift>(i), ExtractionMode::kStrict));
  }
  CHECK_FALSE(DriftFails(Drift::kCodeFence, ExtractionMode::kLenient));
  CHECK_FALSE(DriftFails(Drift::kLeadingText, ExtractionMode::kLenient));
  CHECK_FALSE(DriftFails(Drift::kTrailingText, ExtractionMode::kLenient));
  CHECK_FALSE(DriftFails(Drift::kMultipleJson, ExtractionMode::kLenient));
  CHECK(DriftFails(Drift::kTruncated, ExtractionMode::kLenient));
  CHECK(DriftFails(Drift::kMalformed, ExtractionMode::kLenient));
  CHECK(DriftFails(Drift::kNotJson, ExtractionMode::kLenient));
  CHECK(DriftFails(Drift::kEmpty, ExtractionMode::kLenient));
}

}  // namespace
}  // namespace comply
