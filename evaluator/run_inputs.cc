#include "evaluator/run_inputs.h"

#include <fstream>
#include <functional>

#include "evaluator/case_source.h"
#include "evaluator/decision.h"
#include "evaluator/hash.h"
#include "evaluator/manifest.h"
#include "evaluator/run_dir.h"

namespace comply {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr auto kReplace = json::error_handler_t::replace;

// Calls `f` with each case's JSON, in index order; stops at the first unreadable case.
Status ForEachCaseJson(const SuiteSpec& s, const std::function<void(const json&)>& f) {
  const std::size_t n = CaseCount(s);
  CaseReader reader(s);
  for (std::size_t i = 0; i < n; ++i) {
    Result<std::shared_ptr<const Case>> c = reader.At(i);
    if (!c.ok()) return c.error();
    f(CaseJson(**c));
  }
  return Status::Ok();
}

}  // namespace

bool HasStreamedCases(const Config& config) {
  for (const SuiteSpec& s : config.suites) {
    if (s.streamed_cases) return true;
  }
  return false;
}

namespace {

// ConfigHash's FNV-1a over the config file and each suite's SuiteJson(s).dump(), fed one case
// at a time: {"cases":[c1,c2,…],"extraction":…} then the schema.
class StreamedHash {
 public:
  explicit StreamedHash(const Config& config) {
    if (auto t = ReadTextFile(config.file); t.ok()) h_ = Fnv1a64(*t, h_);
  }
  void BeginSuite() {
    h_ = Fnv1a64("\x1e", h_);
    h_ = Fnv1a64("{\"cases\":[", h_);
    first_ = true;
  }
  // One case, as CaseJson(c).dump(-1, ' ', false, kReplace).
  void Case(std::string_view compact) {
    if (!first_) h_ = Fnv1a64(",", h_);
    first_ = false;
    h_ = Fnv1a64(compact, h_);
  }
  void EndSuite(const SuiteSpec& s) {
    const std::string rest = SuiteFieldsJson(s).dump(-1, ' ', false, kReplace);
    h_ = Fnv1a64("],", h_);
    h_ = Fnv1a64(std::string_view(rest).substr(1), h_);
    if (s.schema) h_ = Fnv1a64(s.schema->dump(-1, ' ', false, kReplace), h_);
  }
  std::string Hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
    return std::string(buf);
  }

 private:
  std::uint64_t h_ = Fnv1a64("");
  bool first_ = true;
};

// WriteResolvedJson, hashing the cases on the way when `hash` is not null.
Status WriteResolvedImpl(const fs::path& run_dir, const Config& config, StreamedHash* hash,
                         std::unique_ptr<DecisionAccumulator>* decision);

}  // namespace

Result<std::string> StreamedConfigHash(const Config& config) {
  StreamedHash h(config);
  for (const SuiteSpec& s : config.suites) {
    h.BeginSuite();
    Status st = ForEachCaseJson(s, [&](const json& cj) { h.Case(cj.dump(-1, ' ', false, kReplace)); });
    if (!st.ok()) return st.error();
    h.EndSuite(s);
  }
  return h.Hex();
}

Status WriteResolvedJson(const fs::path& run_dir, const Config& config) {
  return WriteResolvedImpl(run_dir, config, nullptr, nullptr);
}

Status WriteStreamedInputs(const fs::path& run_dir, const Config& config) {
  return WriteInputs(run_dir, config);
}

Result<std::string> WriteStreamedInputsWithHash(const fs::path& run_dir, const Config& config,
                                                std::unique_ptr<DecisionAccumulator>* decision) {
  if (Status s = CopyInputs(run_dir, config); !s.ok()) return s.error();
  StreamedHash h(config);
  if (Status s = WriteResolvedImpl(run_dir, config, &h, decision); !s.ok()) {
    if (decision != nullptr) decision->reset();
    return s.error();
  }
  return h.Hex();
}

namespace {

Status WriteResolvedImpl(const fs::path& run_dir, const Config& config, StreamedHash* hash,
                         std::unique_ptr<DecisionAccumulator>* decision) {
  // resolved.json as dump(2) writes it, except that each case is on one line (compact): each
  // suite's "cases" value is a marker that the case list, written one case at a time, takes
  // the place of. The compact text of a case is also what the config hash reads.
  json resolved;
  resolved["suites"] = json::array();
  for (std::size_t i = 0; i < config.suites.size(); ++i) {
    json sj = SuiteFieldsJson(config.suites[i]);
    sj["cases"] = "\x01" "comply-cases-" + std::to_string(i);  // dumped as "\u0001comply-cases-i"
    resolved["suites"].push_back(std::move(sj));
  }
  resolved["endpoints"] = json::array();
  for (const EndpointSpec& e : config.endpoints) {
    resolved["endpoints"].push_back(
        {{"name", e.name}, {"label", e.label}, {"model", e.model}, {"system_prompt", e.system_prompt}});
  }
  const std::string text = resolved.dump(2, ' ', false, kReplace) + "\n";
  if (decision != nullptr) {  // what DecisionAccumulator::Open would read back, cases aside
    json without_cases = resolved;
    for (json& sj : without_cases["suites"]) sj["cases"] = json::array();
    *decision = DecisionAccumulator::Begin(without_cases);
  }
  const fs::path path = run_dir / "inputs" / "resolved.json";
  const fs::path tmp = path.string() + ".tmp";
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return IoError("cannot write " + tmp.string());
  std::size_t pos = 0;
  Status read_status;
  std::string el;
  for (std::size_t i = 0; i < config.suites.size() && read_status.ok(); ++i) {
    // dump escapes the marker's \x01 as \u0001.
    const std::string marker = "\"\\u0001comply-cases-" + std::to_string(i) + "\"";
    const std::size_t at = text.find(marker, pos);
    if (at == std::string::npos) return Error{ErrorCode::kInternal, "resolved.json: case list marker missing"};
    out.write(text.data() + pos, static_cast<std::streamsize>(at - pos));
    // Depth: root { "suites": [ { "cases": [ element ] } ] }: elements at 8 spaces, "]" at 6.
    bool first = true;
    if (hash != nullptr) hash->BeginSuite();
    read_status = ForEachCaseJson(config.suites[i], [&](const json& cj) {
      el.clear();
      el += first ? "[\n        " : ",\n        ";
      const std::size_t from = el.size();
      el += cj.dump(-1, ' ', false, kReplace);
      if (hash != nullptr) hash->Case(std::string_view(el).substr(from));
      if (decision != nullptr) (*decision)->AddCase(i, cj);
      out.write(el.data(), static_cast<std::streamsize>(el.size()));
      first = false;
    });
    out << (first ? "[]" : "\n      ]");
    if (hash != nullptr && read_status.ok()) hash->EndSuite(config.suites[i]);
    pos = at + marker.size();
  }
  if (!read_status.ok()) return read_status;
  out.write(text.data() + pos, static_cast<std::streamsize>(text.size() - pos));
  out.flush();
  if (!out) return IoError("cannot write " + tmp.string());
  out.close();
  fs::rename(tmp, path, ec);
  if (ec) return IoError("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

void PatchManifestCases(const Config& config, const std::string& config_hash, json* manifest) {
  if (manifest->contains("config") && (*manifest)["config"].is_object()) (*manifest)["config"]["hash"] = config_hash;
  if (!manifest->contains("suites") || !(*manifest)["suites"].is_array()) return;
  json& suites = (*manifest)["suites"];
  for (std::size_t i = 0; i < suites.size() && i < config.suites.size(); ++i) {
    suites[i]["cases"] = CaseCount(config.suites[i]);
  }
}

}  // namespace comply
