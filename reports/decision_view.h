#pragma once
// Reading the decision-support JSON (ReportInputs::decision, shape in evaluator/decision.h):
// per-suite readiness sentences built from measured numbers only, the simulated hybrid point
// for the cost/compliance frontier, and per-endpoint figures (system-prompt weight estimate,
// cost projection, cost of non-compliance). No advice text: `verdict` stays empty.
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
