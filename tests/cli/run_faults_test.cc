// Fault injection end to end: `comply run` against mock profiles that always (or often) fail in
// one way; every planned request ends as exactly one record with the right status and attempts.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/mock_fixture.h"
#include "tests/test_util.h"

namespace comply::testing {
namespace {

using json = nlohmann::json;

TEST_CASE("faults: 429, 500, hang, bad envelope, truncated body, reset", "[e2e]") {
  TempDir dir;
  WriteFile(dir / "prof.json",
            R"({"profiles":[
 {"name":"r429","latency_ms":0,"rate_limit":0.5,"retry_after_s":0.2},
 {"name":"e500","latency_ms":0,"http_500":1.0},
 {"name":"hang","latency_ms":0,"hang":1.0,"hang_s":4},
 {"name":"env","latency_ms":0,"invalid_envelope":1.0},
 {"name":"trunc","latency_ms":0,"truncated_body":1.0},
 {"name":"reset","latency_ms":0,"reset":1.0}]})");
  MockProcess mock(dir.path(), "--config '" +
                                   (SourceDir() / "suites" / "demo.yaml").string() +
                                   "' --profiles '" + (dir / "prof.json").string() + "'");
  REQUIRE(mock.port() > 0);
  std::string u = mock.url() + "/v1";
  std::string suite = (SourceDir() / "suites" / "invoice" / "suite.yaml").string();
  auto endpoint = [&](const std::string& name, const std::string& extra) {
    return "  - {name: " + name + ", provider: openai, base_url: '" + u + "', model: " + name +
           ", " + extra + "}\n";
  };
  WriteFile(dir / "c.yaml", "suites: ['" + suite + "']\nendpoints:\n" +
                                endpoint("r429", "retries: 6") + endpoint("e500", "retries: 1") +
                                endpoint("hang", "retries: 0, timeout_s: 1") +
                                endpoint("env", "retries: 0") + endpoint("trunc", "retries: 0") +
                                endpoint("reset", "retries: 0") + "run: {repeat: 1}\n");
  CommandResult r = Run("cd '" + dir.path().string() + "' && '" + ComplyBinary().string() +
                        "' run c.yaml --limit 3 --no-cache --out runs/f");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 3);  // endpoints that never answered: the run could not complete
  CHECK(r.err.find("comply: error: endpoint hang could not be reached") != std::string::npos);

  std::vector<json> records;
  {
    std::string text = ReadFile(dir / "runs" / "f" / "results.jsonl");
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      if (end > start) records.push_back(json::parse(text.substr(start, end - start)));
      start = end + 1;
    }
  }
  CHECK(records.size() == 18);  // 3 cases x 6 endpoints: records in = requests planned
  std::map<std::string, int> count, attempts;
  std::map<std::string, std::string> status;
  bool retried_429 = false;
  for (const json& x : records) {
    std::string e = x["endpoint"];
    ++count[e];
    attempts[e] += x["attempts"].get<int>();
    std::string s = x["status"];
    if (status.count(e)) CHECK(status[e] == s);
    status[e] = s;
    if (e == "r429" && x["attempts"].get<int>() > 1) retried_429 = true;
    if (e == "e500") {
      CHECK(x["attempts"] == 2);
      CHECK(x["http_status"] == 500);
    }
    if (e == "env") CHECK(x["http_status"] == 200);
  }
  for (const auto& [e, n] : count) CHECK(n == 3);
  CHECK(status["r429"] == "ok");  // 429 with Retry-After, retried until an answer
  CHECK(retried_429);
  CHECK(status["e500"] == "http_5xx");
  CHECK(status["hang"] == "timeout");
  CHECK(status["env"] == "bad_envelope");
  CHECK(status["trunc"] == "connection");
  CHECK(status["reset"] == "connection");
  // Attempts count every HTTP try the mock saw.
  json stats = mock.Stats();
  CHECK(stats["profiles"]["r429"]["requests"] == attempts["r429"]);
  CHECK(stats["profiles"]["e500"]["requests"] == attempts["e500"]);
  CHECK(stats["profiles"]["e500"]["requests"] == 6);
  CHECK(stats["profiles"]["env"]["requests"] == 3);
}

}  // namespace
}  // namespace comply::testing
