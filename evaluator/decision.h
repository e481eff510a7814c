#pragma once
// Prompted vs fine-tuned decision support, from a finished run's measured numbers only:
// system-prompt weight (estimated), cost projection at a daily volume, a hybrid-routing
// simulation, and a per-suite readiness summary. Reports render the JSON; nothing here
// gives advice the numbers do not support.
//
//   auto d = ComputeDecision(run_dir, summary, /*queries_per_day=*/50000);
//   in.decision = *d;
//
// or, in the same pass over results.jsonl as the summary (what FinalizeRun does):
//
//   auto acc = DecisionAccumulator::Open(run_dir);            // reads inputs/resolved.json
//   if (!acc.ok()) return acc.error();
//   ReadRunResults(run_dir, [&](Record&& r) { summary.Add(r); (*acc)->Add(r); });
//   in.decision = (*acc)->Finish(summary.Finish(), /*queries_per_day=*/50000);
//
// ─── decision JSON (version 1) ───────────────────────────────────────────────────────────
// {
//   "decision_version": 1,
//   "queries_per_day": 50000 | null,             // null: no volume configured
//   "endpoints": {"small-finetuned": {
//       "label": "fine-tuned",
//       "system_prompt_chars": 120,
//       "system_prompt_tokens": {"estimate": 31.8, "method": "…", "samples": 600,
//                                "slope_tokens_per_char": 0.25, "r2": 0.97} | null,
//           // the intercept of input tokens regressed (least squares) on the user message's
//           // length in characters, over answered non-cached responses with usage; null when
//           // fewer than 3 distinct user lengths were observed
//       "compliance_rate": 0.95, "compliance_ci": [lo, hi],   // case level (summary.json)
//       "cost_per_request": 0.00012 | null,      // measured: cost_usd / answered
//       "daily_cost": 6.0, "monthly_cost": 180.0,          // × queries_per_day (× 30)
//       "noncompliant_daily_cost": 0.3,          // the share of that spend on non-compliant
//                                                //   answers (1 - compliance) × daily_cost
//       "retry_daily_cost": 0.31                 // extra spend if every non-compliant answer
//                                                //   is retried until compliant:
//                                                //   daily_cost × (1 - c) / c
//   }},
//   "hybrid": {                                  // null with fewer than 2 endpoints
//     "simulation": true,
//     "note": "simulated: each group routed to its best measured endpoint; not a run",
//     "route_by": "suite and first tag",
//     "routes": [{"suite": "invoice", "tag": "core", "cases": 40, "endpoint": "small-finetuned",
//                 "compliance_rate": 0.975, "cost_per_request": 0.0001}, …],
//     "cases": 200, "compliance_rate": 0.96, "compliance_ci": [lo, hi],
//     "cost_per_request": 0.0004, "cost_per_1k_requests": 0.4,
//     "daily_cost": 20.0, "monthly_cost": 600.0
//   },
//   "readiness": [{"suite": "invoice", "cases": 60, "labelled_cases": 60,
//                  "system_prompt_tokens": {"large-prompted": 812.0, "small-finetuned": 31.8},
//                  "compliance": {"large-prompted": 0.91, "small-finetuned": 0.97},
//                  "gap": {"a": "large-prompted", "b": "small-finetuned", "delta": 0.06,
//                          "ci": [0.01, 0.11]} | null,  // b - a, Newcombe hybrid score
//                                                        //   interval from Wilson bounds
//                  "projected_daily_cost_difference": -12.5 | null}, …]   // b - a
// }
// ComputeDecision is thread-safe (pure apart from reading the run directory).

#include <filesystem>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/record.h"
#include "providers/result.h"

namespace comply {

// Decision support fed one record at a time. Memory: flat in the number of cases and records.
// Open spills one compact tuple per case of resolved.json, Add one per record (spill.h:
// buffered anonymous temporary files in std::filesystem::temp_directory_path(), gone whatever
// happens); Finish joins them by case, one hash partition (~16,000 records) at a time, and
// fits the system-prompt regression in two passes over spilled points (every point is used).
// In memory stay per-suite, per-endpoint and per-group counters. Not thread-safe (one thread
// calls Add).
class DecisionAccumulator {
 public:
  ~DecisionAccumulator();
  DecisionAccumulator(const DecisionAccumulator&) = delete;
  DecisionAccumulator& operator=(const DecisionAccumulator&) = delete;

  // Reads run_dir/inputs/resolved.json (the suites' cases and the endpoints' system prompts).
  // Fails as ReadJsonFile does (kIo when missing or unreadable, kInvalidInput when not JSON).
  static Result<std::unique_ptr<DecisionAccumulator>> Open(const std::filesystem::path& run_dir);
  // The same from resolved.json's parts as they are written (evaluator/run_inputs.h), without
  // reading the file back: Begin with the document whose "cases" lists are empty, then AddCase
  // for each case in file order with the index of its suite in "suites".
  static std::unique_ptr<DecisionAccumulator> Begin(const nlohmann::json& without_cases);
  void AddCase(std::size_t suite_index, const nlohmann::json& case_json);
  // Counts one record of results.jsonl (any order gives the same result).
  void Add(const Record& r);
  // The part of Finish that does not need the summary: joins the records with the cases and
  // fits the system-prompt regressions. May run on another thread (one at a time, after the
  // last Add) while the summary is built; Finish calls it when it has not run. Idempotent.
  void Prepare();
  // The decision JSON (shape above) from the records added and the run's summary.json.
  // `queries_per_day` <= 0: no projection. Call once, after the last Add (and after Prepare,
  // if that runs on another thread, has returned).
  nlohmann::json Finish(const nlohmann::json& summary, double queries_per_day);

 private:
  struct State;
  explicit DecisionAccumulator(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Reads run_dir/results.jsonl and run_dir/inputs/resolved.json. `queries_per_day` <= 0:
// no projection (costs per request only). DecisionAccumulator over every record.
Result<nlohmann::json> ComputeDecision(const std::filesystem::path& run_dir,
                                       const nlohmann::json& summary, double queries_per_day);

// Least-squares fit y = intercept + slope * x. n < 2 or constant x: ok = false.
struct LinearFit {
  bool ok = false;
  double intercept = 0, slope = 0, r2 = 0;
  std::size_t n = 0;
};
LinearFit FitLine(const std::vector<double>& x, const std::vector<double>& y);

// Newcombe's hybrid score interval (method 10) for p_b - p_a from two Wilson intervals.
struct DiffInterval {
  double lo = 0, hi = 0;
};
DiffInterval NewcombeDifference(double pa, double lo_a, double hi_a, double pb, double lo_b,
                                double hi_b);

}  // namespace comply
