// The gate on summaries built from hand-made records: thresholds, the default error-rate
// check, endpoint selection, per-suite overrides and significant regressions.
#include "evaluator/gate.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "evaluator/compare.h"
#include "evaluator/summary.h"

namespace comply {
namespace {

using nlohmann::json;

Record Rec(const std::string& endpoint, const std::string& suite, int i, bool compliant,
           const std::string& status = "ok") {
  Record r;
  r.endpoint = endpoint;
  r.suite = suite;
  r.case_id = "c" + std::to_string(i);
  r.status = status;
  r.compliant = status == "ok" && compliant;
  if (status == "ok") r.parsed = json::object();
  return r;
}

// n cases of `suite` on `endpoint`, the first `passing` compliant, the last `errors` errors.
void AddCases(SummaryBuilder* b, const std::string& endpoint, const std::string& suite, int n,
              int passing, int errors = 0) {
  for (int i = 0; i < n; ++i) {
    b->Add(Rec(endpoint, suite, i, i < passing, i >= n - errors ? "timeout" : "ok"));
  }
}

std::vector<std::string> Messages(const GateOutcome& g, bool failed_only = true) {
  std::vector<std::string> out;
  for (const GateCheck& c : g.checks) {
    if (!failed_only || !c.passed) out.push_back(c.message);
  }
  return out;
}

GateSpec MinCompliance(double v) {
  GateSpec s;
  s.thresholds.min_compliance = v;
  return s;
}

TEST_CASE("gate fails below min_compliance with a one-line message", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  AddCases(&b, "small-finetuned", "invoice", 1000, 912);
  GateOutcome g = EvaluateGate(MinCompliance(0.98), b.Finish(), nullptr);
  CHECK(g.configured);
  CHECK_FALSE(g.passed);
  CHECK(Messages(g) ==
        std::vector<std::string>{"gate: small-finetuned: compliance 0.912 < min_compliance 0.980"});
  REQUIRE(g.failures().size() == 1);
  CHECK(g.failures()[0].check == "min_compliance");
  CHECK(g.failures()[0].actual == Approx(0.912));
  CHECK(g.failures()[0].threshold == 0.98);
}

TEST_CASE("gate passes at min_compliance and lists the passing checks", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  AddCases(&b, "ft", "invoice", 100, 99);
  GateOutcome g = EvaluateGate(MinCompliance(0.98), b.Finish(), nullptr);
  CHECK(g.passed);
  CHECK(Messages(g, false) ==
        std::vector<std::string>{"gate: ft: compliance 0.990 >= min_compliance 0.980",
                                 "gate: ft: error rate 0.000 <= max_error_rate 0.020"});
}

TEST_CASE("gate on the Wilson lower bound", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  AddCases(&b, "ft", "invoice", 100, 99);
  GateSpec spec = MinCompliance(0.98);
  spec.thresholds.min_compliance_on_lower_bound = true;
  GateOutcome g = EvaluateGate(spec, b.Finish(), nullptr);
  CHECK_FALSE(g.passed);
  // Wilson(99, 100).lo = 0.94551.
  CHECK(Messages(g) ==
        std::vector<std::string>{"gate: ft: compliance lower bound 0.946 < min_compliance 0.980"});
}

TEST_CASE("gate prints more decimals rather than an equal-looking failure", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  AddCases(&b, "ft", "invoice", 10000, 9796);
  GateOutcome g = EvaluateGate(MinCompliance(0.98), b.Finish(), nullptr);
  CHECK(Messages(g) ==
        std::vector<std::string>{"gate: ft: compliance 0.9796 < min_compliance 0.9800"});
}

TEST_CASE("gate default max_error_rate fails a dead endpoint", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  AddCases(&b, "dead", "invoice", 10, 0, 10);
  GateOutcome g = EvaluateGate(MinCompliance(0.9), b.Finish(), nullptr);
  CHECK_FALSE(g.passed);
  CHECK(Messages(g) == std::vector<std::string>{
                           "gate: dead: compliance n/a (no answered responses) < min_compliance "
                           "0.900",
                           "gate: dead: error rate 1.000 > max_error_rate 0.020"});
  // Even without a configured gate the default error-rate check runs.
  GateOutcome unconfigured = EvaluateGate(GateSpec{}, b.Finish(), nullptr);
  CHECK_FALSE(unconfigured.configured);
  CHECK_FALSE(unconfigured.passed);
  CHECK(Messages(unconfigured) ==
        std::vector<std::string>{"gate: dead: error rate 1.000 > max_error_rate 0.020"});
}

TEST_CASE("gate max_hallucination_rate over parsed responses", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  for (int i = 0; i < 200; ++i) {
    Record r = Rec("ft", "invoice", i, true);
    if (i < 3) r.hallucinated_fields = {"/x"};
    b.Add(r);
  }
  GateSpec spec;
  spec.thresholds.max_hallucination_rate = 0.005;
  GateOutcome g = EvaluateGate(spec, b.Finish(), nullptr);
  CHECK(Messages(g) == std::vector<std::string>{
                           "gate: ft: hallucination rate 0.015 > max_hallucination_rate 0.005"});
  REQUIRE(g.checks.size() == 2);
  CHECK(g.checks[0].check == "max_hallucination_rate");
}

TEST_CASE("gate only the listed endpoints; a listed endpoint must have run", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  AddCases(&b, "large-prompted", "invoice", 100, 50);
  AddCases(&b, "small-finetuned", "invoice", 100, 100);
  GateSpec spec = MinCompliance(0.98);
  spec.endpoints = {"small-finetuned"};
  GateOutcome g = EvaluateGate(spec, b.Finish(), nullptr);
  CHECK(g.passed);
  for (const GateCheck& c : g.checks) CHECK(c.endpoint == "small-finetuned");
  spec.endpoints = {"small-finetuned", "typo-endpoint"};
  GateOutcome missing = EvaluateGate(spec, b.Finish(), nullptr);
  CHECK(Messages(missing) ==
        std::vector<std::string>{"gate: typo-endpoint: endpoint not in this run"});
}

TEST_CASE("gate per-suite override applies to its suite; others are pooled", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  AddCases(&b, "ft", "invoice", 100, 99);
  AddCases(&b, "ft", "receipt", 100, 98);
  AddCases(&b, "ft", "legacy", 100, 92);
  GateSpec spec = MinCompliance(0.98);
  GateThresholds legacy;
  legacy.min_compliance = 0.9;
  spec.suites["legacy"] = legacy;
  GateOutcome g = EvaluateGate(spec, b.Finish(), nullptr);
  CHECK(g.passed);
  CHECK(Messages(g, false) ==
        std::vector<std::string>{"gate: ft: compliance 0.985 >= min_compliance 0.980",
                                 "gate: ft: error rate 0.000 <= max_error_rate 0.020",
                                 "gate: ft/legacy: compliance 0.920 >= min_compliance 0.900",
                                 "gate: ft/legacy: error rate 0.000 <= max_error_rate 0.020"});
  // Without the override the pooled figure (289/300 = 0.963) fails.
  GateOutcome pooled = EvaluateGate(MinCompliance(0.98), b.Finish(), nullptr);
  CHECK(Messages(pooled) ==
        std::vector<std::string>{"gate: ft: compliance 0.963 < min_compliance 0.980"});
}

json Comparison(int baseline_pass, int current_pass, int n = 100) {
  SummaryBuilder base(SummaryContext{}), cur(SummaryContext{});
  AddCases(&base, "ft", "invoice", n, baseline_pass);
  AddCases(&cur, "ft", "invoice", n, current_pass);
  return Compare(base, cur);
}

SummaryBuilder Current(int current_pass) {
  SummaryBuilder cur(SummaryContext{});
  AddCases(&cur, "ft", "invoice", 100, current_pass);
  return cur;
}

TEST_CASE("gate max_regression fails a significant drop beyond the threshold", "[stats]") {
  GateSpec spec;
  spec.thresholds.max_regression = 0.01;
  // 10 cases that passed now fail, none fixed: McNemar p = 2 / 2^10.
  json cmp = Comparison(100, 90);
  GateOutcome g = EvaluateGate(spec, Current(90).Finish(), &cmp);
  CHECK_FALSE(g.passed);
  REQUIRE(g.failures().size() == 1);  // the error-rate check passes
  CHECK(g.failures()[0].message ==
        "gate: ft: compliance dropped 0.100 (1.000 -> 0.900 on 100 shared cases, p = 0.002) > "
        "max_regression 0.010");
  CHECK(g.failures()[0].p_value == Approx(2.0 / 1024));
}

TEST_CASE("gate max_regression passes a drop that is not significant", "[stats]") {
  GateSpec spec;
  spec.thresholds.max_regression = 0.01;
  json cmp = Comparison(100, 98);  // 2 new failures: p = 0.5
  GateOutcome g = EvaluateGate(spec, Current(98).Finish(), &cmp);
  CHECK(g.passed);
  CHECK(g.checks[1].message ==
        "gate: ft: compliance drop 0.020 (1.000 -> 0.980 on 100 shared cases, p = 0.500) > "
        "max_regression 0.010 but not significant");
  json small = Comparison(100, 100);
  GateOutcome same = EvaluateGate(spec, Current(100).Finish(), &small);
  CHECK(same.passed);
  CHECK(same.checks[1].message ==
        "gate: ft: compliance drop 0.000 (1.000 -> 1.000 on 100 shared cases, p = 1.000) <= "
        "max_regression 0.010");
}

TEST_CASE("gate outcome as JSON", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  AddCases(&b, "ft", "invoice", 10, 5);
  json j = EvaluateGate(MinCompliance(0.9), b.Finish(), nullptr).ToJson();
  CHECK(j["configured"] == true);
  CHECK(j["passed"] == false);
  CHECK(j["checks"].size() == 2);
  REQUIRE(j["failures"].size() == 1);
  CHECK(j["failures"][0] == json{{"endpoint", "ft"},
                                 {"suite", ""},
                                 {"check", "min_compliance"},
                                 {"actual", 0.5},
                                 {"threshold", 0.9},
                                 {"p_value", nullptr},
                                 {"passed", false},
                                 {"message", "gate: ft: compliance 0.500 < min_compliance 0.900"}});
}

TEST_CASE("gate on a malformed summary fails with a message", "[stats]") {
  GateSpec spec = MinCompliance(0.9);
  spec.endpoints = {"ft"};
  GateOutcome g = EvaluateGate(spec, json::array({1, 2}), nullptr);
  CHECK_FALSE(g.passed);
  CHECK(Messages(g) == std::vector<std::string>{"gate: ft: endpoint not in this run"});
}

}  // namespace
}  // namespace comply
