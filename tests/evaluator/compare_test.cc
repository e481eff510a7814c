// Comparing two runs: paired counts, added / removed cases, new failures, metric and drift
// deltas, reading run directories, and the text rendering.
#include "evaluator/compare.h"

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "evaluator/stats.h"
#include "tests/test_util.h"

namespace comply {
namespace {

using Catch::Detail::Approx;
using comply::testing::TempDir;
using comply::testing::WriteFile;
using nlohmann::json;

Record Rec(const std::string& endpoint, const std::string& case_id, bool compliant,
           const std::string& status = "ok") {
  Record r;
  r.endpoint = endpoint;
  r.suite = "invoice";
  r.case_id = case_id;
  r.status = status;
  r.compliant = status == "ok" && compliant;
  if (status == "ok") r.parsed = json::object();
  return r;
}

// Baseline: c0..c9, c0..c7 compliant. Current: c1..c10; c1, c2 now fail (new failures), c8
// now passes (fixed), c10 is new, c0 is gone. Shared: c1..c9 (9 cases).
void Fill(SummaryBuilder* base, SummaryBuilder* cur) {
  for (int i = 0; i < 10; ++i) base->Add(Rec("ft", "c" + std::to_string(i), i < 8));
  for (int i = 1; i <= 10; ++i) {
    const bool pass = (i >= 3 && i <= 8) || i == 10;
    Record r = Rec("ft", "c" + std::to_string(i), pass);
    if (i == 9) r.drift = {"code_fence"};
    cur->Add(r);
  }
}

TEST_CASE("compare pairs shared cases and lists added, removed, new failures", "[stats]") {
  SummaryBuilder base(SummaryContext{}), cur(SummaryContext{});
  Fill(&base, &cur);
  json c = Compare(base, cur);
  CHECK(c["endpoint_order"] == json{"ft"});
  const json& e = c["endpoints"]["ft"];
  CHECK(e["status"] == "both");
  const json& p = e["paired"];
  CHECK(p["shared_cases"] == 9);
  CHECK(p["both_compliant"] == 5);     // c3..c7
  CHECK(p["new_failures"] == 2);       // c1, c2
  CHECK(p["fixed"] == 1);              // c8
  CHECK(p["neither_compliant"] == 1);  // c9
  CHECK(p["baseline_rate"].get<double>() == Approx(7.0 / 9));
  CHECK(p["current_rate"].get<double>() == Approx(6.0 / 9));
  CHECK(p["delta"].get<double>() == Approx(-1.0 / 9));
  CHECK(p["p_value"].get<double>() == Approx(1.0));  // 2 vs 1 discordant
  CHECK(p["significant"] == false);
  CHECK(p["mde"].get<double>() == Approx(MinimumDetectableEffectPaired(9, 3.0 / 9)));
  // Cases were added and removed: the unpaired test over all answered cases (8/10 vs 7/10).
  CHECK(p["unpaired"]["test"] == "fisher_exact");
  CHECK(p["unpaired"]["p_value"].get<double>() == Approx(FisherExactP(8, 2, 7, 3)));
  CHECK(e["added_count"] == 1);
  CHECK(e["added_cases"] == json::parse(R"([{"suite":"invoice","case_id":"c10"}])"));
  CHECK(e["removed_count"] == 1);
  CHECK(e["removed_cases"] == json::parse(R"([{"suite":"invoice","case_id":"c0"}])"));
  CHECK(e["new_failures_count"] == 2);
  CHECK(e["new_failures"] ==
        json::parse(R"([{"suite":"invoice","case_id":"c1"},{"suite":"invoice","case_id":"c2"}])"));
  CHECK(e["fixed_cases"] == json::parse(R"([{"suite":"invoice","case_id":"c8"}])"));
  CHECK(e["suites"]["invoice"]["status"] == "both");
  CHECK(e["suites"]["invoice"]["paired"]["shared_cases"] == 9);
}

TEST_CASE("compare metric and drift deltas", "[stats]") {
  SummaryBuilder base(SummaryContext{}), cur(SummaryContext{});
  Fill(&base, &cur);
  json e = Compare(base, cur)["endpoints"]["ft"];
  CHECK(e["metrics"]["compliance_rate"]["baseline"].get<double>() == Approx(0.8));
  CHECK(e["metrics"]["compliance_rate"]["current"].get<double>() == Approx(0.7));
  CHECK(e["metrics"]["compliance_rate"]["delta"].get<double>() == Approx(-0.1));
  CHECK(e["metrics"]["latency_p50_ms"]["delta"].get<double>() == 0.0);
  CHECK(e["metrics"]["template_drift_mean"] ==
        json{{"baseline", nullptr}, {"current", nullptr}, {"delta", nullptr}});
  CHECK(e["drift"]["code_fence"] == json{{"baseline", 0},
                                         {"current", 1},
                                         {"baseline_share", 0.0},
                                         {"current_share", 0.1},
                                         {"delta_share", 0.1}});
  CHECK(e["drift"].size() == 8);
}

TEST_CASE("compare flags endpoints present in one run only", "[stats]") {
  SummaryBuilder base(SummaryContext{}), cur(SummaryContext{});
  base.Add(Rec("old", "c1", true));
  cur.Add(Rec("new", "c1", true));
  json c = Compare(base, cur);
  CHECK(c["endpoint_order"] == json{"new", "old"});
  CHECK(c["endpoints"]["new"]["status"] == "added");
  CHECK(c["endpoints"]["old"]["status"] == "removed");
  CHECK_FALSE(c["endpoints"]["new"].contains("paired"));
  CHECK(c["endpoints"]["new"]["added_count"] == 1);
  CHECK(c["endpoints"]["old"]["metrics"]["compliance_rate"]["current"].is_null());
}

TEST_CASE("compare a case answered in one run only is not paired", "[stats]") {
  SummaryBuilder base(SummaryContext{}), cur(SummaryContext{});
  base.Add(Rec("ft", "c1", true));
  cur.Add(Rec("ft", "c1", false, "timeout"));
  json p = Compare(base, cur)["endpoints"]["ft"]["paired"];
  CHECK(p["shared_cases"] == 0);
  CHECK(p["unanswered_cases"] == 1);
  CHECK(p["p_value"].is_null());
  CHECK(p["baseline_rate"].is_null());
  CHECK_FALSE(p.contains("unpaired"));
}

void WriteRun(const TempDir& dir, const std::string& run_id, const std::vector<Record>& records,
              const std::string& tail = "") {
  std::string text;
  for (const Record& r : records) text += RecordLine(r) + "\n";
  WriteFile(dir / "results.jsonl", text + tail);
  WriteFile(dir / "manifest.json", json{{"run_id", run_id}}.dump());
}

TEST_CASE("CompareRuns reads two run directories", "[stats]") {
  TempDir a, b;
  WriteRun(a, "run-a", {Rec("ft", "c1", true), Rec("ft", "c2", true)});
  WriteRun(b, "run-b", {Rec("ft", "c1", false), Rec("ft", "c2", true)}, "{\"case_id\": \"c3");
  Result<json> c = CompareRuns(a.path(), b.path());
  REQUIRE(c.ok());
  CHECK((*c)["baseline"] == json{{"dir", a.path().string()},
                                 {"run_id", "run-a"},
                                 {"records", 2},
                                 {"bad_lines", 0},
                                 {"torn_last_line", false}});
  CHECK((*c)["current"]["run_id"] == "run-b");
  CHECK((*c)["current"]["torn_last_line"] == true);
  CHECK((*c)["endpoints"]["ft"]["new_failures"] ==
        json::parse(R"([{"suite":"invoice","case_id":"c1"}])"));
  TempDir empty;
  Result<json> missing = CompareRuns(empty.path(), b.path());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kIo);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST_CASE("compare renders as text", "[stats]") {
  SummaryBuilder base(SummaryContext{}), cur(SummaryContext{});
  Fill(&base, &cur);
  const std::string text = RenderCompareText(Compare(base, cur));
  const std::vector<std::string> lines = Lines(text);
  auto has = [&](const std::string& l) {
    return std::find(lines.begin(), lines.end(), l) != lines.end();
  };
  CHECK(lines.at(0) == "baseline: (in memory) (10 records)");
  CHECK(lines.at(1) == "current:  (in memory) (10 records)");
  CHECK(has("ft"));
  CHECK(has("  cases: 9 shared, 1 added, 1 removed"));
  CHECK(has("  compliance on shared cases: 0.778 -> 0.667 (-0.111), McNemar p = 1.000"));
  CHECK(has("    all answered cases: 8/10 -> 7/10, fisher_exact p = 1.000"));
  CHECK(has("  compliance_rate                 0.800        0.700       -0.100"));
  CHECK(has("  drift (share of answered responses):"));
  CHECK(has("    code_fence 0.000 -> 0.100 (+0.100)"));
  CHECK(has("  new failures (2): invoice/c1, invoice/c2"));
  CHECK(has("  fixed (1): invoice/c8"));
  CHECK(has("  added cases (1): invoice/c10"));
  CHECK(has("  removed cases (1): invoice/c0"));
  CHECK(text.back() == '\n');
  CHECK(RenderCompareText(json()) == "comply compare: no comparison\n");
}

}  // namespace
}  // namespace comply
