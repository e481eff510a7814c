#pragma once
// summary.json: streaming aggregation of result records (DESIGN.md "Summary").
//
//   SummaryContext ctx;
//   ctx.run_id = "20261127T221500Z";
//   ctx.repeat = 3;
//   ctx.endpoints = {{.name = "large-prompted", .label = "prompted", .model = "gpt-4o"},
//                    {.name = "small-finetuned", .label = "fine-tuned", .model = "ft-v3"}};
//   SummaryBuilder b(ctx);
//   for (const Record& r : records) b.Add(r);      // any order, millions are fine
//   nlohmann::json summary = b.Finish();           // write as summary.json
//
// Memory: flat in the number of records and cases. Per record, Add appends a compact tuple
// (case key and id, endpoint, suite, tag set, outcome bits) and one (scope, latency) pair per
// scope it counts in to buffered temporary files (spill.h; SummaryContext::spill_dir, removed
// whatever happens); in memory stay counters and small maps keyed by endpoint, suite, tag,
// pointer, rule id and model. Finish aggregates the cases one hash partition (~16,000
// records) at a time, merges the partitions' cases back into the order first seen (so sums
// over cases are the same doubles as when added in that order), and finds exact latency
// percentiles in four passes over the spilled latencies (spill_percentile.h).
//
// Thread safety: not thread-safe; one thread calls Add (e.g. the writer stage). Finish is
// const and may be called more than once (e.g. for progress; each call re-reads the spill,
// O(records)); it never throws.
//
// ─── summary.json shape (version 1) ─────────────────────────────────────────────────────────
// Rates are numbers in [0, 1]; a rate or mean whose denominator is 0 is `null`. Maps whose keys
// are names (endpoints, suites, tags, pointers, rule ids, statuses) are JSON objects, so their
// keys come out sorted; `endpoint_order` gives the configured order for display.
//
// {
//   "summary_version": 1,
//   "run": {"id": "20261127T221500Z", "config": "/abs/comply.yaml", "started": "…Z",
//           "finished": "…Z", "repeat": 3, "shard": ""},          // SummaryContext, verbatim
//   "totals": {"records": 1200, "cases": 200, "endpoints": 2},     // cases = distinct
//                                                                  //   (suite, case_id)
//   "endpoint_order": ["large-prompted", "small-finetuned"],  // context order, then any
//                                                             //   endpoint only seen in records
//   "endpoints": {
//     "small-finetuned": {
//       "endpoint": "small-finetuned", "label": "fine-tuned", "model": "ft-v3",
//       "provider": "openai",
//       "pricing": {"input_per_mtok": 0.3, "cached_input_per_mtok": 0.15,
//                   "output_per_mtok": 1.2} | null,           // null when not configured
//       "served_models": {"ft-v3-2026-11-01": 600},           // record.model -> records
//       <METRICS>,                                            // over every suite
//       "suites": {"invoice": {<METRICS>}, …},
//       "tags":   {"core":    {<METRICS>}, …}                 // a record counts once per tag
//     }, …
//   },
//   "comparison": <COMPARISON>
// }
//
// <METRICS> (the same members at endpoint, suite and tag level):
//   "total": 600,                  // records (every sample, errors included)
//   "answered": 590,               // status "ok"
//   "errors": 10,                  // status != "ok"
//   "error_rate": 0.0167,          // errors / total
//   "errors_by_status": {"timeout": 7, "http_5xx": 3},        // only statuses that occurred
//   "compliant": 560,
//   "compliance_rate": 0.949,      // compliant / answered (record level)
//   "compliance_ci": [0.928, 0.964],  // 95% Wilson interval on compliant / answered
//   "parsed": 585,                 // answered records with a non-null `parsed`
//   "parse_rate": 0.992,           // parsed / answered JSON-task responses (records of
//                                  //   template-only text suites are not in the denominator)
//   "schema_valid": 570, "schema_valid_rate": 0.974,          // over parsed
//   "hallucinated": 4,             // parsed records with >= 1 hallucinated field
//   "hallucination_rate": 0.0068,  // hallucinated / parsed
//   "hallucinated_fields": {"/line_items/*/discount": 3, "/note": 1},
//       // occurrences; array indices replaced by `*` (an all-digit segment whose parent in
//       // the record's `parsed` is an array; a digit-named object member keeps its name)
//   "drift": {"code_fence": 2, "leading_text": 0, "trailing_text": 0, "multiple_json": 0,
//             "truncated": 1, "malformed": 0, "not_json": 0, "empty": 0},
//       // answered records showing the category; all eight keys always present
//   "rule_failures": {"invoice-number": 5},   // records failing the rule (id counted once a
//                                             //   record)
//   "field_accuracy": {"matched": 410, "total": 440, "accuracy": 0.932,   // all gold fields
//                      "fields": {"/invoice_number": {"matched": 98, "total": 100,
//                                                     "accuracy": 0.98}, …}},
//       // from records' field_matches (answered records of cases with `expected`)
//   "latency_ms": {"count": 580, "mean": 812.5, "p50": 790.0, "p95": 1400.2, "p99": 2100.7},
//       // answered, non-cached records; percentiles by linear interpolation between closest
//       // ranks (numpy's default, Hyndman–Fan type 7); computed on float copies
//   "tokens": {"input": 123000, "cached_input": 40000, "output": 45000,    // sums, all records
//              "mean_input": 208.5, "mean_cached_input": 67.8, "mean_output": 76.3},
//                                                                   // means over answered
//   "cost_usd": 0.4120,            // sum of records' cost_usd
//   "cost_per_1k_requests": 0.698, // cost_usd / answered * 1000
//   "cached": 0, "cached_share": 0.0,          // answered records served from the cache
//   "template": {"checked": 100, "ok": 93, "drift_mean": 0.041} | null,
//       // answered records with a `template` outcome; null when no template applied
//   "case_level": {
//     "cases": 200,                // distinct (suite, case_id) with >= 1 answered sample
//     "unanswered_cases": 0,       // distinct cases whose every sample is an error
//     "samples": 590,              // answered samples of those cases
//     "compliance_rate": 0.95,     // mean over cases of (compliant samples / answered samples)
//     "compliance_ci": [0.911, 0.973],
//         // Wilson 95% interval with p = compliance_rate and n = cases (the case is the
//         // statistical unit; with repeat = 1 this equals the record-level interval)
//     "all_pass": 185,             // cases whose every answered sample is compliant
//     "majority_pass": 190,        // cases with compliant samples * 2 > answered samples
//     "flaky": 8,                  // cases with >= 1 compliant and >= 1 non-compliant sample
//     "flaky_cases": [{"suite": "invoice", "case_id": "inv-017", "passed": 2, "samples": 3}, …]
//         // sorted by (suite, case_id), at most SummaryContext::list_cap entries; only at
//         // endpoint level (suite and tag levels carry the counts)
//   }
//
// <COMPARISON> (every pair of endpoints, in endpoint_order, a before b):
// {
//   "unit": "case",
//   "verdict": "majority",         // a case complies when compliant samples * 2 > answered
//                                  //   samples (with repeat = 1: the record's `compliant`)
//   "pairs": [{
//     "a": "large-prompted", "b": "small-finetuned",
//     "shared_cases": 200,         // cases with >= 1 answered sample on both endpoints
//     "a_only_cases": 0, "b_only_cases": 0,  // answered on one endpoint only
//     "both_compliant": 180, "a_only_compliant": 4, "b_only_compliant": 12,
//     "neither_compliant": 4,
//     "a_rate": 0.92, "b_rate": 0.96,  // verdict rates on the shared cases
//     "delta": 0.04,               // b_rate - a_rate
//     "test": "mcnemar_exact",     // two-sided exact binomial on the discordant pairs (not
//                                  //   mid-p): n = a_only + b_only compliant, p = 0.5
//     "p_value": 0.0768 | null,    // null when there are no shared cases
//     "significant": false,        // p_value < 0.05
//     "mde": 0.061 | null,         // smallest |delta| detectable on this many shared cases at
//                                  //   alpha 0.05 (two-sided), power 0.8 (stats.h
//                                  //   MinimumDetectableEffectPaired, with the observed
//                                  //   discordant share)
//     "disagreements_count": 16,   // a_only_compliant + b_only_compliant
//     "disagreements": [{"suite": "invoice", "case_id": "inv-004", "a_compliant": false,
//                        "b_compliant": true}, …],   // sorted, at most list_cap entries
//     "unpaired": {                // present only when a_only_cases + b_only_cases > 0
//       "test": "fisher_exact" | "two_proportion_z",  // Fisher when an expected cell < 5
//       "a_cases": 200, "a_compliant": 184, "b_cases": 190, "b_compliant": 182,
//       "p_value": 0.21, "significant": false}
//   }, …]
// }

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "evaluator/record.h"
#include "providers/endpoint.h"

namespace comply {

// What summary.json says about an endpoint beyond its records.
struct SummaryEndpointInfo {
  std::string name;
  std::string label;     // e.g. prompted / fine-tuned
  std::string model;     // as configured
  std::string provider;  // openai | anthropic | http | replay
  Pricing pricing;       // written only when pricing.set
};

// Run-level facts the caller knows (config, manifest); copied into "run" verbatim.
struct SummaryContext {
  std::string run_id;
  std::string config;    // the config file, as the caller wants it shown
  std::string started;   // ISO 8601 UTC
  std::string finished;  // ISO 8601 UTC; empty while the run is in progress
  int repeat = 1;
  std::string shard;                           // "2/4" for a shard, empty otherwise
  std::vector<SummaryEndpointInfo> endpoints;  // display order; may be empty
  std::size_t list_cap = 50;                   // max entries of flaky_cases and disagreements lists
  // Folder for the builder's temporary files (read at construction; SetContext does not move
  // them). Empty: std::filesystem::temp_directory_path(). Nothing is written there for runs
  // whose tuples fit the in-memory buffers (256 KiB each).
  std::filesystem::path spill_dir;
};

// Streaming aggregator of Records into summary.json (shape above).
class SummaryBuilder {
 public:
  explicit SummaryBuilder(SummaryContext context);
  ~SummaryBuilder();
  SummaryBuilder(SummaryBuilder&&) noexcept;
  SummaryBuilder& operator=(SummaryBuilder&&) noexcept;
  SummaryBuilder(const SummaryBuilder&) = delete;
  SummaryBuilder& operator=(const SummaryBuilder&) = delete;

  // Replaces the run's context (ids, times, endpoints) given at construction, e.g. once the
  // run's finish time is known. Counts are kept.
  void SetContext(SummaryContext context);

  // Counts one record. Records may arrive in any order; a case's samples may be interleaved
  // with other cases'. Never throws (allocation failure aside).
  void Add(const Record& r);

  // summary.json as documented above. Never throws.
  nlohmann::json Finish() const;

  // Per-case counts of one endpoint, for pairing (compare.h): one entry per distinct
  // (suite, case_id) seen with that endpoint, sorted by (suite, case_id).
  struct CaseCounts {
    std::string suite;
    std::string case_id;
    std::uint32_t samples = 0;   // records
    std::uint32_t answered = 0;  // status ok
    std::uint32_t passed = 0;    // compliant
  };
  std::vector<CaseCounts> Cases(const std::string& endpoint) const;
  // Endpoints in display order (context order, then first seen in records).
  std::vector<std::string> Endpoints() const;
  std::size_t records() const;
  // Bytes of memory held by what Add accumulates (buffers, interned names, per-scope counters
  // and maps; map nodes counted with a fixed allowance). Does not grow with the number of
  // records or cases, only with distinct endpoints, suites, tag sets, pointers and rule ids.
  std::size_t memory_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace comply
