// Every statistic against values computed by hand (closed forms, exact binomial sums) or
// published reference values (R's fisher.test examples, textbook sample sizes).
#include "evaluator/stats.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

namespace comply {
namespace {

using Catch::Detail::Approx;

TEST_CASE("Wilson interval for 8 of 10", "[stats]") {
  // p = 0.8, z = 1.96: centre (0.8 + 0.19207) / 1.38415, half-width 0.22657.
  Interval ci = WilsonInterval(8, 10);
  CHECK(ci.lo == Approx(0.4901624715).epsilon(1e-9));
  CHECK(ci.hi == Approx(0.9433178485).epsilon(1e-9));
}

TEST_CASE("Wilson interval at the edges stays in [0, 1]", "[stats]") {
  Interval none = WilsonInterval(0, 10);
  CHECK(none.lo == 0.0);
  CHECK(none.hi == Approx(0.2775327999).epsilon(1e-9));
  Interval all = WilsonInterval(10, 10);
  CHECK(all.lo == Approx(0.7224672001).epsilon(1e-9));
  CHECK(all.hi <= 1.0);
  CHECK(all.hi == Approx(1.0));
}

TEST_CASE("Wilson interval accepts fractional successes and is NaN for n = 0", "[stats]") {
  // Case-level: mean pass rate 0.625 over 4 cases.
  Interval ci = WilsonInterval(2.5, 4);
  CHECK(ci.lo == Approx(0.2194265201).epsilon(1e-9));
  CHECK(ci.hi == Approx(0.9081007708).epsilon(1e-9));
  Interval empty = WilsonInterval(0, 0);
  CHECK(std::isnan(empty.lo));
  CHECK(std::isnan(empty.hi));
}

TEST_CASE("normal CDF and quantile", "[stats]") {
  CHECK(NormalCdf(0) == Approx(0.5));
  CHECK(NormalCdf(1.959963984540054) == Approx(0.975).epsilon(1e-12));
  CHECK(NormalQuantile(0.975) == Approx(1.959963984540054).epsilon(1e-12));
  CHECK(NormalQuantile(0.8) == Approx(0.8416212335729143).epsilon(1e-12));
  CHECK(NormalQuantile(0.001) == Approx(-3.090232306167813).epsilon(1e-12));
  CHECK(std::isnan(NormalQuantile(0)));
  CHECK(std::isnan(NormalQuantile(1)));
}

TEST_CASE("McNemar exact p for b=10, c=2", "[stats]") {
  // 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 2 * 79 / 4096 = 79/2048.
  CHECK(McNemarExactP(10, 2) == Approx(79.0 / 2048).epsilon(1e-12));
  CHECK(McNemarExactP(2, 10) == Approx(79.0 / 2048).epsilon(1e-12));
  // mid-p: 2 * ((1 + 12) + 66 / 2) / 4096 = 92 / 4096.
  CHECK(McNemarMidP(10, 2) == Approx(92.0 / 4096).epsilon(1e-12));
}

TEST_CASE("McNemar p is 1 without discordant pairs or when balanced", "[stats]") {
  CHECK(McNemarExactP(0, 0) == 1.0);
  CHECK(McNemarExactP(5, 5) == 1.0);
  CHECK(McNemarMidP(0, 0) == 1.0);
  // All 6 discordant pairs one way: 2 / 64.
  CHECK(McNemarExactP(6, 0) == Approx(2.0 / 64).epsilon(1e-12));
}

TEST_CASE("McNemar stays finite for large discordant counts", "[stats]") {
  double p = McNemarExactP(5200, 4800);
  CHECK(p > 0.0);
  CHECK(p < 0.0001);  // z ~ 4.0
  CHECK(McNemarExactP(50000, 50000) == 1.0);
}

TEST_CASE("binomial half CDF", "[stats]") {
  CHECK(BinomialHalfCdf(0, 3) == Approx(1.0 / 8));
  CHECK(BinomialHalfCdf(1, 3) == Approx(4.0 / 8));
  CHECK(BinomialHalfCdf(3, 3) == 1.0);
}

TEST_CASE("Fisher exact test on the tea-tasting table", "[stats]") {
  // [[3,1],[1,3]]: tables x = 0..4 have weights 1, 16, 36, 16, 1 (of 70); observed x = 3
  // (16); two-sided sums those <= 16: (1 + 16 + 16 + 1) / 70 = 34 / 70.
  CHECK(FisherExactP(3, 1, 1, 3) == Approx(34.0 / 70).epsilon(1e-12));
}

TEST_CASE("Fisher exact test on R's job-satisfaction style table", "[stats]") {
  // R: fisher.test(matrix(c(1, 11, 9, 3), 2)) p-value = 0.002759.
  CHECK(FisherExactP(1, 9, 11, 3) == Approx(0.002759456185).epsilon(1e-9));
  // Perfect separation of 10 and 10: 2 / C(20, 10).
  CHECK(FisherExactP(10, 0, 0, 10) == Approx(2.0 / 184756).epsilon(1e-9));
  CHECK(FisherExactP(0, 0, 0, 0) == 1.0);
}

TEST_CASE("two-proportion z-test", "[stats]") {
  // 45/50 vs 35/50: pooled 0.8, se = sqrt(0.16 * 0.04) = 0.08, z = 0.2 / 0.08 = 2.5.
  ZTest t = TwoProportionZTest(45, 50, 35, 50);
  CHECK(t.z == Approx(2.5).epsilon(1e-12));
  CHECK(t.p_value == Approx(0.01241933065).epsilon(1e-9));
  ZTest same = TwoProportionZTest(50, 50, 40, 40);
  CHECK(same.z == 0.0);
  CHECK(same.p_value == 1.0);
  CHECK(std::isnan(TwoProportionZTest(1, 0, 1, 2).p_value));
}

TEST_CASE("percentiles by linear interpolation", "[stats]") {
  // Sorted 10..100: h = 9q. p50: h = 4.5 -> 50 + 0.5 * 10 = 55. p95: h = 8.55 -> 90 + 0.55 *
  // 10 = 95.5. p99: h = 8.91 -> 99.1.
  std::vector<float> v = {100, 20, 90, 40, 50, 60, 70, 80, 30, 10};
  CHECK(Percentile(&v, 0.50) == Approx(55.0));
  CHECK(Percentile(&v, 0.95) == Approx(95.5));
  CHECK(Percentile(&v, 0.99) == Approx(99.1));
  CHECK(Percentile(&v, 0.0) == Approx(10.0));
  CHECK(Percentile(&v, 1.0) == Approx(100.0));
}

TEST_CASE("percentile of one value, of an even pair, of nothing", "[stats]") {
  std::vector<float> one = {7};
  CHECK(Percentile(&one, 0.99) == Approx(7.0));
  std::vector<float> two = {1, 3};
  CHECK(Percentile(&two, 0.5) == Approx(2.0));
  std::vector<float> none;
  CHECK(std::isnan(Percentile(&none, 0.5)));
}

TEST_CASE("paired MDE matches the McNemar sample-size formula", "[stats]") {
  // Connor: n = (1.96 sqrt(0.2) + 0.8416 sqrt(0.2 - 0.1^2))^2 / 0.1^2 = 154.6, so 155 pairs
  // detect 0.1 (MDE just below it) and 154 do not (just above).
  double at155 = MinimumDetectableEffectPaired(155, 0.2);
  double at154 = MinimumDetectableEffectPaired(154, 0.2);
  CHECK(at155 < 0.1);
  CHECK(at155 == Approx(0.0998724).epsilon(1e-4));
  CHECK(at154 > 0.1);
  // No observed disagreement: psi = d, sqrt(n) d = 1.96 sqrt(d) + 0.8416 sqrt(d - d^2).
  double d = MinimumDetectableEffectPaired(200, 0);
  CHECK(d == Approx(0.0387840).epsilon(1e-4));
  CHECK(std::sqrt(200.0) * d ==
        Approx(1.959963984540054 * std::sqrt(d) + 0.8416212335729143 * std::sqrt(d - d * d))
            .epsilon(1e-6));
  CHECK(std::isnan(MinimumDetectableEffectPaired(0, 0.1)));
}

TEST_CASE("two-proportion MDE matches the textbook sample size", "[stats]") {
  // 0.5 vs 0.4: n = (1.96 sqrt(2 * 0.45 * 0.55) + 0.8416 sqrt(0.25 + 0.24))^2 / 0.01 = 387.3.
  double at388 = MinimumDetectableEffectTwoProportions(388, 388, 0.5);
  double at387 = MinimumDetectableEffectTwoProportions(387, 387, 0.5);
  CHECK(at388 < 0.1);
  CHECK(at387 > 0.1);
  CHECK(MinimumDetectableEffectTwoProportions(100, 100, 0.95) == Approx(0.1242829).epsilon(1e-4));
  CHECK(std::isnan(MinimumDetectableEffectTwoProportions(0, 10, 0.5)));
  // Too few cases to detect even the largest possible drop.
  CHECK(std::isnan(MinimumDetectableEffectTwoProportions(1, 1, 0.5)));
}

}  // namespace
}  // namespace comply
