// Reading results.jsonl back: order, blank lines, a torn last line, bad lines with file:line.
#include "evaluator/run_reader.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace comply {
namespace {

using comply::testing::TempDir;
using comply::testing::WriteFile;
using nlohmann::json;

std::string Line(const std::string& case_id, bool compliant) {
  return json{{"case_id", case_id},
              {"suite", "s"},
              {"endpoint", "e"},
              {"status", "ok"},
              {"compliant", compliant}}
      .dump();
}

struct Collected {
  std::vector<Record> records;
  std::function<void(Record&&)> sink() {
    return [this](Record&& r) { records.push_back(std::move(r)); };
  }
};

TEST_CASE("run_reader streams records in file order and skips blank lines", "[stats]") {
  TempDir dir;
  WriteFile(dir / "results.jsonl", Line("a", true) + "\n\n" + Line("b", false) + "\r\n");
  Collected got;
  RunReadStats stats;
  Status s = ReadRunResults(dir.path(), got.sink(), {}, &stats);
  REQUIRE(s.ok());
  REQUIRE(got.records.size() == 2);
  CHECK(got.records[0].case_id == "a");
  CHECK(got.records[0].compliant);
  CHECK(got.records[1].case_id == "b");
  CHECK(stats.lines == 3);
  CHECK(stats.records == 2);
  CHECK(stats.bad_lines == 0);
  CHECK_FALSE(stats.torn_last_line);
  CHECK(stats.warnings.empty());
}

TEST_CASE("run_reader skips a torn last line", "[stats]") {
  TempDir dir;
  const std::string path = (dir / "results.jsonl").string();
  WriteFile(path, Line("a", true) + "\n" + Line("b", true) + "\n{\"case_id\":\"c\",\"sui");
  Collected got;
  RunReadStats stats;
  RunReadOptions strict;
  strict.strict = true;  // a torn tail is not an error even in strict mode
  REQUIRE(ReadResultsFile(path, got.sink(), strict, &stats).ok());
  CHECK(got.records.size() == 2);
  CHECK(stats.torn_last_line);
  CHECK(stats.bad_lines == 0);
  CHECK(stats.warnings ==
        std::vector<std::string>{path + ":3: torn last line skipped (no newline, not valid JSON)"});
}

TEST_CASE("run_reader keeps an unterminated last line that parses", "[stats]") {
  TempDir dir;
  WriteFile(dir / "results.jsonl", Line("a", true) + "\n" + Line("b", true));
  Collected got;
  RunReadStats stats;
  REQUIRE(ReadRunResults(dir.path(), got.sink(), {}, &stats).ok());
  CHECK(got.records.size() == 2);
  CHECK_FALSE(stats.torn_last_line);
}

TEST_CASE("run_reader reports a bad line in the middle with file:line", "[stats]") {
  TempDir dir;
  const std::string path = (dir / "results.jsonl").string();
  WriteFile(path, Line("a", true) + "\n{\"case_id\": oops}\n" + Line("c", true) + "\n");
  Collected got;
  RunReadStats stats;
  REQUIRE(ReadResultsFile(path, got.sink(), {}, &stats).ok());
  CHECK(got.records.size() == 2);
  CHECK(stats.bad_lines == 1);
  CHECK(stats.warnings == std::vector<std::string>{path + ":2: not valid JSON at byte 13"});

  RunReadOptions strict;
  strict.strict = true;
  Collected again;
  Status s = ReadResultsFile(path, again.sink(), strict, nullptr);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ErrorCode::kInvalidInput);
  CHECK(s.error().message == path + ":2: not valid JSON at byte 13");
  CHECK(again.records.size() == 1);  // what came before the bad line was delivered
}

TEST_CASE("run_reader reports a line that is JSON but not a record", "[stats]") {
  TempDir dir;
  const std::string path = (dir / "results.jsonl").string();
  const json bad = {{"case_id", 7}};
  WriteFile(path, bad.dump() + "\n[1]\n");
  Collected got;
  RunReadStats stats;
  REQUIRE(ReadResultsFile(path, got.sink(), {}, &stats).ok());
  CHECK(got.records.empty());
  CHECK(stats.bad_lines == 2);
  REQUIRE(stats.warnings.size() == 2);
  CHECK(stats.warnings[0] == path + ":1: not a record: " + Record::FromJson(bad).error().message);
  CHECK(stats.warnings[1] ==
        path + ":2: not a record: " + Record::FromJson(json::array({1})).error().message);
}

TEST_CASE("run_reader caps the warnings list", "[stats]") {
  TempDir dir;
  const std::string path = (dir / "results.jsonl").string();
  WriteFile(path, "x\ny\nz\nw\n" + Line("a", true) + "\n");
  RunReadOptions opt;
  opt.max_warnings = 2;
  RunReadStats stats;
  Collected got;
  REQUIRE(ReadResultsFile(path, got.sink(), opt, &stats).ok());
  CHECK(stats.bad_lines == 4);
  CHECK(got.records.size() == 1);
  CHECK(stats.warnings == std::vector<std::string>{path + ":1: not valid JSON at byte 1",
                                                   path + ":2: not valid JSON at byte 1",
                                                   path + ": and 2 more bad lines"});
}

TEST_CASE("run_reader refuses very deep lines without parsing them", "[stats]") {
  TempDir dir;
  const std::string path = (dir / "results.jsonl").string();
  WriteFile(path, std::string(5000, '[') + std::string(5000, ']') + "\n");
  RunReadStats stats;
  Collected got;
  REQUIRE(ReadResultsFile(path, got.sink(), {}, &stats).ok());
  CHECK(stats.warnings == std::vector<std::string>{path + ":1: nested deeper than 640 levels"});
}

TEST_CASE("run_reader fails on a missing results file", "[stats]") {
  TempDir dir;
  Collected got;
  Status s = ReadRunResults(dir / "nope", got.sink());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ErrorCode::kIo);
  CHECK(s.error().message ==
        "cannot read " + (dir / "nope" / "results.jsonl").string() + ": No such file or directory");
}

TEST_CASE("run_reader reads summary.json and manifest.json", "[stats]") {
  TempDir dir;
  WriteFile(dir / "summary.json", R"({"summary_version": 1})");
  WriteFile(dir / "manifest.json", "[1, 2]");
  Result<json> summary = ReadRunSummary(dir.path());
  REQUIRE(summary.ok());
  CHECK((*summary)["summary_version"] == 1);
  Result<json> manifest = ReadRunManifest(dir.path());
  REQUIRE_FALSE(manifest.ok());
  CHECK(manifest.error().message == (dir / "manifest.json").string() + ": expected a JSON object");
  WriteFile(dir / "summary.json", R"({"summary_version": )");
  Result<json> torn = ReadRunSummary(dir.path());
  REQUIRE_FALSE(torn.ok());
  CHECK(torn.error().code == ErrorCode::kInvalidInput);
  CHECK(torn.error().message == (dir / "summary.json").string() + ": not valid JSON at byte 21");
  TempDir empty;
  CHECK(ReadRunManifest(empty.path()).error().code == ErrorCode::kIo);
}

}  // namespace
}  // namespace comply
