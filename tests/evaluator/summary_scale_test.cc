// SummaryBuilder at scale (issue #4): memory flat in the number of cases, every figure still
// exact when the cases are aggregated in several hash partitions of the spill.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "evaluator/stats.h"
#include "evaluator/summary.h"

namespace comply {
namespace {

using nlohmann::json;

// Case i of `endpoint`, sample s: compliance and latency follow from (i, s) so the test can
// work out every figure. "a" passes cases with i % 10 != 0. "b" has three samples: all fail
// when i % 7 == 0, sample 1 fails when i % 5 == 0, sample 2 when i % 3 == 0.
Record Make(const std::string& endpoint, std::size_t i, int sample) {
  Record r;
  r.endpoint = endpoint;
  r.suite = i % 2 ? "odd" : "even";
  r.case_id = "case-" + std::to_string(i);
  r.sample = sample;
  r.tags = {i % 3 ? "t" : "u"};
  r.parsed = json::object();
  r.schema_valid = true;
  r.latency_ms = static_cast<double>((i * 37 + static_cast<std::size_t>(sample) * 11) % 1000) + 0.5;
  if (endpoint == "a") {
    r.compliant = i % 10 != 0;
  } else {
    r.compliant = i % 7 != 0 && !(sample == 1 && i % 5 == 0) && !(sample == 2 && i % 3 == 0);
  }
  return r;
}

TEST_CASE("summary over 100,000 cases: bounded memory, exact figures", "[stats][slow]") {
  constexpr std::size_t kCases = 100000;
  SummaryContext ctx;
  ctx.list_cap = 5;
  SummaryBuilder b(ctx);
  std::size_t after_first_thousand = 0;
  std::vector<float> lat_a;
  for (std::size_t i = 0; i < kCases; ++i) {
    const Record ra = Make("a", i, 0);
    lat_a.push_back(static_cast<float>(ra.latency_ms));
    b.Add(ra);
    for (int sample = 0; sample < 3; ++sample) b.Add(Make("b", i, sample));
    if (i == 20000) after_first_thousand = b.memory_bytes();
  }
  // The builder's own accounting: what it holds does not grow with the cases (the buffers
  // were already full-size after 20,000 cases), and stays well under a few MB.
  CHECK(b.memory_bytes() <= after_first_thousand + 4096);
  CHECK(b.memory_bytes() < 2 * 1024 * 1024);

  const json s = b.Finish();
  CHECK(s["totals"]["records"] == 4 * kCases);
  CHECK(s["totals"]["cases"] == kCases);
  const json& a = s["endpoints"]["a"];
  CHECK(a["total"] == kCases);
  CHECK(a["compliant"] == kCases - kCases / 10);
  CHECK(a["case_level"]["cases"] == kCases);
  CHECK(a["case_level"]["all_pass"] == kCases - kCases / 10);
  CHECK(a["case_level"]["flaky"] == 0);
  // Latency percentiles exactly as Percentile computes them on all the values.
  for (const auto& [key, q] : {std::pair{"p50", 0.5}, {"p95", 0.95}, {"p99", 0.99}}) {
    std::vector<float> copy = lat_a;
    CHECK(a["latency_ms"][key].get<double>() == Percentile(&copy, q));
  }
  // Tags and suites at case level: tag "u" holds the cases with i % 3 == 0.
  const std::size_t u_cases = (kCases + 2) / 3;
  CHECK(a["tags"]["u"]["case_level"]["cases"] == u_cases);
  CHECK(a["suites"]["odd"]["case_level"]["cases"] == kCases / 2);

  const json& bj = s["endpoints"]["b"];
  auto b_passed = [](std::size_t i) -> std::uint32_t {
    if (i % 7 == 0) return 0;
    return 1 + (i % 5 != 0) + (i % 3 != 0);
  };
  std::size_t flaky = 0, all_pass = 0, majority = 0;
  double rate_sum = 0;  // in the order the cases were first added, as the builder sums
  std::vector<std::pair<std::string, std::string>> flaky_names;
  for (std::size_t i = 0; i < kCases; ++i) {
    const std::uint32_t p = b_passed(i);
    flaky += p > 0 && p < 3;
    all_pass += p == 3;
    majority += 2 * p > 3;
    rate_sum += static_cast<double>(p) / 3;
    if (p > 0 && p < 3) flaky_names.push_back({i % 2 ? "odd" : "even", "case-" + std::to_string(i)});
  }
  std::sort(flaky_names.begin(), flaky_names.end());
  CHECK(bj["case_level"]["flaky"] == flaky);
  CHECK(bj["case_level"]["all_pass"] == all_pass);
  CHECK(bj["case_level"]["majority_pass"] == majority);
  CHECK(bj["case_level"]["samples"] == 3 * kCases);
  // Thirds: the sum depends on the order of the terms; the partitions' cases are merged back
  // into the order first seen, so this is exact.
  CHECK(bj["case_level"]["compliance_rate"].get<double>() == rate_sum / kCases);
  // The flaky list: the first five by (suite, case_id) over every partition.
  const json& fl = bj["case_level"]["flaky_cases"];
  REQUIRE(fl.size() == 5);
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(fl[k]["suite"] == flaky_names[k].first);
    CHECK(fl[k]["case_id"] == flaky_names[k].second);
    CHECK(fl[k]["passed"] == b_passed(std::stoul(flaky_names[k].second.substr(5))));
    CHECK(fl[k]["samples"] == 3);
  }

  // Pairing: a passes (i % 10 != 0); b's majority verdict passes with 2 of 3 samples.
  const json& pair = s["comparison"]["pairs"][0];
  std::size_t both = 0, a_only = 0, b_only = 0, neither = 0;
  std::vector<std::pair<std::string, std::string>> disagree;
  for (std::size_t i = 0; i < kCases; ++i) {
    const bool pa = i % 10 != 0, pb = 2 * b_passed(i) > 3;
    both += pa && pb;
    a_only += pa && !pb;
    b_only += !pa && pb;
    neither += !pa && !pb;
    if (pa != pb) disagree.push_back({i % 2 ? "odd" : "even", "case-" + std::to_string(i)});
  }
  std::sort(disagree.begin(), disagree.end());
  CHECK(pair["shared_cases"] == kCases);
  CHECK(pair["both_compliant"] == both);
  CHECK(pair["a_only_compliant"] == a_only);
  CHECK(pair["b_only_compliant"] == b_only);
  CHECK(pair["neither_compliant"] == neither);
  REQUIRE(pair["disagreements"].size() == 5);
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(pair["disagreements"][k]["case_id"] == disagree[k].second);
  }

  // Cases(): every case of the endpoint, sorted by (suite, case_id).
  const auto cases = b.Cases("b");
  REQUIRE(cases.size() == kCases);
  CHECK(std::is_sorted(cases.begin(), cases.end(), [](const auto& x, const auto& y) {
    return x.suite != y.suite ? x.suite < y.suite : x.case_id < y.case_id;
  }));
  CHECK(cases.front().samples == 3);

  // Finish again (e.g. for progress) gives the same document.
  CHECK(b.Finish() == s);
}

TEST_CASE("summary: a case counts under its first record's tags", "[stats]") {
  std::vector<Record> recs;
  for (std::size_t i = 0; i < 30; ++i) {
    for (int s = 0; s < 3; ++s) recs.push_back(Make("a", i, s));
  }
  recs[0].tags = {"first"};  // case-0's first record: the case counts under "first" only
  SummaryBuilder b(SummaryContext{});
  for (const Record& r : recs) b.Add(r);
  const json f = b.Finish();
  CHECK(f["endpoints"]["a"]["tags"]["first"]["case_level"]["cases"] == 1);
  CHECK(f["endpoints"]["a"]["tags"]["u"]["case_level"]["cases"] == 9);  // 0,3,..,27 minus 0
  CHECK(f["endpoints"]["a"]["tags"]["u"]["total"] == 29);  // record level: case-0's 2 others
}

}  // namespace
}  // namespace comply
