#include "evaluator/config_loader.h"

#include <algorithm>
#include <climits>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "evaluator/did_you_mean.h"
#include "evaluator/suite_loader.h"

namespace comply {
namespace {

using json = nlohmann::json;

constexpr double kBig = 1e308;

struct Ctx {
  const YamlDoc& doc;
  std::filesystem::path dir;          // absolute folder of the config
  std::filesystem::path display_dir;  // the same, as shown in messages
  std::vector<Diagnostic>* problems;
};

std::string Where(const YamlDoc& doc, const std::string& pointer) {
  return Diagnostic{doc.file, doc.MarkOf(pointer), "", "", ""}.Where();
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// "/endpoints/<n>/api_key_env": kept verbatim (a variable's name, never expanded).
bool IsApiKeyEnvPointer(const std::string& pointer) {
  static const std::string kPrefix = "/endpoints/", kSuffix = "/api_key_env";
  if (pointer.size() <= kPrefix.size() + kSuffix.size()) return false;
  if (pointer.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  if (pointer.compare(pointer.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) return false;
  const std::string middle = pointer.substr(kPrefix.size(), pointer.size() - kPrefix.size() - kSuffix.size());
  return middle.find_first_not_of("0123456789") == std::string::npos;
}

bool IsEnvName(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

void ReadPricing(const Ctx& ctx, FieldReader& e, EndpointSpec* spec) {
  if (!e.IsMap("pricing")) return;
  FieldReader p(ctx.doc, e.PointerOf("pricing"), "pricing", ctx.problems);
  p.AllowKeys({"input_per_mtok", "cached_input_per_mtok", "output_per_mtok"});
  spec->pricing.set = true;
  if (auto v = p.Number("input_per_mtok", 0, kBig)) spec->pricing.input_per_mtok = *v;
  if (auto v = p.Number("cached_input_per_mtok", 0, kBig)) spec->pricing.cached_input_per_mtok = *v;
  if (auto v = p.Number("output_per_mtok", 0, kBig)) spec->pricing.output_per_mtok = *v;
}

void ReadProviderKeys(const Ctx& ctx, FieldReader& e, EndpointSpec* spec) {
  if (spec->provider == "openai" || spec->provider == "anthropic") {
    e.Require("model", "add model: <the model's name>");
    if (spec->base_url.empty()) {
      spec->base_url = spec->provider == "openai" ? "https://api.openai.com/v1" : "https://api.anthropic.com";
    }
  } else if (spec->provider == "http") {
    e.Require("base_url", "add base_url: http://host:port/path");
    e.Require("request_template", "add request_template: {prompt: \"{{prompt}}\"}");
    e.Require("answer_pointer", "add answer_pointer: /output/text");
  } else if (spec->provider == "replay") {
    if (e.Require("replay_file", "add replay_file: responses.jsonl")) {
      if (auto raw = e.String("replay_file")) {
        const std::filesystem::path file = ResolveAgainst(ctx.dir, *raw);
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec)) {
          e.Error("replay_file", "file not found",
                  "it resolves to " + file.string() + "; relative paths start at the folder of the file that names them");
        }
        spec->replay_file = file.string();
      }
    }
  }
  if (const json* t = e.Get("request_template")) spec->request_template = *t;
  if (auto p = e.String("answer_pointer")) {
    if (!p->empty() && (*p)[0] != '/') {
      e.Error("answer_pointer", "\"answer_pointer\" must be a JSON Pointer", "start it with \"/\", e.g. /output/text");
    }
    spec->answer_pointer = *p;
  }
  if (auto v = e.String("api_version")) spec->api_version = *v;
  if (auto v = e.String("anthropic_version")) spec->anthropic_version = *v;
}

// Reads one endpoint. `timeout_set` / `retries_set` say whether it gave its own.
EndpointSpec ReadEndpoint(const Ctx& ctx, const std::string& pointer, bool* timeout_set, bool* retries_set) {
  EndpointSpec spec;
  spec.where = Where(ctx.doc, pointer);
  FieldReader e(ctx.doc, pointer, "endpoint", ctx.problems);
  if (!e.valid()) return spec;
  e.AllowKeys({"name", "provider", "model", "base_url", "api_key_env", "system_prompt", "system_prompt_file",
               "params", "headers", "concurrency", "rate_limit", "timeout_s", "retries", "pricing", "label",
               "response_format", "api_version", "anthropic_version", "request_template", "answer_pointer",
               "replay_file"});
  e.Require("name", "name the endpoint: name: large-prompted");
  if (auto v = e.String("name")) spec.name = *v;
  if (e.Require("provider", "add provider: openai, anthropic, http or replay")) {
    if (auto v = e.OneOf("provider", {"openai", "anthropic", "http", "replay"})) spec.provider = *v;
  }
  if (auto v = e.String("model")) spec.model = *v;
  if (auto v = e.String("base_url")) {
    if (v->rfind("http://", 0) != 0 && v->rfind("https://", 0) != 0) {
      e.Error("base_url", "\"base_url\" must be an http:// or https:// URL", "write the full URL, e.g. http://127.0.0.1:8000/v1");
    }
    spec.base_url = *v;
  }
  if (auto v = e.String("api_key_env")) {
    if (!IsEnvName(*v)) {
      // Not quoted: someone may have pasted the key itself here.
      e.ErrorAtKey("api_key_env", "\"api_key_env\" must be an environment variable's name", "",
                   "write the variable's name, not the key, e.g. api_key_env: OPENAI_API_KEY");
    }
    spec.api_key_env = *v;
  }
  if (e.Has("system_prompt") && e.Has("system_prompt_file")) {
    e.ErrorAtKey("system_prompt_file", "both \"system_prompt\" and \"system_prompt_file\" are set", "", "keep one of them");
  } else if (auto v = e.String("system_prompt")) {
    spec.system_prompt = *v;
  } else if (auto raw = e.String("system_prompt_file")) {
    const std::filesystem::path file = ResolveAgainst(ctx.dir, *raw);
    std::ifstream in(file, std::ios::binary);
    std::error_code ec;
    if (!in || !std::filesystem::is_regular_file(file, ec)) {
      e.Error("system_prompt_file", "file not found",
              "it resolves to " + file.string() + "; relative paths start at the folder of the file that names them");
    } else {
      std::stringstream buffer;
      buffer << in.rdbuf();
      spec.system_prompt = buffer.str();
    }
  }
  if (e.IsMap("params")) spec.params = *e.Get("params");
  if (e.IsMap("headers")) {
    for (const auto& [name, value] : e.Get("headers")->items()) {
      const std::string p = ChildPointer(e.PointerOf("headers"), name);
      if (value.is_string() || value.is_number() || value.is_boolean()) {
        spec.headers[name] = value.is_string() ? value.get<std::string>() : ctx.doc.TextOf(p);
      } else {
        ctx.problems->push_back(Diagnostic{ctx.doc.file, ctx.doc.MarkOf(p), "a header value must be text, not " + JsonTypeName(value),
                                           "", "write Header-Name: value"});
      }
    }
  }
  if (auto v = e.Integer("concurrency", 1, 100000)) spec.concurrency = static_cast<int>(*v);
  if (e.IsMap("rate_limit")) {
    FieldReader r(ctx.doc, e.PointerOf("rate_limit"), "rate_limit", ctx.problems);
    r.AllowKeys({"rpm", "tpm"});
    if (auto v = r.Number("rpm", 0, kBig)) spec.rate_limit.rpm = *v;
    if (auto v = r.Number("tpm", 0, kBig)) spec.rate_limit.tpm = *v;
  }
  *timeout_set = e.Has("timeout_s");
  *retries_set = e.Has("retries");
  if (auto v = e.Number("timeout_s", 0.001, 86400)) spec.timeout_s = *v;
  if (auto v = e.Integer("retries", 0, 100)) spec.retries = static_cast<int>(*v);
  ReadPricing(ctx, e, &spec);
  if (auto v = e.String("label")) spec.label = *v;
  if (e.OneOf("response_format", {"schema"})) spec.response_format_schema = true;
  ReadProviderKeys(ctx, e, &spec);
  return spec;
}

void ReadRun(const Ctx& ctx, RunOptions* run) {
  FieldReader r(ctx.doc, "/run", "run", ctx.problems);
  if (!r.valid()) return;
  r.AllowKeys({"repeat", "timeout_s", "retries", "concurrency", "max_cost_usd", "cache", "cache_ttl_s", "limit"});
  if (auto v = r.Integer("repeat", 1, 1000)) run->repeat = static_cast<int>(*v);
  if (auto v = r.Number("timeout_s", 0.001, 86400)) run->timeout_s = *v;
  if (auto v = r.Integer("retries", 0, 100)) run->retries = static_cast<int>(*v);
  if (auto v = r.Integer("concurrency", 1, 1000000)) run->concurrency = static_cast<int>(*v);
  if (auto v = r.Number("max_cost_usd", 0, kBig)) run->max_cost_usd = *v;
  if (auto v = r.Bool("cache")) run->cache = *v;
  if (auto v = r.Number("cache_ttl_s", 0, kBig)) run->cache_ttl_s = *v;
  if (auto v = r.Integer("limit", 1, INT_MAX)) run->limit = static_cast<int>(*v);
}

void ReadThresholds(FieldReader& g, GateThresholds* t) {
  if (auto v = g.Number("min_compliance", 0, 1)) t->min_compliance = *v;
  if (auto v = g.OneOf("min_compliance_on", {"lower_bound", "rate"})) t->min_compliance_on_lower_bound = *v == "lower_bound";
  if (auto v = g.Number("max_hallucination_rate", 0, 1)) t->max_hallucination_rate = *v;
  if (auto v = g.Number("max_error_rate", 0, 1)) t->max_error_rate = *v;
  if (auto v = g.Number("max_regression", 0, 1)) t->max_regression = *v;
}

void ReadGate(const Ctx& ctx, const Config& config, GateSpec* gate) {
  FieldReader g(ctx.doc, "/gate", "gate", ctx.problems);
  if (!g.valid()) return;
  const std::vector<std::string> threshold_keys = {"min_compliance", "min_compliance_on", "max_hallucination_rate",
                                                   "max_error_rate", "max_regression"};
  std::vector<std::string> keys = threshold_keys;
  keys.push_back("endpoints");
  keys.push_back("suites");
  g.AllowKeys(keys);
  ReadThresholds(g, &gate->thresholds);
  std::vector<std::string> endpoint_names, suite_names;
  for (const EndpointSpec& e : config.endpoints) {
    if (std::find(endpoint_names.begin(), endpoint_names.end(), e.name) == endpoint_names.end()) {
      endpoint_names.push_back(e.name);
    }
  }
  for (const SuiteSpec& s : config.suites) suite_names.push_back(s.name);
  if (auto names = g.StringList("endpoints")) {
    for (std::size_t i = 0; i < names->size(); ++i) {
      const std::string& n = (*names)[i];
      gate->endpoints.push_back(n);
      if (std::find(endpoint_names.begin(), endpoint_names.end(), n) != endpoint_names.end()) continue;
      const std::string guess = DidYouMean(n, endpoint_names);
      const std::string p = ChildPointer(g.PointerOf("endpoints"), i);
      ctx.problems->push_back(Diagnostic{ctx.doc.file, ctx.doc.MarkOf(p), "gate names an unknown endpoint", n,
                                         guess.empty() ? "endpoints are: " + JoinNames(endpoint_names)
                                                       : "did you mean \"" + guess + "\"?"});
    }
  }
  if (!g.IsMap("suites")) return;
  for (const auto& [name, value] : g.Get("suites")->items()) {
    const std::string p = ChildPointer(g.PointerOf("suites"), name);
    if (std::find(suite_names.begin(), suite_names.end(), name) == suite_names.end()) {
      const std::string guess = DidYouMean(name, suite_names);
      ctx.problems->push_back(Diagnostic{ctx.doc.file, ctx.doc.KeyMarkOf(p), "gate names an unknown suite", name,
                                         guess.empty() ? "suites are: " + JoinNames(suite_names)
                                                       : "did you mean \"" + guess + "\"?"});
    }
    FieldReader s(ctx.doc, p, "gate suite override", ctx.problems);
    if (!s.valid()) continue;
    s.AllowKeys(threshold_keys);
    GateThresholds t = gate->thresholds;  // an override is merged over the base
    ReadThresholds(s, &t);
    gate->suites[name] = t;
  }
}

void ReadSuites(const Ctx& ctx, FieldReader& top, Config* config, std::vector<bool>* suite_ok) {
  if (!top.Require("suites", "list the suite files: suites: [suites/invoice/suite.yaml]")) return;
  const json* list = top.Get("suites");
  if (!list->is_array() || list->empty()) {
    top.Error("suites", "\"suites\" must be a non-empty list of suite files", "write suites: [suites/invoice/suite.yaml]");
    return;
  }
  std::map<std::string, std::string> names;  // suite name -> where it was listed
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string p = ChildPointer("/suites", i);
    const json& item = (*list)[i];
    const Mark m = ctx.doc.MarkOf(p);
    if (!item.is_string()) {
      ctx.problems->push_back(Diagnostic{ctx.doc.file, m, "a suite entry must be a file name, not " + JsonTypeName(item),
                                         ctx.doc.TextOf(p), "write the suite file's path"});
      continue;
    }
    const std::string raw = item.get<std::string>();
    const std::filesystem::path file = ResolveAgainst(ctx.dir, raw);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      ctx.problems->push_back(Diagnostic{ctx.doc.file, m, "file not found", raw,
                                         "it resolves to " + file.string() +
                                             "; relative paths start at the folder of the file that names them"});
      continue;
    }
    const std::size_t before = ctx.problems->size();
    SuiteSpec suite = LoadSuiteCollecting(file, (ctx.display_dir / raw).lexically_normal().string(), ctx.problems);
    const std::string where = Where(ctx.doc, p);
    auto [it, inserted] = names.emplace(suite.name, where);
    if (!inserted) {
      ctx.problems->push_back(Diagnostic{ctx.doc.file, m, "two suites are named \"" + suite.name + "\"", raw,
                                         "give each suite its own name (the other is listed at " + it->second + ")"});
    }
    if (suite_ok != nullptr) suite_ok->push_back(ctx.problems->size() == before && inserted);
    config->suites.push_back(std::move(suite));
  }
}

void ReadEndpoints(const Ctx& ctx, FieldReader& top, Config* config, std::vector<bool>* timeout_set,
                   std::vector<bool>* retries_set) {
  if (!top.Require("endpoints", "list the endpoints: endpoints: [{name: ..., provider: openai, model: ...}]")) return;
  const json* list = top.Get("endpoints");
  if (!list->is_array() || list->empty()) {
    top.Error("endpoints", "\"endpoints\" must be a non-empty list", "list the endpoints: - {name: ..., provider: ...}");
    return;
  }
  std::map<std::string, std::string> names;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string p = ChildPointer("/endpoints", i);
    bool t = false, r = false;
    EndpointSpec e = ReadEndpoint(ctx, p, &t, &r);
    if (!e.name.empty()) {
      auto [it, inserted] = names.emplace(e.name, e.where);
      if (!inserted) {
        const std::string np = ChildPointer(p, "name");
        ctx.problems->push_back(Diagnostic{ctx.doc.file, ctx.doc.MarkOf(np), "duplicate endpoint name", e.name,
                                           "endpoint names must be unique (the other is at " + it->second + ")"});
      }
    }
    config->endpoints.push_back(std::move(e));
    timeout_set->push_back(t);
    retries_set->push_back(r);
  }
}

}  // namespace

Config LoadConfigCollecting(const std::filesystem::path& file, std::vector<Diagnostic>* problems,
                            std::vector<bool>* suite_ok) {
  Config config;
  std::error_code ec;
  config.file = std::filesystem::absolute(file, ec).lexically_normal();
  ParseOptions options;
  options.keep_verbatim = IsApiKeyEnvPointer;  // a variable's name, never expanded or read
  const std::size_t before = problems->size();
  YamlDoc doc = ParseYamlFile(file, file.string(), options, problems);
  if (doc.value.is_null()) {
    if (problems->size() == before) {
      problems->push_back(Diagnostic{doc.file, Mark{}, "the config file is empty", "", "add suites: and endpoints:"});
    }
    return config;
  }
  Ctx ctx{doc, config.file.parent_path(), file.parent_path(), problems};
  FieldReader top(doc, "", "config", problems);
  if (!top.valid()) return config;
  top.AllowKeys({"suites", "endpoints", "run", "gate", "volume"});
  ReadSuites(ctx, top, &config, suite_ok);
  std::vector<bool> timeout_set, retries_set;
  ReadEndpoints(ctx, top, &config, &timeout_set, &retries_set);
  ReadRun(ctx, &config.run);
  for (std::size_t i = 0; i < config.endpoints.size(); ++i) {
    if (!timeout_set[i]) config.endpoints[i].timeout_s = config.run.timeout_s;
    if (!retries_set[i]) config.endpoints[i].retries = config.run.retries;
  }
  ReadGate(ctx, config, &config.gate);
  FieldReader volume(doc, "/volume", "volume", problems);
  volume.AllowKeys({"queries_per_day"});
  if (auto v = volume.Number("queries_per_day", 0, kBig)) config.volume.queries_per_day = *v;
  return config;
}

Result<Config> LoadConfig(const std::filesystem::path& file) {
  std::vector<Diagnostic> problems;
  Config config;
  try {
    config = LoadConfigCollecting(file, &problems, nullptr);
  } catch (const std::exception& e) {  // a bug, not bad input: no library exception escapes
    return Error{ErrorCode::kInternal, file.string() + ": internal error while loading: " + e.what()};
  }
  SortDiagnostics(&problems, file.string());  // the config's own problems first
  if (!problems.empty()) return InvalidInput(JoinDiagnostics(problems));
  return config;
}

bool LooksLikeConfig(const std::filesystem::path& file) {
  std::vector<Diagnostic> ignored;
  ParseOptions options;
  options.expand_env = false;
  YamlDoc doc = ParseYamlFile(file, file.string(), options, &ignored);
  if (doc.value.is_object()) return doc.value.contains("endpoints") || doc.value.contains("suites");
  // Unparseable: look for the keys at the start of a line, so a broken config is still
  // reported as a config.
  for (const std::string& line : doc.lines) {
    if (line.rfind("endpoints:", 0) == 0 || line.rfind("suites:", 0) == 0) return true;
  }
  return false;
}

}  // namespace comply
