#include "providers/rate_limiter.h"

#include <algorithm>

namespace comply {

TokenBucket TokenBucket::PerMinute(double per_minute, double burst) {
  TokenBucket b;
  if (per_minute <= 0) return b;
  b.rate_per_s_ = per_minute / 60.0;
  b.capacity_ = std::max(1.0, burst);
  b.level_ = b.capacity_;
  return b;
}

void TokenBucket::Refill(double now_s) {
  if (!started_) {
    started_ = true;
    last_s_ = now_s;
    return;
  }
  if (now_s > last_s_) {
    level_ = std::min(capacity_, level_ + (now_s - last_s_) * rate_per_s_);
    last_s_ = now_s;
  }
}

double TokenBucket::level(double now_s) {
  Refill(now_s);
  return level_;
}

bool TokenBucket::TryTake(double cost, double now_s) {
  if (unlimited()) return true;
  Refill(now_s);
  // A tiny epsilon absorbs floating-point drift in the refill arithmetic.
  if (level_ + 1e-9 < std::min(cost, capacity_)) return false;
  level_ -= cost;
  return true;
}

double TokenBucket::SecondsUntil(double cost, double now_s) {
  if (unlimited()) return 0;
  Refill(now_s);
  double need = std::min(cost, capacity_) - level_;
  return need <= 0 ? 0 : need / rate_per_s_;
}

void TokenBucket::Charge(double amount, double now_s) {
  if (unlimited()) return;
  Refill(now_s);
  level_ = std::min(capacity_, level_ - amount);
}

}  // namespace comply
