#pragma once
// manifest.json and inputs/ of a run directory (DESIGN.md "Run directory"): what was run,
// with hashes, endpoints without secrets, versions, shard and times — enough for `report`,
// `merge` and `export-dataset` to work from the run directory alone.
//
//   nlohmann::json m = BuildManifest(config, info);
//   WriteInputs(run_dir, config);            // inputs/: config, suite files, resolved.json
//   GateSpec gate = GateSpecFromManifest(m);
//
// Pure functions except WriteInputs (files). Thread-compatible.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/config.h"
#include "evaluator/summary.h"
#include "providers/result.h"

namespace comply {

struct ManifestInfo {
  std::string run_id;
  std::string status = "running";  // running | complete | interrupted | budget_exhausted | failed
  std::string started_at, finished_at;
  std::string shard;                 // "2/4" or ""
  int repeat = 1;
  std::optional<int> limit;            // --limit / run.limit
  bool no_cache = false;
  std::vector<std::string> endpoints;  // selected (empty = all)
  std::vector<std::string> suites;     // selected (empty = all)
  std::size_t planned = 0;             // planned items over the whole run
  std::vector<std::string> command;    // argv
  std::vector<std::string> merged_from;  // shard run dirs, for `comply merge`
};

// The manifest document. Never contains an API key or a header value (header names only).
nlohmann::json BuildManifest(const Config& config, const ManifestInfo& info);

// Hash of the config as run: the config file's bytes plus every loaded suite's content.
std::string ConfigHash(const Config& config);

// A suite as inputs/resolved.json and the config hash record it: its fields without "cases"
// (every key sorts after "cases", so a streamed case list can be written in front of them), and
// one case. Shared by WriteInputs and the streamed writer (run_inputs.h).
nlohmann::json SuiteFieldsJson(const SuiteSpec& s);
nlohmann::json CaseJson(const Case& c);

// Copies the config and suite files into run_dir/inputs/ and writes inputs/resolved.json:
// per suite the prompt, system prompts, cases (id, vars, expected, tags); per endpoint the
// system prompt, label and model. The file is indented JSON with each case on one line
// (evaluator/run_inputs.h writes it, one case at a time).
Status WriteInputs(const std::filesystem::path& run_dir, const Config& config);
// The copying half of WriteInputs: the config, suite and schema files.
Status CopyInputs(const std::filesystem::path& run_dir, const Config& config);

nlohmann::json GateSpecToJson(const GateSpec& gate);
GateSpec GateSpecFromJson(const nlohmann::json& j);

// SummaryContext from a manifest (for `report` and `merge`).
SummaryContext SummaryContextFromManifest(const nlohmann::json& manifest);
SummaryContext SummaryContextFromConfig(const Config& config, const ManifestInfo& info,
                                        const std::string& config_display);

}  // namespace comply
