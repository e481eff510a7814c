#pragma once
// Retry policy of the transport: which outcomes are retried, how long to wait between tries
// (exponential backoff with full jitter, Retry-After honoured), and hard-quota detection.
//
//   RetryPolicy policy;                          // base 0.5 s, cap 30 s
//   if (IsRetryable(resp) && resp.attempts <= limits.retries) {
//     double wait_s = policy.DelaySeconds(resp.attempts, resp, std::time(nullptr), rng_uniform01);
//     ...
//   }
//
// Everything here is pure and thread-safe.

#include <ctime>
#include <optional>
#include <string_view>

#include "providers/http.h"

namespace comply {

// True for a 429 / 4xx body that says the account is out of quota or credit (OpenAI
// `insufficient_quota`, Anthropic `billing_error` or "credit balance is too low"): waiting
// does not help, so these are never retried.
bool IsHardQuotaBody(std::string_view body);

// True when a fresh try may succeed: a timeout or connection error (including a truncated
// body), or HTTP 408, 429 (unless hard quota), 500, 502, 503, 504. "cancelled" never is.
bool IsRetryable(const HttpResponse& resp);

// Parses a Retry-After value: delta-seconds ("120", fractions accepted) or an HTTP date
// ("Wed, 21 Oct 2015 07:28:00 GMT", also RFC 850 and asctime forms) relative to `now`.
// Returns the wait in seconds (>= 0; a date in the past gives 0), or nullopt when unparseable.
std::optional<double> ParseRetryAfter(std::string_view value, std::time_t now);

struct RetryPolicy {
  double base_s = 0.5;           // first backoff ceiling
  double cap_s = 30;             // backoff ceiling never exceeds this
  double max_retry_after_s = 120;  // a longer Retry-After is clamped to this

  // Seconds to wait before the next try after `attempts` tries ended in `last`.
  // On 429/503 with a parseable Retry-After: that value (clamped). Otherwise full jitter:
  // uniform01 * min(cap_s, base_s * 2^(attempts-1)). `uniform01` is in [0, 1).
  double DelaySeconds(int attempts, const HttpResponse& last, std::time_t now,
                      double uniform01) const;
};

}  // namespace comply
