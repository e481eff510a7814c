#pragma once
// Run history in SQLite (`history.sqlite` beside the runs; DESIGN.md "Run directory"):
// one row per finished run plus per-endpoint / suite / tag summary rows, for `comply history`,
// the trend chart and `--baseline latest`.
//
//   auto h = History::Open("runs/history.sqlite");
//   (*h)->RecordRun(entry, summary_json);
//   auto dir = (*h)->LatestComplete(config_hash, /*exclude_run_id=*/entry.run_id);
//
// Concurrent processes may write the same file: WAL journal, a busy timeout, one
// transaction per run. One History object is not thread-safe.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/result.h"

namespace comply {

struct HistoryEntry {
  std::string run_id;
  std::string run_dir;      // absolute
  std::string started_at;   // ISO 8601 UTC
  std::string finished_at;
  std::string config_path;
  std::string config_hash;  // of the config as run (manifest.json)
  bool complete = true;     // every planned item recorded
  bool sharded = false;     // a shard (never a baseline)
  bool merged = false;      // made by `comply merge`
  std::optional<bool> gate_passed;  // nullopt: no gate evaluated
};

class History {
 public:
  ~History();
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  // Opens or creates the database (and its folder).
  static Result<std::unique_ptr<History>> Open(const std::filesystem::path& path);

  // Records a run and its summary rows (replacing an earlier row of the same run id).
  Status RecordRun(const HistoryEntry& entry, const nlohmann::json& summary);

  // The run dir of the last complete, unsharded (or merged) run of `config_hash`, other than
  // `exclude_run_id`; nullopt when there is none.
  Result<std::optional<std::string>> LatestComplete(const std::string& config_hash,
                                                    const std::string& exclude_run_id) const;

  // The newest `limit` runs, newest first, as JSON objects (run_id, run_dir, started_at,
  // finished_at, config_path, config_hash, complete, sharded, merged, gate_passed, endpoints:
  // {name: {compliance_rate, compliance_ci, hallucination_rate, error_rate,
  // cost_per_1k_requests, total}}).
  Result<nlohmann::json> List(int limit) const;

  // Runs of `config_hash`, oldest first, at most `limit` (the newest ones): the trend data
  // of ReportInputs::history.
  Result<nlohmann::json> Trend(const std::string& config_hash, int limit) const;

 private:
  explicit History(void* db) : db_(db) {}
  Result<nlohmann::json> Query(const std::string& where, const std::string& order, int limit,
                               const std::vector<std::string>& args) const;
  void* db_;  // sqlite3*, kept out of this header
};

}  // namespace comply
