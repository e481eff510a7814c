// DecisionAccumulator over more cases than one hash partition holds (issue #4): the cases
// and records are joined partition by partition, every figure as with one partition.
#include <catch2/catch.hpp>
#include <string>

#include "evaluator/decision.h"
#include "evaluator/summary.h"
#include "tests/test_util.h"

namespace comply {
namespace {

using json = nlohmann::json;

TEST_CASE("decision over 70,000 cases: groups, case counts and fit across partitions",
          "[decision][slow]") {
  constexpr std::size_t kCases = 70000;
  testing::TempDir dir;
  // resolved.json written as text: two suites, tags by case; user message "Q: " + q.
  std::string cases[2];
  for (std::size_t i = 0; i < kCases; ++i) {
    std::string& c = cases[i % 2];
    if (!c.empty()) c += ',';
    c += "{\"id\":\"c" + std::to_string(i) + "\",\"vars\":{\"q\":\"" + std::string(i % 13, 'a') +
         "\"},\"tags\":[\"" + (i % 4 == 0 ? "core" : "edge") + "\"]" +
         (i % 5 == 0 ? ",\"expected\":{}" : "") + "}";
  }
  std::string resolved = "{\"suites\":[";
  for (int s = 0; s < 2; ++s) {
    resolved += std::string(s ? "," : "") + "{\"name\":\"s" + std::to_string(s) +
                "\",\"cases\":[" + cases[s] + "],\"prompt\":\"Q: {{q}}\"}";
  }
  resolved +=
      "],\"endpoints\":[{\"name\":\"big\",\"label\":\"prompted\",\"system_prompt\":\"xxxx\"},"
      "{\"name\":\"small\",\"label\":\"fine-tuned\",\"system_prompt\":\"x\"}]}";
  testing::WriteFile(dir / "inputs/resolved.json", resolved);

  SummaryContext ctx;
  ctx.endpoints = {{"big", "prompted", "m1", "openai", {}}, {"small", "fine-tuned", "m2", "openai", {}}};
  SummaryBuilder sb(ctx);
  auto acc = DecisionAccumulator::Open(dir.path());
  REQUIRE(acc.ok());
  for (std::size_t i = 0; i < kCases; ++i) {
    for (const std::string ep : {"big", "small"}) {
      Record r;
      r.case_id = "c" + std::to_string(i);
      r.suite = "s" + std::to_string(i % 2);
      r.endpoint = ep;
      r.tags = {i % 4 == 0 ? "core" : "edge"};
      const int len = 3 + static_cast<int>(i % 13);  // "Q: " + q
      r.input_tokens = (ep == "big" ? 100 : 10) + 2 * len;  // slope 2, exact
      r.cost_usd = ep == "big" ? 0.5 : 0.25;  // exact in binary: sums are order-free
      r.parsed = json::object();
      r.schema_valid = true;
      // big fails every third case; small fails the "edge" cases with i % 6 == 1.
      r.compliant = ep == "big" ? i % 3 != 0 : !(i % 4 != 0 && i % 6 == 1);
      if (i == 5 && ep == "small") r.status = "timeout";  // no answer: not in the group's cases
      sb.Add(r);
      (*acc)->Add(r);
    }
  }
  const json d = (*acc)->Finish(sb.Finish(), 0);
  const json& big = d["endpoints"]["big"];
  REQUIRE(big["system_prompt_tokens"].is_object());
  CHECK(big["system_prompt_tokens"]["estimate"].get<double>() == Approx(100));
  CHECK(big["system_prompt_tokens"]["samples"].get<double>() == kCases);
  CHECK(d["endpoints"]["small"]["system_prompt_tokens"]["estimate"].get<double>() == Approx(10));
  REQUIRE(d["readiness"].size() == 2);
  CHECK(d["readiness"][0]["suite"] == "s0");
  CHECK(d["readiness"][0]["cases"] == kCases / 2);
  CHECK(d["readiness"][0]["labelled_cases"] == kCases / 10);
  CHECK(d["readiness"][0]["system_prompt_tokens"]["big"].get<double>() == Approx(100));
  // Routes: the (suite, tag) groups present: (s0, core), (s0, edge), (s1, edge) (odd cases
  // are never "core"); each goes to the better case-level rate, a tie to the cheaper small.
  const json& routes = d["hybrid"]["routes"];
  REQUIRE(routes.size() == 3);
  std::size_t answered[2][2][2] = {}, passed[2][2][2] = {};  // [endpoint][suite][core]
  for (std::size_t i = 0; i < kCases; ++i) {
    const std::size_t s = i % 2, core = i % 4 == 0;
    ++answered[0][s][core];
    passed[0][s][core] += i % 3 != 0;
    if (i != 5) {
      ++answered[1][s][core];
      passed[1][s][core] += !(i % 4 != 0 && i % 6 == 1);
    }
  }
  for (const json& r : routes) {
    const std::size_t s = r["suite"] == "s1", core = r["tag"] == "core";
    INFO(r.dump());
    const double rate_big = static_cast<double>(passed[0][s][core]) / answered[0][s][core];
    const double rate_small = static_cast<double>(passed[1][s][core]) / answered[1][s][core];
    const std::size_t best = rate_big > rate_small + 1e-12 ? 0 : 1;
    CHECK(r["endpoint"] == (best == 0 ? "big" : "small"));
    CHECK(r["cases"] == answered[best][s][core]);
    CHECK(r["compliance_rate"].get<double>() == Approx(best == 0 ? rate_big : rate_small));
    CHECK(r["cost_per_request"].get<double>() == (best == 0 ? 0.5 : 0.25));
  }
  // (s1, edge) is the close one: big 23333 / 35000 against small 23332 / 34999.
  CHECK(routes[2]["suite"] == "s1");
  CHECK(routes[2]["endpoint"] == "big");
}

}  // namespace
}  // namespace comply
