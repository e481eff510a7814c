#include "evaluator/check_pipeline.h"

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace comply {
namespace {

const CheckInput kIn{"responses.jsonl", "default"};

Record Parse(const std::string& line, std::size_t line_no = 7) {
  return ParseResponseLine(line, line_no, kIn);
}

TEST_CASE("check input: the common wrapper line is read field by field", "[checks]") {
  const Record r = Parse(
      R"({"case_id": "c-1", "output": "{\"a\": \"caf\u00e9 \\\"q\\\"\"}\n", "endpoint": "ft",)"
      R"( "sample": 2, "status": "ok", "finish_reason": "length", "model": "m", "request_id": "r",)"
      R"( "latency_ms": 12.5, "input_tokens": 100, "cached_input_tokens": 20,)"
      R"( "output_tokens": 7, "cost_usd": 0.001, "http_status": 200, "attempts": 2,)"
      R"( "tags": ["x", "y"], "extra": {"nested": [1, 2, {"k": null}]}})");
  CHECK(r.status == "ok");
  CHECK(r.case_id == "c-1");
  CHECK(r.output == "{\"a\": \"caf\xc3\xa9 \\\"q\\\"\"}\n");
  CHECK(r.endpoint == "ft");
  CHECK(r.sample == 2);
  CHECK(r.finish_reason == "length");
  CHECK(r.model == "m");
  CHECK(r.request_id == "r");
  CHECK(r.latency_ms == 12.5);
  CHECK(r.input_tokens == 100);
  CHECK(r.cached_input_tokens == 20);
  CHECK(r.output_tokens == 7);
  CHECK(r.cost_usd == 0.001);
  CHECK(r.http_status == 200);
  CHECK(r.attempts == 2);
  CHECK(r.tags == std::vector<std::string>{"x", "y"});
  CHECK(r.error.empty());
}

TEST_CASE("check input: unusual lines get the same reading as the full parser", "[checks]") {
  // Defaults: case id = line number, endpoint from the input.
  Record r = Parse(R"({"output": "x"})", 12);
  CHECK(r.case_id == "12");
  CHECK(r.endpoint == "default");
  // Integer case id, duplicate keys (the last wins), wrong-typed metadata ignored, nulls.
  r = Parse(R"({"case_id": 5, "output": "a", "output": "b", "model": 3, "sample": "2",)"
            R"( "latency_ms": null, "tags": "t"})");
  CHECK(r.case_id == "5");
  CHECK(r.output == "b");
  CHECK(r.model.empty());
  CHECK(r.sample == 0);
  CHECK(r.tags.empty());
  CHECK(r.status == "ok");
  // Escaped keys are still keys.
  r = Parse(R"({"out\u0070ut": "z", "case_\u0069d": "k"})");
  CHECK(r.output == "z");
  CHECK(r.case_id == "k");
  // A recorded error may have no output.
  r = Parse(R"({"case_id": "e", "status": "timeout", "output": null})");
  CHECK(r.status == "timeout");
  CHECK(r.error.empty());
}

TEST_CASE("check input: unreadable lines become bad_input with the parser's reason", "[checks]") {
  auto error_of = [](const std::string& line) {
    const Record r = Parse(line, 3);
    CHECK(r.status == "bad_input");
    CHECK(r.output == line);
    return r.error;
  };
  CHECK(error_of(R"({"output": "x", "n": 1e400})").rfind("responses.jsonl:3: not valid JSON: ", 0) == 0);
  CHECK(error_of(R"({"output": "x"} trailing)").rfind("responses.jsonl:3: not valid JSON: ", 0) == 0);
  CHECK(error_of("{\"output\": \"bad \xff\"}").rfind("responses.jsonl:3: not valid JSON: ", 0) == 0);
  CHECK(error_of(R"({"output": "\ud800"})").rfind("responses.jsonl:3: not valid JSON: ", 0) == 0);
  CHECK(error_of(R"({"output": 5})") ==
        "responses.jsonl:3: \"output\" must be a string (the raw response text), got number");
  CHECK(error_of(R"({"case_id": "a"})") ==
        "responses.jsonl:3: missing \"output\" (the response text)");
  CHECK(error_of(R"({"output": "x", "status": "weird"})") ==
        "responses.jsonl:3: \"status\" must be one of ok, timeout, http_4xx, http_5xx, "
        "rate_limited, connection, bad_envelope, bad_input");
  CHECK(error_of(R"(["output"])") ==
        "responses.jsonl:3: expected an object like {\"output\": \"<text>\"}, got array");
}

}  // namespace
}  // namespace comply
