// Acceptance test of the one-pass end of run (issue #4): FinalizeRun reads results.jsonl once
// and feeds the summary, decision support and every writer from that pass. Every report file
// must be byte-for-byte what the earlier code (one pass per writer plus one for decision
// support) wrote for the same run directory.
//
// tests/fixtures/reports/one_pass/: run/ (results.jsonl of a `comply run suites/demo.yaml
// --limit 12 --repeat 2` against `comply mock-endpoint --seed 2` with retries off: errors, drift,
// hallucinations, rule failures, templates, gold; manifest.json; inputs/resolved.json),
// baseline/results.jsonl (the same run with --seed 1), and golden/ — the files the previous
// code's `comply report RUN --baseline BASELINE` wrote (commit 9fc16a7; no report file
// names the run directory). See one_pass/README.md.
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "evaluator/cli/common.h"
#include "evaluator/decision.h"
#include "evaluator/manifest.h"
#include "evaluator/run_reader.h"
#include "reports/report.h"
#include "reports/writers.h"
#include "tests/test_util.h"

namespace comply {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kFiles = {"report.html", "results.csv", "summary.csv",
                                         "junit.xml",   "summary.md",  "summary.json"};

fs::path FixtureDir() { return testing::SourceDir() / "tests" / "fixtures" / "reports" / "one_pass"; }

// Copies the fixture's run and baseline into `tmp`.
void CopyFixture(const testing::TempDir& tmp) {
  fs::copy(FixtureDir() / "run", tmp / "run", fs::copy_options::recursive);
  fs::copy(FixtureDir() / "baseline", tmp / "baseline", fs::copy_options::recursive);
}

// FinalizeRun as `comply report RUN --baseline BASELINE` calls it (no history).
cli::FinalizeOptions ReportOptions(const testing::TempDir& tmp) {
  auto manifest = ReadRunManifest(tmp / "run");
  REQUIRE(manifest.ok());
  cli::FinalizeOptions fin;
  fin.run_dir = tmp / "run";
  fin.manifest = *manifest;
  fin.baseline_dir = tmp / "baseline";
  fin.evaluate_gate = manifest->value("shard", "").empty() && manifest->contains("gate");
  fin.gate = GateSpecFromJson(manifest->value("gate", nlohmann::json::object()));
  fin.formats = {"html", "csv", "json", "junit", "md"};
  fin.record_history = false;
  fin.queries_per_day = (*manifest)["volume"].value("queries_per_day", 0.0);
  return fin;
}

// Every report file in tmp/run equals its golden copy.
void CheckGolden(const testing::TempDir& tmp) {
  for (const std::string& name : kFiles) {
    INFO(name);
    REQUIRE(fs::exists(tmp / "run" / name));
    const std::string got = testing::ReadFile(tmp / "run" / name);
    const std::string want = testing::ReadFile(FixtureDir() / "golden" / name);
    CHECK(got.size() == want.size());
    CHECK(got == want);
  }
}

void RemoveReports(const testing::TempDir& tmp) {
  for (const std::string& name : kFiles) fs::remove(tmp / "run" / name);
}

TEST_CASE("one pass: FinalizeRun's reports are byte-identical to the per-writer passes", "[reports]") {
  testing::TempDir tmp;
  CopyFixture(tmp);
  auto r = cli::FinalizeRun(ReportOptions(tmp));
  REQUIRE(r.ok());
  // The torn last line is skipped, as before.
  REQUIRE(r->warnings.size() == 1);
  CHECK(r->warnings[0] == (tmp / "run" / "results.jsonl").string() +
                              ":385: torn last line skipped (no newline, not valid JSON)");
  CHECK(r->summary["totals"]["records"] == 384);
  REQUIRE(r->decision.is_object());
  CHECK(r->decision["hybrid"]["simulation"] == true);
  CHECK(r->comparison.is_object());
  CHECK(r->gate.is_object());
  CheckGolden(tmp);

  // The stand-alone entry points (one pass per call) write the same bytes.
  ReportInputs in;
  in.run_dir = tmp / "run";
  in.manifest = ReadRunManifest(tmp / "run").value();
  in.summary = r->summary;
  in.comparison = r->comparison;
  in.gate = r->gate;
  in.history = nlohmann::json::array();
  in.decision = r->decision;
  auto writers = MakeReportWriters({"html", "csv", "json", "junit", "md"});
  REQUIRE(writers.ok());
  RemoveReports(tmp);
  REQUIRE(WriteReports(in, *writers).ok());
  CheckGolden(tmp);
  RemoveReports(tmp);
  for (const auto& w : *writers) REQUIRE(w->Write(in).ok());
  CheckGolden(tmp);
}

TEST_CASE("one pass: a record sink sees every record once, in file order", "[reports]") {
  testing::TempDir tmp;
  CopyFixture(tmp);
  auto fin = cli::FinalizeRun(ReportOptions(tmp));  // for the summary-level inputs
  REQUIRE(fin.ok());
  RemoveReports(tmp);
  auto writers = MakeReportWriters({"md", "csv"});
  REQUIRE(writers.ok());
  auto set = ReportSet::Start(*writers, tmp / "run");
  REQUIRE(set.ok());
  CHECK((*set)->wants_records());
  std::size_t n = 0;
  REQUIRE(ReadRunResults(tmp / "run", [&](Record&& rec) {
    ++n;
    (*set)->Add(rec);
  }).ok());
  CHECK(n == 384);
  // Nothing is visible before Finish: results.csv is still a temp file.
  CHECK_FALSE(fs::exists(tmp / "run" / "results.csv"));
  ReportInputs in;
  in.run_dir = tmp / "run";
  in.summary = fin->summary;
  in.comparison = fin->comparison;
  in.gate = fin->gate;
  in.history = nlohmann::json::array();
  in.decision = fin->decision;
  REQUIRE((*set)->Finish(in).ok());
  for (const std::string name : {"results.csv", "summary.csv", "summary.md"}) {
    INFO(name);
    CHECK(testing::ReadFile(tmp / "run" / name) ==
          testing::ReadFile(FixtureDir() / "golden" / name));
  }
  CHECK_FALSE(fs::exists(tmp / "run" / "report.html"));
  CHECK_FALSE(fs::exists(tmp / "run" / "results.csv.tmp"));
}

TEST_CASE("one pass: json and md need no records; a bad line fails the stand-alone pass", "[reports]") {
  testing::TempDir tmp;
  CopyFixture(tmp);
  auto none = MakeReportWriters({"json", "md"});
  REQUIRE(none.ok());
  auto set = ReportSet::Start(*none, tmp / "run");
  REQUIRE(set.ok());
  CHECK_FALSE((*set)->wants_records());

  // A line that is not JSON in the middle of results.jsonl: the stand-alone writers fail
  // naming it and leave no file; FinalizeRun skips it with a warning, like the summary.
  std::string lines = testing::ReadFile(tmp / "run" / "results.jsonl");
  const std::size_t second = lines.find('\n') + 1;
  lines.insert(second, "{not json\n");
  testing::WriteFile(tmp / "run" / "results.jsonl", lines);
  auto csv = MakeReportWriters({"csv"});
  REQUIRE(csv.ok());
  ReportInputs in;
  in.run_dir = tmp / "run";
  in.summary = nlohmann::json::object();
  Status s = (*csv)[0]->Write(in);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message == (tmp / "run" / "results.jsonl").string() + ":2: not valid JSON at byte 3");
  CHECK_FALSE(fs::exists(tmp / "run" / "results.csv"));
  CHECK_FALSE(fs::exists(tmp / "run" / "results.csv.tmp"));
  auto r = cli::FinalizeRun(ReportOptions(tmp));
  REQUIRE(r.ok());
  REQUIRE(r->warnings.size() == 2);
  CHECK(r->warnings[0] == (tmp / "run" / "results.jsonl").string() + ":2: not valid JSON at byte 3");
  CHECK(r->summary["totals"]["records"] == 384);
  CHECK(fs::exists(tmp / "run" / "results.csv"));
}

}  // namespace
}  // namespace comply

namespace comply {
namespace {

// The same run fed record by record as `comply run` does (FinalizeFeed), while its inputs/ are
// still "being written" (PendingInputs not ready): the records that arrive before wait in
// decision support's queue, in order. Whether the inputs finish before the first record,
// midway or after the last, and whether decision support comes built from the written cases
// or is opened from resolved.json, the reports are the golden ones.
TEST_CASE("one pass: records fed while inputs/ are still being written give the same reports", "[reports]") {
  for (const std::size_t ready_after : {std::size_t{0}, std::size_t{100}, std::size_t{384}}) {
    for (const bool built : {false, true}) {
      INFO("inputs ready after " << ready_after << " records; decision built: " << built);
      testing::TempDir tmp;
      CopyFixture(tmp);
      cli::FinalizeOptions fin = ReportOptions(tmp);
      std::promise<Result<std::string>> written;
      cli::PendingInputs pending{written.get_future().share(),
                                 std::make_shared<std::unique_ptr<DecisionAccumulator>>()};
      if (built) {  // as the inputs thread builds it: the document without cases, then each case
        const nlohmann::json resolved =
            nlohmann::json::parse(testing::ReadFile(tmp / "run" / "inputs" / "resolved.json"));
        nlohmann::json without_cases = resolved;
        for (nlohmann::json& s : without_cases["suites"]) s["cases"] = nlohmann::json::array();
        *pending.decision = DecisionAccumulator::Begin(without_cases);
        for (std::size_t i = 0; i < resolved["suites"].size(); ++i) {
          for (const nlohmann::json& c : resolved["suites"][i]["cases"]) (*pending.decision)->AddCase(i, c);
        }
      }
      auto feed = cli::FinalizeFeed::Start(fin.run_dir, fin.manifest, fin.formats, pending);
      REQUIRE(feed.ok());
      std::size_t n = 0;
      REQUIRE(ReadRunResults(tmp / "run", [&](Record&& rec) {
        if (n++ == ready_after) written.set_value(std::string("0123456789abcdef"));
        (*feed)->Add(rec);
      }).ok());
      REQUIRE(n == 384);
      if (ready_after >= n) written.set_value(std::string("0123456789abcdef"));
      fin.feed = feed->get();
      auto r = cli::FinalizeRun(fin);
      REQUIRE(r.ok());
      REQUIRE(r->decision.is_object());
      CheckGolden(tmp);
    }
  }
}

// inputs/ that could not be written fail the end of the run with their error.
TEST_CASE("one pass: inputs/ that failed to be written fail FinalizeRun with their error", "[reports]") {
  testing::TempDir tmp;
  CopyFixture(tmp);
  cli::FinalizeOptions fin = ReportOptions(tmp);
  std::promise<Result<std::string>> written;
  auto feed = cli::FinalizeFeed::Start(fin.run_dir, fin.manifest, fin.formats,
                                       cli::PendingInputs{written.get_future().share(), nullptr});
  REQUIRE(feed.ok());
  REQUIRE(ReadRunResults(tmp / "run", [&](Record&& rec) { (*feed)->Add(rec); }).ok());
  written.set_value(IoError("cannot write run/inputs/resolved.json.tmp"));
  fin.feed = feed->get();
  auto r = cli::FinalizeRun(fin);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "cannot write run/inputs/resolved.json.tmp");
}

}  // namespace
}  // namespace comply
