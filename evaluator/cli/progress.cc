#include "evaluator/cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace comply::cli {

void ProgressDisplay::Start() {
  tty_ = isatty(STDERR_FILENO) != 0;
  start_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] {
    const auto period = tty_ ? std::chrono::milliseconds(250) : std::chrono::seconds(10);
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, period, [this] { return stop_; })) Print(false);
  });
}

void ProgressDisplay::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ || !thread_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  Print(true);
}

void ProgressDisplay::Print(bool final_line) {
  const std::size_t done = progress_->done, total = progress_->total;
  const std::size_t answered = progress_->answered, compliant = progress_->compliant;
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
  const double eta = rate > 0 && total > done ? static_cast<double>(total - done) / rate : 0;
  char comp[32] = "–";
  if (answered > 0) std::snprintf(comp, sizeof comp, "%.1f%%", 100.0 * compliant / answered);
  char line[256];
  std::snprintf(line, sizeof line, "%zu/%zu done, %.0f/s, ETA %.0fs, compliant %s, errors %zu",
                done, total, rate, eta, comp, static_cast<std::size_t>(progress_->errors));
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s%s", line, final_line ? "\n" : "");
  } else {
    std::fprintf(stderr, "comply: %s\n", line);
  }
  std::fflush(stderr);
}

}  // namespace comply::cli
