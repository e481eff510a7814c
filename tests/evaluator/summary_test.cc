// SummaryBuilder on small record sets whose every figure was worked out by hand.
#include "evaluator/summary.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "evaluator/stats.h"

namespace comply {
namespace {

using Catch::Detail::Approx;
using nlohmann::json;

Record Ok(const std::string& endpoint, const std::string& case_id, bool compliant, int sample = 0) {
  Record r;
  r.endpoint = endpoint;
  r.suite = "invoice";
  r.case_id = case_id;
  r.sample = sample;
  r.status = "ok";
  r.compliant = compliant;
  r.parsed = json::object();
  r.schema_valid = true;
  return r;
}

Record Err(const std::string& endpoint, const std::string& case_id, const std::string& status,
           int sample = 0) {
  Record r;
  r.endpoint = endpoint;
  r.suite = "invoice";
  r.case_id = case_id;
  r.sample = sample;
  r.status = status;
  return r;
}

// Five records of one endpoint: two compliant (one cached), one with hallucinated fields and
// drift, one not JSON, one timeout.
std::vector<Record> FiveRecords() {
  std::vector<Record> v;
  Record r1 = Ok("ft", "c1", true);
  r1.parsed = {{"a", 1}};
  r1.latency_ms = 100;
  r1.input_tokens = 10;
  r1.output_tokens = 5;
  r1.cost_usd = 0.001;
  r1.tags = {"core", "core"};
  r1.model = "ft-v3-served";
  v.push_back(r1);

  Record r2 = Ok("ft", "c2", false);
  r2.parsed = {
      {"items", {{{"x", 1}}, {{"x", 2}, {"y", 3}}}}, {"extra", 1}, {"m", {{"7", {{"z", 1}}}}}};
  r2.hallucinated_fields = {"/items/1/y", "/extra", "/m/7/z"};
  r2.drift = {"code_fence"};
  r2.rule_failures = {"inv-number", "inv-number"};
  r2.latency_ms = 300;
  r2.input_tokens = 20;
  r2.cached_input_tokens = 8;
  r2.output_tokens = 7;
  r2.cost_usd = 0.002;
  r2.tags = {"core"};
  v.push_back(r2);

  Record r3 = Ok("ft", "c3", false);
  r3.parsed = nullptr;
  r3.schema_valid = false;
  r3.drift = {"not_json"};
  r3.latency_ms = 200;
  r3.input_tokens = 30;
  r3.output_tokens = 9;
  v.push_back(r3);

  Record r4 = Err("ft", "c4", "timeout");
  r4.latency_ms = 60000;
  v.push_back(r4);

  Record r5 = Ok("ft", "c5", true);
  r5.cached = true;
  r5.latency_ms = 5;
  r5.input_tokens = 40;
  r5.output_tokens = 3;
  v.push_back(r5);
  return v;
}

TEST_CASE("summary counts, rates and intervals of one endpoint", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  for (const Record& r : FiveRecords()) b.Add(r);
  json s = b.Finish();
  const json& e = s["endpoints"]["ft"];
  CHECK(e["total"] == 5);
  CHECK(e["answered"] == 4);
  CHECK(e["errors"] == 1);
  CHECK(e["error_rate"].get<double>() == Approx(0.2));
  CHECK(e["errors_by_status"] == json{{"timeout", 1}});
  CHECK(e["compliant"] == 2);
  CHECK(e["compliance_rate"].get<double>() == Approx(0.5));
  const Interval ci = WilsonInterval(2, 4);
  CHECK(e["compliance_ci"][0].get<double>() == Approx(ci.lo));
  CHECK(e["compliance_ci"][1].get<double>() == Approx(ci.hi));
  CHECK(e["parsed"] == 3);
  CHECK(e["parse_rate"].get<double>() == Approx(0.75));
  CHECK(e["schema_valid"] == 3);
  CHECK(e["schema_valid_rate"].get<double>() == Approx(1.0));
  CHECK(e["hallucinated"] == 1);
  CHECK(e["hallucination_rate"].get<double>() == Approx(1.0 / 3));
  CHECK(e["rule_failures"] == json{{"inv-number", 1}});
  CHECK(e["served_models"] == json{{"ft-v3-served", 1}});
  CHECK(s["totals"] == json{{"records", 5}, {"cases", 5}, {"endpoints", 1}});
}

TEST_CASE("summary aggregates hallucinated pointers with array indices as *", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  for (const Record& r : FiveRecords()) b.Add(r);
  json s = b.Finish();
  // /m/7 is an object member named "7": it keeps its name.
  CHECK(s["endpoints"]["ft"]["hallucinated_fields"] ==
        json{{"/items/*/y", 1}, {"/extra", 1}, {"/m/7/z", 1}});
}

TEST_CASE("summary drift has all eight categories", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  for (const Record& r : FiveRecords()) b.Add(r);
  json drift = b.Finish()["endpoints"]["ft"]["drift"];
  CHECK(drift == json{{"code_fence", 1},
                      {"leading_text", 0},
                      {"trailing_text", 0},
                      {"multiple_json", 0},
                      {"truncated", 0},
                      {"malformed", 0},
                      {"not_json", 1},
                      {"empty", 0}});
}

TEST_CASE("summary latency over answered non-cached records, tokens and cost", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  for (const Record& r : FiveRecords()) b.Add(r);
  json e = b.Finish()["endpoints"]["ft"];
  // Latencies 100, 300, 200 (the cached 5 ms and the timeout are left out).
  // p95: h = 2 * 0.95 = 1.9 -> 200 + 0.9 * 100 = 290; p99: 298.
  CHECK(e["latency_ms"]["count"] == 3);
  CHECK(e["latency_ms"]["mean"].get<double>() == Approx(200));
  CHECK(e["latency_ms"]["p50"].get<double>() == Approx(200));
  CHECK(e["latency_ms"]["p95"].get<double>() == Approx(290));
  CHECK(e["latency_ms"]["p99"].get<double>() == Approx(298));
  CHECK(e["tokens"]["input"] == 100);
  CHECK(e["tokens"]["cached_input"] == 8);
  CHECK(e["tokens"]["output"] == 24);
  CHECK(e["tokens"]["mean_input"].get<double>() == Approx(25));  // 100 / 4 answered
  CHECK(e["tokens"]["mean_output"].get<double>() == Approx(6));
  CHECK(e["cost_usd"].get<double>() == Approx(0.003));
  CHECK(e["cost_per_1k_requests"].get<double>() == Approx(0.75));  // 0.003 / 4 * 1000
  CHECK(e["cached"] == 1);
  CHECK(e["cached_share"].get<double>() == Approx(0.25));
  CHECK(e["template"].is_null());
}

TEST_CASE("summary per suite and per tag", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  std::vector<Record> v = FiveRecords();
  v[2].suite = "receipt";
  v[4].suite = "receipt";
  for (const Record& r : v) b.Add(r);
  json e = b.Finish()["endpoints"]["ft"];
  CHECK(e["suites"]["invoice"]["total"] == 3);
  CHECK(e["suites"]["invoice"]["compliant"] == 1);
  CHECK(e["suites"]["receipt"]["total"] == 2);
  CHECK(e["suites"]["receipt"]["compliance_rate"].get<double>() == Approx(0.5));
  // r1 lists "core" twice: it counts once.
  CHECK(e["tags"]["core"]["total"] == 2);
  CHECK(e["tags"]["core"]["compliant"] == 1);
  CHECK(e["tags"]["core"]["case_level"]["cases"] == 2);
  CHECK(e["tags"].size() == 1);
}

TEST_CASE("summary field accuracy and template drift", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  Record r1 = Ok("ft", "c1", true);
  r1.field_matches = {{"/number", "exact", true, "A", "A"}, {"/total", "numeric", false, 1, 2}};
  r1.template_outcome = TemplateOutcome{0.25, {"Totals"}, {}, {}, {}};
  Record r2 = Ok("ft", "c2", true);
  r2.field_matches = {{"/number", "exact", true, "B", "B"}};
  r2.template_outcome = TemplateOutcome{};
  b.Add(r1);
  b.Add(r2);
  json e = b.Finish()["endpoints"]["ft"];
  CHECK(e["field_accuracy"]["matched"] == 2);
  CHECK(e["field_accuracy"]["total"] == 3);
  CHECK(e["field_accuracy"]["accuracy"].get<double>() == Approx(2.0 / 3));
  CHECK(e["field_accuracy"]["fields"]["/number"] ==
        json{{"matched", 2}, {"total", 2}, {"accuracy", 1.0}});
  CHECK(e["field_accuracy"]["fields"]["/total"]["accuracy"].get<double>() == 0.0);
  CHECK(e["template"]["checked"] == 2);
  CHECK(e["template"]["ok"] == 1);
  CHECK(e["template"]["drift_mean"].get<double>() == Approx(0.125));
}

// Repeat 3, records shuffled: c1 3/3, c2 1/3, c3 2/3, c4 0 of 1 answered (2 timeouts),
// c5 only errors.
std::vector<Record> RepeatRecords() {
  std::vector<Record> v;
  for (int s = 0; s < 3; ++s) {
    v.push_back(Ok("ft", "c1", true, s));
    v.push_back(Ok("ft", "c2", s == 1, s));
    v.push_back(Ok("ft", "c3", s != 0, s));
    v.push_back(s == 2 ? Ok("ft", "c4", false, s) : Err("ft", "c4", "timeout", s));
    v.push_back(Err("ft", "c5", "http_5xx", s));
  }
  std::mt19937 rng(7);
  std::shuffle(v.begin(), v.end(), rng);
  return v;
}

TEST_CASE("summary with repeat > 1 treats the case as the unit", "[stats]") {
  SummaryContext ctx;
  ctx.repeat = 3;
  SummaryBuilder b(ctx);
  for (const Record& r : RepeatRecords()) b.Add(r);
  json e = b.Finish()["endpoints"]["ft"];
  // Record level: 10 answered, 6 compliant.
  CHECK(e["answered"] == 10);
  CHECK(e["compliant"] == 6);
  const json& cl = e["case_level"];
  CHECK(cl["cases"] == 4);
  CHECK(cl["unanswered_cases"] == 1);
  CHECK(cl["samples"] == 10);
  // Mean of 1, 1/3, 2/3, 0 = 0.5; Wilson with 2 successes of 4 cases.
  CHECK(cl["compliance_rate"].get<double>() == Approx(0.5));
  CHECK(cl["compliance_ci"][0].get<double>() == Approx(WilsonInterval(2, 4).lo));
  CHECK(cl["compliance_ci"][1].get<double>() == Approx(WilsonInterval(2, 4).hi));
  CHECK(cl["all_pass"] == 1);
  CHECK(cl["majority_pass"] == 2);  // c1 and c3
  CHECK(cl["flaky"] == 2);
  CHECK(cl["flaky_cases"] ==
        json::parse(R"([{"suite":"invoice","case_id":"c2","passed":1,"samples":3},
                        {"suite":"invoice","case_id":"c3","passed":2,"samples":3}])"));
}

TEST_CASE("summary flaky list is capped and sorted", "[stats]") {
  SummaryContext ctx;
  ctx.list_cap = 2;
  SummaryBuilder b(ctx);
  for (const char* id : {"z9", "a1", "m5", "b2"}) {
    b.Add(Ok("ft", id, true, 0));
    b.Add(Ok("ft", id, false, 1));
  }
  json cl = b.Finish()["endpoints"]["ft"]["case_level"];
  CHECK(cl["flaky"] == 4);
  REQUIRE(cl["flaky_cases"].size() == 2);
  CHECK(cl["flaky_cases"][0]["case_id"] == "a1");
  CHECK(cl["flaky_cases"][1]["case_id"] == "b2");
}

TEST_CASE("summary endpoint info, order and an endpoint without records", "[stats]") {
  SummaryContext ctx;
  ctx.run_id = "r1";
  ctx.started = "2026-11-27T22:00:00Z";
  Pricing price;
  price.input_per_mtok = 2.5;
  price.output_per_mtok = 10;
  price.set = true;
  ctx.endpoints = {{"zeta", "prompted", "gpt-4o", "openai", price},
                   {"alpha", "fine-tuned", "ft", "openai", Pricing{}}};
  SummaryBuilder b(ctx);
  b.Add(Ok("zeta", "c1", true));
  b.Add(Ok("other", "c1", true));
  json s = b.Finish();
  CHECK(s["endpoint_order"] == json{"zeta", "alpha", "other"});
  CHECK(s["run"]["id"] == "r1");
  CHECK(s["run"]["started"] == "2026-11-27T22:00:00Z");
  CHECK(s["endpoints"]["zeta"]["label"] == "prompted");
  CHECK(s["endpoints"]["zeta"]["pricing"] ==
        json{{"input_per_mtok", 2.5}, {"cached_input_per_mtok", 2.5}, {"output_per_mtok", 10.0}});
  CHECK(s["endpoints"]["alpha"]["pricing"].is_null());
  CHECK(s["endpoints"]["alpha"]["total"] == 0);
  CHECK(s["endpoints"]["alpha"]["compliance_rate"].is_null());
  CHECK(s["endpoints"]["alpha"]["compliance_ci"].is_null());
  CHECK(s["endpoints"]["alpha"]["latency_ms"]["p50"].is_null());
  CHECK(s["endpoints"]["other"]["label"] == "");
  CHECK(s["comparison"]["pairs"].size() == 3);
}

TEST_CASE("summary comparison is paired on shared cases (McNemar b=10, c=2)", "[stats]") {
  SummaryContext ctx;
  ctx.endpoints = {{"A", "", "", "", {}}, {"B", "", "", "", {}}};
  ctx.list_cap = 3;
  SummaryBuilder b(ctx);
  int n = 0;
  auto add = [&](int count, bool a, bool bb) {
    for (int i = 0; i < count; ++i, ++n) {
      const std::string id = "c" + std::to_string(100 + n);
      b.Add(Ok("A", id, a));
      b.Add(Ok("B", id, bb));
    }
  };
  add(5, true, true);
  add(10, true, false);
  add(2, false, true);
  add(3, false, false);
  b.Add(Ok("A", "only-a", true));
  b.Add(Err("B", "only-a", "timeout"));  // not answered on B: not shared
  json p = b.Finish()["comparison"]["pairs"][0];
  CHECK(p["a"] == "A");
  CHECK(p["b"] == "B");
  CHECK(p["shared_cases"] == 20);
  CHECK(p["a_only_cases"] == 1);
  CHECK(p["b_only_cases"] == 0);
  CHECK(p["both_compliant"] == 5);
  CHECK(p["a_only_compliant"] == 10);
  CHECK(p["b_only_compliant"] == 2);
  CHECK(p["neither_compliant"] == 3);
  CHECK(p["a_rate"].get<double>() == Approx(0.75));
  CHECK(p["b_rate"].get<double>() == Approx(0.35));
  CHECK(p["delta"].get<double>() == Approx(-0.4));
  CHECK(p["test"] == "mcnemar_exact");
  CHECK(p["p_value"].get<double>() == Approx(79.0 / 2048));
  CHECK(p["significant"] == true);
  CHECK(p["mde"].get<double>() == Approx(MinimumDetectableEffectPaired(20, 0.6)));
  CHECK(p["disagreements_count"] == 12);
  // Cases c105..c116 disagree; the first three by name.
  CHECK(p["disagreements"] == json::parse(R"([
      {"suite":"invoice","case_id":"c105","a_compliant":true,"b_compliant":false},
      {"suite":"invoice","case_id":"c106","a_compliant":true,"b_compliant":false},
      {"suite":"invoice","case_id":"c107","a_compliant":true,"b_compliant":false}])"));
  // Case sets differ: A 21 cases (16 compliant), B 20 (7); Fisher (an expected cell < 5? no:
  // min(23, 18) * 20 / 41 = 8.8) -> the z-test.
  CHECK(p["unpaired"]["test"] == "two_proportion_z");
  CHECK(p["unpaired"]["a_cases"] == 21);
  CHECK(p["unpaired"]["a_compliant"] == 16);
  CHECK(p["unpaired"]["b_compliant"] == 7);
  CHECK(p["unpaired"]["p_value"].get<double>() ==
        Approx(TwoProportionZTest(16, 21, 7, 20).p_value));
}

TEST_CASE("summary comparison uses the majority verdict with repeat", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  // c1: A 2/3 (pass), B 1/3 (fail). c2: A 1/2 (not a majority: fail), B 2/2.
  for (int s = 0; s < 3; ++s) {
    b.Add(Ok("A", "c1", s < 2, s));
    b.Add(Ok("B", "c1", s == 0, s));
  }
  b.Add(Ok("A", "c2", true, 0));
  b.Add(Ok("A", "c2", false, 1));
  b.Add(Ok("B", "c2", true, 0));
  b.Add(Ok("B", "c2", true, 1));
  json p = b.Finish()["comparison"]["pairs"][0];
  CHECK(p["shared_cases"] == 2);
  CHECK(p["a_only_compliant"] == 1);
  CHECK(p["b_only_compliant"] == 1);
  CHECK(p["p_value"].get<double>() == 1.0);
  CHECK(p.contains("unpaired") == false);
}

TEST_CASE("summary Cases() lists per-case counts sorted by name", "[stats]") {
  SummaryBuilder b(SummaryContext{});
  for (const Record& r : RepeatRecords()) b.Add(r);
  auto cases = b.Cases("ft");
  REQUIRE(cases.size() == 5);
  CHECK(cases[0].case_id == "c1");
  CHECK(cases[0].samples == 3);
  CHECK(cases[0].passed == 3);
  CHECK(cases[3].case_id == "c4");
  CHECK(cases[3].answered == 1);
  CHECK(cases[4].answered == 0);
  CHECK(b.Cases("nope").empty());
  CHECK(b.records() == 15);
}

}  // namespace
}  // namespace comply
