#include "evaluator/spill_percentile.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

namespace comply {

namespace {

// Unsigned keys in the floats' order (negative values reversed below positive ones).
std::uint32_t Key(float f) {
  const auto bits = std::bit_cast<std::uint32_t>(f);
  return (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
}
float FromKey(std::uint32_t k) {
  return std::bit_cast<float>((k & 0x80000000u) ? k & 0x7fffffffu : ~k);
}

// One order statistic being found: rank (0-based) among the group's values.
struct Target {
  std::uint32_t group = 0;
  std::uint64_t rank = 0;    // remaining rank inside the values matching `prefix`
  std::uint32_t prefix = 0;  // key bytes found so far
  std::uint32_t probe = 0;   // histogram used this pass
};

struct Probe {
  std::uint32_t group = 0, prefix = 0;
  std::array<std::uint64_t, 256> hist{};
};

}  // namespace

std::vector<std::vector<double>> SpilledPercentiles(const SpillFile& spill,
                                                    const std::vector<std::uint64_t>& counts,
                                                    const std::vector<double>& quantiles,
                                                    std::size_t max_probes) {
  const double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::vector<double>> out(counts.size(),
                                       std::vector<double>(quantiles.size(), kNaN));
  // Which ranks each group needs: floor(h) and, when interpolating, floor(h) + 1.
  struct Need {
    std::uint64_t lo = 0;
    double frac = 0;
    bool hi = false;
  };
  std::vector<std::vector<Need>> needs(counts.size());
  for (std::size_t g = 0; g < counts.size(); ++g) {
    if (counts[g] == 0) continue;
    for (double q : quantiles) {
      q = std::clamp(q, 0.0, 1.0);
      const double h = static_cast<double>(counts[g] - 1) * q;
      Need n;
      n.lo = static_cast<std::uint64_t>(std::floor(h));
      n.frac = h - static_cast<double>(n.lo);
      n.hi = !(n.frac == 0 || n.lo + 1 >= counts[g]);
      needs[g].push_back(n);
    }
  }
  // Distinct ranks per group, resolved in rounds of at most max_probes targets.
  std::vector<std::vector<std::uint64_t>> ranks(counts.size());
  std::vector<std::vector<float>> values(counts.size());
  for (std::size_t g = 0; g < counts.size(); ++g) {
    for (const Need& n : needs[g]) {
      ranks[g].push_back(n.lo);
      if (n.hi) ranks[g].push_back(n.lo + 1);
    }
    std::sort(ranks[g].begin(), ranks[g].end());
    ranks[g].erase(std::unique(ranks[g].begin(), ranks[g].end()), ranks[g].end());
    values[g].resize(ranks[g].size());
  }
  max_probes = std::max<std::size_t>(max_probes, quantiles.size() * 2 + 1);
  std::size_t g_begin = 0;
  while (g_begin < counts.size()) {
    // This round: groups [g_begin, g_end) with their targets.
    std::vector<Target> targets;
    std::size_t g_end = g_begin;
    while (g_end < counts.size() && (targets.empty() || targets.size() + ranks[g_end].size() <= max_probes)) {
      for (std::uint64_t r : ranks[g_end]) targets.push_back({static_cast<std::uint32_t>(g_end), r, 0, 0});
      ++g_end;
    }
    // Per group in the round: its probes (distinct prefixes) of this pass.
    std::vector<std::uint32_t> probe_begin(g_end - g_begin + 1, 0);
    for (int pass = 0; pass < 4; ++pass) {
      const int shift = 24 - 8 * pass;
      std::vector<Probe> probes;
      std::fill(probe_begin.begin(), probe_begin.end(), 0);
      std::size_t t = 0;
      for (std::size_t g = g_begin; g < g_end; ++g) {
        probe_begin[g - g_begin] = static_cast<std::uint32_t>(probes.size());
        const std::size_t first = probes.size();
        for (; t < targets.size() && targets[t].group == g; ++t) {
          std::size_t p = first;
          while (p < probes.size() && probes[p].prefix != targets[t].prefix) ++p;
          if (p == probes.size()) probes.push_back({static_cast<std::uint32_t>(g), targets[t].prefix, {}});
          targets[t].probe = static_cast<std::uint32_t>(p);
        }
      }
      probe_begin[g_end - g_begin] = static_cast<std::uint32_t>(probes.size());
      if (probes.empty()) break;
      for (SpillReader in(spill); !in.done();) {
        const auto group = in.Get<std::uint32_t>();
        const auto key = Key(in.Get<float>());
        if (group < g_begin || group >= g_end) continue;
        const std::uint32_t high = pass == 0 ? 0 : key >> (shift + 8);
        const std::uint32_t byte = (key >> shift) & 0xffu;
        for (std::uint32_t p = probe_begin[group - g_begin]; p < probe_begin[group - g_begin + 1]; ++p) {
          if (probes[p].prefix == high) ++probes[p].hist[byte];
        }
      }
      for (Target& tg : targets) {
        const auto& hist = probes[tg.probe].hist;
        std::uint32_t b = 0;
        while (b < 255 && tg.rank >= hist[b]) tg.rank -= hist[b++];
        tg.prefix = (tg.prefix << 8) | b;
      }
    }
    // Targets were pushed in rank order per group: map them back by position.
    std::size_t t = 0;
    for (std::size_t g = g_begin; g < g_end; ++g) {
      for (std::size_t k = 0; k < ranks[g].size(); ++k, ++t) values[g][k] = FromKey(targets[t].prefix);
    }
    g_begin = g_end;
  }
  for (std::size_t g = 0; g < counts.size(); ++g) {
    for (std::size_t k = 0; k < needs[g].size(); ++k) {
      const Need& n = needs[g][k];
      auto at = [&](std::uint64_t rank) {
        const auto& rs = ranks[g];
        return static_cast<double>(
            values[g][static_cast<std::size_t>(std::lower_bound(rs.begin(), rs.end(), rank) - rs.begin())]);
      };
      const double x_lo = at(n.lo);
      out[g][k] = n.hi ? x_lo + n.frac * (at(n.lo + 1) - x_lo) : x_lo;
    }
  }
  return out;
}

}  // namespace comply
