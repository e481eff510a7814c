#include "evaluator/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace comply {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double LogChoose(std::uint64_t n, std::uint64_t k) {
  return std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(k) + 1) -
         std::lgamma(static_cast<double>(n - k) + 1);
}

// log(sum(exp(v))) over terms accumulated one at a time.
class LogSum {
 public:
  void Add(double v) {
    if (v == -std::numeric_limits<double>::infinity()) return;
    if (empty_) {
      max_ = v;
      sum_ = 1;
      empty_ = false;
    } else if (v <= max_) {
      sum_ += std::exp(v - max_);
    } else {
      sum_ = sum_ * std::exp(max_ - v) + 1;
      max_ = v;
    }
  }
  double Exp() const { return empty_ ? 0.0 : std::exp(max_ + std::log(sum_)); }

 private:
  bool empty_ = true;
  double max_ = 0;
  double sum_ = 0;
};

// Smallest x in (0, hi] with f(x) >= 0, where f is negative near 0: a fine scan finds the
// first sign change (f need not be monotone beyond it), then bisection narrows it. NaN when
// f stays negative on the whole range.
template <typename F>
double SmallestRoot(F f, double hi) {
  constexpr int kSteps = 20000;
  double prev = 0;
  for (int i = 1; i <= kSteps; ++i) {
    const double x = hi * i / kSteps;
    if (f(x) >= 0) {
      double lo = prev, up = x;
      for (int it = 0; it < 60; ++it) {
        const double mid = (lo + up) / 2;
        (f(mid) >= 0 ? up : lo) = mid;
      }
      return up;
    }
    prev = x;
  }
  return kNaN;
}

}  // namespace

Interval WilsonInterval(double successes, double n, double z) {
  if (!(n > 0)) return {kNaN, kNaN};
  const double p = std::clamp(successes / n, 0.0, 1.0);
  const double z2 = z * z;
  const double denom = 1 + z2 / n;
  const double center = (p + z2 / (2 * n)) / denom;
  const double half = z / denom * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double NormalQuantile(double p) {
  if (!(p > 0 && p < 1)) return kNaN;
  // Acklam's coefficients.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x;
  if (p < kLow) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - kLow) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step against the exact CDF.
  const double e = NormalCdf(x) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

double BinomialHalfCdf(std::uint64_t k, std::uint64_t n) {
  if (k >= n) return 1.0;
  const double log_half_n = -static_cast<double>(n) * std::log(2.0);
  LogSum s;
  for (std::uint64_t i = 0; i <= k; ++i) s.Add(LogChoose(n, i) + log_half_n);
  return std::min(1.0, s.Exp());
}

double McNemarExactP(std::uint64_t b, std::uint64_t c) {
  const std::uint64_t n = b + c;
  if (n == 0) return 1.0;
  return std::min(1.0, 2 * BinomialHalfCdf(std::min(b, c), n));
}

double McNemarMidP(std::uint64_t b, std::uint64_t c) {
  const std::uint64_t n = b + c;
  if (n == 0) return 1.0;
  const std::uint64_t m = std::min(b, c);
  const double point = std::exp(LogChoose(n, m) - static_cast<double>(n) * std::log(2.0));
  const double below = m == 0 ? 0.0 : BinomialHalfCdf(m - 1, n);
  return std::min(1.0, 2 * (below + point / 2));
}

double FisherExactP(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
  const std::uint64_t row1 = a + b, row2 = c + d, col1 = a + c, n = a + b + c + d;
  if (n == 0) return 1.0;
  const double log_denominator = LogChoose(n, col1);
  auto log_p = [&](std::uint64_t x) {
    return LogChoose(row1, x) + LogChoose(row2, col1 - x) - log_denominator;
  };
  const std::uint64_t lo = col1 > row2 ? col1 - row2 : 0;
  const std::uint64_t hi = std::min(row1, col1);
  const double observed = log_p(a);
  // R's fisher.test: tables with p <= p_observed * (1 + 1e-7).
  const double cutoff = observed + std::log1p(1e-7);
  LogSum s;
  for (std::uint64_t x = lo; x <= hi; ++x) {
    const double lp = log_p(x);
    if (lp <= cutoff) s.Add(lp);
  }
  return std::min(1.0, s.Exp());
}

ZTest TwoProportionZTest(double x1, double n1, double x2, double n2) {
  if (!(n1 > 0) || !(n2 > 0)) return {kNaN, kNaN};
  const double pooled = (x1 + x2) / (n1 + n2);
  const double var = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (!(var > 0)) return {0.0, 1.0};
  const double z = (x1 / n1 - x2 / n2) / std::sqrt(var);
  return {z, std::erfc(std::fabs(z) / std::sqrt(2.0))};
}

UnpairedTest CompareUnpaired(std::uint64_t x1, std::uint64_t n1, std::uint64_t x2,
                             std::uint64_t n2) {
  if (n1 == 0 || n2 == 0) return {"two_proportion_z", kNaN};
  const double n = static_cast<double>(n1 + n2);
  const double pass = static_cast<double>(x1 + x2), fail = n - pass;
  const double min_expected = std::min(pass, fail) * static_cast<double>(std::min(n1, n2)) / n;
  if (min_expected < 5) return {"fisher_exact", FisherExactP(x1, n1 - x1, x2, n2 - x2)};
  return {"two_proportion_z", TwoProportionZTest(static_cast<double>(x1), static_cast<double>(n1),
                                                 static_cast<double>(x2), static_cast<double>(n2))
                                  .p_value};
}

double Percentile(std::vector<float>* values, double q) {
  if (values->empty()) return kNaN;
  q = std::clamp(q, 0.0, 1.0);
  const double h = static_cast<double>(values->size() - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  std::nth_element(values->begin(), values->begin() + static_cast<std::ptrdiff_t>(lo),
                   values->end());
  const double x_lo = (*values)[lo];
  const double frac = h - static_cast<double>(lo);
  if (frac == 0 || lo + 1 >= values->size()) return x_lo;
  // After nth_element every element past `lo` is >= x_lo: the next order statistic is their min.
  const double x_hi =
      *std::min_element(values->begin() + static_cast<std::ptrdiff_t>(lo) + 1, values->end());
  return x_lo + frac * (x_hi - x_lo);
}

double MinimumDetectableEffectPaired(std::uint64_t n, double discordant_share, double alpha,
                                     double power) {
  if (n == 0) return kNaN;
  const double za = NormalQuantile(1 - alpha / 2), zb = NormalQuantile(power);
  const double sn = std::sqrt(static_cast<double>(n));
  const double psi0 = std::clamp(discordant_share, 0.0, 1.0);
  auto f = [&](double d) {
    const double psi = std::max(psi0, d);
    return sn * d - za * std::sqrt(psi) - zb * std::sqrt(std::max(0.0, psi - d * d));
  };
  return SmallestRoot(f, 1.0);
}

double MinimumDetectableEffectTwoProportions(std::uint64_t n1, std::uint64_t n2, double p0,
                                             double alpha, double power) {
  if (n1 == 0 || n2 == 0) return kNaN;
  p0 = std::clamp(p0, 0.0, 1.0);
  const double za = NormalQuantile(1 - alpha / 2), zb = NormalQuantile(power);
  const double a = 1.0 / static_cast<double>(n1), b = 1.0 / static_cast<double>(n2);
  const bool down = p0 >= 0.5;
  auto f = [&](double d) {
    const double p1 = down ? p0 - d : p0 + d;
    const double pbar = (p0 + p1) / 2;
    return d - za * std::sqrt(pbar * (1 - pbar) * (a + b)) -
           zb * std::sqrt(p0 * (1 - p0) * a + p1 * (1 - p1) * b);
  };
  const double reach = down ? p0 : 1 - p0;
  if (!(reach > 0)) return kNaN;
  return SmallestRoot(f, reach);
}

}  // namespace comply
