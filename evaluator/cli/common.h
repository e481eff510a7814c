#pragma once
// Shared pieces of the commands: diagnostics, exit codes, the console table, and the
// end-of-run steps every command that produces a run directory shares (summary, baseline
// comparison, gate, reports, history).

#include <filesystem>
#include <future>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/config.h"
#include "evaluator/decision.h"
#include "evaluator/history.h"
#include "evaluator/record.h"
#include "evaluator/summary.h"
#include "providers/result.h"

namespace comply::cli {

// The process's argv, for manifest.json (set once by Main).
void SetCommandLine(int argc, char** argv);
const std::vector<std::string>& CommandLine();

// Exit code for an error (DESIGN.md "Exit codes").
int ExitCodeFor(const Error& e);
// "comply: error: <message>" on stderr (continuation lines indented).
void PrintError(const Error& e);
void PrintError(const std::string& message);
void PrintWarning(const std::string& message);

// "html,csv" -> {"html", "csv"}; empty -> every format.
std::vector<std::string> SplitFormats(const std::string& list);
extern const char* const kAllFormats;

// The compact per-endpoint console table.
void PrintSummaryTable(const nlohmann::json& summary, std::ostream& out);
// One sentence comparing the first two endpoints on shared cases, from summary.comparison.
std::string HeadlineComparison(const nlohmann::json& summary);

// history.sqlite beside the runs: the parent folder of `run_dir`, unless --history is given.
std::filesystem::path HistoryPathFor(const std::filesystem::path& run_dir,
                                     const std::string& history_flag);

class FinalizeFeed;

struct FinalizeOptions {
  std::filesystem::path run_dir;
  nlohmann::json manifest;                    // as written (status final)
  std::optional<std::filesystem::path> baseline_dir;
  bool evaluate_gate = true;                  // shards never gate
  GateSpec gate;
  std::vector<std::string> formats;
  std::filesystem::path history_path;         // empty: do not touch history
  bool record_history = true;
  double queries_per_day = 0;
  // Records already handed over while the run wrote them (FinalizeFeed); null: FinalizeRun
  // reads results.jsonl itself.
  FinalizeFeed* feed = nullptr;
};

struct FinalizeResult {
  nlohmann::json summary;
  nlohmann::json comparison;  // null without a baseline
  nlohmann::json gate;        // null when not evaluated
  nlohmann::json decision;    // decision support (evaluator/decision.h); null without inputs/
  bool gate_failed = false;
  std::vector<std::string> gate_lines;  // one failing check a line
  std::vector<std::string> warnings;
};

// The record-reading half of FinalizeRun — the summary, decision support and the report
// writers' per-record work (spooled) — fed by `comply run` while it writes results.jsonl, in the
// file's order, so the end of the run need not read the file back.
//
//   auto feed = FinalizeFeed::Start(run_dir, manifest, formats);  // inputs/ written already
//   (or being written: pass the writer's future as `inputs`)
//   ... feed->Add(record) for every record appended to results.jsonl, in order ...
//   fin.feed = feed->get(); FinalizeRun(fin);
//
// Not thread-safe: Add is called under the results writer's lock.
// inputs/ being written on their own thread beside a run (comply run, large streamed cases):
// `written` becomes ready with the config hash once they are; `decision`, when it then holds
// an accumulator, is decision support built from the same cases as they were written (else it
// is opened from inputs/resolved.json).
struct PendingInputs {
  std::shared_future<Result<std::string>> written;
  std::shared_ptr<std::unique_ptr<DecisionAccumulator>> decision;
};

class FinalizeFeed {
 public:
  ~FinalizeFeed();
  // `manifest`: the run's manifest as written at its start (its finished_at is taken from the
  // final manifest by FinalizeRun).
  // `inputs`: the run's inputs/ being written beside it, if so (PendingInputs).
  static Result<std::unique_ptr<FinalizeFeed>> Start(const std::filesystem::path& run_dir,
                                                     const nlohmann::json& manifest,
                                                     const std::vector<std::string>& formats,
                                                     PendingInputs inputs = {});
  void Add(const Record& r);

 private:
  friend Result<FinalizeResult> FinalizeRun(const FinalizeOptions& options);
  struct State;
  explicit FinalizeFeed(std::unique_ptr<State> s);
  std::unique_ptr<State> state_;
};

// Reads results.jsonl, writes summary.json, compares with the baseline, evaluates the gate,
// writes the reports and records the run in history.
Result<FinalizeResult> FinalizeRun(const FinalizeOptions& options);

}  // namespace comply::cli
