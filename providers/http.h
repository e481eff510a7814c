#pragma once
// The wire types between a provider adapter and the transport: one HTTP POST and what came
// back. Plain data, no library types.
//
//   HttpRequest req{"https://api.openai.com/v1/chat/completions",
//                   {{"Content-Type", "application/json"}}, R"({"model":"gpt-4o"})"};
//   transport->Submit(ep, std::move(req), 800, [](HttpResponse r) {
//     if (r.error_class.empty() && r.status == 200) Use(r.body);
//   });

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comply {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Always a POST with a JSON body.
struct HttpRequest {
  std::string url;
  HttpHeaders headers;  // as sent; may contain the API key: never log or hash these blindly
  std::string body;
};

struct HttpResponse {
  int status = 0;  // 0 = no HTTP response
  std::string body;
  HttpHeaders headers;      // lower-cased names, in arrival order
  std::string error_class;  // "" on any HTTP response; else timeout | connection | cancelled
  std::string error;        // human text, never a secret (no request headers in it)
  double latency_ms = 0;    // of the final attempt
  int attempts = 0;         // HTTP tries made (0 when cancelled before the first)
};

// The value of the first header named `name` (compare lower-case), or "" when absent.
inline std::string_view FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace comply
