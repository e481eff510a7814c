#pragma once
// Prompt templates: `{{var}}`, `{{ var }}` and `{{a.b}}` placeholders filled from a case's vars.
//
//   std::string user = RenderPrompt(suite.prompt, c.vars);
//   std::string system = SystemPromptFor(suite, endpoint);
//
// Pure functions, thread-safe, never throw.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/suite.h"
#include "providers/endpoint.h"

namespace comply {

// One placeholder as written in a template.
struct Placeholder {
  std::string name;          // "a.b" (spaces trimmed)
  std::string text;          // "{{ a.b }}" as written
  std::size_t offset = 0;    // byte offset of "{{" in the template
};

// Every placeholder in `tmpl`, in order. A placeholder is `{{`, optional spaces, a dotted name
// of segments [A-Za-z0-9_-] (the first starting with a letter or `_`), optional spaces, `}}`.
// Anything else between braces (e.g. a JSON example) is plain text.
std::vector<Placeholder> FindPlaceholders(std::string_view tmpl);

// The value `name` ("a.b", "items.0") names in `vars`; null when absent. A numeric segment
// indexes an array.
const nlohmann::json* LookupVar(const nlohmann::json& vars, std::string_view name);

// The path rule LookupVar follows, for any document type: `name` split at dots; each segment
// goes to `step(segment, index)` with `index` its value when the segment is an array index
// (1 to 9 digits), else std::string_view::npos. `step` returns false where the path ends in
// nothing; WalkVarPath then returns false, and true when every segment was stepped.
template <typename Step>
bool WalkVarPath(std::string_view name, Step&& step) {
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view seg = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    std::size_t index = std::string_view::npos;
    if (!seg.empty() && seg.size() < 10 && seg.find_first_not_of("0123456789") == std::string_view::npos) {
      index = 0;
      for (char c : seg) index = index * 10 + static_cast<std::size_t>(c - '0');
    }
    if (!step(seg, index)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// Fills every placeholder: strings are inserted raw, other JSON values as compact JSON.
// A placeholder naming an absent var is left as written (suite loading refuses such cases,
// so this only shows up for inputs that were never loaded).
std::string RenderPrompt(std::string_view tmpl, const nlohmann::json& vars);

// The system prompt for `endpoint` in `suite`: suite.system_prompts[endpoint.label] when the
// suite has one for that label, else the endpoint's own system_prompt (may be empty).
std::string SystemPromptFor(const SuiteSpec& suite, const EndpointSpec& endpoint);

}  // namespace comply
