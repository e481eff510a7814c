// Interrupt and resume, torn last lines, and sharding + merge, end to end against the mock.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/mock_fixture.h"
#include "tests/test_util.h"

namespace comply::testing {
namespace {

using json = nlohmann::json;
using Key = std::tuple<std::string, std::string, std::string, int>;

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

std::map<Key, int> CountKeys(const std::vector<json>& records) {
  std::map<Key, int> keys;
  for (const json& r : records) {
    ++keys[{r["suite"], r["case_id"], r["endpoint"], r["sample"].get<int>()}];
  }
  return keys;
}

void WriteConfig(const TempDir& dir, const std::string& name, const std::string& url,
                 const std::string& endpoints_yaml_models) {
  std::string s1 = (SourceDir() / "suites" / "invoice" / "suite.yaml").string();
  std::string s2 = (SourceDir() / "suites" / "ticket-triage" / "suite.yaml").string();
  std::string eps;
  size_t start = 0;
  while (start <= endpoints_yaml_models.size()) {
    size_t end = endpoints_yaml_models.find(',', start);
    if (end == std::string::npos) end = endpoints_yaml_models.size();
    std::string m = endpoints_yaml_models.substr(start, end - start);
    eps += "  - {name: " + m + ", provider: openai, base_url: '" + url + "/v1', model: " + m +
           ", concurrency: 1}\n";
    start = end + 1;
  }
  WriteFile(dir / name, "suites: ['" + s1 + "', '" + s2 + "']\nendpoints:\n" + eps +
                            "run: {repeat: 1, retries: 3}\n");
}

std::string Comply(const TempDir& dir, const std::string& args) {
  return "cd '" + dir.path().string() + "' && '" + ComplyBinary().string() + "' " + args;
}

TEST_CASE("resume: SIGINT exits 130, --resume completes without duplicates", "[e2e]") {
  TempDir dir;
  WriteFile(dir / "prof.json", R"({"profiles":[{"name":"slow","latency_ms":30}]})");
  MockProcess mock(dir.path(), "--config '" + (SourceDir() / "suites" / "demo.yaml").string() +
                                   "' --profiles '" + (dir / "prof.json").string() + "'");
  REQUIRE(mock.port() > 0);
  WriteConfig(dir, "c.yaml", mock.url(), "slow");
  // 2 suites x 40 cases, one at a time at 30 ms: interrupted after the first result lands.
  // More than 64 planned requests: the orchestrator submits at most 64 ahead with
  // --concurrency 1, and a SIGINT that arrives after the last submission is not honoured
  // (evaluator/run.cc: StopRequested() is not checked during transport->Wait()).
  // `set -m`: a background job of a non-interactive shell would otherwise ignore SIGINT.
  std::string run = "'" + ComplyBinary().string() + "' run c.yaml --limit 40 --concurrency 1 --no-cache";
  CommandResult killed = Run(
      "cd '" + dir.path().string() + "' && (set -m; " + run + " --out runs/k >k.out 2>k.err & p=$!; " +
      "i=0; while [ $i -lt 3000 ]; do [ -s runs/k/results.jsonl ] && break; sleep 0.01; " +
      "i=$((i+1)); done; kill -INT $p; wait $p; echo $?)");
  CHECK(killed.out == "130\n");
  std::string err = ReadFile(dir / "k.err");
  CHECK(err.find("comply: error: interrupted: ") != std::string::npos);
  // The hint repeats the options that shape the plan (without --limit it would plan every case).
  CHECK(err.find("complete it with: comply run c.yaml --limit 40 --no-cache --resume runs/k\n") !=
        std::string::npos);
  std::filesystem::path results = dir / "runs" / "k" / "results.jsonl";
  size_t before = ReadLines(results).size();
  CHECK(before >= 1);
  CHECK(before < 80);

  // A torn last line (a half-written record) is dropped on resume.
  {
    std::string text = ReadFile(results);
    WriteFile(results, text + R"({"case_id":"tor)");
  }
  CommandResult resumed = Run(Comply(dir, "run c.yaml --limit 40 --no-cache --resume runs/k"));
  INFO(resumed.out << resumed.err);
  CHECK(resumed.exit_code == 0);
  CHECK(resumed.err.find("torn last line skipped") != std::string::npos);
  std::vector<json> records = ReadLines(results);  // throws if the torn line were kept
  CHECK(records.size() == 80);
  std::map<Key, int> keys = CountKeys(records);
  CHECK(keys.size() == 80);
  for (const auto& [key, n] : keys) CHECK(n == 1);
  // The mock saw each case once before the interrupt or after it (no duplicates sent).
  CHECK(mock.Stats()["profiles"]["slow"]["requests"].get<int>() <= 80 + 64);
}

TEST_CASE("resume: SIGINT stops a small run whose requests are all already queued", "[e2e]") {
  TempDir dir;
  WriteFile(dir / "prof.json", R"({"profiles":[{"name":"slow","latency_ms":300}]})");
  MockProcess mock(dir.path(), "--config '" + (SourceDir() / "suites" / "demo.yaml").string() +
                                   "' --profiles '" + (dir / "prof.json").string() + "'");
  REQUIRE(mock.port() > 0);
  WriteConfig(dir, "c.yaml", mock.url(), "slow");
  // 6 requests, all submitted at once (within the 64-request window), answered one at a time.
  std::string run =
      "'" + ComplyBinary().string() + "' run c.yaml --limit 3 --concurrency 1 --no-cache";
  CommandResult killed = Run(
      "cd '" + dir.path().string() + "' && (set -m; " + run + " --out runs/k >k.out 2>k.err & " +
      "p=$!; i=0; while [ $i -lt 3000 ]; do [ -s runs/k/results.jsonl ] && break; sleep 0.01; " +
      "i=$((i+1)); done; kill -INT $p; wait $p; echo $?)");
  CHECK(killed.out == "130\n");
  size_t before = ReadLines(dir / "runs" / "k" / "results.jsonl").size();
  CHECK(before >= 1);
  CHECK(before < 6);
  CommandResult resumed = Run(Comply(dir, "run c.yaml --limit 3 --no-cache --resume runs/k"));
  CHECK(resumed.exit_code == 0);
  std::map<Key, int> keys = CountKeys(ReadLines(dir / "runs" / "k" / "results.jsonl"));
  CHECK(keys.size() == 6);
  for (const auto& [key, n] : keys) CHECK(n == 1);
}

TEST_CASE("shard: 1/2 + 2/2 merged equals the unsharded run", "[e2e]") {
  TempDir dir;
  std::string demo = (SourceDir() / "suites" / "demo.yaml").string();
  json unsharded, merged;
  {
    MockProcess mock(dir.path(), "--config '" + demo + "' --seed 7");
    REQUIRE(mock.port() > 0);
    WriteConfig(dir, "u.yaml", mock.url(), "large-prompted,small-finetuned");
    CommandResult u = Run(Comply(dir, "run u.yaml --limit 6 --no-cache --out runs/u"));
    INFO(u.out << u.err);
    REQUIRE(std::filesystem::exists(dir / "runs" / "u" / "summary.json"));
    unsharded = json::parse(ReadFile(dir / "runs" / "u" / "summary.json"));
  }
  {
    MockProcess mock(dir.path(), "--config '" + demo + "' --seed 7");
    REQUIRE(mock.port() > 0);
    WriteConfig(dir, "s.yaml", mock.url(), "large-prompted,small-finetuned");
    CommandResult s1 = Run(Comply(dir, "run s.yaml --limit 6 --no-cache --shard 1/2 --out runs/s1"));
    CommandResult s2 = Run(Comply(dir, "run s.yaml --limit 6 --no-cache --shard 2/2 --out runs/s2"));
    CHECK(s1.exit_code == 0);  // shards never gate
    CHECK(s2.exit_code == 0);
    size_t n1 = ReadLines(dir / "runs" / "s1" / "results.jsonl").size();
    size_t n2 = ReadLines(dir / "runs" / "s2" / "results.jsonl").size();
    CHECK(n1 + n2 == 24);
    CHECK(n1 > 0);
    CHECK(n2 > 0);
    CommandResult m = Run(Comply(dir, "merge runs/s1 runs/s2 --out runs/m"));
    INFO(m.out << m.err);
    REQUIRE(std::filesystem::exists(dir / "runs" / "m" / "summary.json"));
    merged = json::parse(ReadFile(dir / "runs" / "m" / "summary.json"));
    std::map<Key, int> keys = CountKeys(ReadLines(dir / "runs" / "m" / "results.jsonl"));
    CHECK(keys.size() == 24);
  }
  for (const char* e : {"large-prompted", "small-finetuned"}) {
    INFO(e);
    CHECK(merged["endpoints"][e]["total"] == unsharded["endpoints"][e]["total"]);
    CHECK(merged["endpoints"][e]["total"] == 12);
    CHECK(merged["endpoints"][e]["compliant"] == unsharded["endpoints"][e]["compliant"]);
    CHECK(merged["endpoints"][e]["errors"] == unsharded["endpoints"][e]["errors"]);
  }
}

}  // namespace
}  // namespace comply::testing
