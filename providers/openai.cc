#include "providers/openai.h"

#include <curl/curl.h>

#include "providers/retry.h"

namespace comply {
namespace {

using namespace provider_internal;  // NOLINT: the adapters' shared helpers

std::string UrlEscape(const std::string& s) {
  std::string out;
  char* escaped = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
  if (escaped != nullptr) {
    out = escaped;
    curl_free(escaped);
  }
  return out;
}

// message.content: a string, null, or an array of parts ({type: text, text}).
std::string ContentText(const nlohmann::json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (content.is_array()) {
    for (const auto& part : content) {
      if (part.is_string()) {
        out += part.get<std::string>();
      } else if (part.is_object() && StringAt(part, "type") != "refusal") {
        out += StringAt(part, "text");
      }
    }
  }
  return out;
}

// tool_calls[0].function.arguments, or the legacy function_call.arguments; nullptr when none.
const nlohmann::json* ToolArguments(const nlohmann::json& message) {
  auto calls = message.find("tool_calls");
  if (calls != message.end() && calls->is_array() && !calls->empty()) {
    const nlohmann::json& first = (*calls)[0];
    if (first.is_object() && first.contains("function") && first["function"].is_object() &&
        first["function"].contains("arguments")) {
      return &first["function"]["arguments"];
    }
  }
  auto legacy = message.find("function_call");
  if (legacy != message.end() && legacy->is_object() && legacy->contains("arguments")) {
    return &(*legacy)["arguments"];
  }
  return nullptr;
}

class OpenAiProvider final : public Provider {
 public:
  OpenAiProvider(const EndpointSpec& spec, std::string key) : spec_(spec), key_(std::move(key)) {
    url_ = TrimSlash(spec.base_url) + "/chat/completions";
    if (!spec.api_version.empty()) url_ += "?api-version=" + UrlEscape(spec.api_version);
  }

  HttpRequest BuildRequest(const ChatRequest& req) const override {
    HttpRequest http;
    http.url = url_;
    http.headers.emplace_back("Content-Type", "application/json");
    if (!key_.empty()) {
      if (spec_.api_version.empty()) {
        http.headers.emplace_back("Authorization", "Bearer " + key_);
      } else {
        http.headers.emplace_back("api-key", key_);
      }
    }
    for (const auto& [k, v] : spec_.headers) http.headers.emplace_back(k, v);
    nlohmann::json body = nlohmann::json::object();
    if (!spec_.model.empty()) body["model"] = spec_.model;
    nlohmann::json messages = nlohmann::json::array();
    if (!req.system.empty()) messages.push_back({{"role", "system"}, {"content", req.system}});
    messages.push_back({{"role", "user"}, {"content", req.user}});
    body["messages"] = std::move(messages);
    if (spec_.params.is_object()) {
      for (const auto& [k, v] : spec_.params.items()) {
        if (k != "model" && k != "messages") body[k] = v;
      }
    }
    if (req.schema != nullptr) {
      body["response_format"] = {
          {"type", "json_schema"},
          {"json_schema",
           {{"name", SafeName(req.schema_name)}, {"schema", *req.schema}, {"strict", true}}}};
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
    if (r.request_id.empty()) r.request_id = std::string(FindHeader(resp.headers, "x-request-id"));
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
    r->system_fingerprint = StringAt(j, "system_fingerprint");
    auto usage = j.find("usage");
    if (usage != j.end() && usage->is_object()) {
      r->input_tokens = IntAt(*usage, "prompt_tokens");
      r->output_tokens = IntAt(*usage, "completion_tokens");
      auto details = usage->find("prompt_tokens_details");
      if (details != usage->end()) r->cached_input_tokens = IntAt(*details, "cached_tokens");
    }
    auto choices = j.find("choices");
    if (choices == j.end() || !choices->is_array() || choices->empty() ||
        !(*choices)[0].is_object()) {
      r->status = "bad_envelope";
      r->error = "response has no choices";
      return;
    }
    const nlohmann::json& choice = (*choices)[0];
    r->finish_reason = StringAt(choice, "finish_reason");
    auto message = choice.find("message");
    if (message == choice.end() || !message->is_object()) {
      r->status = "bad_envelope";
      r->error = "choices[0] has no message";
      return;
    }
    if (const nlohmann::json* args = ToolArguments(*message)) {
      r->text = args->is_string() ? args->get<std::string>()
                                  : args->dump(-1, ' ', false,
                                               nlohmann::json::error_handler_t::replace);
      return;
    }
    r->text = ContentText(message->value("content", nlohmann::json()));
    // A refusal has no content; its text is the answer that gets judged.
    if (r->text.empty()) r->text = StringAt(*message, "refusal");
  }

  EndpointSpec spec_;
  std::string key_;
  std::string url_;
};

}  // namespace

std::unique_ptr<Provider> MakeOpenAiProvider(const EndpointSpec& spec, std::string api_key) {
  return std::make_unique<OpenAiProvider>(spec, std::move(api_key));
}

}  // namespace comply
