#pragma once
// The `openai` adapter: any OpenAI-compatible chat-completions server (OpenAI, Azure OpenAI,
// vLLM, Ollama, llama.cpp server, TGI).
//
//   POST {base_url}/chat/completions            Authorization: Bearer KEY
//   POST {base_url}/chat/completions?api-version=V   api-key: KEY   (Azure: spec.api_version)
//   {"model": …, "messages": [{"role":"system",…}, {"role":"user",…}], …params,
//    "response_format": {"type":"json_schema","json_schema":{"name","schema","strict":true}}}
//
// No Authorization header when spec.api_key_env is empty (local servers).

#include <memory>
#include <string>

#include "providers/provider.h"

namespace comply {

// `api_key` may be empty. Use MakeProvider(); this is its openai branch.
std::unique_ptr<Provider> MakeOpenAiProvider(const EndpointSpec& spec, std::string api_key);

}  // namespace comply
