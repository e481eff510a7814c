#include "providers/http_provider.h"

#include <string>
#include <utility>

namespace comply {
namespace {

using namespace provider_internal;  // NOLINT: the adapters' shared helpers

// Replaces placeholders in one left-to-right pass over the template text, so text that a
// replacement inserts (a prompt that itself contains "{{system}}") is never expanded again.
std::string Expand(const std::string& s, const std::string& system, const std::string& prompt,
                   const std::string& model) {
  static const std::pair<const char*, int> kNames[] = {{"{{system}}", 0}, {"{{prompt}}", 1},
                                                       {"{{model}}", 2}};
  const std::string* values[] = {&system, &prompt, &model};
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t open = s.find("{{", i);
    if (open == std::string::npos) break;
    out.append(s, i, open - i);
    i = open;
    bool matched = false;
    for (const auto& [name, index] : kNames) {
      std::size_t len = std::char_traits<char>::length(name);
      if (s.compare(open, len, name) == 0) {
        out += *values[index];
        i = open + len;
        matched = true;
        break;
      }
    }
    if (!matched) {
      out += "{{";
      i = open + 2;
    }
  }
  out.append(s, i, std::string::npos);
  return out;
}

// Substitutes placeholders inside every string value of the tree (keys are left alone).
void Substitute(nlohmann::json* node, const std::string& system, const std::string& prompt,
                const std::string& model) {
  if (node->is_string()) {
    *node = Expand(node->get_ref<const std::string&>(), system, prompt, model);
  } else if (node->is_structured()) {
    for (auto& child : *node) Substitute(&child, system, prompt, model);
  }
}

class HttpProvider final : public Provider {
 public:
  HttpProvider(const EndpointSpec& spec, std::string key, nlohmann::json::json_pointer ptr)
      : spec_(spec), key_(std::move(key)), pointer_(std::move(ptr)) {}

  HttpRequest BuildRequest(const ChatRequest& req) const override {
    HttpRequest http;
    http.url = spec_.base_url;
    http.headers.emplace_back("Content-Type", "application/json");
    if (!key_.empty()) http.headers.emplace_back("Authorization", "Bearer " + key_);
    for (const auto& [k, v] : spec_.headers) http.headers.emplace_back(k, v);
    nlohmann::json body = spec_.request_template;
    Substitute(&body, req.system, req.user, spec_.model);
    http.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return http;
  }

  ProviderReply ParseResponse(const HttpResponse& resp) const override {
    ProviderReply r = ReplyForFailure(resp);
    if (r.status == "ok") {
      r.model = spec_.model;
      nlohmann::json j = nlohmann::json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded()) {
        r.status = "bad_envelope";
        r.error = "response body is not JSON";
      } else if (!j.contains(pointer_)) {
        r.status = "bad_envelope";
        r.error = "answer_pointer " + spec_.answer_pointer + " not found in the response";
      } else {
        const nlohmann::json& answer = j.at(pointer_);
        r.text = answer.is_string()
                     ? answer.get<std::string>()
                     : answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
    }
    r.error = Redact(std::move(r.error), key_);
    return r;
  }

 private:
  EndpointSpec spec_;
  std::string key_;
  nlohmann::json::json_pointer pointer_;
};

}  // namespace

Result<std::unique_ptr<Provider>> MakeHttpProvider(const EndpointSpec& spec, std::string api_key) {
  const std::string who =
      (spec.where.empty() ? "" : spec.where + ": ") + "endpoint '" + spec.name + "'";
  if (spec.request_template.is_null()) {
    return InvalidInput(who + ": provider http needs request_template (the JSON body, with "
                              "{{system}}, {{prompt}} and {{model}} placeholders)");
  }
  try {
    nlohmann::json::json_pointer ptr(spec.answer_pointer);
    return std::unique_ptr<Provider>(
        std::make_unique<HttpProvider>(spec, std::move(api_key), std::move(ptr)));
  } catch (const nlohmann::json::exception&) {
    return InvalidInput(who + ": answer_pointer '" + spec.answer_pointer +
                        "' is not a JSON Pointer (e.g. /choices/0/text)");
  }
}

}  // namespace comply
