// Streamed cases (case_source), the lazy plan (run_plan), the run-directory inputs computed
// from streamed cases (run_inputs), and ExecuteRun over many cases against a loopback mock.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "evaluator/background_inputs.h"
#include "evaluator/case_source.h"
#include "evaluator/checker.h"
#include "evaluator/config_loader.h"
#include "evaluator/decision.h"
#include "evaluator/hash.h"
#include "evaluator/manifest.h"
#include "evaluator/run.h"
#include "evaluator/run_inputs.h"
#include "evaluator/suite_loader.h"
#include "evaluator/summary.h"
#include "providers/mock_server.h"
#include "tests/test_util.h"

namespace comply {
namespace {

using comply::testing::ReadFile;
using comply::testing::SourceDir;
using comply::testing::TempDir;
using comply::testing::WriteFile;
using json = nlohmann::json;
using Key = std::tuple<std::string, std::string, std::string, int>;

// Turns case streaming on or off for one test, and back off after it.
struct StreamCases {
  explicit StreamCases(bool on) { SetStreamCasesFiles(on); }
  ~StreamCases() { SetStreamCasesFiles(false); }
};

Result<SuiteSpec> Load(const std::filesystem::path& file, bool stream) {
  StreamCases s(stream);
  return LoadSuite(file);
}

Result<Config> LoadCfg(const std::filesystem::path& file, bool stream) {
  StreamCases s(stream);
  return LoadConfig(file);
}

std::filesystem::path LoaderFixture(const std::string& rel) {
  return SourceDir() / "tests/fixtures/loader" / rel;
}

// A suite with two inline cases and `n` cases in cases.jsonl (blank and CRLF lines included).
void WriteSuite(const TempDir& dir, int n) {
  WriteFile(dir / "suite.yaml",
            "name: s\nschema: {type: object, properties: {a: {type: integer}}}\n"
            "prompt: 'Q {{q}}'\n"
            "cases:\n  - {id: in-1, vars: {q: one}, tags: [inline]}\n  - {id: in-2, vars: {q: two}}\n"
            "cases_file: cases.jsonl\n");
  std::string lines;
  for (int i = 0; i < n; ++i) {
    json c = {{"id", "c-" + std::to_string(i)}, {"vars", {{"q", "question é " + std::to_string(i)}}}};
    if (i % 3 == 0) c["expected"] = {{"a", i}};
    if (i % 2 == 0) c["tags"] = {"even"};
    lines += c.dump() + (i % 5 == 0 ? "\r\n" : "\n");
    if (i % 7 == 0) lines += "\n   \n";
  }
  WriteFile(dir / "cases.jsonl", lines);
}

void WriteConfig(const TempDir& dir, const std::string& base_url, int repeat) {
  WriteFile(dir / "comply.yaml",
            "suites: [suite.yaml]\nendpoints:\n"
            "  - {name: e1, provider: openai, base_url: '" + base_url + "', model: m, concurrency: 4, retries: 0}\n"
            "  - {name: e2, provider: openai, base_url: '" + base_url + "', model: m, concurrency: 4, retries: 0}\n"
            "run: {repeat: " + std::to_string(repeat) + "}\n");
}

std::vector<std::tuple<int, int, int, int>> Tuples(const std::vector<PlanItem>& plan) {
  std::vector<std::tuple<int, int, int, int>> out;
  for (const PlanItem& p : plan) out.emplace_back(p.suite, p.case_index, p.endpoint, p.sample);
  return out;
}

TEST_CASE("case_source: streamed cases read back equal to the loaded ones", "[run]") {
  TempDir dir;
  WriteSuite(dir, 40);
  Result<SuiteSpec> full = Load(dir / "suite.yaml", false);
  Result<SuiteSpec> lazy = Load(dir / "suite.yaml", true);
  REQUIRE(full.ok());
  REQUIRE(lazy.ok());
  CHECK(full->streamed_cases == nullptr);
  REQUIRE(lazy->streamed_cases != nullptr);
  CHECK(lazy->cases.size() == 2);           // the inline cases only
  CHECK(lazy->streamed_cases->entries.size() == 40);
  REQUIRE(CaseCount(*lazy) == 42);
  REQUIRE(CaseCount(*full) == 42);
  for (std::size_t i = 0; i < 42; ++i) {
    Result<std::shared_ptr<const Case>> c = CaseAt(*lazy, i);
    REQUIRE(c.ok());
    const Case& want = full->cases[i];
    CHECK((*c)->id == want.id);
    CHECK((*c)->vars == want.vars);
    CHECK((*c)->expected == want.expected);
    CHECK((*c)->tags == want.tags);
    CHECK((*c)->where == want.where);
    CHECK(CaseShardKey(*lazy, i) == Fnv1a64("s/" + want.id));
  }
  CHECK(full->cases[2].where == (dir / "cases.jsonl").string() + ":1");
  CHECK(full->cases[3].where == (dir / "cases.jsonl").string() + ":4");  // after two blank lines
}

TEST_CASE("case_source: the fixtures load with the same cases and the same errors either way", "[run]") {
  Result<SuiteSpec> good_full = Load(LoaderFixture("good/suite.yaml"), false);
  Result<SuiteSpec> good_lazy = Load(LoaderFixture("good/suite.yaml"), true);
  REQUIRE(good_full.ok());
  REQUIRE(good_lazy.ok());
  REQUIRE(CaseCount(*good_lazy) == good_full->cases.size());
  for (std::size_t i = 0; i < good_full->cases.size(); ++i) {
    auto c = CaseAt(*good_lazy, i);
    REQUIRE(c.ok());
    CHECK((*c)->id == good_full->cases[i].id);
    CHECK((*c)->vars == good_full->cases[i].vars);
  }
  Result<SuiteSpec> bad_full = Load(LoaderFixture("broken/jsonl/suite.yaml"), false);
  Result<SuiteSpec> bad_lazy = Load(LoaderFixture("broken/jsonl/suite.yaml"), true);
  REQUIRE_FALSE(bad_full.ok());
  REQUIRE_FALSE(bad_lazy.ok());
  CHECK(bad_lazy.error().message == bad_full.error().message);
}

TEST_CASE("case_source: duplicate ids and missing vars give the same messages when streamed", "[run]") {
  TempDir dir;
  WriteFile(dir / "suite.yaml",
            "schema: {type: object}\nprompt: '{{q}} {{r}}'\n"
            "cases:\n  - {id: a, vars: {q: 1, r: 2}}\n  - {id: a, vars: {q: 1}}\n"
            "cases_file: cases.jsonl\n");
  WriteFile(dir / "cases.jsonl",
            "{\"id\": \"b\", \"vars\": {\"q\": 1, \"r\": 2}}\n"
            "{\"id\": \"a\", \"vars\": {\"q\": 1}}\n"
            "{\"id\": \"b\", \"vars\": {\"q\": 1, \"r\": 2}}\n"
            "not json\n"
            "{\"id\": \"c\", \"vars\": {\"r\": 2}}\n");
  Result<SuiteSpec> full = Load(dir / "suite.yaml", false);
  Result<SuiteSpec> lazy = Load(dir / "suite.yaml", true);
  REQUIRE_FALSE(full.ok());
  REQUIRE_FALSE(lazy.ok());
  CHECK(lazy.error().message == full.error().message);
  const std::string f = (dir / "cases.jsonl").string();
  CHECK(full.error().message.find(f + ":3: error: duplicate case id — \"b\" — case ids must be unique within a suite (first at " +
                                  f + ":1)") != std::string::npos);
}

// Streamed lines are checked on the flat parser first (suite_loader.cc FastStreamedCase) and
// only the others through nlohmann: every kind of line is accepted or reported exactly as the
// fully loaded suite does, with the same id.
TEST_CASE("case_source: each kind of case line loads or fails the same way streamed", "[run]") {
  const std::vector<std::string> lines = {
      R"({"id": "a", "vars": {"q": "x", "n": {"m": [1, {"k": 2}]}}})",
      R"({"vars": {"q": "x", "n": {"m": [1, 2]}}, "id": "b", "tags": ["t1", "t2"], "expected": {"z": 1}})",
      R"({"id": 7, "vars": {"q": "x", "n": {"m": [0, 1]}}})",
      R"({"id": -12, "vars": {"q": 1, "n": {"m": [0, 1]}}})",
      R"({"id": 18446744073709551615, "vars": {"q": 1, "n": {"m": [0, 1]}}})",
      R"({"id": 1.5, "vars": {"q": 1, "n": {"m": [0, 1]}}})",
      R"({"id": 1e2, "vars": {"q": 1, "n": {"m": [0, 1]}}})",
      R"({"id": "c", "vars": {"q": 1}})",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": [0]}}})",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": {"1": 0}}}})",
      R"({"id": "c", "vars": {"q": null, "n": {"m": [0, null]}}})",
      R"({"id": "c", "vars": null})",
      R"({"id": "c"})",
      R"({"id": "c", "vars": [1, 2]})",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": [0, 1]}}, "tags": "t"})",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": [0, 1]}}, "tags": [1]})",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": [0, 1]}}, "tags": null, "expected": null})",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": [0, 1]}}, "tags": [], "expected": [1, "x", {"y": null}]})",
      R"({"id": "c", "vars": {"q": 1.25, "n": {"m": [0, -1e300]}}, "expected": "plain text answer"})",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": [0, 1]}}, "expected": {"a": 1, "a": 2}})",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": [0, 1]}}, "expected": 0})",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": [0, 1]}}, "expected": false})",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": [0, 1]}}, "tag": ["t"]})",
      R"({"id": "c", "id": "d", "vars": {"q": 1, "n": {"m": [0, 1]}}})",
      R"({"id": "c", "vars": {"q": 1, "q": 2, "n": {"m": [0, 1]}}})",
      R"({"id": null, "vars": {"q": 1}})",
      R"({"id": true, "vars": {"q": 1}})",
      R"({"id": "", "vars": {"q": 1, "n": {"m": [0, 1]}}})",
      R"({"id": "é\u00e9\ud83d\ude00", "vars": {"q": "\"", "n": {"m": [0, 1]}}})",
      R"(["id", "c"])",
      R"("c")",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": [0, 1]}}} trailing)",
      R"({"id": "c", "vars": {"q": 1, "n": {"m": [0, 1]}},})",
      R"({"id": "c", "vars": {"q": 01}})",
      "{\"id\": \"c\", \"vars\": {\"q\": \"\xff\", \"n\": {\"m\": [0, 1]}}}",
      "  {\"id\" : \"c\" , \"vars\":{\"q\":1,\"n\":{\"m\":[0,1]}} }\t",
  };
  for (const std::string prompt : {"'{{q}} {{ n.m.1 }}'", "'no placeholders'"}) {
    for (const std::string& line : lines) {
      INFO(prompt << " | " << line);
      TempDir dir;
      WriteFile(dir / "suite.yaml", "name: s\nschema: {type: object}\nprompt: " + prompt + "\ncases_file: cases.jsonl\n");
      WriteFile(dir / "cases.jsonl", line + "\n");
      Result<SuiteSpec> full = Load(dir / "suite.yaml", false);
      Result<SuiteSpec> lazy = Load(dir / "suite.yaml", true);
      REQUIRE(full.ok() == lazy.ok());
      if (!full.ok()) {
        CHECK(lazy.error().message == full.error().message);
        continue;
      }
      REQUIRE(CaseCount(*lazy) == 1);
      REQUIRE(full->cases.size() == 1);
      CHECK(CaseShardKey(*lazy, 0) == Fnv1a64("s/" + full->cases[0].id));
      // Read back at run time (ParseCaseLine: the flat parser for the common line, else
      // nlohmann), by CaseAt and by a CaseReader: the same case as the full load made.
      auto c = CaseAt(*lazy, 0);
      REQUIRE(c.ok());
      CaseReader reader(*lazy);
      auto r = reader.At(0);
      REQUIRE(r.ok());
      for (const Case* got : {c->get(), r->get()}) {
        CHECK(got->id == full->cases[0].id);
        CHECK(got->vars == full->cases[0].vars);
        CHECK(got->expected == full->cases[0].expected);
        CHECK(got->tags == full->cases[0].tags);
        CHECK(got->where == full->cases[0].where);
      }
    }
  }
}

TEST_CASE("case_source: a cases file changed after loading is an error, not a wrong case", "[run]") {
  TempDir dir;
  WriteSuite(dir, 3);
  Result<SuiteSpec> lazy = Load(dir / "suite.yaml", true);
  REQUIRE(lazy.ok());
  // Same length, another id: the line no longer matches what was loaded.
  std::string text = ReadFile(dir / "cases.jsonl");
  const std::size_t at = text.find("c-1");
  REQUIRE(at != std::string::npos);
  text[at] = 'x';
  std::filesystem::remove(dir / "cases.jsonl");  // the open descriptor keeps the old file
  WriteFile(dir / "cases.jsonl", text);
  auto still = CaseAt(*lazy, 3);  // read through the descriptor opened at load time
  REQUIRE(still.ok());
  CHECK((*still)->id == "c-1");

  Result<SuiteSpec> again = Load(dir / "suite.yaml", true);
  REQUIRE(again.ok());
  {
    std::FILE* f = std::fopen((dir / "cases.jsonl").c_str(), "r+b");  // in place, same inode
    REQUIRE(f != nullptr);
    std::fseek(f, static_cast<long>(at), SEEK_SET);
    std::fputc('y', f);
    std::fclose(f);
  }
  auto changed = CaseAt(*again, 3);
  REQUIRE_FALSE(changed.ok());
  CHECK(changed.error().code == ErrorCode::kIo);
  CHECK(changed.error().message == (dir / "cases.jsonl").string() +
                                       ":4: the case line changed since the suite was loaded; run again on an unchanged file");
}

TEST_CASE("run_plan: the plan order, --limit, --shard and resume keys are the same for streamed cases", "[run]") {
  TempDir dir;
  WriteSuite(dir, 30);
  WriteConfig(dir, "http://127.0.0.1:9/v1", 1);
  Result<Config> full = LoadCfg(dir / "comply.yaml", false);
  Result<Config> lazy = LoadCfg(dir / "comply.yaml", true);
  REQUIRE(full.ok());
  REQUIRE(lazy.ok());

  RunPlanOptions o;
  o.repeat = 2;
  o.limit = 3;
  // Send order: case, then sample, then endpoint.
  CHECK(Tuples(BuildPlan(*lazy, o)) == std::vector<std::tuple<int, int, int, int>>{
                                           {0, 0, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, 1, 1},
                                           {0, 1, 0, 0}, {0, 1, 1, 0}, {0, 1, 0, 1}, {0, 1, 1, 1},
                                           {0, 2, 0, 0}, {0, 2, 1, 0}, {0, 2, 0, 1}, {0, 2, 1, 1}});
  o.limit.reset();
  o.endpoints = {"e2"};
  for (int i = 1; i <= 3; ++i) {
    o.shard = Shard{i, 3};
    const auto want = BuildPlan(*full, o);
    CHECK(Tuples(BuildPlan(*lazy, o)) == Tuples(want));
    CHECK(*CountPlan(*lazy, o) == want.size());
    for (const PlanItem& p : want) CHECK(InShard(o.shard, "s", full->suites[0].cases[p.case_index].id));
  }
  o.shard = Shard{};
  o.done = {{"s", "c-0", "e2", 0}, {"s", "in-2", "e2", 1}, {"s", "elsewhere", "e2", 0}};
  const auto want = BuildPlan(*full, o);
  CHECK(want.size() == 32u * 2 - 2);
  CHECK(Tuples(BuildPlan(*lazy, o)) == Tuples(want));
  CHECK(*CountPlan(*lazy, o) == want.size());

  auto dry = DescribePlan(*lazy, RunPlanOptions{});
  REQUIRE(dry.ok());
  CHECK(dry->rfind("plan: 64 requests\n  e1 × s: 32\n  e2 × s: 32\n", 0) == 0);
}

TEST_CASE("run_inputs: the config hash, resolved.json and case counts equal the fully loaded ones", "[run]") {
  TempDir dir;
  WriteSuite(dir, 25);
  WriteConfig(dir, "http://127.0.0.1:9/v1", 1);
  Result<Config> full = LoadCfg(dir / "comply.yaml", false);
  Result<Config> lazy = LoadCfg(dir / "comply.yaml", true);
  REQUIRE(full.ok());
  REQUIRE(lazy.ok());
  CHECK_FALSE(HasStreamedCases(*full));
  CHECK(HasStreamedCases(*lazy));
  auto hash = StreamedConfigHash(*lazy);
  REQUIRE(hash.ok());
  CHECK(*hash == ConfigHash(*full));
  CHECK(*StreamedConfigHash(*full) == ConfigHash(*full));

  REQUIRE(WriteInputs(dir / "run-full", *full).ok());
  REQUIRE(WriteStreamedInputs(dir / "run-lazy", *lazy).ok());
  const std::string want = ReadFile(dir / "run-full/inputs/resolved.json");
  CHECK(json::parse(want)["suites"][0]["cases"].size() == 27);
  CHECK(ReadFile(dir / "run-lazy/inputs/resolved.json") == want);
  // Written and hashed in one read of the cases: the same file, the same hash.
  auto one_pass = WriteStreamedInputsWithHash(dir / "run-one-pass", *lazy);
  REQUIRE(one_pass.ok());
  CHECK(*one_pass == *hash);
  CHECK(ReadFile(dir / "run-one-pass/inputs/resolved.json") == want);

  // Decision support built from the cases as they are written equals the one opened from the
  // written file, fed the same records (prompted e1 pays per input token, e2 is cheaper).
  std::unique_ptr<DecisionAccumulator> built;
  auto with_decision = WriteStreamedInputsWithHash(dir / "run-decision", *lazy, &built);
  REQUIRE(with_decision.ok());
  CHECK(*with_decision == *hash);
  REQUIRE(built != nullptr);
  auto opened = DecisionAccumulator::Open(dir / "run-decision");
  REQUIRE(opened.ok());
  SummaryContext ctx;
  ctx.endpoints = {{"e1", "prompted", "m", "openai", {}}, {"e2", "fine-tuned", "m", "openai", {}}};
  SummaryBuilder sb(ctx);
  int k = 0;
  const json resolved = json::parse(want);
  for (const json& c : resolved["suites"][0]["cases"]) {
    for (const std::string ep : {"e1", "e2"}) {
      Record r;
      r.case_id = c["id"];
      r.suite = "s";
      r.endpoint = ep;
      if (c.contains("tags") && !c["tags"].empty()) r.tags = {c["tags"][0].get<std::string>()};
      r.input_tokens = (ep == "e1" ? 200 : 20) + static_cast<int>(c["vars"]["q"].get<std::string>().size());
      r.cost_usd = ep == "e1" ? 0.002 : 0.0004;
      r.parsed = json::object();
      r.schema_valid = true;
      r.compliant = ep == "e2" || ++k % 4 != 0;
      sb.Add(r);
      built->Add(r);
      (*opened)->Add(r);
    }
  }
  const json summary = sb.Finish();
  const json from_built = built->Finish(summary, 5000);
  CHECK(from_built == (*opened)->Finish(summary, 5000));
  CHECK(from_built["endpoints"]["e1"].is_object());

  ManifestInfo info;
  json m = BuildManifest(*lazy, info);
  CHECK(m["suites"][0]["cases"] == 2);  // BuildManifest alone sees the inline cases
  PatchManifestCases(*lazy, *hash, &m);
  json want_m = BuildManifest(*full, info);
  CHECK(m["suites"] == want_m["suites"]);
  CHECK(m["config"] == want_m["config"]);
}

// The mock answers {"a": 1} to every prompt, at once.
std::unique_ptr<MockServer> StartMock() {
  MockOptions o;
  MockProfile p;
  p.name = "m";
  p.latency_ms = 0;
  o.profiles = {p};
  o.answers = [](std::string_view) -> std::optional<json> { return json{{"a", 1}}; };
  o.threads = 8;
  auto s = MockServer::Start(std::move(o));
  REQUIRE(s.ok());
  return std::move(s.value());
}

std::set<Key> RunOnce(const Config& cfg, const RunPlanOptions& o, const std::filesystem::path& out,
                      RunOutcome* outcome) {
  std::vector<std::shared_ptr<const SuiteChecker>> checkers;
  for (const SuiteSpec& s : cfg.suites) {
    auto c = SuiteChecker::Compile(s);
    REQUIRE(c.ok());
    checkers.push_back(*c);
  }
  auto writer = ResultsWriter::Open(out, false);
  REQUIRE(writer.ok());
  std::set<Key> keys;
  std::size_t compliant = 0, duplicates = 0;
  auto r = ExecuteRun(cfg, checkers, o, writer->get(), [&](const Record& rec) {
    if (!keys.insert({rec.suite, rec.case_id, rec.endpoint, rec.sample}).second) ++duplicates;
    compliant += rec.compliant;
  }, nullptr);
  REQUIRE(r.ok());
  *outcome = *r;
  CHECK(duplicates == 0);
  CHECK(compliant == keys.size());
  return keys;
}

// The inputs are written in steps, by a background thread and then by the thread that needs
// them: wherever the work passes from one to the other, the same files and the same hash.
TEST_CASE("background_inputs: the same inputs and hash whichever thread writes which cases", "[run]") {
  TempDir dir;
  WriteSuite(dir, 300);
  WriteConfig(dir, "http://127.0.0.1:9/v1", 1);
  Result<Config> lazy = LoadCfg(dir / "comply.yaml", true);
  REQUIRE(lazy.ok());
  auto hash = StreamedConfigHash(*lazy);
  REQUIRE(hash.ok());
  REQUIRE(WriteStreamedInputs(dir / "run-want", *lazy).ok());
  const std::string want = ReadFile(dir / "run-want/inputs/resolved.json");

  SECTION("by hand: some steps, then Finish") {
    for (int steps : {0, 1, 2, 150, 100000}) {
      const std::filesystem::path run = dir / ("run-steps-" + std::to_string(steps));
      std::unique_ptr<DecisionAccumulator> decision;
      auto w = StreamedInputsWriter::Begin(run, *lazy, &decision);
      REQUIRE(w.ok());
      int taken = 0;
      while (taken < steps && (*w)->Step()) ++taken;
      CHECK_FALSE(std::filesystem::exists(run / "inputs/resolved.json"));  // only the .tmp yet
      auto got = (*w)->Finish();
      REQUIRE(got.ok());
      CHECK(*got == *hash);
      CHECK(ReadFile(run / "inputs/resolved.json") == want);
      CHECK(ReadFile(run / "inputs/comply.yaml") == ReadFile(dir / "comply.yaml"));  // copied
      CHECK(decision != nullptr);
    }
  }
  SECTION("background thread: Complete at once, or after the thread is done") {
    for (bool wait_first : {false, true}) {
      const std::filesystem::path run = dir / (wait_first ? "run-bg-waited" : "run-bg-at-once");
      std::unique_ptr<DecisionAccumulator> decision;
      auto w = StreamedInputsWriter::Begin(run, *lazy, &decision);
      REQUIRE(w.ok());
      std::atomic<int> finished_calls{0};
      auto inputs = BackgroundInputs::Start(std::move(w), [&](Result<std::string> h) {
        ++finished_calls;
        return h;
      });
      std::shared_future<Result<std::string>> written = inputs->written();
      if (wait_first) REQUIRE(written.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
      const Result<std::string>& got = inputs->Complete();
      REQUIRE(got.ok());
      CHECK(*got == *hash);
      CHECK(written.get().ok());
      CHECK(*written.get() == *hash);
      CHECK(&inputs->Complete() == &got);  // idempotent
      inputs.reset();
      CHECK(finished_calls == 1);
      CHECK(ReadFile(run / "inputs/resolved.json") == want);
      CHECK(decision != nullptr);
    }
  }
  SECTION("a writer that could not begin: finished at once with its error, OnFinished once") {
    std::filesystem::create_directories(dir / "run-blocked/inputs/resolved.json.tmp");  // a directory
    std::unique_ptr<DecisionAccumulator> decision;
    auto w = StreamedInputsWriter::Begin(dir / "run-blocked", *lazy, &decision);
    REQUIRE_FALSE(w.ok());
    std::atomic<int> finished_calls{0};
    auto inputs = BackgroundInputs::Start(std::move(w), [&](Result<std::string> h) {
      ++finished_calls;
      return h;
    });
    REQUIRE(inputs->written().wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    CHECK(finished_calls == 1);
    const Result<std::string>& got = inputs->Complete();
    REQUIRE_FALSE(got.ok());
    CHECK(got.error().message.find("resolved.json.tmp") != std::string::npos);
    CHECK(finished_calls == 1);
    CHECK(decision == nullptr);
  }
  SECTION("a case that cannot be read again fails the inputs, once, with the file and line") {
    std::string text = ReadFile(dir / "cases.jsonl");
    const std::size_t at = text.find("c-299");
    REQUIRE(at != std::string::npos);
    {
      std::FILE* f = std::fopen((dir / "cases.jsonl").c_str(), "r+b");  // in place, same inode
      REQUIRE(f != nullptr);
      std::fseek(f, static_cast<long>(at), SEEK_SET);
      std::fputc('x', f);
      std::fclose(f);
    }
    std::unique_ptr<DecisionAccumulator> decision;
    auto w = StreamedInputsWriter::Begin(dir / "run-changed", *lazy, &decision);
    REQUIRE(w.ok());
    std::atomic<int> finished_calls{0};
    std::string seen_error;
    auto inputs = BackgroundInputs::Start(std::move(w), [&](Result<std::string> h) {
      ++finished_calls;
      if (!h.ok()) seen_error = h.error().message;
      return h;
    });
    const Result<std::string>& got = inputs->Complete();
    REQUIRE_FALSE(got.ok());
    CHECK(got.error().message.find("cases.jsonl:") != std::string::npos);
    CHECK(got.error().message.find("changed since the suite was loaded") != std::string::npos);
    CHECK(seen_error == got.error().message);
    CHECK(finished_calls == 1);
    CHECK(decision == nullptr);  // not half built
    CHECK_FALSE(std::filesystem::exists(dir / "run-changed/inputs/resolved.json"));
  }
}

TEST_CASE("run: many streamed cases × repeat × endpoints, each item recorded once; resume and shard exact", "[run]") {
  TempDir dir;
  std::unique_ptr<MockServer> mock = StartMock();
  WriteSuite(dir, 118);  // 120 cases × 2 endpoints × 3 samples = 720 items, far over the window
  WriteConfig(dir, "http://127.0.0.1:" + std::to_string(mock->port()) + "/v1", 3);
  Result<Config> cfg = LoadCfg(dir / "comply.yaml", true);
  REQUIRE(cfg.ok());
  RunPlanOptions o;
  o.repeat = 3;
  o.use_cache = false;
  o.concurrency = 8;  // window: 64 items

  RunOutcome all;
  const std::set<Key> keys = RunOnce(*cfg, o, dir / "all.jsonl", &all);
  CHECK(all.planned == 720);
  CHECK(all.recorded == 720);
  CHECK(all.errors == 0);
  CHECK(keys.size() == 720);
  CHECK(keys.count({"s", "c-117", "e2", 2}) == 1);

  // Resume: the first 500 keys are done; the rest, exactly, is sent again.
  RunPlanOptions resume = o;
  auto it = keys.begin();
  for (int i = 0; i < 500; ++i) resume.done.insert(*it++);
  RunOutcome rest;
  const std::set<Key> second = RunOnce(*cfg, resume, dir / "rest.jsonl", &rest);
  CHECK(rest.planned == 220);
  CHECK(second.size() == 220);
  std::set<Key> joined = resume.done;
  joined.insert(second.begin(), second.end());
  CHECK(joined == keys);

  // Shards: disjoint, together the whole plan.
  std::set<Key> sharded;
  for (int i = 1; i <= 2; ++i) {
    RunPlanOptions sh = o;
    sh.shard = Shard{i, 2};
    RunOutcome part;
    for (const Key& k : RunOnce(*cfg, sh, dir / ("shard" + std::to_string(i) + ".jsonl"), &part)) {
      CHECK(InShard(sh.shard, std::get<0>(k), std::get<1>(k)));
      CHECK(sharded.insert(k).second);
    }
  }
  CHECK(sharded == keys);
}

}  // namespace
}  // namespace comply
