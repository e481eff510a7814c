#pragma once
// Comparing a run against a baseline run (DESIGN.md "Summary", `comply compare RUN_A RUN_B`,
// `--baseline`): per endpoint, paired on the shared cases.
//
//   Result<nlohmann::json> c = CompareRuns("runs/nightly-41", "runs/nightly-42", {});
//   if (!c.ok()) return c.error();
//   std::cout << RenderCompareText(*c);          // or c->dump(2) for --json
//   GateOutcome g = EvaluateGate(spec, summary, &*c);
//
// Records are streamed (run_reader.h) into two SummaryBuilders, which keep one compact entry
// per case; nothing else of a record is kept. Thread-safe for independent calls.
//
// ─── comparison JSON (version 1) ────────────────────────────────────────────────────────────
// {
//   "compare_version": 1,
//   "baseline": {"dir": "runs/nightly-41", "run_id": "…", "records": 1200, "bad_lines": 0,
//                "torn_last_line": false},     // dir/run_id/bad_lines/torn_last_line only
//   "current":  {…same…},                       //   from CompareRuns
//   "unit": "case", "verdict": "majority",      // as summary.h's comparison: a case complies
//                                               //   when compliant samples * 2 > answered
//   "endpoint_order": ["large-prompted", "small-finetuned"],  // current's order, then
//                                                             //   baseline-only endpoints
//   "endpoints": {
//     "small-finetuned": {
//       "status": "both" | "added" | "removed",  // in both runs / current only / baseline only
//       "paired": <PAIRED>,                    // over every suite; absent unless "both"
//       "suites": {"invoice": {"status": "both", "paired": <PAIRED>}, …},  // unless "both":
//                                              //   {"status": "added" | "removed"} only
//       "metrics": {                           // endpoint-level summary figures
//         "compliance_rate": {"baseline": 0.958, "current": 0.921, "delta": -0.037}, …
//       },   // compliance_rate, case_compliance_rate, error_rate, parse_rate,
//            // schema_valid_rate, hallucination_rate, field_accuracy, latency_p50_ms,
//            // latency_p95_ms, latency_p99_ms, cost_per_1k_requests, cached_share,
//            // template_drift_mean; a side without the figure is null, and so is delta
//       "drift": {"code_fence": {"baseline": 2, "current": 9, "baseline_share": 0.01,
//                                "current_share": 0.045, "delta_share": 0.035}, …},
//            // all eight categories; shares of answered responses (null when none)
//       "added_count": 3,   "added_cases":   [{"suite": "invoice", "case_id": "inv-201"}, …],
//       "removed_count": 1, "removed_cases": [{…}],
//       "new_failures_count": 9, "new_failures": [{…}],   // complied before, not now
//       "fixed_count": 2, "fixed_cases": [{…}]            // did not comply before, do now
//            // lists sorted by (suite, case_id), at most CompareOptions::list_cap entries;
//            // a case is present in a run when it has a record there (errors included),
//            // and added / removed are about presence
//     }, …
//   }
// }
// <PAIRED>: {
//   "shared_cases": 200,       // answered (>= 1 ok sample) in both runs
//   "unanswered_cases": 1,     // present in both runs but with no answer in one of them
//   "both_compliant": 180, "new_failures": 9, "fixed": 2, "neither_compliant": 9,
//   "baseline_rate": 0.945, "current_rate": 0.91,  // verdict rates on the shared cases
//   "delta": -0.035,           // current_rate - baseline_rate
//   "test": "mcnemar_exact",   // two-sided exact binomial on new_failures vs fixed (stats.h)
//   "p_value": 0.065 | null,   // null without shared cases
//   "significant": false,      // p_value < 0.05
//   "mde": 0.041 | null,       // MinimumDetectableEffectPaired(shared, observed discordant
//                              //   share): alpha 0.05, power 0.8
//   "unpaired": {…}            // only when cases were added or removed: summary.h's unpaired
//                              //   test over every answered case of each run ("a" = baseline)
// }

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "evaluator/summary.h"
#include "providers/result.h"

namespace comply {

struct CompareOptions {
  std::size_t list_cap = 50;  // max entries of each case list
};

// Compares two filled builders (no "dir" / "run_id" / read figures in "baseline"/"current").
// Never throws.
nlohmann::json Compare(const SummaryBuilder& baseline, const SummaryBuilder& current,
                       const CompareOptions& options = {});

// Streams both run directories' results.jsonl (tolerating a torn last line; other bad lines
// are skipped and counted in "bad_lines") and compares them. run_id comes from each
// manifest.json when present. Fails with kIo when a results.jsonl cannot be read.
Result<nlohmann::json> CompareRuns(const std::filesystem::path& baseline_dir,
                                   const std::filesystem::path& current_dir,
                                   const CompareOptions& options = {});

// The human-readable rendering for `comply compare RUN_A RUN_B` (plain text, no colour,
// lines under 100 columns, ends with a newline).
std::string RenderCompareText(const nlohmann::json& comparison);

}  // namespace comply
