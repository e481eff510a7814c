#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "providers/provider.h"
#include "tests/test_util.h"

namespace comply {
namespace {

using nlohmann::json;

EndpointSpec OpenAiSpec() {
  EndpointSpec s;
  s.name = "large-prompted";
  s.provider = "openai";
  s.base_url = "https://api.example.test/v1/";
  s.model = "gpt-4o";
  s.api_key_env = "COMPLY_TEST_OPENAI_KEY";
  s.params = {{"temperature", 0}, {"max_tokens", 800}};
  return s;
}

std::unique_ptr<Provider> Make(const EndpointSpec& spec) {
  setenv("COMPLY_TEST_OPENAI_KEY", "sk-test-SECRET-123", 1);
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

TEST_CASE("openai: builds URL, auth header and exact body", "[transport]") {
  EndpointSpec spec = OpenAiSpec();
  spec.headers = {{"OpenAI-Organization", "org-1"}};
  auto p = Make(spec);
  ChatRequest chat{"Extract the invoice.", "Document: INV-1", nullptr, "", false, 2};
  HttpRequest req = p->BuildRequest(chat);
  CHECK(req.url == "https://api.example.test/v1/chat/completions");
  CHECK(req.headers == HttpHeaders{{"Content-Type", "application/json"},
                                   {"Authorization", "Bearer sk-test-SECRET-123"},
                                   {"OpenAI-Organization", "org-1"}});
  CHECK(json::parse(req.body) == json::parse(R"({"model":"gpt-4o","messages":[
      {"role":"system","content":"Extract the invoice."},
      {"role":"user","content":"Document: INV-1"}],"temperature":0,"max_tokens":800})"));
}

TEST_CASE("openai: no system message when empty, no auth without api_key_env", "[transport]") {
  EndpointSpec spec = OpenAiSpec();
  spec.api_key_env.clear();
  spec.params = json::object();
  auto p = Make(spec);
  HttpRequest req = p->BuildRequest({"", "hi", nullptr, "", false, 0});
  CHECK(req.headers == HttpHeaders{{"Content-Type", "application/json"}});
  CHECK(json::parse(req.body) ==
        json::parse(R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]})"));
}

TEST_CASE("openai: the suite schema becomes a strict json_schema response_format",
          "[transport]") {
  EndpointSpec spec = OpenAiSpec();
  spec.params["response_format"] = {{"type", "json_object"}};
  auto p = Make(spec);
  json schema = {{"type", "object"}, {"properties", {{"a", {{"type", "string"}}}}}};
  HttpRequest req = p->BuildRequest({"", "x", &schema, "invoice v2", false, 0});
  json body = json::parse(req.body);
  CHECK(body["response_format"] ==
        json::parse(R"({"type":"json_schema","json_schema":{"name":"invoice_v2","strict":true,
                    "schema":{"type":"object","properties":{"a":{"type":"string"}}}}})"));
}

TEST_CASE("openai: Azure uses api-key and api-version", "[transport]") {
  EndpointSpec spec = OpenAiSpec();
  spec.base_url = "https://res.openai.azure.com/openai/deployments/gpt4o";
  spec.api_version = "2024-10-21";
  auto p = Make(spec);
  HttpRequest req = p->BuildRequest({"", "x", nullptr, "", false, 0});
  CHECK(req.url ==
        "https://res.openai.azure.com/openai/deployments/gpt4o/chat/completions"
        "?api-version=2024-10-21");
  CHECK(req.headers == HttpHeaders{{"Content-Type", "application/json"},
                                   {"api-key", "sk-test-SECRET-123"}});
}

TEST_CASE("openai: parses a full response", "[transport]") {
  auto p = Make(OpenAiSpec());
  HttpResponse resp = Ok(R"({"id":"chatcmpl-1","object":"chat.completion","created":1,
      "model":"gpt-4o-2024-08-06","system_fingerprint":"fp_abc",
      "choices":[{"index":0,"message":{"role":"assistant","content":"{\"a\":1}","refusal":null},
                  "finish_reason":"stop","logprobs":null}],
      "usage":{"prompt_tokens":120,"completion_tokens":7,"total_tokens":127,
               "prompt_tokens_details":{"cached_tokens":64}}})");
  resp.headers = {{"x-request-id", "req_9"}};
  ProviderReply r = p->ParseResponse(resp);
  CHECK(r.status == "ok");
  CHECK(r.http_status == 200);
  CHECK(r.text == R"({"a":1})");
  CHECK(r.finish_reason == "stop");
  CHECK(r.model == "gpt-4o-2024-08-06");
  CHECK(r.request_id == "chatcmpl-1");
  CHECK(r.system_fingerprint == "fp_abc");
  CHECK(r.input_tokens == 120);
  CHECK(r.cached_input_tokens == 64);
  CHECK(r.output_tokens == 7);
  CHECK(r.error.empty());
}

TEST_CASE("openai: tolerant of servers that omit fields", "[transport]") {
  auto p = Make(OpenAiSpec());
  HttpResponse resp = Ok(R"({"choices":[{"message":{"content":"hello"}}]})");
  resp.headers = {{"x-request-id", "req_7"}};
  ProviderReply r = p->ParseResponse(resp);
  CHECK(r.status == "ok");
  CHECK(r.text == "hello");
  CHECK(r.finish_reason.empty());
  CHECK(r.model.empty());
  CHECK(r.request_id == "req_7");
  CHECK(r.input_tokens == 0);
  CHECK(r.output_tokens == 0);

  // content as an array of parts, usage numbers as floats, nulls everywhere
  r = p->ParseResponse(Ok(R"({"id":null,"model":null,"choices":[{"finish_reason":null,
      "message":{"content":[{"type":"text","text":"{\"a\":"},{"type":"text","text":"1}"}]}}],
      "usage":{"prompt_tokens":5.0,"completion_tokens":null,"prompt_tokens_details":null}})"));
  CHECK(r.status == "ok");
  CHECK(r.text == R"({"a":1})");
  CHECK(r.input_tokens == 5);

  r = p->ParseResponse(Ok(R"({"choices":[{"message":{"content":null,"refusal":"I can't."}}],
      "usage":{"prompt_tokens":1e300,"completion_tokens":"7"}})"));
  CHECK(r.text == "I can't.");
  CHECK(r.input_tokens == 0);  // absurd or mistyped usage reads as 0
  CHECK(r.output_tokens == 0);
}

TEST_CASE("openai: tool call arguments are the answer", "[transport]") {
  auto p = Make(OpenAiSpec());
  ProviderReply r = p->ParseResponse(Ok(R"({"choices":[{"finish_reason":"tool_calls",
      "message":{"content":null,"tool_calls":[{"id":"c1","type":"function",
      "function":{"name":"emit","arguments":"{\"x\":2}"}},
      {"id":"c2","type":"function","function":{"name":"emit","arguments":"{}"}}]}}]})"));
  CHECK(r.status == "ok");
  CHECK(r.text == R"({"x":2})");
  CHECK(r.finish_reason == "tool_calls");
  // Ollama sends arguments as an object
  r = p->ParseResponse(Ok(R"({"choices":[{"message":{"content":"","tool_calls":[
      {"function":{"name":"emit","arguments":{"x":3}}}]}}]})"));
  CHECK(r.text == R"({"x":3})");
}

TEST_CASE("openai: bad envelopes", "[transport]") {
  auto p = Make(OpenAiSpec());
  ProviderReply r = p->ParseResponse(Ok("<html>oops</html>"));
  CHECK(r.status == "bad_envelope");
  CHECK(r.error == "response body is not a JSON object");
  r = p->ParseResponse(Ok(R"({"choices":[]})"));
  CHECK(r.status == "bad_envelope");
  CHECK(r.error == "response has no choices");
  r = p->ParseResponse(Ok(R"({"choices":[{"finish_reason":"stop"}]})"));
  CHECK(r.status == "bad_envelope");
  CHECK(r.error == "choices[0] has no message");
}

TEST_CASE("openai: HTTP errors map to status classes; the key never leaks", "[transport]") {
  auto p = Make(OpenAiSpec());
  HttpResponse resp;
  resp.status = 401;
  resp.body = R"({"error":{"message":"Incorrect API key provided: sk-test-SECRET-123.",)"
              R"("type":"invalid_request_error","code":"invalid_api_key"}})";
  ProviderReply r = p->ParseResponse(resp);
  CHECK(r.status == "http_4xx");
  CHECK(r.http_status == 401);
  CHECK(r.auth_error);
  CHECK_FALSE(r.hard_quota);
  CHECK(r.error == "HTTP 401: Incorrect API key provided: ***.");

  resp.status = 429;
  resp.body = R"({"error":{"message":"You exceeded your current quota.",)"
              R"("type":"insufficient_quota","code":"insufficient_quota"}})";
  r = p->ParseResponse(resp);
  CHECK(r.status == "rate_limited");
  CHECK(r.hard_quota);
  CHECK(r.error == "HTTP 429: You exceeded your current quota.");

  resp.status = 502;
  resp.body = "Bad Gateway";
  r = p->ParseResponse(resp);
  CHECK(r.status == "http_5xx");
  CHECK(r.error == "HTTP 502: Bad Gateway");

  HttpResponse timeout;
  timeout.error_class = "timeout";
  timeout.error = "no complete response within 60 s";
  r = p->ParseResponse(timeout);
  CHECK(r.status == "timeout");
  CHECK(r.http_status == 0);
  CHECK(r.error == "no complete response within 60 s");
}

TEST_CASE("openai: MakeProvider names the missing key variable, never a value",
          "[transport]") {
  EndpointSpec spec = OpenAiSpec();
  spec.where = "comply.yaml:7:5";
  spec.api_key_env = "COMPLY_TEST_UNSET_KEY";
  unsetenv("COMPLY_TEST_UNSET_KEY");
  auto p = MakeProvider(spec);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().code == ErrorCode::kInvalidInput);
  CHECK(p.error().message ==
        "comply.yaml:7:5: endpoint 'large-prompted': environment variable COMPLY_TEST_UNSET_KEY "
        "(api_key_env) is not set");
  setenv("COMPLY_TEST_UNSET_KEY", "", 1);
  p = MakeProvider(spec);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message ==
        "comply.yaml:7:5: endpoint 'large-prompted': environment variable COMPLY_TEST_UNSET_KEY "
        "(api_key_env) is empty");
  unsetenv("COMPLY_TEST_UNSET_KEY");

  spec.provider = "bard";
  p = MakeProvider(spec);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message ==
        "comply.yaml:7:5: endpoint 'large-prompted': unknown provider 'bard' (expected openai, "
        "anthropic, http or replay)");
  spec.provider = "replay";
  p = MakeProvider(spec);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message ==
        "comply.yaml:7:5: endpoint 'large-prompted': replay endpoints are answered from their "
        "file, not by a provider");
}

// Every body the adapter builds validates against OpenAI's published request schema
// (shared/specs/openai, a sibling of the source tree), checked with python3-jsonschema.
TEST_CASE("openai: request bodies validate against the OpenAI request schema", "[transport]") {
  namespace fs = std::filesystem;
  fs::path schema = testing::SourceDir() / ".." / "shared" / "specs" / "openai" /
                    "chat_completion_request.schema.json";
  if (!fs::exists(schema)) {
    WARN("skipped: " << schema.string() << " is absent");
    return;
  }
  if (testing::Run("/usr/bin/python3 -c 'import jsonschema' 2>/dev/null").exit_code != 0) {
    WARN("skipped: python3-jsonschema is not installed (apt-get install python3-jsonschema)");
    return;
  }
  testing::TempDir dir;
  json out_schema = {{"type", "object"},
                     {"properties", {{"n", {{"type", "integer"}}}}},
                     {"required", {"n"}},
                     {"additionalProperties", false}};
  std::vector<HttpRequest> bodies;
  EndpointSpec spec = OpenAiSpec();
  spec.params = {{"temperature", 0},
                 {"max_tokens", 800},
                 {"seed", 7},
                 {"tools", json::parse(R"([{"type":"function","function":{"name":"emit",
                   "parameters":{"type":"object","properties":{}}}}])")},
                 {"tool_choice", "required"}};
  auto p = Make(spec);
  bodies.push_back(p->BuildRequest({"sys", "user \"quoted\" ünïcode", nullptr, "", true, 0}));
  bodies.push_back(p->BuildRequest({"", "no system", &out_schema, "my suite!", false, 1}));
  spec.params = json::object();
  spec.api_version = "2024-10-21";
  bodies.push_back(Make(spec)->BuildRequest({"s", "u", &out_schema, "invoice", false, 0}));
  std::string files;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    fs::path f = dir / ("body" + std::to_string(i) + ".json");
    testing::WriteFile(f, bodies[i].body);
    files += " '" + f.string() + "'";
  }
  testing::WriteFile(dir / "check.py",
                     "import json, sys, jsonschema\n"
                     "schema = json.load(open(sys.argv[1]))\n"
                     "v = jsonschema.Draft202012Validator(schema)\n"
                     "for path in sys.argv[2:]:\n"
                     "    for e in v.iter_errors(json.load(open(path))):\n"
                     "        print(path, list(e.absolute_path), e.message[:200])\n");
  testing::CommandResult r = testing::Run("/usr/bin/python3 '" + (dir / "check.py").string() +
                                          "' '" + schema.string() + "'" + files);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "");
}

}  // namespace
}  // namespace comply

namespace comply {
namespace {

// The body as the adapter used to build it: a json object, dumped.
std::string DomBody(const EndpointSpec& spec, const ChatRequest& req) {
  json body = json::object();
  if (!spec.model.empty()) body["model"] = spec.model;
  json messages = json::array();
  if (!req.system.empty()) messages.push_back({{"role", "system"}, {"content", req.system}});
  messages.push_back({{"role", "user"}, {"content", req.user}});
  body["messages"] = std::move(messages);
  if (spec.params.is_object()) {
    for (const auto& [k, v] : spec.params.items()) {
      if (k != "model" && k != "messages") body[k] = v;
    }
  }
  if (req.schema != nullptr) {
    body["response_format"] = {{"type", "json_schema"},
                               {"json_schema", {{"name", req.schema_name}, {"schema", *req.schema}, {"strict", true}}}};
  }
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST_CASE("openai: the body written without a DOM is byte for byte the dumped json object", "[transport]") {
  const json schema = {{"type", "object"}, {"properties", {{"a", {{"type", "integer"}}}}}};
  const std::vector<json> params = {
      json::object(),
      {{"temperature", 0}, {"max_tokens", 800}},
      {{"a_first", true}, {"n", 1}, {"zeta", {1, 2.5, "x"}}, {"response_format", {{"type", "json_object"}}}},
      {{"messages", "ignored"}, {"model", "ignored"}, {"logit_bias", {{"50256", -100}}}, {"tools", json::array()}},
      {{"metadata", "m"}, {"mess", 1}, {"messagesx", 2}}};
  const std::vector<std::string> texts = {
      "", "plain", "quote \" backslash \\ newline \n tab \t ctl \x01 \x1f", "ünïcødé ✓ 𝄞",
      std::string("bad utf8 \xff\xfe end"), std::string("nul \0 inside", 13)};
  for (const json& p : params) {
    for (const std::string& model : {std::string("gpt-4o"), std::string()}) {
      EndpointSpec spec = OpenAiSpec();
      spec.api_key_env.clear();
      spec.model = model;
      spec.params = p;
      auto provider = MakeProvider(spec);
      REQUIRE(provider.ok());
      for (const std::string& system : texts) {
        for (const std::string& user : {std::string("Document: INV-1"), texts[2], texts[4]}) {
          for (const json* sch : {static_cast<const json*>(nullptr), &schema}) {
            ChatRequest chat{system, user, sch, "invoice", false, 0};
            CHECK((*provider)->BuildRequest(chat).body == DomBody(spec, chat));
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace comply
