#include <cstdlib>

#include <catch2/catch.hpp>

#include "providers/provider.h"

namespace comply {
namespace {

using nlohmann::json;

EndpointSpec AnthropicSpec() {
  EndpointSpec s;
  s.name = "claude";
  s.provider = "anthropic";
  s.base_url = "https://api.anthropic.example/";
  s.model = "claude-3-5-sonnet-latest";
  s.api_key_env = "COMPLY_TEST_ANTHROPIC_KEY";
  s.params = {{"temperature", 0}};
  return s;
}

std::unique_ptr<Provider> Make(const EndpointSpec& spec) {
  setenv("COMPLY_TEST_ANTHROPIC_KEY", "sk-ant-SECRET-9", 1);
  auto p = MakeProvider(spec);
  REQUIRE(p.ok());
  return std::move(p).value();
}

HttpResponse Ok(std::string body) {
  HttpResponse r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}

TEST_CASE("anthropic: builds URL, headers and exact body", "[transport]") {
  auto p = Make(AnthropicSpec());
  HttpRequest req = p->BuildRequest({"Be terse.", "Extract.", nullptr, "", false, 0});
  CHECK(req.url == "https://api.anthropic.example/v1/messages");
  CHECK(req.headers == HttpHeaders{{"Content-Type", "application/json"},
                                   {"x-api-key", "sk-ant-SECRET-9"},
                                   {"anthropic-version", "2023-06-01"}});
  CHECK(json::parse(req.body) == json::parse(R"({"model":"claude-3-5-sonnet-latest",
      "system":"Be terse.","messages":[{"role":"user","content":"Extract."}],
      "max_tokens":1024,"temperature":0})"));
}

TEST_CASE("anthropic: params override max_tokens; empty system omitted; /v1 not doubled",
          "[transport]") {
  EndpointSpec spec = AnthropicSpec();
  spec.base_url = "http://127.0.0.1:9/v1";
  spec.params = {{"max_tokens", 300}};
  auto p = Make(spec);
  HttpRequest req = p->BuildRequest({"", "u", nullptr, "", false, 0});
  CHECK(req.url == "http://127.0.0.1:9/v1/messages");
  CHECK(json::parse(req.body) == json::parse(R"({"model":"claude-3-5-sonnet-latest",
      "messages":[{"role":"user","content":"u"}],"max_tokens":300})"));
}

TEST_CASE("anthropic: the suite schema is sent as one forced tool", "[transport]") {
  auto p = Make(AnthropicSpec());
  json schema = {{"type", "object"}};
  json body = json::parse(p->BuildRequest({"", "u", &schema, "invoice", true, 0}).body);
  CHECK(body["tools"] == json::parse(R"([{"name":"invoice",
      "description":"Return the answer as this tool's input.",
      "input_schema":{"type":"object"}}])"));
  CHECK(body["tool_choice"] == json::parse(R"({"type":"tool","name":"invoice"})"));
}

TEST_CASE("anthropic: parses text blocks, usage and stop reasons", "[transport]") {
  auto p = Make(AnthropicSpec());
  HttpResponse resp = Ok(R"({"id":"msg_01","type":"message","role":"assistant",
      "model":"claude-3-5-sonnet-20241022",
      "content":[{"type":"text","text":"{\"a\":"},{"type":"text","text":"1}"}],
      "stop_reason":"max_tokens","stop_sequence":null,
      "usage":{"input_tokens":10,"cache_creation_input_tokens":5,
               "cache_read_input_tokens":100,"output_tokens":8}})");
  ProviderReply r = p->ParseResponse(resp);
  CHECK(r.status == "ok");
  CHECK(r.text == R"({"a":1})");
  CHECK(r.finish_reason == "length");
  CHECK(r.model == "claude-3-5-sonnet-20241022");
  CHECK(r.request_id == "msg_01");
  CHECK(r.input_tokens == 115);
  CHECK(r.cached_input_tokens == 100);
  CHECK(r.output_tokens == 8);

  r = p->ParseResponse(Ok(R"({"content":[{"type":"text","text":"x"}],"stop_reason":"end_turn"})"));
  CHECK(r.finish_reason == "stop");
  CHECK(r.input_tokens == 0);
}

TEST_CASE("anthropic: tool_use input is the answer", "[transport]") {
  auto p = Make(AnthropicSpec());
  ProviderReply r = p->ParseResponse(Ok(R"({"content":[
      {"type":"text","text":"Using the tool."},
      {"type":"tool_use","id":"t1","name":"invoice","input":{"b":[1,2]}}],
      "stop_reason":"tool_use"})"));
  CHECK(r.status == "ok");
  CHECK(r.text == R"({"b":[1,2]})");
  CHECK(r.finish_reason == "tool_calls");
}

TEST_CASE("anthropic: envelopes and errors", "[transport]") {
  auto p = Make(AnthropicSpec());
  ProviderReply r = p->ParseResponse(Ok(R"({"id":"msg_1"})"));
  CHECK(r.status == "bad_envelope");
  CHECK(r.error == "response has no content");

  HttpResponse resp;
  resp.status = 529;
  resp.body = R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})";
  resp.headers = {{"request-id", "req_011"}};
  r = p->ParseResponse(resp);
  CHECK(r.status == "http_5xx");
  CHECK(r.error == "HTTP 529: Overloaded");
  CHECK(r.request_id == "req_011");

  resp.status = 400;
  resp.body = R"({"type":"error","error":{"type":"invalid_request_error",)"
              R"("message":"Your credit balance is too low to access the Anthropic API."}})";
  r = p->ParseResponse(resp);
  CHECK(r.status == "http_4xx");
  CHECK(r.hard_quota);

  resp.status = 401;
  resp.body = R"({"type":"error","error":{"type":"authentication_error",)"
              R"("message":"invalid x-api-key sk-ant-SECRET-9"}})";
  r = p->ParseResponse(resp);
  CHECK(r.auth_error);
  CHECK(r.error == "HTTP 401: invalid x-api-key ***");
}

}  // namespace
}  // namespace comply
