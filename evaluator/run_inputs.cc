#include "evaluator/run_inputs.h"

#include <fstream>
#include <functional>
#include <optional>

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

}  // namespace

// The state between steps: the file being written, where in the skeleton (`text`) and in
// which suite and case it is, the hash and decision support fed on the way.
struct StreamedInputsWriter::State {
  const Config* config = nullptr;
  std::optional<StreamedHash> hash;
  std::unique_ptr<DecisionAccumulator>* decision = nullptr;
  fs::path path, tmp;
  std::ofstream out;
  // resolved.json as dump(2) writes it, except that each case is on one line (compact): each
  // suite's "cases" value is a marker that the case list, written one case at a time, takes
  // the place of. The compact text of a case is also what the config hash reads.
  std::string text;
  std::size_t pos = 0;       // `text` written up to here
  std::size_t suite = 0;     // the suite being written
  std::size_t at = 0;        // where its marker is in `text`
  std::size_t marker_size = 0;
  bool in_suite = false;     // its prefix is written, its cases not all
  std::size_t next_case = 0;
  std::size_t n_cases = 0;
  std::optional<CaseReader> reader;
  std::string el;
  Status status;             // the first failure; nothing more is written after it
  bool done = false;

  // Starts suite `suite`: the text before its marker, the opening of its case list.
  Status BeginSuite() {
    const std::string marker = "\"\\u0001comply-cases-" + std::to_string(suite) + "\"";  // dump escapes \x01
    at = text.find(marker, pos);
    if (at == std::string::npos) return Error{ErrorCode::kInternal, "resolved.json: case list marker missing"};
    marker_size = marker.size();
    out.write(text.data() + pos, static_cast<std::streamsize>(at - pos));
    if (hash) hash->BeginSuite();
    const SuiteSpec& s = config->suites[suite];
    n_cases = CaseCount(s);
    next_case = 0;
    reader.emplace(s);
    in_suite = true;
    return Status::Ok();
  }

  // Depth: root { "suites": [ { "cases": [ element ] } ] }: elements at 8 spaces, "]" at 6.
  Status WriteCase() {
    Result<std::shared_ptr<const Case>> c = reader->At(next_case);
    if (!c.ok()) return c.error();
    const json cj = CaseJson(**c);
    el.clear();
    el += next_case == 0 ? "[\n        " : ",\n        ";
    const std::size_t from = el.size();
    el += cj.dump(-1, ' ', false, kReplace);
    if (hash) hash->Case(std::string_view(el).substr(from));
    if (decision != nullptr) (*decision)->AddCase(suite, cj);
    out.write(el.data(), static_cast<std::streamsize>(el.size()));
    ++next_case;
    return Status::Ok();
  }

  void EndSuite() {
    out << (n_cases == 0 ? "[]" : "\n      ]");
    if (hash) hash->EndSuite(config->suites[suite]);
    pos = at + marker_size;
    reader.reset();
    in_suite = false;
    ++suite;
  }
};

Result<std::unique_ptr<StreamedInputsWriter>> StreamedInputsWriter::Open(
    const fs::path& run_dir, const Config& config, bool with_hash, std::unique_ptr<DecisionAccumulator>* decision) {
  auto st = std::make_unique<State>();
  st->config = &config;
  if (with_hash) st->hash.emplace(config);
  st->decision = decision;
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
  st->text = resolved.dump(2, ' ', false, kReplace) + "\n";
  if (decision != nullptr) {  // what DecisionAccumulator::Open would read back, cases aside
    json without_cases = resolved;
    for (json& sj : without_cases["suites"]) sj["cases"] = json::array();
    *decision = DecisionAccumulator::Begin(without_cases);
  }
  st->path = run_dir / "inputs" / "resolved.json";
  st->tmp = st->path.string() + ".tmp";
  std::error_code ec;
  fs::create_directories(st->path.parent_path(), ec);
  st->out.open(st->tmp, std::ios::binary | std::ios::trunc);
  if (!st->out) {
    if (decision != nullptr) decision->reset();
    return IoError("cannot write " + st->tmp.string());
  }
  return std::unique_ptr<StreamedInputsWriter>(new StreamedInputsWriter(std::move(st)));
}

Result<std::unique_ptr<StreamedInputsWriter>> StreamedInputsWriter::Begin(
    const fs::path& run_dir, const Config& config, std::unique_ptr<DecisionAccumulator>* decision) {
  if (Status s = CopyInputs(run_dir, config); !s.ok()) return s.error();
  return Open(run_dir, config, /*with_hash=*/true, decision);
}

StreamedInputsWriter::StreamedInputsWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
StreamedInputsWriter::~StreamedInputsWriter() = default;

bool StreamedInputsWriter::Step() {
  State& st = *state_;
  if (st.done || !st.status.ok()) return false;
  if (st.suite == st.config->suites.size()) {
    st.done = true;
    return false;
  }
  if (!st.in_suite) {
    st.status = st.BeginSuite();
  } else if (st.next_case < st.n_cases) {
    st.status = st.WriteCase();
  } else {
    st.EndSuite();
  }
  return st.status.ok();
}

Result<std::string> StreamedInputsWriter::Finish() {
  while (Step()) {
  }
  State& st = *state_;
  auto fail = [&](Error e) -> Result<std::string> {
    if (st.decision != nullptr) st.decision->reset();
    return e;
  };
  if (!st.status.ok()) return fail(st.status.error());
  st.out.write(st.text.data() + st.pos, static_cast<std::streamsize>(st.text.size() - st.pos));
  st.out.flush();
  if (!st.out) return fail(IoError("cannot write " + st.tmp.string()));
  st.out.close();
  std::error_code ec;
  fs::rename(st.tmp, st.path, ec);
  if (ec) return fail(IoError("cannot rename " + st.tmp.string() + " to " + st.path.string() + ": " + ec.message()));
  return st.hash ? st.hash->Hex() : std::string();
}

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
  auto w = StreamedInputsWriter::Open(run_dir, config, /*with_hash=*/false, nullptr);
  if (!w.ok()) return w.error();
  if (Result<std::string> r = (*w)->Finish(); !r.ok()) return r.error();
  return Status::Ok();
}

Status WriteStreamedInputs(const fs::path& run_dir, const Config& config) {
  return WriteInputs(run_dir, config);
}

Result<std::string> WriteStreamedInputsWithHash(const fs::path& run_dir, const Config& config,
                                                std::unique_ptr<DecisionAccumulator>* decision) {
  auto w = StreamedInputsWriter::Begin(run_dir, config, decision);
  if (!w.ok()) return w.error();
  return (*w)->Finish();
}

void PatchManifestCases(const Config& config, const std::string& config_hash, json* manifest) {
  if (manifest->contains("config") && (*manifest)["config"].is_object()) (*manifest)["config"]["hash"] = config_hash;
  if (!manifest->contains("suites") || !(*manifest)["suites"].is_array()) return;
  json& suites = (*manifest)["suites"];
  for (std::size_t i = 0; i < suites.size() && i < config.suites.size(); ++i) {
    suites[i]["cases"] = CaseCount(config.suites[i]);
  }
}

}  // namespace comply
