#pragma once
// The compact form in which report.html embeds every record for the drill-down: one JSON
// array per record, repeated strings (suites, endpoints, tags, statuses, drift categories,
// hallucinated paths) as indices into one dictionary written after the records, outputs of
// compliant records cut to kCompliantOutputBytes and others to kFailedOutputBytes (the full
// text stays in results.jsonl). Field order (reports/README.md "report.html records"):
//   [case_id, suite#, endpoint#, sample, [tag#…], status#, compliant(0|1), latency_ms,
//    cost_usd, [drift#…], output, full_output_bytes (0 = not cut), parsed (null for compliant
//    records), [[path, keyword, message]…], [[pointer, wildcard#]…], [[rule, path, message]…],
//    template ([drift_score, [missing], [extra], [out_of_order], [body_mismatch]] | null),
//    [[path, kind, match(0|1), expected, actual]…], error, extraction, finish_reason,
//    attempts, http_status, model]
//
//   RecordDict dict;
//   out += JsonForScript(EncodeRecord(r, &dict));   // per record, streamed
//   out += JsonForScript(dict.ToJson());            // once, at the end
//
// Not thread-safe (the dictionary grows as records stream by).

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/record.h"

namespace comply {

inline constexpr std::size_t kCompliantOutputBytes = 300;
inline constexpr std::size_t kFailedOutputBytes = 16384;
inline constexpr std::size_t kParsedBytes = 16384;  // larger extracted JSON is left out

class RecordDict {
 public:
  // The index of `s`, added on first use.
  int Index(const std::string& s);
  // The strings in index order.
  nlohmann::json ToJson() const;
  std::size_t size() const { return strings_.size(); }

 private:
  std::unordered_map<std::string, int> index_;
  std::vector<std::string> strings_;
};

// The compact array for `r` (layout above). Never throws.
nlohmann::json EncodeRecord(const Record& r, RecordDict* dict);

}  // namespace comply
