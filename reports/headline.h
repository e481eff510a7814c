#pragma once
// The figures every human-readable report shows, read once from summary.json, and the
// headline sentence that answers "should we ship the fine-tuned endpoint instead of the
// prompted one?" with numbers and their uncertainty.
//
//   std::vector<EndpointView> eps = EndpointViews(summary);
//   Matchup m = PickMatchup(summary);        // fine-tuned vs prompted (or the first two)
//   std::string text = Headline(summary);    // "small-finetuned is more compliant than ..."
//
// Pure functions of their inputs: thread-safe, never throw.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace comply {

// One endpoint's headline figures. Compliance is case-level (summary.h "case_level": the case
// is the unit with repeat > 1; equal to the record-level rate with repeat = 1), falling back
// to the record-level figures when case_level is absent.
struct EndpointView {
  std::string name, label, model;
  std::optional<double> compliance, ci_lo, ci_hi;
  std::optional<double> hallucination_rate, error_rate, p50_ms, p95_ms, cost_per_1k;
  std::optional<double> answered, total, cases, flaky, cached_share;
};

// Endpoints in display order (endpoint_order, then the other keys of "endpoints").
std::vector<EndpointView> EndpointViews(const nlohmann::json& summary);

// The two endpoints the headline compares: `candidate` labelled fine-tuned (label containing
// "fine") against `reference` labelled prompted ("prompt"); without such labels the second
// endpoint in display order against the first. `pair` is summary.comparison's entry for the
// two (nullptr when absent); `candidate_is_b` says which side of the pair the candidate is.
struct Matchup {
  std::optional<EndpointView> candidate, reference;
  const nlohmann::json* pair = nullptr;
  bool candidate_is_b = true;
};
Matchup PickMatchup(const nlohmann::json& summary);

// 95% interval for the paired difference of verdict rates (candidate - reference) from the
// discordant counts: Bonett & Price (2012) adjusted Wald, clamped to [-1, 1].
// `only_candidate` = cases compliant on the candidate only; `only_reference` likewise.
struct DeltaInterval {
  double lo = 0, hi = 0;
};
DeltaInterval PairedDeltaInterval(double only_candidate, double only_reference, double n);

// "at 1/8 of the cost per 1,000 requests ($0.70 vs $5.85)", "at 2.3× the cost …",
// "at about the same cost …"; empty when a figure is missing or the reference costs 0.
std::string CostPhrase(std::optional<double> candidate, std::optional<double> reference);

// The headline sentence (plain UTF-8 text, not escaped). Examples:
//   "small-finetuned is more compliant than large-prompted by 9.1 points (95% CI 4.0 to 14.2,
//    McNemar p = 0.002, 200 shared cases) at 1/8 of the cost per 1,000 requests ($0.70 vs
//    $5.85)."
//   "No significant compliance difference between small-finetuned and large-prompted:
//    +1.2 points (95% CI -2.0 to 4.4, McNemar p = 0.41); on 200 shared cases only differences
//    of 6.1 points or more are detectable. small-finetuned runs at ..."
//   "small-finetuned: 94.9% compliant (95% CI 92.8–96.4%) over 200 cases, $0.70 per 1,000
//    requests." (one endpoint)
std::string Headline(const nlohmann::json& summary);

}  // namespace comply
