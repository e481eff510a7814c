// The demo path end to end: suites/demo.yaml (all four bundled suites, both profiles) with
// `--limit 5 --repeat 2` against `comply mock-endpoint --config suites/demo.yaml`.
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/mock_fixture.h"
#include "tests/test_util.h"

namespace comply::testing {
namespace {

using json = nlohmann::json;

TEST_CASE("demo: the demo config against the mock, fine-tuned more compliant", "[e2e]") {
  TempDir dir;
  std::string demo = (SourceDir() / "suites" / "demo.yaml").string();
  MockProcess mock(dir.path(), "--config '" + demo + "'");
  REQUIRE(mock.port() > 0);
  CommandResult r = Run("cd '" + dir.path().string() + "' && COMPLY_MOCK_URL=" + mock.url() +
                        " '" + ComplyBinary().string() + "' run '" + demo +
                        "' --limit 5 --repeat 2 --out runs/demo");
  INFO(r.out << r.err);
  std::filesystem::path run = dir / "runs" / "demo";
  for (const char* name : {"manifest.json", "results.jsonl", "summary.json", "report.html",
                           "results.csv", "summary.csv", "junit.xml", "summary.md"}) {
    CHECK(std::filesystem::is_regular_file(run / name));
  }
  CHECK(std::filesystem::exists(run / "inputs" / "demo.yaml"));
  REQUIRE(std::filesystem::exists(run / "summary.json"));
  json summary = json::parse(ReadFile(run / "summary.json"));
  // 4 suites x 5 cases x 2 endpoints x 2 samples.
  CHECK(summary["totals"]["records"] == 80);
  CHECK(summary["totals"]["cases"] == 20);
  CHECK(summary["endpoints"]["large-prompted"]["total"] == 40);
  CHECK(summary["endpoints"]["small-finetuned"]["total"] == 40);
  REQUIRE(summary["comparison"]["pairs"].size() == 1);
  const json& pair = summary["comparison"]["pairs"][0];
  CHECK(pair["a"] == "large-prompted");
  CHECK(pair["b"] == "small-finetuned");
  CHECK(pair["delta"].get<double>() > 0);
  CHECK(pair["shared_cases"] == 20);
  CHECK(r.out.find("small-finetuned is more compliant") != std::string::npos);
  // The report is one self-contained HTML file naming both endpoints.
  std::string html = ReadFile(run / "report.html");
  CHECK(html.find("large-prompted") != std::string::npos);
  CHECK(html.find("small-finetuned") != std::string::npos);
  CHECK(html.find("<script src=") == std::string::npos);
  // The gate only covers the fine-tuned endpoint: ~96% compliant passes 0.90.
  CHECK(r.exit_code == 0);
}

}  // namespace
}  // namespace comply::testing
