#include "reports/format_util.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace comply {

std::string ShortestNumber(double v) {
  if (!std::isfinite(v)) return "";
  if (v == 0) return "0";  // also -0
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string Fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.size() > 1 && s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) {
    s.erase(0, 1);  // "-0.0" reads as "0.0"
  }
  return s;
}

std::string Percent(double rate, int decimals) { return Fixed(rate * 100, decimals) + "%"; }

std::string PercentInterval(double lo, double hi, int decimals) {
  return Fixed(lo * 100, decimals) + "\xE2\x80\x93" + Fixed(hi * 100, decimals) + "%";
}

std::string Points(double delta, int decimals) {
  std::string s = Fixed(delta * 100, decimals);
  if (!s.empty() && s[0] != '-') s.insert(s.begin(), '+');
  if (!s.empty() && s[0] == '-') s.replace(0, 1, "\xE2\x88\x92");  // U+2212 minus
  return s + " pts";
}

std::string Usd(double v) {
  if (!std::isfinite(v)) return "";
  if (v == 0) return "$0";
  const double a = std::fabs(v);
  int decimals = 2;
  if (a < 1) decimals = std::min(6, 2 - static_cast<int>(std::floor(std::log10(a))));
  return (v < 0 ? "-$" : "$") + Fixed(a, decimals);
}

std::string Millis(double ms) {
  if (!std::isfinite(ms)) return "";
  if (ms >= 10000) return Fixed(ms / 1000, 1) + " s";
  return Fixed(ms, ms < 10 ? 1 : 0) + " ms";
}

std::string PValue(double p) {
  if (!std::isfinite(p)) return "";
  if (p < 0.001) return "< 0.001";
  if (p < 0.01) return Fixed(p, 3);
  return Fixed(p, 2);
}

std::string PValueRelation(double p) {
  const std::string v = PValue(p);
  return v.rfind("<", 0) == 0 ? v : "= " + v;
}

std::string WithThousands(long long n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace comply
