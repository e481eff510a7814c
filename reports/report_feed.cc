#include "reports/report_feed.h"

#include <exception>
#include <utility>

namespace comply {

ReportFeed::ReportFeed(ReportSet* set) : set_(set != nullptr && set->wants_records() ? set : nullptr) {
  if (set_ == nullptr) return;
  try {
    thread_ = std::thread([this] { Run(); });
    threaded_ = true;
  } catch (const std::exception&) {  // no thread available: feed the set inline
    threaded_ = false;
  }
  batch_.reserve(kBatchRecords);
}

ReportFeed::~ReportFeed() { Close(); }

void ReportFeed::Add(Record&& r) {
  if (set_ == nullptr || closed_) return;
  if (!threaded_) {
    set_->Add(r);
    return;
  }
  batch_.push_back(std::move(r));
  if (batch_.size() >= kBatchRecords) {
    Push(std::move(batch_));
    batch_ = std::vector<Record>();
    batch_.reserve(kBatchRecords);
  }
}

void ReportFeed::Push(std::vector<Record>&& batch) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return queue_.size() < kMaxBatches; });
  queue_.push_back(std::move(batch));
  changed_.notify_all();
}

void ReportFeed::Close() {
  if (closed_) return;
  closed_ = true;
  if (!threaded_) return;
  if (!batch_.empty()) Push(std::move(batch_));
  batch_ = std::vector<Record>();
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ReportFeed::Run() {
  for (;;) {
    std::vector<Record> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [&] { return !queue_.empty() || done_; });
      if (queue_.empty()) return;  // done and drained
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    changed_.notify_all();  // room for the reader
    for (const Record& r : batch) set_->Add(r);
  }
}

}  // namespace comply
