#include <cstdlib>

#include <catch2/catch.hpp>

#include "providers/provider.h"

namespace comply {
namespace {

using nlohmann::json;

EndpointSpec HttpSpec() {
  EndpointSpec s;
  s.name = "tgi";
  s.provider = "http";
  s.base_url = "http://127.0.0.1:8080/generate";
  s.model = "ft-invoice-v3";
  s.request_template = json::parse(R"({"inputs":"{{system}}\n\n{{prompt}}",
      "parameters":{"model":"{{model}}","max_new_tokens":200,"stop":["{{"]},
      "tags":["{{model}}", 3, null]})");
  s.answer_pointer = "/generated_text";
  return s;
}

std::unique_ptr<Provider> Make(const EndpointSpec& spec) {
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

TEST_CASE("http: placeholders are substituted in the parsed template", "[transport]") {
  auto p = Make(HttpSpec());
  HttpRequest req = p->BuildRequest({"Sys \"q\"", "Doc\nline {{system}}", nullptr, "", false, 0});
  CHECK(req.url == "http://127.0.0.1:8080/generate");
  CHECK(req.headers == HttpHeaders{{"Content-Type", "application/json"}});
  json body = json::parse(req.body);
  // The prompt's own "{{system}}" is not expanded again; quotes and newlines stay escaped.
  CHECK(body == json::parse(R"({"inputs":"Sys \"q\"\n\nDoc\nline {{system}}",
      "parameters":{"model":"ft-invoice-v3","max_new_tokens":200,"stop":["{{"]},
      "tags":["ft-invoice-v3",3,null]})"));
}

TEST_CASE("http: bearer key and extra headers", "[transport]") {
  EndpointSpec spec = HttpSpec();
  spec.api_key_env = "COMPLY_TEST_HTTP_KEY";
  spec.headers = {{"X-Team", "eval"}};
  setenv("COMPLY_TEST_HTTP_KEY", "tok-SECRET", 1);
  auto p = Make(spec);
  HttpRequest req = p->BuildRequest({"", "p", nullptr, "", false, 0});
  CHECK(req.headers == HttpHeaders{{"Content-Type", "application/json"},
                                   {"Authorization", "Bearer tok-SECRET"},
                                   {"X-Team", "eval"}});
}

TEST_CASE("http: the answer is read at answer_pointer", "[transport]") {
  auto p = Make(HttpSpec());
  ProviderReply r = p->ParseResponse(Ok(R"({"generated_text":"{\"a\":1}"})"));
  CHECK(r.status == "ok");
  CHECK(r.text == R"({"a":1})");
  CHECK(r.model == "ft-invoice-v3");

  EndpointSpec spec = HttpSpec();
  spec.answer_pointer = "/outputs/0";
  r = Make(spec)->ParseResponse(Ok(R"({"outputs":[{"a":[1,2]}]})"));
  CHECK(r.text == R"({"a":[1,2]})");

  r = p->ParseResponse(Ok(R"({"text":"x"})"));
  CHECK(r.status == "bad_envelope");
  CHECK(r.error == "answer_pointer /generated_text not found in the response");
  r = p->ParseResponse(Ok("plain text"));
  CHECK(r.status == "bad_envelope");
  CHECK(r.error == "response body is not JSON");

  HttpResponse err;
  err.status = 500;
  err.body = R"({"error":"CUDA out of memory"})";
  r = p->ParseResponse(err);
  CHECK(r.status == "http_5xx");
  CHECK(r.error == "HTTP 500: CUDA out of memory");
}

TEST_CASE("http: spec errors", "[transport]") {
  EndpointSpec spec = HttpSpec();
  spec.where = "comply.yaml:20:5";
  spec.answer_pointer = "generated_text";
  auto p = MakeProvider(spec);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message ==
        "comply.yaml:20:5: endpoint 'tgi': answer_pointer 'generated_text' is not a JSON "
        "Pointer (e.g. /choices/0/text)");
  spec = HttpSpec();
  spec.request_template = nullptr;
  p = MakeProvider(spec);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message ==
        "endpoint 'tgi': provider http needs request_template (the JSON body, with "
        "{{system}}, {{prompt}} and {{model}} placeholders)");
  spec = HttpSpec();
  spec.base_url.clear();
  p = MakeProvider(spec);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message == "endpoint 'tgi': base_url is required");
}

}  // namespace
}  // namespace comply
