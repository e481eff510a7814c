#include "providers/openai.h"

#include <curl/curl.h>

#include <algorithm>
#include <string_view>
#include <vector>

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
    headers_.emplace_back("Content-Type", "application/json");
    if (!key_.empty()) {
      if (spec_.api_version.empty()) {
        headers_.emplace_back("Authorization", "Bearer " + key_);
      } else {
        headers_.emplace_back("api-key", key_);
      }
    }
    for (const auto& [k, v] : spec_.headers) headers_.emplace_back(k, v);
    nlohmann::json fixed = nlohmann::json::object();  // a std::map: iterates in key order
    if (!spec_.model.empty()) fixed["model"] = spec_.model;
    if (spec_.params.is_object()) {
      for (const auto& [k, v] : spec_.params.items()) {
        if (k != "model" && k != "messages") fixed[k] = v;
      }
    }
    for (const auto& [k, v] : fixed.items()) {
      Member m{k, nlohmann::json(k).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
               v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
      fixed_size_ += m.key_json.size() + m.value_json.size() + 2;
      fixed_.push_back(std::move(m));
    }
  }

  HttpRequest BuildRequest(const ChatRequest& req) const override {
    HttpRequest http;
    http.url = url_;
    http.headers = headers_;
    // The body is written directly, byte for byte what dumping the json object {model,
    // messages, params…, response_format} gives (members in nlohmann's sorted key order), so
    // the response cache's keys are unchanged; only "messages" (and a schema) vary per request.
    std::string messages;
    messages.reserve(req.system.size() + req.user.size() + 96);
    messages += '[';
    if (!req.system.empty()) {
      messages += "{\"content\":";
      AppendJsonString(&messages, req.system);
      messages += ",\"role\":\"system\"},";
    }
    messages += "{\"content\":";
    AppendJsonString(&messages, req.user);
    messages += ",\"role\":\"user\"}]";
    std::string response_format;
    if (req.schema != nullptr) {
      response_format = nlohmann::json{{"type", "json_schema"},
                                       {"json_schema",
                                        {{"name", SafeName(req.schema_name)}, {"schema", *req.schema}, {"strict", true}}}}
                            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    // At most a dozen members: sorting views of them costs less than one json object.
    struct View {
      std::string_view key, key_json, value;
    };
    std::vector<View> members;
    members.reserve(fixed_.size() + 2);
    for (const Member& m : fixed_) {
      if (req.schema != nullptr && m.key == "response_format") continue;  // the suite's replaces it
      members.push_back({m.key, m.key_json, m.value_json});
    }
    members.push_back({"messages", "\"messages\"", messages});
    if (req.schema != nullptr) members.push_back({"response_format", "\"response_format\"", response_format});
    std::sort(members.begin(), members.end(), [](const View& a, const View& b) { return a.key < b.key; });
    std::string& body = http.body;
    body.reserve(messages.size() + fixed_size_ + response_format.size() + 32);
    body += '{';
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (i > 0) body += ',';
      body += members[i].key_json;
      body += ':';
      body += members[i].value;
    }
    body += '}';
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

  // A constant member of the request body: its key, the key as JSON and the value as JSON.
  struct Member {
    std::string key, key_json, value_json;
  };

  EndpointSpec spec_;
  std::string key_;
  std::string url_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::vector<Member> fixed_;  // model and params, in nlohmann's key order (never "messages")
  std::size_t fixed_size_ = 0;
};

}  // namespace

std::unique_ptr<Provider> MakeOpenAiProvider(const EndpointSpec& spec, std::string api_key) {
  return std::make_unique<OpenAiProvider>(spec, std::move(api_key));
}

}  // namespace comply
