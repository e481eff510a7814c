// The [reports] fixture's derived JSON (summary.json, comparison.json, gate.json) is made by
// comply's own SummaryBuilder, CompareRuns and EvaluateGate. With COMPLY_REGEN_FIXTURES=1 this
// test rewrites them (after `python3 tests/fixtures/reports/make_fixture.py`); otherwise it
// checks that the committed files are the documented shapes the writers are tested against.
#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>

#include "evaluator/compare.h"
#include "evaluator/gate.h"
#include "evaluator/run_dir.h"
#include "evaluator/summary.h"
#include "reports/record_stream.h"
#include "tests/reports/report_fixture.h"

namespace comply {
namespace {

using testing::ReportFixtureDir;

nlohmann::json BuildSummary(const std::filesystem::path& dir, const std::string& run_id) {
  SummaryContext ctx;
  ctx.run_id = run_id;
  ctx.config = "suites/demo.yaml";
  ctx.started = "2026-11-27T22:15:00Z";
  ctx.finished = "2026-11-27T22:19:41Z";
  ctx.repeat = 1;
  SummaryEndpointInfo lp{.name = "large-prompted", .label = "prompted", .model = "gpt-4o",
                         .provider = "openai", .pricing = {}};
  lp.pricing = Pricing{2.5, 1.25, 10.0, true};
  SummaryEndpointInfo ft{.name = "small-finetuned", .label = "fine-tuned",
                         .model = "ft-invoice-v3", .provider = "openai", .pricing = {}};
  ft.pricing = Pricing{0.3, -1, 1.2, true};
  ctx.endpoints = {lp, ft};
  SummaryBuilder b(ctx);
  Status s = ForEachRecord(dir / "results.jsonl", [&](const Record& r) {
    b.Add(r);
    return Status::Ok();
  });
  REQUIRE(s.ok());
  return b.Finish();
}

TEST_CASE("reports fixture: derived JSON is current", "[reports]") {
  const auto run = ReportFixtureDir() / "run";
  const char* regen = std::getenv("COMPLY_REGEN_FIXTURES");
  if (regen != nullptr && std::string(regen) == "1") {
    nlohmann::json summary = BuildSummary(run, "20261127T221500Z");
    Result<nlohmann::json> cmp = CompareRuns(ReportFixtureDir() / "baseline", run);
    REQUIRE(cmp.ok());
    (*cmp)["baseline"]["dir"] = "runs/20261126T221500Z";
    (*cmp)["baseline"]["run_id"] = "20261126T221500Z";
    (*cmp)["current"]["dir"] = "runs/20261127T221500Z";
    (*cmp)["current"]["run_id"] = "20261127T221500Z";
    GateSpec spec;
    spec.thresholds.min_compliance = 0.9;
    spec.thresholds.max_regression = 0.01;
    spec.endpoints = {"small-finetuned"};
    nlohmann::json gate = EvaluateGate(spec, summary, &*cmp).ToJson();
    REQUIRE(WriteJsonFile(run / "summary.json", summary).ok());
    REQUIRE(WriteJsonFile(run / "comparison.json", *cmp).ok());
    REQUIRE(WriteJsonFile(run / "gate.json", gate).ok());
  }
  const nlohmann::json summary = testing::ReadFixtureJson("summary.json");
  CHECK(summary.at("endpoint_order") ==
        nlohmann::json::array({"large-prompted", "small-finetuned"}));
  CHECK(summary.at("endpoints").at("small-finetuned").at("total") == 8);
  const nlohmann::json gate = testing::ReadFixtureJson("gate.json");
  CHECK(gate.at("passed") == false);
  const nlohmann::json cmp = testing::ReadFixtureJson("comparison.json");
  CHECK(cmp.at("endpoints").at("small-finetuned").at("new_failures_count") == 1);
}

}  // namespace
}  // namespace comply
