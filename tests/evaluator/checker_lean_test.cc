// SuiteChecker::CheckLean (comply check's path) against Check: the same record line for every
// kind of response, schema, rule set and gold, and the copied `parsed` span equal to its
// minified form.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "evaluator/checker.h"
#include "evaluator/record.h"

namespace comply {
namespace {

using json = nlohmann::json;

SuiteSpec Suite(const json& schema, bool field_rule) {
  SuiteSpec s;
  s.name = "lean";
  s.dir = ".";
  s.schema = schema;
  RuleSpec forbid;
  forbid.id = "no-sorry";
  forbid.kind = RuleSpec::Kind::kForbid;
  forbid.pattern = "(?i)sorry";
  s.rules.push_back(forbid);
  if (field_rule) {
    RuleSpec r;
    r.id = "id-shape";
    r.kind = RuleSpec::Kind::kPattern;
    r.path = "/id";
    r.pattern = "^T-[0-9]+$";
    s.rules.push_back(r);
  }
  return s;
}

TEST_CASE("checker: CheckLean writes the same record line as Check", "[checks]") {
  const json closed = json::parse(R"({"type": "object", "additionalProperties": false, "required": ["id"],
      "properties": {"id": {"type": "string"}, "n": {"type": "integer"},
                     "items": {"type": "array", "items": {"type": "object", "additionalProperties": false,
                                                           "properties": {"k": {"type": "string"}}}}}})");
  json open = closed;
  open.erase("additionalProperties");
  const std::vector<std::string> outputs = {
      R"({"id":"T-1","n":2,"items":[{"k":"a"}]})",
      R"({"id": "T-1", "n": 2, "items": [ {"k": "a"} ]})",
      "{\n  \"id\": \"T-2\",\n  \"extra\": true\n}",
      R"({"id":"x","items":[{"k":"a","z":1}],"n":"2"})",
      "```json\n{\"id\":\"T-3\"}\n```",
      "Sure! {\"id\":\"T-4\",\"n\":1} sorry",
      "{\"id\":\"T-5\",\"n\":",
      "not json at all",
      "",
      "\xEF\xBB\xBF{\"id\":\"T-6\"}",
      R"({"id":"T-7","id":"T-8"})",
      R"([1, 2, 3])",
  };
  Case with_gold;
  with_gold.id = "c";
  with_gold.expected = json{{"id", "T-1"}, {"n", 2}};
  int records = 0;
  for (const json& schema : {closed, open}) {
    for (bool field_rule : {false, true}) {
      auto checker = SuiteChecker::Compile(Suite(schema, field_rule));
      REQUIRE(checker.ok());
      for (const Case* c : {static_cast<const Case*>(nullptr), static_cast<const Case*>(&with_gold)}) {
        for (const std::string& out : outputs) {
          Record full, lean;
          full.status = lean.status = "ok";
          full.case_id = lean.case_id = "c";
          full.output = lean.output = out;
          (*checker)->Check(c, &full);
          (*checker)->CheckLean(c, &lean);
          INFO("output: " << out << " | field rule " << field_rule << " | gold " << (c != nullptr));
          CHECK(RecordLine(lean) == RecordLine(full));
          CHECK(lean.hallucinated_fields == full.hallucinated_fields);
          CHECK(lean.compliant == full.compliant);
          // The span copied as is equals its minified form.
          Record reminified = lean;
          reminified.parsed_minified = false;
          CHECK(RecordLine(reminified) == RecordLine(lean));
          ++records;
        }
      }
    }
  }
  CHECK(records == 2 * 2 * 2 * static_cast<int>(outputs.size()));
}

}  // namespace
}  // namespace comply
