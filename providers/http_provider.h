#pragma once
// The `http` adapter: any JSON-over-HTTP service. spec.request_template is the body; every
// `{{system}}`, `{{prompt}}` and `{{model}}` inside its string values is replaced (in the
// parsed tree, so the values are JSON-escaped correctly). POST to spec.base_url as is. The
// answer is at spec.answer_pointer (RFC 6901): a string is the text, any other JSON value is
// dumped compactly. `Authorization: Bearer KEY` when api_key_env is set; spec.headers added.
//
//   request_template: {"inputs": "{{system}}\n\n{{prompt}}", "parameters": {"seed": 1}}
//   answer_pointer: /generated_text

#include <memory>
#include <string>

#include "providers/provider.h"

namespace comply {

// Fails (kInvalidInput) when request_template is missing or answer_pointer is not a valid
// JSON Pointer.
Result<std::unique_ptr<Provider>> MakeHttpProvider(const EndpointSpec& spec, std::string api_key);

}  // namespace comply
