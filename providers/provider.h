#pragma once
// A provider is a pure adapter (STYLE rule 8): it turns a chat request into an HTTP request
// and an HTTP response into the fields of a result record. It never sends anything itself;
// the transport (providers/transport.h) does, with retries, limits and timeouts.
//
//   Result<std::unique_ptr<Provider>> p = MakeProvider(spec);     // reads the API key
//   if (!p.ok()) return p.error();
//   ChatRequest chat{.system = prompt, .user = "Extract …"};
//   transport->Submit(ep, (*p)->BuildRequest(chat), est, [&](HttpResponse r) {
//     ProviderReply reply = (*p)->ParseResponse(r);            // status "ok" or an error class
//   });
//
// A Provider is immutable after MakeProvider: both methods are const and thread-safe.

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "providers/endpoint.h"
#include "providers/http.h"
#include "providers/result.h"

namespace comply {

struct ChatRequest {
  std::string system, user;                // system "" = no system message
  const nlohmann::json* schema = nullptr;  // when the endpoint sends the suite schema
  std::string schema_name;                 // the suite name, for json_schema.name / tool name
  bool tool_output = false;                // answer = first tool call's arguments
  int sample = 0;                          // not sent; part of the cache key
};

// Everything a Record needs from the wire.
struct ProviderReply {
  // ok | timeout | http_4xx | http_5xx | rate_limited | connection | bad_envelope, or
  // "cancelled" when the transport was cancelled (an interrupted run: write no record).
  std::string status = "ok";
  int http_status = 0;
  std::string text, finish_reason, model, request_id, system_fingerprint, error;
  std::int64_t input_tokens = 0;         // all prompt tokens, cached ones included
  std::int64_t cached_input_tokens = 0;  // of which read from the provider's prompt cache
  std::int64_t output_tokens = 0;
  bool hard_quota = false;  // out of quota / credit: stop the endpoint
  bool auth_error = false;  // 401 / 403: stop the endpoint after repeats
};

class Provider {
 public:
  virtual ~Provider() = default;
  // URL, headers (the API key included), JSON body. Never fails: the spec was checked by
  // MakeProvider.
  virtual HttpRequest BuildRequest(const ChatRequest& req) const = 0;
  // Tolerant reader: missing optional fields stay empty / 0. Never throws. When the reply
  // carries a tool call (OpenAI tool_calls / function_call, Anthropic tool_use) its
  // arguments are the answer text (compact JSON); otherwise the message text is.
  // Error texts never contain the API key.
  virtual ProviderReply ParseResponse(const HttpResponse& resp) const = 0;
};

// The adapter for spec.provider (openai | anthropic | http). Reads the API key from the
// environment variable named by spec.api_key_env (none when that is empty). Fails with
// kInvalidInput for replay (served by the orchestrator), an unknown provider, a missing
// base_url, an http spec without request_template or with a bad answer_pointer, or a named
// variable that is unset or empty — the message names the variable, never a value.
Result<std::unique_ptr<Provider>> MakeProvider(const EndpointSpec& spec);

// Shared by the adapters (provider_util in provider.cc).
namespace provider_internal {
// A reply for a transport error, or for a non-2xx status (429 rate_limited, 5xx http_5xx,
// other http_4xx; 3xx bad_envelope), with error text "HTTP 503: <server message>" using the
// body's error.message when there is one (truncated to 300 bytes). Returns nullopt-like
// status "ok" when `resp` is a 2xx that the adapter must parse.
ProviderReply ReplyForFailure(const HttpResponse& resp);
// `text` with every occurrence of `secret` replaced by "***" (no-op when secret is empty).
std::string Redact(std::string text, const std::string& secret);
// base_url without trailing slashes.
std::string TrimSlash(std::string url);
// A name valid for OpenAI json_schema.name / Anthropic tool names: [A-Za-z0-9_-]{1,64}.
std::string SafeName(const std::string& name);
// A string / integer member or "" / 0 when absent or of another type.
std::string StringAt(const nlohmann::json& j, const char* key);
std::int64_t IntAt(const nlohmann::json& j, const char* key);
// Appends `s` as a JSON string literal, byte for byte what nlohmann's dump(-1, ' ', false,
// error_handler_t::replace) writes for it (invalid UTF-8 becomes U+FFFD), without building a
// json value. Thread-safe.
void AppendJsonString(std::string* out, const std::string& s);
}  // namespace provider_internal

}  // namespace comply
