#pragma once
// Private to the mock server: the OpenAI and Anthropic wire formats, reading requests and
// writing responses and error bodies.
//
//   Result<mock::ChatRequest> r = mock::ParseOpenAiRequest(body);
//   nlohmann::json out = mock::OpenAiResponse(completion);

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "providers/mock_defects.h"
#include "providers/result.h"

namespace comply::mock {

struct ChatRequest {
  std::string model;
  std::string system;             // every system / developer text, joined by blank lines
  std::string user;               // the last user message's text
  std::size_t prompt_chars = 0;   // every message's text, the system prompt included
  std::size_t messages = 0;       // how many messages (a system prompt counts as one)
  std::optional<std::string> tool_name;  // set when the request offers tools
  std::optional<std::int64_t> max_tokens;
  bool stream = false;
  bool cache_control = false;     // Anthropic: a system block asks for prompt caching
};

// Errors (kInvalidInput) carry the message to return in a 400 body.
Result<ChatRequest> ParseOpenAiRequest(std::string_view body);
Result<ChatRequest> ParseAnthropicRequest(std::string_view body);

struct Completion {
  std::string id;           // chatcmpl-... / msg_...
  std::string tool_call_id; // call_... / toolu_...
  std::string model;
  std::string fingerprint;  // system_fingerprint
  std::int64_t created = 0; // Unix seconds
  Answer answer;
  // prompt_tokens includes cached_tokens (OpenAI's convention) and cache_write_tokens.
  std::int64_t prompt_tokens = 0, cached_tokens = 0, cache_write_tokens = 0,
               completion_tokens = 0;
  std::optional<std::string> tool_name;
};

// A chat.completion object: the answer as message.content, or as a function tool call when
// the request had tools and the answer text parses as JSON (or was truncated).
nlohmann::json OpenAiResponse(const Completion& c);
// A Messages API message: a text block, or a tool_use block when the request had tools and
// the answer text parses as a JSON object.
nlohmann::json AnthropicResponse(const Completion& c);

// Error bodies in each format.
nlohmann::json OpenAiError(const std::string& message, const std::string& type,
                           const std::optional<std::string>& code);
nlohmann::json AnthropicError(const std::string& type, const std::string& message);

}  // namespace comply::mock
