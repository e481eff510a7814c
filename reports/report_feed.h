#pragma once
// Feeds a ReportSet (report.h) from a second thread, so the writers' per-record work (CSV
// rows, JUnit testcases, report.html's compact records) overlaps the caller's reading and
// summarising. Records are handed over in batches through a bounded queue, so memory stays
// bounded (at most kMaxBatches batches of kBatchRecords records in flight) whatever the size
// of results.jsonl; the set sees every record exactly once, in the order given.
//
//   ReportFeed feed(set.get());
//   ReadRunResults(run_dir, [&](Record&& r) { summary.Add(r); feed.Add(std::move(r)); });
//   feed.Close();                  // every record has reached the set
//   Status s = set->Finish(in);
//
// Only the caller's thread may call Add and Close. When no thread can be started, Add feeds
// the set on the caller's thread. Never throws.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "evaluator/record.h"
#include "reports/report.h"

namespace comply {

class ReportFeed {
 public:
  static constexpr std::size_t kBatchRecords = 64;
  static constexpr std::size_t kMaxBatches = 8;

  // `set` must outlive the feed; null or a set that wants no record: Add does nothing.
  explicit ReportFeed(ReportSet* set);
  ~ReportFeed();  // Close()
  ReportFeed(const ReportFeed&) = delete;
  ReportFeed& operator=(const ReportFeed&) = delete;

  // Queues `r`; blocks while kMaxBatches full batches wait for the writer thread.
  void Add(Record&& r);
  // Hands over the last batch and waits until the set has taken every record. Idempotent.
  void Close();

 private:
  void Run();  // the writer thread
  void Push(std::vector<Record>&& batch);

  ReportSet* set_;
  bool threaded_ = false;
  bool closed_ = false;
  std::vector<Record> batch_;  // being filled by the caller
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::vector<Record>> queue_;  // guarded by mu_
  bool done_ = false;                      // guarded by mu_: no more batches
  std::thread thread_;
};

}  // namespace comply
