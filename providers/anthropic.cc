#include "providers/anthropic.h"

#include "providers/retry.h"

namespace comply {
namespace {

using namespace provider_internal;  // NOLINT: the adapters' shared helpers

std::string MapStopReason(const std::string& stop) {
  if (stop == "max_tokens") return "length";
  if (stop == "end_turn" || stop == "stop_sequence") return "stop";
  if (stop == "tool_use") return "tool_calls";
  return stop;
}

class AnthropicProvider final : public Provider {
 public:
  AnthropicProvider(const EndpointSpec& spec, std::string key)
      : spec_(spec), key_(std::move(key)) {
    std::string base = TrimSlash(spec.base_url);
    bool has_v1 = base.size() >= 3 && base.compare(base.size() - 3, 3, "/v1") == 0;
    url_ = base + (has_v1 ? "/messages" : "/v1/messages");
  }

  HttpRequest BuildRequest(const ChatRequest& req) const override {
    HttpRequest http;
    http.url = url_;
    http.headers.emplace_back("Content-Type", "application/json");
    if (!key_.empty()) http.headers.emplace_back("x-api-key", key_);
    http.headers.emplace_back("anthropic-version", spec_.anthropic_version);
    for (const auto& [k, v] : spec_.headers) http.headers.emplace_back(k, v);
    nlohmann::json body = nlohmann::json::object();
    if (!spec_.model.empty()) body["model"] = spec_.model;
    if (!req.system.empty()) body["system"] = req.system;
    body["messages"] = nlohmann::json::array({{{"role", "user"}, {"content", req.user}}});
    body["max_tokens"] = 1024;  // required by the API; params may override
    if (spec_.params.is_object()) {
      for (const auto& [k, v] : spec_.params.items()) {
        if (k != "model" && k != "messages" && k != "system") body[k] = v;
      }
    }
    if (req.schema != nullptr) {
      std::string name = SafeName(req.schema_name);
      body["tools"] = nlohmann::json::array(
          {{{"name", name},
            {"description", "Return the answer as this tool's input."},
            {"input_schema", *req.schema}}});
      body["tool_choice"] = {{"type", "tool"}, {"name", name}};
    }
    http.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return http;
  }

  ProviderReply ParseResponse(const HttpResponse& resp) const override {
    ProviderReply r = ReplyForFailure(resp);
    if (r.status == "ok") Parse2xx(resp, &r);
    if (r.status == "rate_limited" || r.status == "http_4xx") {
      r.hard_quota = IsHardQuotaBody(resp.body);
    }
    if (r.request_id.empty()) r.request_id = std::string(FindHeader(resp.headers, "request-id"));
    r.error = Redact(std::move(r.error), key_);
    return r;
  }

 private:
  static void Parse2xx(const HttpResponse& resp, ProviderReply* r) {
    nlohmann::json j = nlohmann::json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) {
      r->status = "bad_envelope";
      r->error = "response body is not a JSON object";
      return;
    }
    r->model = StringAt(j, "model");
    r->request_id = StringAt(j, "id");
    r->finish_reason = MapStopReason(StringAt(j, "stop_reason"));
    auto usage = j.find("usage");
    if (usage != j.end() && usage->is_object()) {
      r->cached_input_tokens = IntAt(*usage, "cache_read_input_tokens");
      r->input_tokens = IntAt(*usage, "input_tokens") + r->cached_input_tokens +
                        IntAt(*usage, "cache_creation_input_tokens");
      r->output_tokens = IntAt(*usage, "output_tokens");
    }
    auto content = j.find("content");
    if (content == j.end() || !content->is_array()) {
      r->status = "bad_envelope";
      r->error = "response has no content";
      return;
    }
    std::string text;
    for (const auto& block : *content) {
      std::string type = StringAt(block, "type");
      if (type == "tool_use" && block.contains("input")) {
        r->text = block["input"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
      }
      if (type == "text") text += StringAt(block, "text");
    }
    r->text = std::move(text);
  }

  EndpointSpec spec_;
  std::string key_;
  std::string url_;
};

}  // namespace

std::unique_ptr<Provider> MakeAnthropicProvider(const EndpointSpec& spec, std::string api_key) {
  return std::make_unique<AnthropicProvider>(spec, std::move(api_key));
}

}  // namespace comply
