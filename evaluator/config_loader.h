#pragma once
// Reads a run configuration (`comply.yaml`, DESIGN.md "Config") and every suite it names.
//
//   Result<Config> c = LoadConfig("comply.yaml");
//   if (!c.ok()) { std::cerr << c.error().message; return 2; }   // every problem, one a line
//   for (const EndpointSpec& e : c->endpoints) ...
//
// Paths are relative to the file that names them; `${VAR}` and `${VAR:-default}` are expanded
// in every string value except `api_key_env`, which is only a variable's name (the key itself
// is never read here). Endpoints without their own timeout_s / retries take run's.
// Defaults: base_url https://api.openai.com/v1 for openai and https://api.anthropic.com for
// anthropic; http needs base_url, request_template and answer_pointer; replay needs replay_file.
// Thread-compatible (reads the environment and files); never throws.

#include <filesystem>
#include <string>
#include <vector>

#include "evaluator/config.h"
#include "evaluator/yaml_util.h"
#include "providers/result.h"

namespace comply {

// Loads and checks the config and every suite in it. On any problem returns kInvalidInput
// whose message lists every problem found (in the config and in its suites), one per line.
Result<Config> LoadConfig(const std::filesystem::path& file);

// The same, collecting: appends every problem to *problems; the config (and its suites) is
// complete only when none was added. `suite_ok[i]` says whether suites[i] loaded cleanly
// (may be null).
Config LoadConfigCollecting(const std::filesystem::path& file, std::vector<Diagnostic>* problems,
                            std::vector<bool>* suite_ok);

// Decides by content: a file whose top-level map has `endpoints:` or `suites:` is a config.
// False for an unreadable file. Never throws.
bool LooksLikeConfig(const std::filesystem::path& file);

}  // namespace comply
