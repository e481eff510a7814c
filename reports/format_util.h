#pragma once
// Number formatting shared by the writers, so the CSV, Markdown and HTML reports print the
// same figure the same way.
//
//   ShortestNumber(0.1)        -> "0.1"        (round-trip exact; CSV / machine use)
//   Percent(0.9491)            -> "94.9%"
//   PercentInterval(0.93, 0.96) -> "93.0–96.0%"
//   Points(0.091)              -> "+9.1 pts"
//   Usd(0.698)                 -> "$0.698"     (3 significant digits below $1)
//   Millis(790.2)              -> "790 ms"
//   PValue(0.0021)             -> "0.002"      ("< 0.001" below that)
//
// Pure functions: thread-safe, never throw.

#include <optional>
#include <string>

namespace comply {

std::string ShortestNumber(double v);  // shortest text that reads back as v; "" for NaN/inf
std::string Fixed(double v, int decimals);
std::string Percent(double rate, int decimals = 1);
std::string PercentInterval(double lo, double hi, int decimals = 1);
std::string Points(double delta, int decimals = 1);  // signed percentage points
std::string Usd(double v);
std::string Millis(double ms);
std::string PValue(double p);
// "= 0.03" or "< 0.001": the relation and the value, for "p …" in prose.
std::string PValueRelation(double p);
std::string WithThousands(long long n);  // 100000 -> "100,000"
// Text of an optional figure through `f`, or "—" when absent.
template <typename F>
std::string OrDash(const std::optional<double>& v, F&& f) {
  return v ? f(*v) : std::string("\xE2\x80\x94");
}

}  // namespace comply
