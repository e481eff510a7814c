#include "evaluator/manifest.h"

#include "evaluator/run_inputs.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "evaluator/hash.h"
#include "evaluator/run_dir.h"
#include "evaluator/run_inputs.h"
#include "evaluator/version.h"

namespace comply {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string FileHash(const fs::path& p) {
  auto text = ReadTextFile(p);
  return text.ok() ? HexHash(*text) : std::string();
}

json PricingJson(const Pricing& p) {
  if (!p.set) return nullptr;
  return {{"input_per_mtok", p.input_per_mtok},
          {"cached_input_per_mtok",
           p.cached_input_per_mtok < 0 ? p.input_per_mtok : p.cached_input_per_mtok},
          {"output_per_mtok", p.output_per_mtok}};
}

json ThresholdsJson(const GateThresholds& t) {
  json j = json::object();
  if (t.min_compliance) j["min_compliance"] = *t.min_compliance;
  j["min_compliance_on"] = t.min_compliance_on_lower_bound ? "lower_bound" : "rate";
  if (t.max_hallucination_rate) j["max_hallucination_rate"] = *t.max_hallucination_rate;
  j["max_error_rate"] = t.max_error_rate;
  if (t.max_regression) j["max_regression"] = *t.max_regression;
  return j;
}

GateThresholds ThresholdsFromJson(const json& j) {
  GateThresholds t;
  if (!j.is_object()) return t;
  if (j.contains("min_compliance") && j["min_compliance"].is_number()) t.min_compliance = j["min_compliance"];
  t.min_compliance_on_lower_bound = j.value("min_compliance_on", "rate") == "lower_bound";
  if (j.contains("max_hallucination_rate") && j["max_hallucination_rate"].is_number()) {
    t.max_hallucination_rate = j["max_hallucination_rate"];
  }
  if (j.contains("max_error_rate") && j["max_error_rate"].is_number()) t.max_error_rate = j["max_error_rate"];
  if (j.contains("max_regression") && j["max_regression"].is_number()) t.max_regression = j["max_regression"];
  return t;
}

json SuiteJson(const SuiteSpec& s) {
  json j = SuiteFieldsJson(s);
  json cases = json::array();
  for (const Case& c : s.cases) cases.push_back(CaseJson(c));
  j["cases"] = std::move(cases);
  return j;
}

}  // namespace

json SuiteFieldsJson(const SuiteSpec& s) {
  json j;
  j["name"] = s.name;
  j["file"] = s.file.string();
  j["prompt"] = s.prompt;
  j["system_prompts"] = s.system_prompts;
  j["extraction"] = s.extraction == ExtractionMode::kStrict ? "strict" : "lenient";
  j["output"] = s.tool_output ? "tool" : "content";
  j["has_schema"] = s.schema.has_value();
  j["has_template"] = s.text_template.has_value();
  return j;
}

json CaseJson(const Case& c) {
  json cj = {{"id", c.id}, {"vars", c.vars}, {"tags", c.tags}};
  if (c.expected) cj["expected"] = *c.expected;
  return cj;
}

std::string ConfigHash(const Config& config) {
  std::string all;
  if (auto t = ReadTextFile(config.file); t.ok()) all += *t;
  for (const SuiteSpec& s : config.suites) {
    all += '\x1e';
    all += SuiteJson(s).dump(-1, ' ', false, json::error_handler_t::replace);
    if (s.schema) all += s.schema->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return HexHash(all);
}

json BuildManifest(const Config& config, const ManifestInfo& info) {
  json m;
  m["manifest_version"] = 1;
  m["run_id"] = info.run_id;
  m["status"] = info.status;
  m["started_at"] = info.started_at;
  m["finished_at"] = info.finished_at;
  m["config"] = {{"path", config.file.string()}, {"hash", ConfigHash(config)},
                 {"file_hash", FileHash(config.file)}};
  m["shard"] = info.shard;
  m["repeat"] = info.repeat;
  m["planned"] = info.planned;
  m["selected_endpoints"] = info.endpoints;
  m["selected_suites"] = info.suites;
  // What --resume needs to continue the same plan.
  m["plan"] = {{"limit", info.limit ? nlohmann::json(*info.limit) : nlohmann::json(nullptr)},
               {"no_cache", info.no_cache}};
  m["command"] = info.command;
  if (!info.merged_from.empty()) m["merged_from"] = info.merged_from;
  m["versions"] = {{"comply", COMPLY_VERSION},
                   {"re2", COMPLY_RE2_VERSION},
                   {"valijson", COMPLY_VALIJSON_VERSION},
                   {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                         std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                         std::to_string(NLOHMANN_JSON_VERSION_PATCH)}};
  json suites = json::array();
  for (const SuiteSpec& s : config.suites) {
    json sj = {{"name", s.name}, {"file", s.file.string()}, {"hash", FileHash(s.file)},
               {"cases", s.cases.size()}};
    if (!s.schema_file.empty()) sj["schema_hash"] = FileHash(s.schema_file);
    suites.push_back(std::move(sj));
  }
  m["suites"] = std::move(suites);
  json endpoints = json::array();
  for (const EndpointSpec& e : config.endpoints) {
    json headers = json::array();
    for (const auto& [name, value] : e.headers) headers.push_back(name);  // never the values
    endpoints.push_back({{"name", e.name},
                         {"provider", e.provider},
                         {"model", e.model},
                         {"base_url", e.base_url},
                         {"label", e.label},
                         {"api_key_env", e.api_key_env},
                         {"header_names", headers},
                         {"concurrency", e.concurrency},
                         {"rate_limit", {{"rpm", e.rate_limit.rpm}, {"tpm", e.rate_limit.tpm}}},
                         {"timeout_s", e.timeout_s},
                         {"retries", e.retries},
                         {"pricing", PricingJson(e.pricing)},
                         {"system_prompt_hash", HexHash(e.system_prompt)}});
  }
  m["endpoints"] = std::move(endpoints);
  m["gate"] = GateSpecToJson(config.gate);
  m["volume"] = {{"queries_per_day", config.volume.queries_per_day}};
  m["run_options"] = {{"max_cost_usd", config.run.max_cost_usd}, {"cache", config.run.cache}};
  return m;
}

Status CopyInputs(const fs::path& run_dir, const Config& config) {
  const fs::path root = config.file.parent_path();
  if (auto r = CopyInput(run_dir, root, config.file); !r.ok()) return r.error();
  for (const SuiteSpec& s : config.suites) {
    if (auto r = CopyInput(run_dir, root, s.file); !r.ok()) return r.error();
    if (!s.schema_file.empty()) {
      if (auto r = CopyInput(run_dir, root, s.schema_file); !r.ok()) return r.error();
    }
  }
  return Status::Ok();
}

Status WriteInputs(const fs::path& run_dir, const Config& config) {
  if (Status s = CopyInputs(run_dir, config); !s.ok()) return s;
  return WriteResolvedJson(run_dir, config);
}

json GateSpecToJson(const GateSpec& gate) {
  json j = ThresholdsJson(gate.thresholds);
  j["endpoints"] = gate.endpoints;
  json suites = json::object();
  for (const auto& [name, t] : gate.suites) suites[name] = ThresholdsJson(t);
  j["suites"] = suites;
  return j;
}

GateSpec GateSpecFromJson(const json& j) {
  GateSpec g;
  g.thresholds = ThresholdsFromJson(j);
  if (j.is_object() && j.contains("endpoints") && j["endpoints"].is_array()) {
    for (const auto& e : j["endpoints"]) {
      if (e.is_string()) g.endpoints.push_back(e);
    }
  }
  if (j.is_object() && j.contains("suites") && j["suites"].is_object()) {
    for (const auto& [name, t] : j["suites"].items()) g.suites[name] = ThresholdsFromJson(t);
  }
  return g;
}

SummaryContext SummaryContextFromManifest(const json& m) {
  SummaryContext ctx;
  ctx.run_id = m.value("run_id", "");
  if (m.contains("config") && m["config"].is_object()) ctx.config = m["config"].value("path", "");
  ctx.started = m.value("started_at", "");
  ctx.finished = m.value("finished_at", "");
  ctx.repeat = m.value("repeat", 1);
  ctx.shard = m.value("shard", "");
  if (m.contains("endpoints") && m["endpoints"].is_array()) {
    for (const auto& e : m["endpoints"]) {
      SummaryEndpointInfo info;
      info.name = e.value("name", "");
      info.label = e.value("label", "");
      info.model = e.value("model", "");
      info.provider = e.value("provider", "");
      if (e.contains("pricing") && e["pricing"].is_object()) {
        const json& p = e["pricing"];
        info.pricing.set = true;
        info.pricing.input_per_mtok = p.value("input_per_mtok", 0.0);
        info.pricing.cached_input_per_mtok = p.value("cached_input_per_mtok", -1.0);
        info.pricing.output_per_mtok = p.value("output_per_mtok", 0.0);
      }
      ctx.endpoints.push_back(std::move(info));
    }
  }
  return ctx;
}

SummaryContext SummaryContextFromConfig(const Config& config, const ManifestInfo& info,
                                        const std::string& config_display) {
  SummaryContext ctx;
  ctx.run_id = info.run_id;
  ctx.config = config_display;
  ctx.started = info.started_at;
  ctx.finished = info.finished_at;
  ctx.repeat = info.repeat;
  ctx.shard = info.shard;
  for (const EndpointSpec& e : config.endpoints) {
    if (!info.endpoints.empty() &&
        std::find(info.endpoints.begin(), info.endpoints.end(), e.name) == info.endpoints.end()) {
      continue;
    }
    ctx.endpoints.push_back({e.name, e.label, e.model, e.provider, e.pricing});
  }
  return ctx;
}

}  // namespace comply
