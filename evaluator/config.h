#pragma once
// The run configuration (`comply.yaml`, DESIGN.md "Config"), after loading: every suite
// loaded, every path absolute, `${ENV}` expanded. evaluator/config_loader.h reads it.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "evaluator/suite.h"
#include "providers/endpoint.h"

namespace comply {

struct RunOptions {
  int repeat = 1;
  double timeout_s = 60;   // default for endpoints that do not set their own
  int retries = 4;         // default for endpoints that do not set their own
  int concurrency = 256;   // global cap on requests in flight
  double max_cost_usd = 0; // 0 = no limit
  bool cache = true;
  double cache_ttl_s = 7 * 24 * 3600.0;
  std::optional<int> limit;  // cases per suite
};

struct GateThresholds {
  std::optional<double> min_compliance;
  bool min_compliance_on_lower_bound = false;  // compare the Wilson lower bound instead
  std::optional<double> max_hallucination_rate;
  double max_error_rate = 0.02;
  std::optional<double> max_regression;
};

struct GateSpec {
  GateThresholds thresholds;
  std::vector<std::string> endpoints;                 // empty = gate every endpoint
  std::map<std::string, GateThresholds> suites;       // per-suite overrides (merged over the base)
};

struct VolumeSpec {
  double queries_per_day = 0;  // 0 = not configured
};

struct Config {
  std::filesystem::path file;  // absolute
  std::vector<SuiteSpec> suites;
  std::vector<EndpointSpec> endpoints;
  RunOptions run;
  GateSpec gate;
  VolumeSpec volume;
};

}  // namespace comply
