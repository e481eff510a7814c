#include "evaluator/prompt.h"

namespace comply {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-'; }

// Parses the placeholder starting at tmpl[pos] == '{'; returns its length, 0 if none.
std::size_t ParsePlaceholder(std::string_view tmpl, std::size_t pos, std::string* name) {
  if (tmpl.compare(pos, 2, "{{") != 0) return 0;
  std::size_t i = pos + 2;
  while (i < tmpl.size() && tmpl[i] == ' ') ++i;
  const std::size_t start = i;
  bool segment_start = true;
  while (i < tmpl.size()) {
    const char c = tmpl[i];
    if (segment_start) {
      // The first segment must start like an identifier; later ones may be array indices.
      if (!(i == start ? IsNameStart(c) : IsNameChar(c))) return 0;
      segment_start = false;
    } else if (c == '.') {
      segment_start = true;
    } else if (!IsNameChar(c)) {
      break;
    }
    ++i;
  }
  if (segment_start) return 0;  // empty name or a trailing '.'
  const std::size_t end = i;
  while (i < tmpl.size() && tmpl[i] == ' ') ++i;
  if (tmpl.compare(i, 2, "}}") != 0) return 0;
  *name = std::string(tmpl.substr(start, end - start));
  return i + 2 - pos;
}

}  // namespace

std::vector<Placeholder> FindPlaceholders(std::string_view tmpl) {
  std::vector<Placeholder> out;
  std::size_t pos = tmpl.find("{{");
  while (pos != std::string_view::npos) {
    std::string name;
    const std::size_t len = ParsePlaceholder(tmpl, pos, &name);
    if (len == 0) {
      pos = tmpl.find("{{", pos + 1);
      continue;
    }
    out.push_back(Placeholder{name, std::string(tmpl.substr(pos, len)), pos});
    pos = tmpl.find("{{", pos + len);
  }
  return out;
}

const nlohmann::json* LookupVar(const nlohmann::json& vars, std::string_view name) {
  const nlohmann::json* cur = &vars;
  const bool found = WalkVarPath(name, [&cur](std::string_view seg, std::size_t index) {
    if (cur->is_object()) {
      auto it = cur->find(seg);
      if (it == cur->end()) return false;
      cur = &*it;
      return true;
    }
    if (!cur->is_array() || index == std::string_view::npos || index >= cur->size()) return false;
    cur = &(*cur)[index];
    return true;
  });
  return found ? cur : nullptr;
}

std::string RenderPrompt(std::string_view tmpl, const nlohmann::json& vars) {
  std::string out;
  std::size_t done = 0;
  for (const Placeholder& p : FindPlaceholders(tmpl)) {
    out.append(tmpl.substr(done, p.offset - done));
    done = p.offset + p.text.size();
    const nlohmann::json* v = LookupVar(vars, p.name);
    if (v == nullptr) {
      out += p.text;
    } else if (v->is_string()) {
      out += v->get_ref<const std::string&>();
    } else {
      out += v->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  out.append(tmpl.substr(done));
  return out;
}

std::string SystemPromptFor(const SuiteSpec& suite, const EndpointSpec& endpoint) {
  if (!endpoint.label.empty()) {
    auto it = suite.system_prompts.find(endpoint.label);
    if (it != suite.system_prompts.end()) return it->second;
  }
  return endpoint.system_prompt;
}

}  // namespace comply
