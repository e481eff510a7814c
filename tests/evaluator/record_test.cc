#include "evaluator/record.h"

#include <string>

#include <catch2/catch.hpp>

namespace comply {
namespace {

Record FullRecord() {
  Record r;
  r.case_id = "inv-001";
  r.suite = "invoice";
  r.endpoint = "small-finetuned";
  r.sample = 2;
  r.tags = {"core", "eu"};
  r.status = "ok";
  r.http_status = 200;
  r.attempts = 3;
  r.cached = true;
  r.model = "ft-invoice-v3";
  r.request_id = "req-1";
  r.system_fingerprint = "fp_1";
  r.finish_reason = "stop";
  r.latency_ms = 123.5;
  r.input_tokens = 1000;
  r.cached_input_tokens = 200;
  r.output_tokens = 50;
  r.cost_usd = 0.00125;
  r.output = "{\"invoice_number\": \"INV-1\"}";
  r.parsed = json{{"invoice_number", "INV-1"}};
  r.extraction = "strict";
  r.drift = {"code_fence"};
  r.schema_valid = false;
  r.schema_errors = {{"/invoice_number", "pattern", "does not match"}};
  r.hallucinated_fields = {"/discount"};
  r.rule_failures = {"invoice-number"};
  r.rule_details = {{"invoice-number", "/invoice_number", "value \"INV-1\" does not match"}};
  TemplateOutcome t;
  t.drift_score = 0.25;
  t.missing = {"Summary"};
  t.extra = {"## Notes"};
  t.out_of_order = {"Risks"};
  t.body_mismatch = {"Actions"};
  r.template_outcome = t;
  FieldMatch m;
  m.path = "/total";
  m.kind = "numeric";
  m.match = true;
  m.expected = 10.5;
  m.actual = 10.51;
  r.field_matches = {m};
  r.compliant = false;
  r.error = "";
  return r;
}

TEST_CASE("record: ToJson uses DESIGN.md's field names", "[checks]") {
  const json j = FullRecord().ToJson();
  for (const char* key :
       {"case_id", "suite", "endpoint", "sample", "tags", "status", "http_status", "attempts",
        "cached", "model", "request_id", "system_fingerprint", "finish_reason", "latency_ms",
        "input_tokens", "cached_input_tokens", "output_tokens", "cost_usd", "output", "parsed",
        "extraction", "drift", "schema_valid", "schema_errors", "hallucinated_fields",
        "rule_failures", "rule_details", "template", "field_matches", "compliant"}) {
    INFO(key);
    CHECK(j.contains(key));
  }
  CHECK(j.size() == 30);  // no "error" when it is empty
  CHECK(j["template"] == json::parse(R"({"drift_score": 0.25, "missing": ["Summary"],
      "extra": ["## Notes"], "out_of_order": ["Risks"], "body_mismatch": ["Actions"]})"));
  CHECK(j["field_matches"] == json::parse(R"([{"path": "/total", "kind": "numeric",
      "match": true, "expected": 10.5, "actual": 10.51}])"));
  CHECK(j["schema_errors"] == json::parse(
      R"([{"path": "/invoice_number", "keyword": "pattern", "message": "does not match"}])"));
  CHECK(j["rule_details"][0]["id"] == "invoice-number");
}

TEST_CASE("record: optional fields are left out when unset", "[checks]") {
  Record r;
  r.case_id = "c1";
  json j = r.ToJson();
  CHECK_FALSE(j.contains("template"));
  CHECK_FALSE(j.contains("field_matches"));
  CHECK_FALSE(j.contains("error"));
  CHECK(j["parsed"].is_null());
  CHECK(j["extraction"] == "none");
  r.status = "timeout";
  r.error = "no answer within 60 s";
  j = r.ToJson();
  CHECK(j["error"] == "no answer within 60 s");
}

TEST_CASE("record: round trip through JSON and a results.jsonl line", "[checks]") {
  const Record r = FullRecord();
  Result<Record> back = Record::FromJson(r.ToJson());
  REQUIRE(back.ok());
  CHECK(back->ToJson() == r.ToJson());
  CHECK(back->template_outcome->missing == std::vector<std::string>{"Summary"});
  CHECK(back->field_matches[0].expected == 10.5);
  CHECK(back->schema_errors == r.schema_errors);
  CHECK(back->rule_details == r.rule_details);

  const std::string line = RecordLine(r);
  CHECK(line.find('\n') == std::string::npos);
  Result<Record> from_line = Record::FromJson(json::parse(line));
  REQUIRE(from_line.ok());
  CHECK(from_line->ToJson() == r.ToJson());
}

TEST_CASE("record: FromJson keeps defaults for missing and null fields", "[checks]") {
  Result<Record> r = Record::FromJson(json::parse(R"({"case_id": "x", "model": null})"));
  REQUIRE(r.ok());
  CHECK(r->case_id == "x");
  CHECK(r->status == "ok");
  CHECK(r->extraction == "none");
  CHECK(r->attempts == 0);
  CHECK(r->model.empty());
  CHECK_FALSE(r->template_outcome.has_value());
  CHECK(r->field_matches.empty());
}

TEST_CASE("record: FromJson is strict on wrong types and names the field", "[checks]") {
  auto error_of = [](const char* text) {
    Result<Record> r = Record::FromJson(json::parse(text));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kInvalidInput);
    return r.error().message;
  };
  CHECK(error_of(R"({"attempts": "3"})") == "field \"attempts\": expected an integer");
  CHECK(error_of(R"({"attempts": 1.5})") == "field \"attempts\": expected an integer");
  CHECK(error_of(R"({"sample": 99999999999})") == "field \"sample\": expected an integer in range");
  CHECK(error_of(R"({"cached": 1})") == "field \"cached\": expected a boolean");
  CHECK(error_of(R"({"latency_ms": "fast"})") == "field \"latency_ms\": expected a number");
  CHECK(error_of(R"({"output": 5})") == "field \"output\": expected a string");
  CHECK(error_of(R"({"tags": ["a", 1]})") == "field \"tags\": expected an array of strings");
  CHECK(error_of(R"({"schema_errors": {}})") ==
        "field \"schema_errors\": expected an array of objects");
  CHECK(error_of(R"({"schema_errors": [{"path": 1}]})") ==
        "field \"schema_errors/0/path\": expected a string");
  CHECK(error_of(R"({"rule_details": [{}, 3]})") ==
        "field \"rule_details/1\": expected an object");
  CHECK(error_of(R"({"template": []})") == "field \"template\": expected an object");
  CHECK(error_of(R"({"template": {"missing": "x"}})") ==
        "field \"template/missing\": expected an array of strings");
  CHECK(error_of(R"({"field_matches": [{"match": "yes"}]})") ==
        "field \"field_matches/0/match\": expected a boolean");
  CHECK(error_of("[1]") == "a record must be a JSON object, got array");
}

TEST_CASE("record: RecordLine replaces invalid UTF-8 instead of throwing", "[checks]") {
  Record r;
  r.case_id = "bad";
  r.output = "ok \xff\xfe end";
  r.parsed = json{{"k\xc0", "v\xff"}};
  std::string line;
  REQUIRE_NOTHROW(line = RecordLine(r));
  const json back = json::parse(line);
  CHECK(back["output"] == "ok \xef\xbf\xbd\xef\xbf\xbd end");
  CHECK(back["parsed"].contains("k\xef\xbf\xbd"));
}

TEST_CASE("record: RecordLine writes what ToJson().dump() writes, without the DOM", "[checks]") {
  Record r = FullRecord();
  r.error = "detail \"quoted\"\n";
  r.output = "caf\xc3\xa9 \x01 \xff";
  CHECK(RecordLine(r) == r.ToJson().dump(-1, ' ', false, json::error_handler_t::replace));
  Record empty;
  CHECK(RecordLine(empty) == empty.ToJson().dump());
}

TEST_CASE("record: parsed is copied from its span of the output, minified", "[checks]") {
  Record r;
  r.output = "Here:\n```json\n{ \"b\": [1, 2],\n  \"a\": \"x  y\" }\n```";
  const std::size_t begin = r.output.find('{');
  const std::size_t end = r.output.rfind('}') + 1;
  r.parsed = json::parse(r.output.substr(begin, end - begin));
  r.parsed_begin = begin;
  r.parsed_end = end;
  const json line = json::parse(RecordLine(r));
  CHECK(line["parsed"] == r.parsed);
  CHECK(RecordLine(r).find(R"("parsed":{"b":[1,2],"a":"x  y"})") != std::string::npos);
  // A byte-order mark before a strict body is not part of the value.
  r.output = "\xEF\xBB\xBF[1, 2]";
  r.parsed = json::parse(r.output);
  r.parsed_begin = 0;
  r.parsed_end = r.output.size();
  CHECK(json::parse(RecordLine(r))["parsed"] == json::array({1, 2}));
  // A span that no longer fits the output falls back to the tree.
  r.parsed_end = r.output.size() + 10;
  CHECK(json::parse(RecordLine(r))["parsed"] == json::array({1, 2}));
}

// FromJson over nlohmann's parse: the reference RecordFromLine must agree with.
json ViaDom(const std::string& line) {
  Result<Record> r = Record::FromJson(json::parse(line));
  REQUIRE(r.ok());
  return r->ToJson();
}

TEST_CASE("record: RecordFromLine reads what RecordLine writes, like FromJson", "[checks]") {
  std::vector<Record> records;
  records.push_back(FullRecord());
  records.push_back(Record());
  Record odd = FullRecord();
  odd.output = "caf\xc3\xa9 \"\\ \n\x01";
  odd.parsed = json::parse(R"({"z": [1, 2.5, -3e-7, null, true], "a": {"": "\u00e9"}})");
  odd.template_outcome.reset();
  odd.field_matches.clear();
  odd.error = "boom";
  odd.status = "http_5xx";
  odd.latency_ms = 1234.0625;
  odd.cost_usd = 1e-9;
  odd.input_tokens = INT64_MAX;
  records.push_back(odd);
  Record deep = odd;
  deep.parsed = json::parse(std::string(100, '[') + std::string(100, ']'));  // DOM path
  records.push_back(deep);
  for (const Record& r : records) {
    const std::string line = RecordLine(r);
    Record fast;
    const bool handled = RecordFromLine(line, &fast);
    CHECK(handled == (&r != &records.back()));  // only the deep one is left to the DOM
    if (handled) CHECK(fast.ToJson() == ViaDom(line));
  }
}

TEST_CASE("record: RecordFromLine leaves every unusual line to FromJson", "[checks]") {
  Record out;
  // Keys out of order or repeated (nlohmann keeps the last one).
  CHECK_FALSE(RecordFromLine(R"({"case_id": "a", "attempts": 1})", &out));
  CHECK_FALSE(RecordFromLine(R"({"case_id": "a", "case_id": null})", &out));
  // Types FromJson refuses, values out of range, broken JSON.
  CHECK_FALSE(RecordFromLine(R"({"attempts": "3"})", &out));
  CHECK_FALSE(RecordFromLine(R"({"attempts": 1.5})", &out));
  CHECK_FALSE(RecordFromLine(R"({"sample": 99999999999})", &out));
  CHECK_FALSE(RecordFromLine(R"({"tags": ["a", 1]})", &out));
  CHECK_FALSE(RecordFromLine(R"({"template": []})", &out));
  CHECK_FALSE(RecordFromLine(R"({"case_id": "a"} x)", &out));
  CHECK_FALSE(RecordFromLine(R"({"case_id": "a")", &out));
  CHECK_FALSE(RecordFromLine("[1]", &out));
  // Accepted: nulls keep defaults, unknown keys are skipped.
  REQUIRE(RecordFromLine(R"({"case_id": "x", "model": null, "zz_new": {"a": [1]}})", &out));
  CHECK(out.case_id == "x");
  CHECK(out.status == "ok");
  CHECK(out.ToJson() == ViaDom(R"({"case_id": "x", "model": null, "zz_new": {"a": [1]}})"));
}

}  // namespace
}  // namespace comply
