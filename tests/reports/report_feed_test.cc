#include "reports/report_feed.h"

#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "evaluator/run_reader.h"
#include "tests/test_util.h"

namespace comply {
namespace {

namespace fs = std::filesystem;

std::vector<Record> FixtureRecords() {
  std::vector<Record> out;
  const fs::path results =
      testing::SourceDir() / "tests" / "fixtures" / "reports" / "one_pass" / "run" / "results.jsonl";
  REQUIRE(ReadResultsFile(results, [&](Record&& r) { out.push_back(std::move(r)); }).ok());
  REQUIRE(out.size() == 384);
  return out;
}

// results.csv + junit.xml + report.html of `records` (repeated `times`), fed inline or through
// a ReportFeed.
std::vector<std::string> Write(const fs::path& dir, const std::vector<Record>& records, int times,
                               bool threaded) {
  auto writers = MakeReportWriters({"csv", "junit", "html", "md"});
  REQUIRE(writers.ok());
  auto set = ReportSet::Start(*writers, dir);
  REQUIRE(set.ok());
  {
    ReportFeed feed(set->get());
    for (int t = 0; t < times; ++t) {
      for (const Record& r : records) {
        Record copy = r;
        copy.sample += 10 * t;
        if (threaded) {
          feed.Add(std::move(copy));
        } else {
          (*set)->Add(copy);
        }
      }
    }
    feed.Close();
    feed.Close();  // idempotent
  }
  ReportInputs in;
  in.summary = nlohmann::json::object();
  REQUIRE((*set)->Finish(in).ok());
  std::vector<std::string> files;
  for (const char* name : {"results.csv", "junit.xml", "report.html"}) {
    files.push_back(testing::ReadFile(dir / name));
  }
  return files;
}

TEST_CASE("report feed: the set sees every record once, in order, from the writer thread", "[reports]") {
  testing::TempDir tmp;
  const std::vector<Record> records = FixtureRecords();
  // 3 × 384 records: more than kMaxBatches × kBatchRecords, so the reader waits for room.
  REQUIRE(3 * records.size() > ReportFeed::kMaxBatches * ReportFeed::kBatchRecords);
  const auto inline_files = Write(tmp / "inline", records, 3, false);
  const auto fed_files = Write(tmp / "fed", records, 3, true);
  REQUIRE(inline_files.size() == 3);
  CHECK(fed_files[0] == inline_files[0]);
  CHECK(fed_files[1] == inline_files[1]);
  CHECK(fed_files[2] == inline_files[2]);
  std::size_t testcases = 0;
  for (std::size_t p = fed_files[1].find("<testcase "); p != std::string::npos;
       p = fed_files[1].find("<testcase ", p + 1)) {
    ++testcases;
  }
  CHECK(testcases == 3 * records.size());
}

TEST_CASE("report feed: nothing to feed", "[reports]") {
  testing::TempDir tmp;
  {
    ReportFeed feed(nullptr);
    feed.Add(Record{});
    feed.Close();
  }
  auto writers = MakeReportWriters({"json", "md"});
  REQUIRE(writers.ok());
  auto set = ReportSet::Start(*writers, tmp.path());
  REQUIRE(set.ok());
  ReportFeed feed(set->get());  // wants no records: Add does nothing, no thread
  feed.Add(Record{});
  feed.Close();
  ReportInputs in;
  in.run_dir = tmp.path();
  in.summary = nlohmann::json::object();
  REQUIRE((*set)->Finish(in).ok());
  CHECK(fs::exists(tmp / "summary.md"));
  CHECK(fs::exists(tmp / "summary.json"));
}

}  // namespace
}  // namespace comply
