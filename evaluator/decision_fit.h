#pragma once
// Decision support's regressions (evaluator/decision.h): input tokens against the user
// message's length per (endpoint, suite), fitted over points spilled to disk. Internal to
// decision.cc; split out to keep each file readable.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/decision.h"
#include "evaluator/spill.h"

namespace comply::decision_internal {

// A regression point of one (endpoint, suite): x = user-message length, y = input tokens.
struct PointTuple {
  std::uint32_t fit;
  float x;
  double y;
};

// The JSON of a fit (estimate, method, samples, slope, r2); null with fewer than 3 distinct x.
nlohmann::json FitJson(const LinearFit& f, std::size_t points, std::size_t distinct);

struct SpilledFit {
  LinearFit fit;
  std::size_t distinct_x = 0;  // distinct x values, counted up to 3 (all FitJson asks)
};

// FitLine over each fit's points in the spill (PointTuple), in spill order: the same
// arithmetic as FitLine on vectors of those points, two passes, no points in memory.
std::vector<SpilledFit> FitSpilled(const SpillFile& points, std::size_t fits);

}  // namespace comply::decision_internal
