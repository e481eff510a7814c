#pragma once
// A token bucket: the transport keeps one for requests per minute and one for tokens per
// minute on each endpoint. Time is passed in (seconds on a monotonic clock) so tests need no
// sleeping. Not thread-safe: the transport's I/O thread owns its buckets.
//
//   TokenBucket rpm = TokenBucket::PerMinute(600, /*burst=*/1);   // one request per 0.1 s
//   if (rpm.TryTake(1, now_s)) Send(); else WaitFor(rpm.SecondsUntil(1, now_s));

namespace comply {

class TokenBucket {
 public:
  // An unlimited bucket: TryTake always succeeds.
  TokenBucket() = default;
  // `per_minute` <= 0 means unlimited. `burst`: the bucket's capacity (at least 1); it starts
  // full.
  static TokenBucket PerMinute(double per_minute, double burst);

  bool unlimited() const { return rate_per_s_ <= 0; }

  // Takes `cost` when available and returns true. A cost larger than the capacity is allowed
  // once the bucket is full (the level then goes negative, delaying later takers), so a
  // single large request is never starved.
  bool TryTake(double cost, double now_s);
  // Seconds from `now_s` until TryTake(cost) would succeed (0 when it would now).
  double SecondsUntil(double cost, double now_s);
  // Adds (negative: refunds) `amount` already consumed, e.g. actual minus estimated tokens.
  void Charge(double amount, double now_s);

  double level(double now_s);

 private:
  void Refill(double now_s);
  double rate_per_s_ = 0;
  double capacity_ = 0;
  double level_ = 0;
  double last_s_ = 0;
  bool started_ = false;
};

}  // namespace comply
