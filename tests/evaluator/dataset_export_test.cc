#include "evaluator/dataset_export.h"

#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "evaluator/record.h"
#include "tests/test_util.h"

namespace comply {
namespace {

using json = nlohmann::json;

// A run with one suite (2 cases), endpoints "big" (prompted) and "ft" (fine-tuned).
void WriteRun(const testing::TempDir& dir) {
  json resolved = {
      {"suites",
       {{{"name", "s"},
         {"prompt", "Extract: {{doc}}"},
         {"system_prompts", {{"prompted", "LONG SPEC"}, {"fine-tuned", "short"}}},
         {"cases",
          {{{"id", "c1"}, {"vars", {{"doc", "one"}}}}, {{"id", "c2"}, {"vars", {{"doc", "two"}}}}}}}}},
      {"endpoints",
       {{{"name", "big"}, {"label", "prompted"}, {"system_prompt", ""}},
        {{"name", "ft"}, {"label", "fine-tuned"}, {"system_prompt", ""}}}}};
  testing::WriteFile(dir / "inputs/resolved.json", resolved.dump());
  std::string lines;
  auto add = [&](const std::string& ep, const std::string& id, int sample, bool ok, const json& parsed,
                 const std::string& output) {
    Record r;
    r.endpoint = ep;
    r.suite = "s";
    r.case_id = id;
    r.sample = sample;
    r.compliant = ok;
    r.parsed = parsed;
    r.output = output;
    lines += RecordLine(r) + "\n";
  };
  // c1: two identical compliant answers (one fenced, same value) and one non-compliant.
  add("big", "c1", 0, true, {{"a", 1}}, "{\"a\": 1}");
  add("big", "c1", 1, true, {{"a", 1}}, "```json\n{\"a\":1}\n```");
  add("big", "c1", 2, false, {{"a", 1}, {"x", 2}}, "{\"a\":1,\"x\":2}");
  // c2: one compliant answer only.
  add("big", "c2", 0, true, {{"a", 2}}, "{\"a\":2}");
  add("big", "c2", 1, false, nullptr, "sorry");
  add("ft", "c1", 0, true, {{"a", 9}}, "{\"a\":9}");
  testing::WriteFile(dir / "results.jsonl", lines);
}

std::vector<json> ReadLines(const std::filesystem::path& p) {
  std::istringstream in(testing::ReadFile(p));
  std::vector<json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));
  return out;
}

TEST_CASE("export-dataset: compliant answers as chat messages", "[export]") {
  testing::TempDir dir;
  WriteRun(dir);
  ExportOptions o;
  o.run_dir = dir.path();
  o.endpoint = "big";
  o.out = dir / "train.jsonl";
  auto stats = ExportDataset(o);
  REQUIRE(stats.ok());
  CHECK(stats->written == 2);
  CHECK(stats->per_suite.at("s") == 2);
  auto lines = ReadLines(o.out);
  REQUIRE(lines.size() == 2);
  const json& m = lines[0]["messages"];
  REQUIRE(m.size() == 3);
  CHECK(m[0]["role"] == "system");
  CHECK(m[0]["content"] == "LONG SPEC");
  CHECK(m[1]["role"] == "user");
  CHECK(m[1]["content"] == "Extract: one");
  CHECK(m[2]["role"] == "assistant");
  CHECK(m[2]["content"] == "{\"a\":1}");  // the extracted value, without the fence
}

TEST_CASE("export-dataset: min agreement and the fine-tuned prompt", "[export]") {
  testing::TempDir dir;
  WriteRun(dir);
  ExportOptions o;
  o.run_dir = dir.path();
  o.endpoint = "big";
  o.out = dir / "train.jsonl";
  o.min_agreement = 2;
  o.system_prompt_from = "ft";
  auto stats = ExportDataset(o);
  REQUIRE(stats.ok());
  CHECK(stats->written == 1);  // c2 has a single compliant answer
  CHECK(stats->below_agreement == 1);
  auto lines = ReadLines(o.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["messages"][0]["content"] == "short");
}

TEST_CASE("export-dataset: unknown endpoint suggests a name", "[export]") {
  testing::TempDir dir;
  WriteRun(dir);
  ExportOptions o;
  o.run_dir = dir.path();
  o.endpoint = "bgi";
  o.out = dir / "train.jsonl";
  auto stats = ExportDataset(o);
  REQUIRE_FALSE(stats.ok());
  CHECK(stats.error().message == "endpoint \"bgi\" is not in this run; did you mean \"big\"?");
}

}  // namespace
}  // namespace comply
