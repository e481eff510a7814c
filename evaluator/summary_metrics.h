#pragma once
// The record-level half of the summary (evaluator/summary.h): the counters of one scope (an
// endpoint, an endpoint's suite or tag), the case-level counters filled at Finish, and their
// JSON. Internal to summary.cc; split out to keep each file readable.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/record.h"
#include "evaluator/spill.h"
#include "evaluator/stats.h"

namespace comply::summary_internal {

inline constexpr std::array<std::string_view, 8> kDriftNames = {
    "code_fence", "leading_text", "trailing_text", "multiple_json",
    "truncated",  "malformed",    "not_json",      "empty"};

nlohmann::json Num(double v);                 // NaN -> null
nlohmann::json Rate(double x, double n);      // x / n, or null when n is 0
nlohmann::json Ci(Interval ci);               // [lo, hi], or null

// "/items/2/x" -> "/items/*/x" where `items` is an array in `parsed` (a digit-named object
// member keeps its name). Segments past a missing value are kept as they are.
std::string Wildcard(std::string_view pointer, const nlohmann::json& parsed);

// A template-only suite's record is a text task: no JSON was expected, so it does not count
// in the parse rate's denominator.
bool IsJsonTask(const Record& r);

// Record-level counters of one scope (an endpoint, an endpoint's suite or tag).
struct Metrics {
  std::uint64_t total = 0, answered = 0, errors = 0, compliant = 0, parsed = 0;
  std::uint64_t json_answered = 0;  // answered records of JSON tasks (not template-only text)
  std::uint64_t schema_valid = 0, hallucinated = 0, cached = 0;
  std::map<std::string, std::uint64_t> errors_by_status, hallucinated_fields, rule_failures;
  std::array<std::uint64_t, 8> drift{};
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> fields;  // matched, total
  std::uint64_t field_matched = 0, field_total = 0;
  // Latencies go to the builder's spill as (scope, value) tuples: exact percentiles at
  // Finish without keeping a float per record in memory.
  std::uint32_t scope = UINT32_MAX;
  std::uint64_t latency_count = 0;
  double latency_sum = 0;
  std::int64_t input_tokens = 0, cached_input_tokens = 0, output_tokens = 0;
  double cost = 0;
  std::uint64_t template_checked = 0, template_ok = 0;
  double template_drift_sum = 0;

  void Add(const Record& r, const std::vector<std::string>& wildcard_fields, SpillFile* latencies);
};

// Case-level counters of one scope, filled at Finish time from the per-case counts.
struct CaseLevel {
  std::uint64_t cases = 0, unanswered = 0, samples = 0, all_pass = 0, majority = 0, flaky = 0;
  // Summed in the order the cases were first seen (as the records were added), whatever
  // partition of the spill a case was aggregated in: the same double as adding them one by
  // one while reading.
  double rate_sum = 0;

  void Add(std::uint32_t answered, std::uint32_t passed) {
    if (answered == 0) {
      ++unanswered;
      return;
    }
    ++cases;
    samples += answered;
    rate_sum += static_cast<double>(passed) / answered;
    if (passed == answered) ++all_pass;
    if (2ULL * passed > answered) ++majority;
    if (passed > 0 && passed < answered) ++flaky;
  }

  nlohmann::json ToJson() const;
};

nlohmann::json CountMap(const std::map<std::string, std::uint64_t>& m);

// `pct`: the scope's latency p50, p95, p99 (SpilledPercentiles).
nlohmann::json MetricsJson(const Metrics& m, const CaseLevel& cl, const std::vector<double>& pct);

nlohmann::json UnpairedJson(std::uint64_t a_pass, std::uint64_t a_cases, std::uint64_t b_pass,
                            std::uint64_t b_cases);

}  // namespace comply::summary_internal
