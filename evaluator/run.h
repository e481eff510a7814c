#pragma once
// The run orchestrator (DESIGN.md "Run"): plans suites × cases × endpoints × samples, sends
// them through one transport, scores each answer on worker threads as it arrives (in batches:
// one write and one flush of results.jsonl per batch), and streams one record per planned item
// to results.jsonl. It never calls a report writer.
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
#include "evaluator/run_plan.h"
#include "providers/result.h"

namespace comply {

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

// Sends the plan, checks every answer and appends its record to `out` (flushed per worker
// batch of records, before their window slots are freed).
// `checkers[i]` belongs to config.suites[i]. `on_record` runs under the writer lock.
// Memory does not grow with the plan: items are generated as window slots free up (at most
// max(64, 2 × concurrency) in flight), each holding its case until its record is written.
// Fails (kIo) when the results cannot be written or a streamed case cannot be read again;
// what was recorded until then stays on disk.
Result<RunOutcome> ExecuteRun(const Config& config,
                              const std::vector<std::shared_ptr<const SuiteChecker>>& checkers,
                              const RunPlanOptions& options, ResultsWriter* out,
                              const std::function<void(const Record&)>& on_record,
                              RunProgress* progress);

// Asks a running ExecuteRun to stop sending (async-signal-safe: sets an atomic flag).
void RequestStop();
bool StopRequested();

}  // namespace comply
