#pragma once
// The run's progress on stderr: a live line on a terminal (done/total, rate, ETA, compliance
// so far, errors), plain lines every 10 seconds otherwise.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "evaluator/run.h"

namespace comply::cli {

class ProgressDisplay {
 public:
  explicit ProgressDisplay(const RunProgress* progress) : progress_(progress) {}
  ~ProgressDisplay() { Stop(); }
  void Start();
  void Stop();  // prints a final line; idempotent

 private:
  void Print(bool final_line);
  const RunProgress* progress_;
  bool tty_ = false;
  std::chrono::steady_clock::time_point start_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace comply::cli
