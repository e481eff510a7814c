#pragma once
// Reading the decision-support JSON (ReportInputs::decision: prompted vs fine-tuned). Its
// producer may grow; the writers render what is present: the verdict text, a hybrid point for
// the cost/compliance frontier, and every other scalar member as a "key: value" fact.
// Members read (all optional; reports/README.md "decision"):
//   "recommendation": "…"                      one sentence
//   "readiness": "ready" | {"verdict": "…", "reasons": ["…", …]}
//   "hybrid": {"name": "…", "compliance_rate": 0.97, "cost_per_1k_requests": 1.9, …}
//
//   DecisionView d = ReadDecision(in.decision);
//   if (d.present) for (auto& [k, v] : d.facts) ...
//
// Pure function: thread-safe, never throws.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace comply {

struct DecisionView {
  bool present = false;      // decision is a non-empty object
  std::string verdict;       // readiness / readiness.verdict / recommendation
  std::vector<std::string> reasons;
  std::string hybrid_name = "hybrid";
  std::optional<double> hybrid_compliance, hybrid_cost_per_1k;
  // Every other scalar member (and arrays of scalars, joined with ", "), flattened with "."
  // up to three levels, in document order of nlohmann (sorted keys).
  std::vector<std::pair<std::string, std::string>> facts;
};

DecisionView ReadDecision(const nlohmann::json& decision);

}  // namespace comply
