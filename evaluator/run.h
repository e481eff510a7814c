#pragma once
// The run orchestrator (DESIGN.md "Run"): plans suites × cases × endpoints × samples, sends
// them through one transport, scores each answer on oneTBB workers as it arrives, and streams
// one record per planned item to results.jsonl. It never calls a report writer.
//
//   RunPlanOptions opt; opt.repeat = 3;
//   auto outcome = ExecuteRun(config, checkers, opt, writer.get(), on_record, &progress);
//
// Interrupts: RequestStop() (from a signal handler) stops sending; what finished is on disk.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "evaluator/checker.h"
#include "evaluator/config.h"
#include "evaluator/record.h"
#include "evaluator/run_dir.h"
#include "providers/result.h"

namespace comply {

struct Shard {
  int index = 1;  // 1-based
  int count = 1;
  bool active() const { return count > 1; }
};
// Parses "I/N" (1 <= I <= N). Error text names the flag value.
Result<Shard> ParseShard(const std::string& text);
// True when `suite/case_id` belongs to `shard` (FNV-1a of "suite/case_id", modulo N).
bool InShard(const Shard& shard, const std::string& suite, const std::string& case_id);

struct RunPlanOptions {
  std::vector<std::string> endpoints;  // empty = all
  std::vector<std::string> suites;     // empty = all
  int repeat = 1;
  std::optional<int> limit;            // cases per suite
  std::optional<int> concurrency;      // global cap override
  Shard shard;
  bool use_cache = true;
  std::filesystem::path cache_path;    // SQLite response cache (when use_cache)
  double max_cost_usd = 0;             // 0 = unlimited
  // Keys already recorded (resume): suite, case_id, endpoint, sample.
  std::set<std::tuple<std::string, std::string, std::string, int>> done;
};

// One planned item.
struct PlanItem {
  int suite = 0;     // index into config.suites
  int case_index = 0;
  int endpoint = 0;  // index into config.endpoints
  int sample = 0;
};

// The plan in send order (endpoints interleaved per case so both advance together).
// Items in `options.done` are left out.
std::vector<PlanItem> BuildPlan(const Config& config, const RunPlanOptions& options);

struct RunOutcome {
  std::size_t planned = 0;   // items this invocation had to do
  std::size_t recorded = 0;  // records written
  std::size_t errors = 0;    // records with status != ok
  std::size_t cached = 0;
  double cost_usd = 0;
  bool interrupted = false;       // RequestStop() was called
  bool budget_exhausted = false;  // max_cost_usd reached: unsent items not recorded
  std::vector<std::string> stopped_endpoints;  // after repeated auth / quota errors
  bool complete() const { return !interrupted && !budget_exhausted; }
};

struct RunProgress {
  std::atomic<std::size_t> done{0}, total{0}, compliant{0}, answered{0}, errors{0};
};

// Sends the plan, checks every answer and appends its record to `out` (flushed per record).
// `checkers[i]` belongs to config.suites[i]. `on_record` runs under the writer lock.
Result<RunOutcome> ExecuteRun(const Config& config,
                              const std::vector<std::shared_ptr<const SuiteChecker>>& checkers,
                              const RunPlanOptions& options, ResultsWriter* out,
                              const std::function<void(const Record&)>& on_record,
                              RunProgress* progress);

// Asks a running ExecuteRun to stop sending (async-signal-safe: sets an atomic flag).
void RequestStop();
bool StopRequested();

// The dry-run plan: counts per endpoint and suite, and a cost estimate from prompt lengths
// (≈4 characters a token, plus max_tokens or 256 output tokens a request — an estimate).
std::string DescribePlan(const Config& config, const std::vector<PlanItem>& plan);

}  // namespace comply
