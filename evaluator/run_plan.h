#pragma once
// The plan of a run (DESIGN.md "Run"): suites × cases × samples × endpoints, in send order,
// walked lazily so nothing per planned item is held (DESIGN.md "Scale").
//
//   RunPlanOptions opt; opt.repeat = 3;
//   PlanWalker walk(config, opt, /*load_cases=*/true);
//   while (walk.Next()) Send(walk.item(), *walk.kase());
//   if (!walk.status().ok()) ...;              // a streamed case could not be read again
//
// Send order: suites in config order, cases in loader order (inline, then cases_file), then
// samples, then endpoints (interleaved per case so every endpoint advances together).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "evaluator/case_source.h"
#include "evaluator/config.h"
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
// The same from the key Fnv1a64("suite/case_id") (evaluator/case_source.h CaseShardKey).
bool InShardKey(const Shard& shard, std::uint64_t key);

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
  // When set and true, ExecuteRun stops sending (what is in flight is still recorded), as for
  // a failure beside the run that makes it fail (`comply run` writing inputs/).
  const std::atomic<bool>* abort = nullptr;
  // Keys already recorded (resume): suite, case_id, endpoint, sample.
  std::set<std::tuple<std::string, std::string, std::string, int>> done;
};

// One planned item.
struct PlanItem {
  int suite = 0;     // index into config.suites
  int case_index = 0;  // index for CaseAt (evaluator/case_source.h)
  int endpoint = 0;  // index into config.endpoints
  int sample = 0;
};

// Walks the plan in send order, leaving out items in `options.done`. With `load_cases` (or a
// non-empty `done`, which needs case ids) each case is read once, for all of its items, and
// kase() shares it; otherwise no streamed case is read. Holds one case at a time.
// Not thread-safe; `config` and `options` must outlive it.
class PlanWalker {
 public:
  PlanWalker(const Config& config, const RunPlanOptions& options, bool load_cases);

  // Moves to the next item; false at the end, or when a case could not be read (status()).
  bool Next();
  const PlanItem& item() const { return item_; }
  // The item's case (null when cases are not loaded).
  const std::shared_ptr<const Case>& kase() const { return case_; }
  const Status& status() const { return status_; }

 private:
  bool NextCase();

  const Config& config_;
  const RunPlanOptions& options_;
  const bool load_;
  std::vector<bool> endpoint_on_;
  int suite_ = 0;
  std::size_t next_case_ = 0;
  int taken_ = 0;
  bool in_case_ = false;
  int sample_ = 0, endpoint_ = 0;
  PlanItem item_;
  std::shared_ptr<const Case> case_;
  std::optional<CaseReader> reader_;  // of config_.suites[suite_], reading in index order
  int reader_suite_ = -1;
  Status status_;
};

// The whole plan as a list (16 bytes an item: for tests and small plans).
std::vector<PlanItem> BuildPlan(const Config& config, const RunPlanOptions& options);

// The number of planned items, without building the list. Reads streamed cases only when
// `options.done` is not empty. Fails when a case cannot be read.
Result<std::size_t> CountPlan(const Config& config, const RunPlanOptions& options);

// The dry-run plan: counts per endpoint and suite, and a cost estimate from prompt lengths
// (≈4 characters a token, plus max_tokens or 256 output tokens a request — an estimate).
// Reads every planned case once. Fails when a case cannot be read.
Result<std::string> DescribePlan(const Config& config, const RunPlanOptions& options);

}  // namespace comply
