#pragma once
// Statistics for compliance rates: intervals, paired and unpaired tests, percentiles and the
// minimum detectable effect (DESIGN.md "Summary").
//
//   Interval ci = WilsonInterval(8, 10);                // {0.4902, 0.9433}
//   double p = McNemarExactP(10, 2);                    // 0.03857
//   double f = FisherExactP(3, 1, 1, 3);                // 0.4857
//   std::vector<float> ms = {…};
//   double p95 = Percentile(&ms, 0.95);                 // reorders ms
//   double mde = MinimumDetectableEffectPaired(200, 0.05);
//
// Every function is pure and thread-safe, never throws, and returns NaN where the statistic
// is undefined (an empty sample, n = 0); callers write NaN as JSON null.

#include <cstdint>
#include <vector>

namespace comply {

// The two-sided 95% normal quantile, z(0.975).
inline constexpr double kZ95 = 1.959963984540054;

struct Interval {
  double lo = 0;
  double hi = 0;
};

// Wilson score interval for `successes` out of `n` at normal quantile `z` (95% by default).
// `successes` may be fractional (a mean of per-case pass rates times the number of cases).
// {NaN, NaN} when n <= 0.
Interval WilsonInterval(double successes, double n, double z = kZ95);

// Standard normal CDF and its inverse (Acklam's rational approximation refined by one Halley
// step, |error| < 1e-12). NormalQuantile returns NaN outside (0, 1).
double NormalCdf(double z);
double NormalQuantile(double p);

// P(X <= k) for X ~ Binomial(n, 1/2), summed in log space (exact to double precision).
double BinomialHalfCdf(std::uint64_t k, std::uint64_t n);

// McNemar's exact test on the discordant pairs: b (compliant in A only) and c (in B only).
// Two-sided exact binomial: p = min(1, 2 * P(X <= min(b, c))), X ~ Binomial(b + c, 1/2).
// 1 when b + c = 0. This is the conventional (conservative) p-value comply reports.
double McNemarExactP(std::uint64_t b, std::uint64_t c);
// The mid-p variant: 2 * (P(X < min) + P(X = min) / 2), capped at 1. Less conservative;
// offered for callers that ask for it, not used by the summary.
double McNemarMidP(std::uint64_t b, std::uint64_t c);

// Fisher's exact test on the 2x2 table [[a, b], [c, d]], two-sided: the sum of the
// probabilities of every table with the same margins that is no more likely than the
// observed one (relative tolerance 1e-7, as R's fisher.test). 1 for an empty table.
double FisherExactP(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d);

// Two-proportion z-test with the pooled variance: x1 of n1 against x2 of n2.
// z = (p1 - p2) / sqrt(p(1-p)(1/n1 + 1/n2)); p_value two-sided. NaN when n1 or n2 is 0;
// z = 0, p = 1 when the pooled proportion is 0 or 1.
struct ZTest {
  double z = 0;
  double p_value = 1;
};
ZTest TwoProportionZTest(double x1, double n1, double x2, double n2);

// The unpaired comparison of x1/n1 against x2/n2 that comply reports when two case sets
// differ: Fisher's exact test when an expected cell of the 2x2 table is below 5, the
// two-proportion z-test otherwise. `test` is "fisher_exact" or "two_proportion_z".
struct UnpairedTest {
  const char* test = "two_proportion_z";
  double p_value = 1;
};
UnpairedTest CompareUnpaired(std::uint64_t x1, std::uint64_t n1, std::uint64_t x2,
                             std::uint64_t n2);

// Percentile q in [0, 1] by linear interpolation between closest ranks (Hyndman–Fan type 7,
// numpy's default): h = (n - 1) q, result = x[floor h] + (h - floor h)(x[floor h + 1] -
// x[floor h]) over the sorted values. Reorders *values (nth_element, O(n)). NaN when empty.
double Percentile(std::vector<float>* values, double q);

// Minimum detectable effect (absolute difference of compliance rates) at two-sided `alpha`
// and `power`, for n paired cases (McNemar; Connor 1987 sample-size formula solved for the
// effect): the smallest d with sqrt(n) d >= z(1-alpha/2) sqrt(psi) + z(power) sqrt(psi - d^2),
// where psi = max(discordant_share, d) is the share of discordant pairs (a difference d needs
// at least d discordant). NaN when n = 0 or no d <= 1 qualifies.
double MinimumDetectableEffectPaired(std::uint64_t n, double discordant_share, double alpha = 0.05,
                                     double power = 0.8);

// Minimum detectable effect for two independent proportions: group 1 (n1) at rate p0,
// group 2 (n2) at p0 - d when p0 >= 0.5, else p0 + d (toward 1/2, the harder direction).
// Smallest d with d >= z(1-alpha/2) sqrt(pbar qbar (1/n1 + 1/n2)) + z(power) sqrt(p0 q0 / n1 +
// p1 q1 / n2), pbar = (p0 + p1) / 2. NaN when n1 or n2 is 0 or no d reaching 0 or 1 qualifies.
double MinimumDetectableEffectTwoProportions(std::uint64_t n1, std::uint64_t n2, double p0,
                                             double alpha = 0.05, double power = 0.8);

}  // namespace comply
