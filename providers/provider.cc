#include "providers/provider.h"

#include <cmath>
#include <cstdlib>

#include "providers/anthropic.h"
#include "providers/http_provider.h"
#include "providers/openai.h"

namespace comply {
namespace provider_internal {

ProviderReply ReplyForFailure(const HttpResponse& resp) {
  ProviderReply r;
  r.http_status = resp.status;
  if (!resp.error_class.empty()) {
    r.status = resp.error_class;  // timeout | connection | cancelled
    r.error = resp.error;
    return r;
  }
  if (resp.status >= 200 && resp.status < 300) return r;
  if (resp.status == 429) {
    r.status = "rate_limited";
  } else if (resp.status >= 500) {
    r.status = "http_5xx";
  } else if (resp.status >= 400) {
    r.status = "http_4xx";
  } else {
    r.status = "bad_envelope";
  }
  r.auth_error = resp.status == 401 || resp.status == 403;
  std::string detail;
  nlohmann::json j = nlohmann::json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object()) {
    auto e = j.find("error");
    if (e != j.end() && e->is_object()) {
      detail = StringAt(*e, "message");
    } else if (e != j.end() && e->is_string()) {
      detail = e->get<std::string>();
    } else {
      detail = StringAt(j, "message");
    }
  }
  if (detail.empty()) detail = resp.body;  // not our envelope: show what the server said
  if (detail.size() > 300) detail = detail.substr(0, 300) + "…";
  r.error = "HTTP " + std::to_string(resp.status) + (detail.empty() ? "" : ": " + detail);
  return r;
}

std::string Redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (std::size_t pos = text.find(secret); pos != std::string::npos;
       pos = text.find(secret, pos + 3)) {
    text.replace(pos, secret.size(), "***");
  }
  return text;
}

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string SafeName(const std::string& name) {
  std::string out;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    out += ok ? c : '_';
    if (out.size() == 64) break;
  }
  return out.empty() ? "response" : out;
}

std::string StringAt(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::int64_t IntAt(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return 0;
  if (!it->is_number_float()) return it->get<std::int64_t>();
  double d = it->get<double>();
  return std::fabs(d) < 9e18 ? static_cast<std::int64_t>(d) : 0;  // no UB on absurd values
}

namespace {

// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF) — the
// sequences nlohmann's decoder accepts.
bool ValidUtf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace

void AppendJsonString(std::string* out, const std::string& s) {
  if (!ValidUtf8(s)) {  // rare: nlohmann's own replacement rules
    *out += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  // nlohmann's escapes with ensure_ascii off: the short forms, \u00xx for other control
  // characters, everything else (UTF-8 included) as is.
  static constexpr char kHex[] = "0123456789abcdef";
  out->reserve(out->size() + s.size() + 2);
  out->push_back('"');
  std::size_t run = 0;  // start of the pending unescaped bytes
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out->append(esc, 6);
      }
    }
  }
  out->append(s, run, std::string::npos);
  out->push_back('"');
}

}  // namespace provider_internal

Result<std::unique_ptr<Provider>> MakeProvider(const EndpointSpec& spec) {
  const std::string where = spec.where.empty() ? "" : spec.where + ": ";
  const std::string who = where + "endpoint '" + spec.name + "'";
  if (spec.provider == "replay") {
    return InvalidInput(who + ": replay endpoints are answered from their file, not by a provider");
  }
  if (spec.provider != "openai" && spec.provider != "anthropic" && spec.provider != "http") {
    return InvalidInput(who + ": unknown provider '" + spec.provider +
                        "' (expected openai, anthropic, http or replay)");
  }
  if (spec.base_url.empty()) return InvalidInput(who + ": base_url is required");
  std::string key;
  if (!spec.api_key_env.empty()) {
    const char* value = std::getenv(spec.api_key_env.c_str());
    if (value == nullptr) {
      return InvalidInput(who + ": environment variable " + spec.api_key_env +
                          " (api_key_env) is not set");
    }
    if (*value == '\0') {
      return InvalidInput(who + ": environment variable " + spec.api_key_env +
                          " (api_key_env) is empty");
    }
    key = value;
  }
  if (spec.provider == "openai") return MakeOpenAiProvider(spec, std::move(key));
  if (spec.provider == "anthropic") return MakeAnthropicProvider(spec, std::move(key));
  return MakeHttpProvider(spec, std::move(key));
}

}  // namespace comply
