#pragma once
// An endpoint as configured (DESIGN.md "Endpoint"). The config loader (evaluator/config.h)
// fills it; providers read it. Plain data.

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace comply {

struct Pricing {
  double input_per_mtok = 0;         // USD per million input tokens
  double cached_input_per_mtok = -1; // < 0: same as input
  double output_per_mtok = 0;
  bool set = false;
};

struct RateLimit {
  double rpm = 0;  // requests per minute, 0 = unlimited
  double tpm = 0;  // tokens per minute, 0 = unlimited
};

struct EndpointSpec {
  std::string name;
  std::string provider;  // openai | anthropic | http | replay
  std::string model;
  std::string base_url;
  std::string api_key_env;  // the variable's name; the key itself is never stored in a spec
  std::string system_prompt;  // from system_prompt or system_prompt_file (already read)
  nlohmann::json params = nlohmann::json::object();  // passed through to the request body
  std::map<std::string, std::string> headers;        // extra request headers (${ENV} expanded)
  int concurrency = 16;
  RateLimit rate_limit;
  double timeout_s = 60;
  int retries = 4;
  Pricing pricing;
  std::string label;  // e.g. prompted / fine-tuned: picks a suite's system_prompts entry
  bool response_format_schema = false;  // `response_format: schema`
  // provider-specific
  std::string api_version;             // azure openai: appended as ?api-version=
  std::string anthropic_version = "2023-06-01";
  nlohmann::json request_template;     // http: body template with {{system}} {{prompt}} {{model}}
  std::string answer_pointer;          // http: JSON Pointer to the answer text
  std::string replay_file;             // replay: JSONL recorded responses (absolute)
  std::string where;                   // "comply.yaml:12:5"
};

}  // namespace comply
