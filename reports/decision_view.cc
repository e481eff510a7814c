#include "reports/decision_view.h"

#include "reports/json_access.h"

namespace comply {

namespace {

using nlohmann::json;

void Flatten(const json& j, const std::string& prefix, int depth,
             std::vector<std::pair<std::string, std::string>>* facts) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    const json& v = it.value();
    if (v.is_object()) {
      if (depth < 3) Flatten(v, key, depth + 1, facts);
    } else if (v.is_array()) {
      std::string joined;
      bool scalars = true;
      for (const json& e : v) {
        if (e.is_structured()) scalars = false;
        if (!joined.empty()) joined += ", ";
        joined += ScalarText(e);
      }
      if (scalars) facts->emplace_back(key, joined);
    } else if (!v.is_null()) {
      facts->emplace_back(key, ScalarText(v));
    }
  }
}

}  // namespace

DecisionView ReadDecision(const json& decision) {
  DecisionView d;
  if (!decision.is_object() || decision.empty()) return d;
  d.present = true;
  d.verdict = Text(decision, {"recommendation"});
  if (const json* r = Find(decision, {"readiness"})) {
    if (r->is_string()) {
      d.verdict = d.verdict.empty() ? r->get<std::string>()
                                    : r->get<std::string>() + ": " + d.verdict;
    } else if (r->is_object()) {
      const std::string v = Text(*r, {"verdict"});
      if (!v.empty()) d.verdict = d.verdict.empty() ? v : v + ": " + d.verdict;
      if (const json* reasons = Find(*r, {"reasons"}); reasons && reasons->is_array()) {
        for (const json& x : *reasons) d.reasons.push_back(ScalarText(x));
      }
    }
  }
  if (const json* h = Find(decision, {"hybrid"}); h && h->is_object()) {
    d.hybrid_name = Text(*h, {"name"}, "hybrid");
    d.hybrid_compliance = Number(*h, {"compliance_rate"});
    d.hybrid_cost_per_1k = Number(*h, {"cost_per_1k_requests"});
  }
  json rest = decision;
  rest.erase("recommendation");
  if (d.hybrid_compliance || d.hybrid_cost_per_1k) rest.erase("hybrid");  // shown on its own
  if (const json* r = Find(decision, {"readiness"}); r && r->is_object()) {
    rest["readiness"].erase("verdict");
    rest["readiness"].erase("reasons");
  } else {
    rest.erase("readiness");
  }
  Flatten(rest, "", 1, &d.facts);
  return d;
}

}  // namespace comply
