#include <catch2/catch.hpp>

#include "providers/retry.h"

namespace comply {
namespace {

HttpResponse Status(int status, std::string body = "") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse Failed(const std::string& error_class) {
  HttpResponse r;
  r.error_class = error_class;
  return r;
}

TEST_CASE("retry: which outcomes are retried", "[transport]") {
  for (int s : {408, 429, 500, 502, 503, 504}) {
    DYNAMIC_SECTION("status " << s) { CHECK(IsRetryable(Status(s))); }
  }
  for (int s : {200, 201, 400, 401, 403, 404, 422, 501, 505}) {
    DYNAMIC_SECTION("status " << s) { CHECK_FALSE(IsRetryable(Status(s))); }
  }
  CHECK(IsRetryable(Failed("timeout")));
  CHECK(IsRetryable(Failed("connection")));
  CHECK_FALSE(IsRetryable(Failed("cancelled")));
}

TEST_CASE("retry: hard quota 429s are not retried", "[transport]") {
  std::string openai =
      R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota",)"
      R"("code":"insufficient_quota"}})";
  std::string anthropic = R"({"type":"error","error":{"type":"billing_error","message":"x"}})";
  std::string credit =
      R"({"type":"error","error":{"type":"invalid_request_error",)"
      R"("message":"Your credit balance is too low to access the Anthropic API."}})";
  CHECK(IsHardQuotaBody(openai));
  CHECK(IsHardQuotaBody(anthropic));
  CHECK(IsHardQuotaBody(credit));
  CHECK_FALSE(IsHardQuotaBody(R"({"error":{"type":"rate_limit_exceeded"}})"));
  CHECK_FALSE(IsHardQuotaBody("not json"));
  CHECK_FALSE(IsRetryable(Status(429, openai)));
  CHECK(IsRetryable(Status(429, R"({"error":{"code":"rate_limit_exceeded"}})")));
}

TEST_CASE("retry: Retry-After as seconds or HTTP date", "[transport]") {
  // Sun, 06 Nov 1994 08:49:37 GMT
  const std::time_t now = 784111777;
  CHECK(ParseRetryAfter("120", now) == 120.0);
  CHECK(ParseRetryAfter(" 1.5 ", now) == 1.5);
  CHECK(ParseRetryAfter("0", now) == 0.0);
  CHECK(ParseRetryAfter("Sun, 06 Nov 1994 08:50:07 GMT", now) == 30.0);
  CHECK(ParseRetryAfter("Sunday, 06-Nov-94 08:49:47 GMT", now) == 10.0);
  CHECK(ParseRetryAfter("Sun Nov  6 08:49:57 1994", now) == 20.0);
  CHECK(ParseRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now) == 0.0);  // in the past
  CHECK_FALSE(ParseRetryAfter("", now).has_value());
  CHECK_FALSE(ParseRetryAfter("soon", now).has_value());
  CHECK_FALSE(ParseRetryAfter("12abc", now).has_value());
  CHECK_FALSE(ParseRetryAfter("-5", now).has_value());
}

TEST_CASE("retry: backoff is full jitter under an exponential ceiling", "[transport]") {
  RetryPolicy p;  // base 0.5, cap 30
  HttpResponse r = Status(500);
  CHECK(p.DelaySeconds(1, r, 0, 0.5) == Approx(0.25));
  CHECK(p.DelaySeconds(2, r, 0, 0.5) == Approx(0.5));
  CHECK(p.DelaySeconds(3, r, 0, 0.999) == Approx(1.998));
  CHECK(p.DelaySeconds(10, r, 0, 1.0) == Approx(30));  // capped
  CHECK(p.DelaySeconds(4, r, 0, 0.0) == 0.0);
}

TEST_CASE("retry: Retry-After wins on 429 and 503, clamped", "[transport]") {
  RetryPolicy p;
  HttpResponse r = Status(429);
  r.headers = {{"retry-after", "7"}};
  CHECK(p.DelaySeconds(1, r, 0, 0.1) == 7.0);
  r.status = 503;
  CHECK(p.DelaySeconds(1, r, 0, 0.1) == 7.0);
  r.headers = {{"retry-after", "100000"}};
  CHECK(p.DelaySeconds(1, r, 0, 0.1) == 120.0);
  r.status = 500;  // Retry-After only counts on 429 / 503
  CHECK(p.DelaySeconds(1, r, 0, 0.5) == Approx(0.25));
  r.status = 429;
  r.headers = {{"retry-after", "garbage"}};
  CHECK(p.DelaySeconds(1, r, 0, 0.5) == Approx(0.25));
}

}  // namespace
}  // namespace comply
