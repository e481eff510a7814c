#pragma once
// The `anthropic` adapter (Messages API).
//
//   POST {base_url}/v1/messages    x-api-key: KEY    anthropic-version: spec.anthropic_version
//   {"model": …, "system": …, "messages": [{"role":"user","content":…}], "max_tokens": 1024,
//    …params}
//
// A base_url that already ends in /v1 is not doubled. When the suite schema is sent
// (ChatRequest.schema) it becomes one forced tool whose input_schema is the schema; the
// answer is then that tool_use block's input. stop_reason maps to OpenAI finish_reason names
// (end_turn/stop_sequence → stop, max_tokens → length, tool_use → tool_calls). input_tokens
// in the reply counts all prompt tokens (input + cache reads + cache writes), as OpenAI does.

#include <memory>
#include <string>

#include "providers/provider.h"

namespace comply {

std::unique_ptr<Provider> MakeAnthropicProvider(const EndpointSpec& spec, std::string api_key);

}  // namespace comply
