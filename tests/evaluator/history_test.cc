#include "evaluator/history.h"

#include <thread>

#include <catch2/catch.hpp>

#include "tests/test_util.h"

namespace comply {
namespace {

nlohmann::json Summary(double rate) {
  return {{"endpoints",
           {{"ft",
             {{"total", 10},
              {"errors", 1},
              {"compliant", 8},
              {"compliance_rate", rate},
              {"compliance_ci", {rate - 0.1, rate + 0.05}},
              {"hallucination_rate", 0.1},
              {"error_rate", 0.1},
              {"cost_per_1k_requests", 0.5},
              {"latency_ms", {{"p50", 10.0}, {"p95", 20.0}}},
              {"suites", {{"invoice", {{"total", 10}, {"compliance_rate", rate}}}}},
              {"tags", {{"core", {{"total", 4}, {"compliance_rate", 1.0}}}}}}}}}};
}

HistoryEntry Entry(const std::string& id, const std::string& finished, bool complete = true,
                   bool sharded = false) {
  HistoryEntry e;
  e.run_id = id;
  e.run_dir = "/runs/" + id;
  e.started_at = finished;
  e.finished_at = finished;
  e.config_path = "/c/comply.yaml";
  e.config_hash = "abc";
  e.complete = complete;
  e.sharded = sharded;
  return e;
}

TEST_CASE("history: latest complete run of the same config is the baseline", "[history]") {
  testing::TempDir dir;
  auto h = History::Open(dir / "history.sqlite");
  REQUIRE(h.ok());
  REQUIRE((*h)->RecordRun(Entry("r1", "2026-11-01T00:00:00Z"), Summary(0.8)).ok());
  REQUIRE((*h)->RecordRun(Entry("r2", "2026-11-02T00:00:00Z"), Summary(0.9)).ok());
  REQUIRE((*h)->RecordRun(Entry("r3", "2026-11-03T00:00:00Z", /*complete=*/false), Summary(0.7)).ok());
  REQUIRE((*h)->RecordRun(Entry("r4", "2026-11-04T00:00:00Z", true, /*sharded=*/true), Summary(0.7)).ok());
  auto latest = (*h)->LatestComplete("abc", "r5");
  REQUIRE(latest.ok());
  REQUIRE(latest->has_value());
  CHECK(**latest == "/runs/r2");
  auto excluding = (*h)->LatestComplete("abc", "r2");
  REQUIRE(excluding.ok());
  CHECK(**excluding == "/runs/r1");
  auto none = (*h)->LatestComplete("other", "");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
}

TEST_CASE("history: list and trend carry per-endpoint rows", "[history]") {
  testing::TempDir dir;
  auto h = History::Open(dir / "h.sqlite");
  REQUIRE(h.ok());
  REQUIRE((*h)->RecordRun(Entry("r1", "2026-11-01T00:00:00Z"), Summary(0.8)).ok());
  REQUIRE((*h)->RecordRun(Entry("r2", "2026-11-02T00:00:00Z"), Summary(0.9)).ok());
  auto list = (*h)->List(10);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0]["run_id"] == "r2");
  CHECK((*list)[0]["endpoints"]["ft"]["compliance_rate"] == 0.9);
  CHECK((*list)[0]["gate_passed"].is_null());
  auto trend = (*h)->Trend("abc", 10);
  REQUIRE(trend.ok());
  REQUIRE(trend->size() == 2);
  CHECK((*trend)[0]["run_id"] == "r1");  // oldest first
  CHECK((*trend)[1]["endpoints"]["ft"]["compliance_ci"][1] == Approx(0.95));
}

TEST_CASE("history: two concurrent writers lose nothing", "[history]") {
  testing::TempDir dir;
  const auto path = dir / "h.sqlite";
  { REQUIRE(History::Open(path).ok()); }  // create the schema once
  auto writer = [&](const std::string& prefix, bool* ok) {
    auto h = History::Open(path);
    *ok = h.ok();
    if (!*ok) return;
    for (int i = 0; i < 25; ++i) {
      *ok = *ok && (*h)->RecordRun(Entry(prefix + std::to_string(i), "2026-11-0" + std::to_string(1 + i % 9) + "T00:00:00Z"),
                                   Summary(0.5)).ok();
    }
  };
  bool ok1 = false, ok2 = false;
  std::thread t1(writer, "a", &ok1), t2(writer, "b", &ok2);
  t1.join();
  t2.join();
  CHECK(ok1);
  CHECK(ok2);
  auto h = History::Open(path);
  REQUIRE(h.ok());
  auto list = (*h)->List(1000);
  REQUIRE(list.ok());
  CHECK(list->size() == 50);
}

}  // namespace
}  // namespace comply
