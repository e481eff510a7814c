#include "evaluator/decision.h"

#include <thread>

#include <catch2/catch.hpp>

#include "evaluator/record.h"
#include "evaluator/run_reader.h"
#include "evaluator/summary.h"
#include "tests/test_util.h"

namespace comply {
namespace {

using json = nlohmann::json;

TEST_CASE("decision: least-squares line", "[decision]") {
  LinearFit f = FitLine({1, 2, 3, 4}, {3, 5, 7, 9});  // y = 1 + 2x exactly
  REQUIRE(f.ok);
  CHECK(f.intercept == Approx(1.0));
  CHECK(f.slope == Approx(2.0));
  CHECK(f.r2 == Approx(1.0));
  CHECK_FALSE(FitLine({2, 2, 2}, {1, 2, 3}).ok);  // constant x
  CHECK_FALSE(FitLine({1}, {1}).ok);
  // Hand-computed: x = 0,1,2 ; y = 1,2,4: mx = 1, my = 7/3, sxy = 3, sxx = 2 -> slope 1.5,
  // intercept 7/3 - 1.5 = 0.8333.
  LinearFit g = FitLine({0, 1, 2}, {1, 2, 4});
  CHECK(g.slope == Approx(1.5));
  CHECK(g.intercept == Approx(0.833333).epsilon(1e-5));
}

TEST_CASE("decision: Newcombe interval for a difference of proportions", "[decision]") {
  // pa = 0.5 [0.3, 0.7], pb = 0.8 [0.6, 0.9]: d = 0.3,
  // lo = 0.3 - sqrt(0.2^2 + 0.2^2) = 0.0172, hi = 0.3 + sqrt(0.1^2 + 0.2^2) = 0.5236.
  DiffInterval d = NewcombeDifference(0.5, 0.3, 0.7, 0.8, 0.6, 0.9);
  CHECK(d.lo == Approx(0.3 - std::sqrt(0.08)));
  CHECK(d.hi == Approx(0.3 + std::sqrt(0.05)));
}

// A run of 3 cases × 2 endpoints: "big" (prompted, 100-token system prompt, compliant on 2 of
// 3 cases, $0.01 a request) and "small" (fine-tuned, 10 tokens, compliant on all, $0.001).
TEST_CASE("decision: hand-checked run", "[decision]") {
  testing::TempDir dir;
  json resolved = {
      {"suites",
       {{{"name", "s"},
         {"prompt", "Q: {{q}}"},
         {"system_prompts", json::object()},
         {"cases",
          {{{"id", "c1"}, {"vars", {{"q", "aaaa"}}}, {"tags", {"core"}}, {"expected", {{"a", 1}}}},
           {{"id", "c2"}, {"vars", {{"q", "aaaaaaaaaaaa"}}}, {"tags", {"core"}}},
           {{"id", "c3"}, {"vars", {{"q", "aaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}}, {"tags", {"edge"}}}}}}}},
      {"endpoints",
       {{{"name", "big"}, {"label", "prompted"}, {"system_prompt", std::string(400, 'x')}},
        {{"name", "small"}, {"label", "fine-tuned"}, {"system_prompt", "short"}}}}};
  testing::WriteFile(dir / "inputs/resolved.json", resolved.dump());
  // user message lengths: "Q: " + q -> 7, 15, 31 characters.
  const std::vector<std::pair<std::string, int>> lens = {{"c1", 7}, {"c2", 15}, {"c3", 31}};
  std::string lines;
  SummaryContext ctx;
  ctx.endpoints = {{"big", "prompted", "m1", "openai", {}}, {"small", "fine-tuned", "m2", "openai", {}}};
  SummaryBuilder sb(ctx);
  for (const auto& [id, len] : lens) {
    for (const std::string ep : {"big", "small"}) {
      Record r;
      r.case_id = id;
      r.suite = "s";
      r.endpoint = ep;
      r.tags = {id == "c3" ? "edge" : "core"};
      r.input_tokens = (ep == "big" ? 100 : 10) + len / 2;  // slope 0.5 token a character
      r.cost_usd = ep == "big" ? 0.01 : 0.001;
      r.parsed = json::object();
      r.schema_valid = true;
      r.compliant = ep == "small" || id != "c3";
      lines += RecordLine(r) + "\n";
      sb.Add(r);
    }
  }
  testing::WriteFile(dir / "results.jsonl", lines);
  auto d = ComputeDecision(dir.path(), sb.Finish(), 1000);
  REQUIRE(d.ok());
  // The accumulator fed the same records (here in reverse order) gives the same JSON.
  auto acc = DecisionAccumulator::Open(dir.path());
  REQUIRE(acc.ok());
  std::vector<Record> recs;
  REQUIRE(ReadRunResults(dir.path(), [&](Record&& r) { recs.push_back(std::move(r)); }).ok());
  REQUIRE(recs.size() == 6);
  for (auto it = recs.rbegin(); it != recs.rend(); ++it) (*acc)->Add(*it);
  CHECK((*acc)->Finish(sb.Finish(), 1000) == *d);
  // Prepared on another thread first (as FinalizeRun does while it builds the summary): the
  // same JSON; a second Prepare changes nothing.
  auto prepared = DecisionAccumulator::Open(dir.path());
  REQUIRE(prepared.ok());
  for (const Record& r : recs) (*prepared)->Add(r);
  std::thread([&] { (*prepared)->Prepare(); }).join();
  (*prepared)->Prepare();
  CHECK((*prepared)->Finish(sb.Finish(), 1000) == *d);
  const json& big = (*d)["endpoints"]["big"];
  // tokens = 100 + len/2 with integer division: 103, 107, 115 at 7, 15, 31 -> exact fit
  // slope 0.5, intercept 99.5.
  REQUIRE(big["system_prompt_tokens"].is_object());
  CHECK(big["system_prompt_tokens"]["estimate"].get<double>() == Approx(99.5));
  CHECK((*d)["endpoints"]["small"]["system_prompt_tokens"]["estimate"].get<double>() == Approx(9.5));
  CHECK(big["system_prompt_chars"] == 400);
  CHECK(big["cost_per_request"].get<double>() == Approx(0.01));
  CHECK(big["daily_cost"].get<double>() == Approx(10.0));
  CHECK(big["monthly_cost"].get<double>() == Approx(300.0));
  // compliance 2/3: non-compliant share of spend 10 * 1/3; retries 10 * (1/3) / (2/3) = 5.
  CHECK(big["noncompliant_daily_cost"].get<double>() == Approx(10.0 / 3));
  CHECK(big["retry_daily_cost"].get<double>() == Approx(5.0));
  // Hybrid: (s, core) tie at 1.0 -> cheaper "small"; (s, edge): small 1.0 vs big 0.0.
  const json& h = (*d)["hybrid"];
  REQUIRE(h["routes"].size() == 2);
  CHECK(h["routes"][0]["tag"] == "core");
  CHECK(h["routes"][0]["endpoint"] == "small");
  CHECK(h["routes"][1]["endpoint"] == "small");
  CHECK(h["compliance_rate"].get<double>() == Approx(1.0));
  CHECK(h["cost_per_1k_requests"].get<double>() == Approx(1.0));
  CHECK(h["simulation"] == true);
  // Readiness: 3 cases, 1 labelled, gap small - big = 1 - 2/3.
  const json& r = (*d)["readiness"][0];
  CHECK(r["cases"] == 3);
  CHECK(r["labelled_cases"] == 1);
  CHECK(r["gap"]["a"] == "big");
  CHECK(r["gap"]["b"] == "small");
  CHECK(r["gap"]["delta"].get<double>() == Approx(1.0 / 3));
  CHECK(r["projected_daily_cost_difference"].get<double>() == Approx((0.001 - 0.01) * 1000));
}

TEST_CASE("decision: the accumulator needs inputs/resolved.json", "[decision]") {
  testing::TempDir dir;
  auto acc = DecisionAccumulator::Open(dir.path());
  REQUIRE_FALSE(acc.ok());
  CHECK(acc.error().code == ErrorCode::kIo);
  testing::WriteFile(dir / "inputs/resolved.json", "{\"suites\": [");
  auto bad = DecisionAccumulator::Open(dir.path());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace comply
