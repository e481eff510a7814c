// Black-box tests of `comply run` (and report, compare, history, export-dataset on its run
// directories) against a `comply mock-endpoint` child process serving the two demo profiles.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/mock_fixture.h"
#include "tests/test_util.h"

namespace comply::testing {
namespace {

using json = nlohmann::json;

std::vector<json> ReadLines(const std::filesystem::path& file) {
  std::vector<json> records;
  std::string text = ReadFile(file);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) records.push_back(json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return records;
}

// A config with the invoice suite and both demo profiles on the mock; the prompted endpoint is
// gated at min_compliance 0.99.
void WriteConfig(const TempDir& dir, const std::string& url) {
  std::string suite = (SourceDir() / "suites" / "invoice" / "suite.yaml").string();
  WriteFile(dir / "c.yaml",
            "suites: ['" + suite + "']\n"
            "endpoints:\n"
            "  - {name: large-prompted, provider: openai, base_url: '" + url + "/v1', "
            "model: large-prompted, label: prompted, api_key_env: COMPLY_TEST_KEY}\n"
            "  - {name: small-finetuned, provider: openai, base_url: '" + url + "/v1', "
            "model: small-finetuned, label: fine-tuned, api_key_env: COMPLY_TEST_KEY}\n"
            "run: {repeat: 1, retries: 3}\n"
            "gate: {endpoints: [large-prompted], min_compliance: 0.99}\n");
}

std::string Comply(const TempDir& dir, const std::string& args) {
  return "cd '" + dir.path().string() + "' && COMPLY_TEST_KEY=sk-test-SECRET123 '" +
         ComplyBinary().string() + "' " + args;
}

bool FileContains(const std::filesystem::path& file, const std::string& needle) {
  return ReadFile(file).find(needle) != std::string::npos;
}

TEST_CASE("run: records, run directory, gate, secrecy, cache, baseline, history", "[e2e]") {
  TempDir dir;
  MockProcess mock(dir.path(),
                   "--config '" + (SourceDir() / "suites" / "demo.yaml").string() + "'");
  REQUIRE(mock.port() > 0);
  WriteConfig(dir, mock.url());

  CommandResult a = Run(Comply(dir, "run c.yaml --limit 6 --repeat 2 --out runs/a"));
  INFO(a.out << a.err);
  // Gate fails on the prompted endpoint: exit 1, the failing check on stderr and in summary.md.
  CHECK(a.exit_code == 1);
  CHECK(a.err.find("gate: large-prompted: compliance ") != std::string::npos);
  CHECK(a.err.find(" < min_compliance 0.990") != std::string::npos);
  std::filesystem::path run_a = dir / "runs" / "a";
  CHECK(FileContains(run_a / "summary.md", "## Gate: ❌ FAILED"));
  CHECK(FileContains(run_a / "summary.md", "min\\_compliance 0.990"));

  for (const char* name : {"manifest.json", "results.jsonl", "summary.json", "report.html",
                           "results.csv", "summary.csv", "junit.xml", "summary.md"}) {
    CHECK(std::filesystem::is_regular_file(run_a / name));
  }
  CHECK(std::filesystem::is_directory(run_a / "inputs"));
  CHECK(std::filesystem::exists(run_a / "inputs" / "c.yaml"));

  // 1 suite x 6 cases x 2 endpoints x 2 samples, each (case, endpoint, sample) exactly once.
  std::vector<json> records = ReadLines(run_a / "results.jsonl");
  CHECK(records.size() == 24);
  std::set<std::string> keys;
  for (const json& r : records) {
    for (const char* field :
         {"case_id", "suite", "endpoint", "sample", "tags", "status", "http_status", "attempts",
          "cached", "model", "request_id", "system_fingerprint", "finish_reason", "latency_ms",
          "input_tokens", "cached_input_tokens", "output_tokens", "cost_usd", "output",
          "parsed", "extraction", "drift", "schema_valid", "schema_errors",
          "hallucinated_fields", "rule_failures", "rule_details", "compliant"}) {
      INFO(field);
      CHECK(r.contains(field));
    }
    CHECK(r["cached"] == false);
    keys.insert(r["suite"].get<std::string>() + "/" + r["case_id"].get<std::string>() + "/" +
                r["endpoint"].get<std::string>() + "/" + std::to_string(r["sample"].get<int>()));
  }
  CHECK(keys.size() == 24);

  // The fine-tuned profile is more compliant than the prompted one.
  json summary = json::parse(ReadFile(run_a / "summary.json"));
  CHECK(summary["totals"]["records"] == 24);
  REQUIRE(summary["comparison"]["pairs"].size() == 1);
  const json& pair = summary["comparison"]["pairs"][0];
  CHECK(pair["a"] == "large-prompted");
  CHECK(pair["b"] == "small-finetuned");
  CHECK(pair["b_rate"].get<double>() > pair["a_rate"].get<double>());
  CHECK(summary["endpoints"]["small-finetuned"]["compliance_rate"].get<double>() >
        summary["endpoints"]["large-prompted"]["compliance_rate"].get<double>());
  json stats_after_a = mock.Stats();
  CHECK(stats_after_a["profiles"]["small-finetuned"]["requests"].get<int>() >= 12);

  // Second run, cache on: every answer cached, nothing new reaches the mock; baseline in report.
  CommandResult b = Run(Comply(dir, "run c.yaml --limit 6 --repeat 2 --out runs/b "
                                    "--baseline runs/a"));
  INFO(b.out << b.err);
  CHECK(b.exit_code == 1);
  std::filesystem::path run_b = dir / "runs" / "b";
  std::vector<json> cached = ReadLines(run_b / "results.jsonl");
  CHECK(cached.size() == 24);
  for (const json& r : cached) CHECK(r["cached"] == true);
  CHECK(mock.Stats()["requests"] == stats_after_a["requests"]);
  CHECK(FileContains(run_b / "summary.md", "Baseline: `a`"));

  // The API key is never written anywhere.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (!entry.is_regular_file() || entry.path().filename() == "c.yaml") continue;
    INFO(entry.path().string());
    CHECK_FALSE(FileContains(entry.path(), "SECRET123"));
  }
  CHECK(std::filesystem::exists(dir / "runs" / "history.sqlite"));
  CHECK(std::filesystem::exists(dir / "runs" / "cache.sqlite"));
  for (const CommandResult* r : {&a, &b}) {
    CHECK(r->out.find("SECRET123") == std::string::npos);
    CHECK(r->err.find("SECRET123") == std::string::npos);
  }

  // compare --json parses; history lists both runs.
  CommandResult cmp = Run(Comply(dir, "compare runs/a runs/b --json"));
  CHECK(cmp.exit_code == 0);
  json cmp_json = json::parse(cmp.out, nullptr, false);
  REQUIRE_FALSE(cmp_json.is_discarded());
  CHECK(cmp_json["baseline"]["run_id"] == "a");
  CHECK(cmp_json["current"]["run_id"] == "b");
  CommandResult hist = Run(Comply(dir, "history --json --history runs/history.sqlite"));
  CHECK(hist.exit_code == 0);
  json hist_json = json::parse(hist.out, nullptr, false);
  REQUIRE(hist_json.is_array());
  CHECK(hist_json.size() == 2);

  // report regenerates the files (and gates again).
  std::filesystem::remove(run_b / "report.html");
  std::filesystem::remove(run_b / "summary.csv");
  CommandResult rep = Run(Comply(dir, "report runs/b"));
  CHECK(rep.exit_code == 1);
  CHECK(std::filesystem::is_regular_file(run_b / "report.html"));
  CHECK(std::filesystem::is_regular_file(run_b / "summary.csv"));

  // export-dataset: system/user/assistant chat pairs and counts per suite.
  CommandResult ex = Run(Comply(dir, "export-dataset runs/b --endpoint small-finetuned "
                                     "--out ds.jsonl"));
  CHECK(ex.exit_code == 0);
  CHECK(ex.out.find("  invoice: ") != std::string::npos);
  std::vector<json> pairs = ReadLines(dir / "ds.jsonl");
  REQUIRE_FALSE(pairs.empty());
  CHECK(pairs.size() <= 6);
  for (const json& p : pairs) {
    REQUIRE(p["messages"].size() == 3);
    CHECK(p["messages"][0]["role"] == "system");
    CHECK(p["messages"][1]["role"] == "user");
    CHECK(p["messages"][2]["role"] == "assistant");
  }
}

// report.html without its history trend figure (history differs between a run, which records
// itself first, and a later `comply report` against another history file).
std::string WithoutTrend(std::string html) {
  const std::size_t i = html.find("<figure><figcaption>Trend over the last runs");
  if (i == std::string::npos) return html;
  const std::size_t j = html.find("</figure>", i);
  REQUIRE(j != std::string::npos);
  return html.erase(i, j + 9 - i);
}

TEST_CASE("run: reports written from the live record feed equal comply report's", "[e2e]") {
  // `comply run` feeds summary, decision support and the report writers as records are
  // written; `comply report` reads results.jsonl back. Same run directory, same files.
  TempDir dir;
  MockProcess mock(dir.path(),
                   "--config '" + (SourceDir() / "suites" / "demo.yaml").string() + "'");
  REQUIRE(mock.port() > 0);
  WriteConfig(dir, mock.url());
  CommandResult a = Run(Comply(dir, "run c.yaml --limit 8 --repeat 2 --out runs/live --history h1.sqlite"));
  INFO(a.out << a.err);
  REQUIRE((a.exit_code == 0 || a.exit_code == 1));
  const std::filesystem::path live = dir / "runs" / "live";
  const std::filesystem::path copy = dir / "runs" / "copy";
  std::filesystem::create_directories(copy);
  std::filesystem::copy(live / "inputs", copy / "inputs", std::filesystem::copy_options::recursive);
  for (const char* f : {"manifest.json", "results.jsonl"}) std::filesystem::copy_file(live / f, copy / f);
  CommandResult r = Run(Comply(dir, "report runs/copy --history h2.sqlite"));
  INFO(r.out << r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  for (const char* f : {"summary.json", "results.csv", "summary.csv", "junit.xml", "summary.md"}) {
    INFO(f);
    CHECK(ReadFile(live / f) == ReadFile(copy / f));
  }
  CHECK(WithoutTrend(ReadFile(live / "report.html")) == WithoutTrend(ReadFile(copy / "report.html")));
  CHECK(ReadFile(live / "report.html").size() > 10000);
}

TEST_CASE("run: inputs/ are written beside the first requests; failing to write them fails the run and loses nothing", "[e2e]") {
  // The invoice suite streams its cases_file: inputs/resolved.json and the config hash are
  // written on their own thread while requests go out (evaluator/cli/run_command.cc).
  TempDir dir;
  MockProcess mock(dir.path(),
                   "--config '" + (SourceDir() / "suites" / "demo.yaml").string() + "'");
  REQUIRE(mock.port() > 0);
  WriteConfig(dir, mock.url());

  // A directory where resolved.json's temporary file goes: writing inputs/ fails.
  const std::filesystem::path run = dir / "runs" / "f";
  std::filesystem::create_directories(run / "inputs" / "resolved.json.tmp");
  CommandResult a = Run(Comply(dir, "run c.yaml --limit 20 --out runs/f"));
  INFO(a.out << a.err);
  CHECK(a.exit_code == 3);
  CHECK(a.err.find("resolved.json.tmp") != std::string::npos);
  CHECK(json::parse(ReadFile(run / "manifest.json"))["status"] == "failed");
  std::vector<json> first = ReadLines(run / "results.jsonl");  // every line a whole record
  CHECK(first.size() <= 40u);

  // Fixed, the run is resumed: every planned record exactly once, and the manifest gets the
  // same config hash as a run that wrote its inputs without trouble.
  std::filesystem::remove_all(run / "inputs" / "resolved.json.tmp");
  CommandResult b = Run(Comply(dir, "run c.yaml --resume runs/f"));
  INFO(b.out << b.err);
  CHECK((b.exit_code == 0 || b.exit_code == 1));
  std::set<std::string> keys;
  std::vector<json> all = ReadLines(run / "results.jsonl");
  for (const json& r : all) {
    keys.insert(r["case_id"].get<std::string>() + "|" + r["endpoint"].get<std::string>() + "|" +
                std::to_string(r["sample"].get<int>()));
  }
  CHECK(all.size() == 40u);
  CHECK(keys.size() == 40u);
  CommandResult c = Run(Comply(dir, "run c.yaml --limit 20 --out runs/ok"));
  INFO(c.out << c.err);
  CHECK((c.exit_code == 0 || c.exit_code == 1));
  const json m_ok = json::parse(ReadFile(dir / "runs" / "ok" / "manifest.json"));
  const json m_f = json::parse(ReadFile(run / "manifest.json"));
  CHECK(m_ok["config"]["hash"].get<std::string>().size() == 16u);
  CHECK(m_f["config"]["hash"] == m_ok["config"]["hash"]);
  CHECK(ReadFile(run / "inputs" / "resolved.json") == ReadFile(dir / "runs" / "ok" / "inputs" / "resolved.json"));
  CHECK(json::parse(ReadFile(run / "inputs" / "resolved.json"))["suites"][0]["cases"].size() > 20u);
  // Decision support opened inputs/resolved.json once the thread had written it.
  CHECK(FileContains(dir / "runs" / "ok" / "summary.md", "## Readiness: prompted vs fine-tuned"));
}

TEST_CASE("run: --dry-run prints the plan and sends nothing", "[e2e]") {
  TempDir dir;
  MockProcess mock(dir.path(),
                   "--config '" + (SourceDir() / "suites" / "demo.yaml").string() + "'");
  REQUIRE(mock.port() > 0);
  WriteConfig(dir, mock.url());
  CommandResult r = Run(Comply(dir, "run c.yaml --limit 3 --out runs/d --dry-run"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("plan: 6 requests\n", 0) == 0);
  CHECK(r.out.find("dry run: nothing was sent") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "runs" / "d" / "results.jsonl"));
  CHECK(mock.Stats()["requests"] == 0);
}

TEST_CASE("run: a dead endpoint exits 3", "[e2e]") {
  TempDir dir;
  std::string suite = (SourceDir() / "suites" / "invoice" / "suite.yaml").string();
  WriteFile(dir / "dead.yaml",
            "suites: ['" + suite + "']\n"
            "endpoints:\n"
            "  - {name: dead, provider: openai, base_url: 'http://127.0.0.1:1/v1', model: x}\n"
            "run: {repeat: 1, retries: 0, timeout_s: 5}\n");
  CommandResult r = Run(Comply(dir, "run dead.yaml --limit 1 --out runs/x"));
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("comply: error: endpoint dead could not be reached") != std::string::npos);
  std::vector<json> records = ReadLines(dir / "runs" / "x" / "results.jsonl");
  REQUIRE(records.size() == 1);
  CHECK(records[0]["status"] == "connection");
}

TEST_CASE("run: the replay provider re-scores a previous run's results offline", "[e2e]") {
  TempDir dir;
  std::string suite = (SourceDir() / "suites" / "invoice" / "suite.yaml").string();
  {
    MockProcess mock(dir.path(),
                     "--config '" + (SourceDir() / "suites" / "demo.yaml").string() + "'");
    REQUIRE(mock.port() > 0);
    WriteFile(dir / "c.yaml", "suites: ['" + suite + "']\nendpoints:\n"
                              "  - {name: large-prompted, provider: openai, base_url: '" +
                                  mock.url() + "/v1', model: large-prompted}\n");
    CommandResult o = Run(Comply(dir, "run c.yaml --limit 6 --no-cache --out runs/o"));
    REQUIRE(o.exit_code == 0);
  }  // the mock is gone: the replay cannot reach it
  WriteFile(dir / "r.yaml", "suites: ['" + suite + "']\nendpoints:\n"
                            "  - {name: replayed, provider: replay, "
                            "replay_file: runs/o/results.jsonl}\n");
  CommandResult r = Run(Comply(dir, "run r.yaml --limit 6 --out runs/r"));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  json original = json::parse(ReadFile(dir / "runs" / "o" / "summary.json"));
  json replayed = json::parse(ReadFile(dir / "runs" / "r" / "summary.json"));
  CHECK(replayed["endpoints"]["replayed"]["total"] == 6);
  CHECK(replayed["endpoints"]["replayed"]["errors"] == 0);
  CHECK(replayed["endpoints"]["replayed"]["compliant"] ==
        original["endpoints"]["large-prompted"]["compliant"]);
  std::vector<json> records = ReadLines(dir / "runs" / "r" / "results.jsonl");
  REQUIRE(records.size() == 6);
  std::vector<json> before = ReadLines(dir / "runs" / "o" / "results.jsonl");
  std::map<std::string, std::string> outputs;
  for (const json& x : before) outputs[x["case_id"]] = x["output"];
  for (const json& x : records) {
    CHECK(x["status"] == "ok");
    CHECK(x["attempts"] == 0);  // nothing sent
    CHECK(x["output"] == outputs[x["case_id"]]);
  }
}

}  // namespace
}  // namespace comply::testing
