#include "reports/markdown_writer.h"

#include <cstdlib>

#include <catch2/catch.hpp>

#include "reports/writers.h"
#include "tests/reports/report_fixture.h"

namespace comply {
namespace {

// Golden file: tests/fixtures/reports/golden/summary.md (COMPLY_REGEN_FIXTURES=1 rewrites it).
TEST_CASE("summary.md: golden output for the fixture run", "[reports]") {
  testing::TempDir tmp;
  ReportInputs in = testing::FixtureInputs(tmp);
  REQUIRE(MakeMarkdownWriter()->Write(in).ok());
  const std::string md = testing::ReadFile(in.run_dir / "summary.md");
  const auto golden = testing::ReportFixtureDir() / "golden" / "summary.md";
  const char* regen = std::getenv("COMPLY_REGEN_FIXTURES");
  if (regen != nullptr && std::string(regen) == "1") testing::WriteFile(golden, md);
  CHECK(md == testing::ReadFile(golden));
}

TEST_CASE("summary.md: headline, table, gate failures, regressions, readiness", "[reports]") {
  testing::TempDir tmp;
  ReportInputs in = testing::FixtureInputs(tmp);
  const std::string md = RenderSummaryMarkdown(in);
  CHECK(md.find("| endpoint | label | compliance (95% CI) | hallucination rate | error rate | "
                "p50 / p95 latency | cost / 1k requests |") != std::string::npos);
  CHECK(md.find("## Gate: \xE2\x9D\x8C FAILED\n") != std::string::npos);
  CHECK(md.find("- gate: small\\-finetuned") == std::string::npos);  // '-' is not escaped
  CHECK(md.find("- gate: small-finetuned: ") != std::string::npos);
  CHECK(md.find("small-finetuned new failures: `invoice/inv-006`") !=
        std::string::npos);
  CHECK(md.find("## Readiness: prompted vs fine-tuned\n\n- invoice: 8 cases, 8 with gold outputs; "
                "system prompt tokens (estimated) large-prompted \xE2\x89\x88" "1302; compliance "
                "small-finetuned \xE2\x88\x92 large-prompted +12.5 points (95% CI -25.0 to "
                "+45.0); projected cost difference -$275/day at 50000 queries/day\n") !=
        std::string::npos);
  CHECK(md.find("| large-prompted: projected cost | $310/day, $9300/month |") != std::string::npos);
}

TEST_CASE("summary.md: without gate, baseline and decision it says so", "[reports]") {
  testing::TempDir tmp;
  ReportInputs in = testing::FixtureInputs(tmp);
  in.gate = nullptr;
  in.comparison = nullptr;
  in.decision = nullptr;
  const std::string md = RenderSummaryMarkdown(in);
  CHECK(md.find("## Gate: not evaluated\n") != std::string::npos);
  CHECK(md.find("No baseline run to compare with.") != std::string::npos);
  CHECK(md.find("Readiness") == std::string::npos);
}

TEST_CASE("summary.md: hostile endpoint names and labels are escaped", "[reports]") {
  ReportInputs in;
  in.summary = {{"endpoint_order", {"<img src=x onerror=alert(1)>|x"}},
                {"endpoints",
                 {{"<img src=x onerror=alert(1)>|x",
                   {{"label", "[click](javascript:alert(1))"}, {"compliance_rate", 0.5}}}}}};
  const std::string md = RenderSummaryMarkdown(in);
  CHECK(md.find("<img") == std::string::npos);
  CHECK(md.find("| &lt;img src=x onerror=alert(1)&gt;\\|x | \\[click\\](javascript:alert(1)) | "
                "50.0% |") != std::string::npos);
}

TEST_CASE("summary.md: an empty summary still renders", "[reports]") {
  ReportInputs in;
  const std::string md = RenderSummaryMarkdown(in);
  CHECK(md.find("**No endpoint has results in this run\\.**") == std::string::npos);
  CHECK(md.find("**No endpoint has results in this run.**") != std::string::npos);
  CHECK(md.find("No results in this run.") != std::string::npos);
}

}  // namespace
}  // namespace comply
