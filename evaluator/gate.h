#pragma once
// The deployment gate (DESIGN.md "Gate"): thresholds from `gate:` checked against summary.json
// and, for max_regression, against the comparison with a baseline run.
//
//   GateOutcome g = EvaluateGate(config.gate, summary, have_baseline ? &comparison : nullptr);
//   for (const GateCheck& c : g.checks) if (!c.passed) std::cerr << c.message << "\n";
//   return g.passed ? kExitOk : kExitGateFailed;
//
// What is checked, for each gated endpoint (gate.endpoints, or every endpoint of the summary
// with at least one record when that list is empty):
// - Suites without a per-suite override are pooled (their counts summed) and checked against
//   the base thresholds; the message names the endpoint only. With no overrides at all this is
//   the endpoint's own figures.
// - Each suite with an override (merged over the base: an unset optional threshold falls back
//   to the base, and so does max_error_rate when the override leaves it at its 0.02 default)
//   is checked alone; the message names "endpoint/suite".
// - min_compliance: the case-level compliance rate (mean per-case pass rate, summary.h; equal to
//   the record-level rate with repeat = 1), or its Wilson 95% lower bound when
//   min_compliance_on_lower_bound. No answered response fails it.
// - max_hallucination_rate: hallucinated / parsed (nothing parsed passes).
// - max_error_rate: errors / total (default 0.02, so a dead endpoint cannot pass).
// - max_regression (needs `comparison`, compare.h): fails only when the paired drop on shared
//   cases (baseline rate - current rate) exceeds the threshold AND McNemar's p < 0.05. An
//   endpoint or suite absent from the baseline is not checked.
// - An endpoint listed in gate.endpoints that has no records fails ("not in this run").
//
// Pure function of its inputs; thread-safe; never throws (a malformed summary is a failing
// check whose message says what is missing).

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "evaluator/config.h"

namespace comply {

struct GateCheck {
  std::string endpoint;
  std::string suite;  // empty: the endpoint's pooled suites (those without an override)
  // min_compliance | max_hallucination_rate | max_error_rate | max_regression | endpoint
  std::string check;
  double actual = std::numeric_limits<double>::quiet_NaN();  // NaN: not available
  double threshold = std::numeric_limits<double>::quiet_NaN();
  double p_value = std::numeric_limits<double>::quiet_NaN();  // max_regression only
  bool passed = false;
  // One line: "gate: small-finetuned: compliance 0.912 < min_compliance 0.980" (failed) or
  // "gate: small-finetuned: compliance 0.991 >= min_compliance 0.980" (passed).
  std::string message;
};

struct GateOutcome {
  // True when the spec sets any threshold beyond the default max_error_rate, lists endpoints
  // or has per-suite overrides. The default error-rate check runs either way.
  bool configured = false;
  bool passed = true;             // every check passed
  std::vector<GateCheck> checks;  // in order: endpoint, then pooled before per-suite checks
  std::vector<GateCheck> failures() const;
  // {"configured", "passed", "checks": [...], "failures": [{"endpoint", "suite", "check",
  //  "actual", "threshold", "p_value", "passed", "message"}]}; NaN figures as null.
  nlohmann::json ToJson() const;
};

// `comparison`: Compare()'s JSON (compare.h) against the baseline, or null for none.
GateOutcome EvaluateGate(const GateSpec& spec, const nlohmann::json& summary,
                         const nlohmann::json* comparison);

// True when `spec` was configured (see GateOutcome::configured).
bool GateConfigured(const GateSpec& spec);

}  // namespace comply
