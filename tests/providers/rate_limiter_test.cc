#include <catch2/catch.hpp>

#include "providers/rate_limiter.h"

namespace comply {
namespace {

TEST_CASE("rate limiter: unlimited bucket always admits", "[transport]") {
  TokenBucket b;
  CHECK(b.unlimited());
  for (int i = 0; i < 1000; ++i) CHECK(b.TryTake(1e6, 0));
  CHECK(TokenBucket::PerMinute(0, 5).unlimited());
  CHECK(b.SecondsUntil(1e9, 0) == 0);
}

TEST_CASE("rate limiter: rpm with burst 1 spaces requests evenly", "[transport]") {
  TokenBucket b = TokenBucket::PerMinute(600, 1);  // 10 a second
  CHECK(b.TryTake(1, 100.0));
  CHECK_FALSE(b.TryTake(1, 100.0));
  CHECK(b.SecondsUntil(1, 100.0) == Approx(0.1));
  CHECK(b.SecondsUntil(1, 100.05) == Approx(0.05));
  CHECK_FALSE(b.TryTake(1, 100.05));
  CHECK(b.TryTake(1, 100.1));
  // Idle time does not bank more than the burst.
  CHECK(b.TryTake(1, 200.0));
  CHECK_FALSE(b.TryTake(1, 200.0));
}

TEST_CASE("rate limiter: a cost above capacity goes once the bucket is full, into debt",
          "[transport]") {
  TokenBucket b = TokenBucket::PerMinute(6000, 100);  // 100 tokens a second, capacity 100
  CHECK(b.TryTake(250, 0.0));
  CHECK(b.level(0.0) == Approx(-150));
  CHECK(b.SecondsUntil(10, 0.0) == Approx(1.6));
  CHECK_FALSE(b.TryTake(10, 1.0));
  CHECK(b.TryTake(10, 1.6));
}

TEST_CASE("rate limiter: Charge corrects estimates both ways", "[transport]") {
  TokenBucket b = TokenBucket::PerMinute(6000, 100);
  CHECK(b.TryTake(50, 0.0));
  b.Charge(30, 0.0);  // used 30 more than estimated
  CHECK(b.level(0.0) == Approx(20));
  b.Charge(-200, 0.0);  // refunds never exceed the capacity
  CHECK(b.level(0.0) == Approx(100));
}

}  // namespace
}  // namespace comply
