#include "evaluator/dataset_export.h"

#include <algorithm>
#include <map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/did_you_mean.h"
#include "evaluator/hash.h"
#include "evaluator/prompt.h"
#include "evaluator/run_dir.h"
#include "evaluator/run_reader.h"

namespace comply {

namespace {

using json = nlohmann::json;

struct Answer {
  std::string text;
  int count = 0;
};

}  // namespace

Result<ExportStats> ExportDataset(const ExportOptions& o) {
  auto resolved = ReadJsonFile(o.run_dir / "inputs" / "resolved.json");
  if (!resolved.ok()) {
    return InvalidInput(o.run_dir.string() + ": no inputs/resolved.json (not a `comply run` directory?): " +
                        resolved.error().message);
  }
  std::map<std::string, json> endpoints;
  std::vector<std::string> names;
  for (const json& e : resolved->value("endpoints", json::array())) {
    endpoints[e.value("name", "")] = e;
    names.push_back(e.value("name", ""));
  }
  for (const std::string& want : {o.endpoint, o.system_prompt_from}) {
    if (want.empty() || endpoints.count(want)) continue;
    std::string msg = "endpoint \"" + want + "\" is not in this run";
    if (std::string s = DidYouMean(want, names); !s.empty()) msg += "; did you mean \"" + s + "\"?";
    return InvalidInput(msg);
  }
  const json& prompt_ep = endpoints[o.system_prompt_from.empty() ? o.endpoint : o.system_prompt_from];
  const std::string label = prompt_ep.value("label", "");

  struct SuiteInfo {
    std::string system, prompt;
    std::map<std::string, json> vars;
  };
  std::map<std::string, SuiteInfo> suites;
  for (const json& s : resolved->value("suites", json::array())) {
    SuiteInfo info;
    const json sp = s.value("system_prompts", json::object());
    info.system = sp.contains(label) && sp[label].is_string() ? sp[label].get<std::string>()
                                                             : prompt_ep.value("system_prompt", "");
    info.prompt = s.value("prompt", "");
    for (const json& c : s.value("cases", json::array())) info.vars[c.value("id", "")] = c.value("vars", json::object());
    suites[s.value("name", "")] = std::move(info);
  }

  // Group this endpoint's usable answers by case; keep only distinct answers and counts.
  std::map<std::pair<std::string, std::string>, std::vector<Answer>> by_case;
  Status s = ReadRunResults(o.run_dir, [&](Record&& r) {
    if (r.endpoint != o.endpoint) return;
    auto& answers = by_case[{r.suite, r.case_id}];
    if (!r.ok() || (!r.compliant && !o.include_noncompliant)) return;
    std::string text = r.parsed.is_null() ? std::move(r.output)
                                          : r.parsed.dump(-1, ' ', false, json::error_handler_t::replace);
    auto it = std::find_if(answers.begin(), answers.end(), [&](const Answer& a) { return a.text == text; });
    if (it == answers.end()) {
      answers.push_back({std::move(text), 1});
    } else {
      ++it->count;
    }
  });
  if (!s.ok()) return s.error();

  auto out = ResultsWriter::Open(o.out, /*append=*/false);
  if (!out.ok()) return out.error();
  ExportStats stats;
  std::unordered_set<std::uint64_t> seen;
  for (auto& [key, answers] : by_case) {
    ++stats.cases_seen;
    auto best = std::max_element(answers.begin(), answers.end(),
                                 [](const Answer& a, const Answer& b) { return a.count < b.count; });
    if (best == answers.end() || best->count < std::max(1, o.min_agreement)) {
      ++stats.below_agreement;
      continue;
    }
    auto sit = suites.find(key.first);
    if (sit == suites.end()) continue;
    auto vit = sit->second.vars.find(key.second);
    const std::string user = RenderPrompt(sit->second.prompt, vit == sit->second.vars.end() ? json::object() : vit->second);
    json messages = json::array();
    if (!sit->second.system.empty()) messages.push_back({{"role", "system"}, {"content", sit->second.system}});
    messages.push_back({{"role", "user"}, {"content", user}});
    messages.push_back({{"role", "assistant"}, {"content", best->text}});
    const std::string line = json{{"messages", messages}}.dump(-1, ' ', false, json::error_handler_t::replace);
    if (!seen.insert(Fnv1a64(line)).second) {
      ++stats.duplicates;
      continue;
    }
    if (Status w = (*out)->Append(line); !w.ok()) return w.error();
    ++stats.written;
    ++stats.per_suite[key.first];
  }
  if (Status f = (*out)->Flush(); !f.ok()) return f.error();
  return stats;
}

}  // namespace comply
