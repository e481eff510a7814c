#include "providers/retry.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

namespace comply {

bool IsHardQuotaBody(std::string_view body) {
  if (body.empty()) return false;
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    const nlohmann::json& e = j["error"];
    for (const char* field : {"code", "type"}) {
      auto it = e.find(field);
      if (it != e.end() && it->is_string()) {
        const std::string& v = it->get_ref<const std::string&>();
        if (v == "insufficient_quota" || v == "billing_error") return true;
      }
    }
  }
  // Anthropic reports an exhausted balance as a plain invalid_request_error.
  return body.find("credit balance is too low") != std::string_view::npos;
}

bool IsRetryable(const HttpResponse& resp) {
  if (resp.error_class == "timeout" || resp.error_class == "connection") return true;
  if (!resp.error_class.empty()) return false;
  switch (resp.status) {
    case 429:
      return !IsHardQuotaBody(resp.body);
    case 408:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

std::optional<double> ParseRetryAfter(std::string_view value, std::time_t now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r'))
    value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  std::string text(value);
  if (std::isdigit(static_cast<unsigned char>(text[0]))) {
    char* end = nullptr;
    double s = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !std::isfinite(s) || s < 0) return std::nullopt;
    return s;
  }
  std::time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::max(0.0, std::difftime(when, now));
}

double RetryPolicy::DelaySeconds(int attempts, const HttpResponse& last, std::time_t now,
                                 double uniform01) const {
  if (last.error_class.empty() && (last.status == 429 || last.status == 503)) {
    std::string_view ra = FindHeader(last.headers, "retry-after");
    if (!ra.empty()) {
      if (std::optional<double> s = ParseRetryAfter(ra, now)) return std::min(*s, max_retry_after_s);
    }
  }
  double ceiling = base_s * std::ldexp(1.0, std::clamp(attempts - 1, 0, 30));
  return std::clamp(uniform01, 0.0, 1.0) * std::min(cap_s, ceiling);
}

}  // namespace comply
