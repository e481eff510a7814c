// See evaluator/decision_fit.h; FitLine and NewcombeDifference are decision.h's.
#include "evaluator/decision_fit.h"

#include <algorithm>
#include <cmath>

namespace comply {

using nlohmann::json;

LinearFit FitLine(const std::vector<double>& x, const std::vector<double>& y) {
  LinearFit f;
  f.n = std::min(x.size(), y.size());
  if (f.n < 2) return f;
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < f.n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= f.n;
  my /= f.n;
  double sxx = 0, sxy = 0, syy = 0;
  for (std::size_t i = 0; i < f.n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0) return f;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  f.r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1.0;
  f.ok = true;
  return f;
}

DiffInterval NewcombeDifference(double pa, double lo_a, double hi_a, double pb, double lo_b,
                                double hi_b) {
  const double d = pb - pa;
  return {d - std::sqrt((pb - lo_b) * (pb - lo_b) + (hi_a - pa) * (hi_a - pa)),
          d + std::sqrt((hi_b - pb) * (hi_b - pb) + (pa - lo_a) * (pa - lo_a))};
}

namespace decision_internal {

json FitJson(const LinearFit& f, std::size_t points, std::size_t distinct) {
  if (!f.ok || distinct < 3) return nullptr;
  return {{"estimate", std::max(0.0, f.intercept)},
          {"method",
           "estimate: intercept of input tokens regressed (least squares) on the user message's "
           "length in characters, over answered non-cached responses with reported usage"},
          {"samples", points},
          {"slope_tokens_per_char", f.slope},
          {"r2", f.r2}};
}

// FitLine over each fit's points in the spill (PointTuple), in spill order: the same
// arithmetic as FitLine on vectors of those points, two passes, no points in memory.
std::vector<SpilledFit> FitSpilled(const SpillFile& points, std::size_t fits) {
  struct Acc {
    double mx = 0, my = 0, sxx = 0, sxy = 0, syy = 0;
    std::size_t n = 0;
    std::vector<double> distinct;
  };
  std::vector<Acc> acc(fits);
  for (SpillReader in(points); !in.done();) {
    const auto p = in.Get<PointTuple>();
    if (p.fit >= fits) continue;
    Acc& a = acc[p.fit];
    ++a.n;
    a.mx += p.x;
    a.my += p.y;
    const double x = p.x;
    if (a.distinct.size() < 3 && std::find(a.distinct.begin(), a.distinct.end(), x) == a.distinct.end())
      a.distinct.push_back(x);
  }
  for (Acc& a : acc) {
    if (a.n < 2) continue;
    a.mx /= a.n;
    a.my /= a.n;
  }
  for (SpillReader in(points); !in.done();) {
    const auto p = in.Get<PointTuple>();
    if (p.fit >= fits || acc[p.fit].n < 2) continue;
    Acc& a = acc[p.fit];
    const double x = p.x;
    a.sxx += (x - a.mx) * (x - a.mx);
    a.sxy += (x - a.mx) * (p.y - a.my);
    a.syy += (p.y - a.my) * (p.y - a.my);
  }
  std::vector<SpilledFit> out(fits);
  for (std::size_t k = 0; k < fits; ++k) {
    const Acc& a = acc[k];
    LinearFit& f = out[k].fit;
    out[k].distinct_x = a.distinct.size();
    f.n = a.n;
    if (a.n < 2 || a.sxx <= 0) continue;
    f.slope = a.sxy / a.sxx;
    f.intercept = a.my - f.slope * a.mx;
    f.r2 = a.syy > 0 ? (a.sxy * a.sxy) / (a.sxx * a.syy) : 1.0;
    f.ok = true;
  }
  return out;
}

}  // namespace decision_internal
}  // namespace comply
