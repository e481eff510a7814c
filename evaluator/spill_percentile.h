#pragma once
// Exact percentiles of many groups of floats kept on disk (spill.h), in bounded memory:
// the same numbers as stats.h Percentile on each group's values held in memory.
//
//   SpillFile spill;
//   AppendValue(&spill, /*group=*/2, 812.5f);              // per value, any order
//   std::vector<std::uint64_t> counts = {0, 0, 1};          // values per group
//   auto p = SpilledPercentiles(spill, counts, {0.5, 0.95, 0.99});
//   // p[2][0] is the median of group 2; NaN for a group without values.
//
// How: a radix select on the floats' order-preserving 32-bit keys, one byte per pass (four
// passes over the spill); each wanted order statistic (two per quantile: Hyndman–Fan type 7
// interpolates between neighbours) narrows its 256-bucket histogram to one bucket a pass.
// Memory: 2 KiB per (group, wanted order statistic) being resolved, at most `max_probes` at a
// time (groups beyond that are resolved in further rounds of four passes).
// Thread safety: reads the spill only; not safe against concurrent writes to it.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "evaluator/spill.h"

namespace comply {

// One value of `group` as the 8-byte tuple SpilledPercentiles reads.
inline void AppendValue(SpillFile* spill, std::uint32_t group, float value) {
  struct {
    std::uint32_t group;
    float value;
  } t{group, value};
  spill->Write(&t, sizeof t);
}

// result[g][k] = Percentile(values of group g, quantiles[k]); NaN when counts[g] == 0.
// `counts[g]` must be the number of tuples of group g in the spill (tuples of groups past
// counts.size() are ignored). Never throws (allocation failure aside).
std::vector<std::vector<double>> SpilledPercentiles(const SpillFile& spill,
                                                    const std::vector<std::uint64_t>& counts,
                                                    const std::vector<double>& quantiles,
                                                    std::size_t max_probes = 1024);

}  // namespace comply
