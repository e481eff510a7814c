#include "reports/csv_writer.h"

#include <catch2/catch.hpp>

#include "reports/writers.h"
#include "tests/reports/report_fixture.h"

namespace comply {
namespace {

using nlohmann::json;
using testing::Run;
using testing::ShellQuote;

// Reads a CSV file back with Python's csv module (a real RFC 4180 reader): rows as JSON.
json ReadCsv(const std::filesystem::path& file) {
  auto r = Run("python3 -c " +
               ShellQuote("import csv, json, sys\n"
                          "with open(sys.argv[1], newline='', encoding='utf-8', errors='strict') as f:\n"
                          "    print(json.dumps(list(csv.reader(f, strict=True))))\n") +
               " " + ShellQuote(file.string()));
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

std::size_t Col(const std::string& name) {
  const auto& cols = ResultsCsvColumns();
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == name) return i;
  }
  FAIL("no column " << name);
  return 0;
}

TEST_CASE("results.csv: header, one row per record, read back by a real CSV parser",
          "[reports]") {
  testing::TempDir tmp;
  ReportInputs in = testing::FixtureInputs(tmp);
  REQUIRE(MakeCsvWriter()->Write(in).ok());
  const std::string raw = testing::ReadFile(in.run_dir / "results.csv");
  CHECK(raw.rfind("suite,case_id,endpoint,sample,tags,status,compliant,", 0) == 0);
  json rows = ReadCsv(in.run_dir / "results.csv");
  REQUIRE(rows.size() == 17);  // header + 16 records (the torn last line is skipped)
  CHECK(rows[0].size() == ResultsCsvColumns().size());
  for (const json& row : rows) CHECK(row.size() == ResultsCsvColumns().size());

  // inv-003 on large-prompted: schema error, hallucinations, rule details, gold miss
  const json& r = rows[5];
  CHECK(r[Col("case_id")] == "inv-003");
  CHECK(r[Col("endpoint")] == "large-prompted");
  CHECK(r[Col("compliant")] == "false");
  CHECK(r[Col("schema_errors")] == "/total [type] expected number, got string");
  CHECK(r[Col("hallucinated_fields")] == "/note; /line_items/0/discount");
  CHECK(r[Col("rule_failures")] == "invoice-number; no-apology");
  CHECK(r[Col("rule_details")] ==
        "invoice-number at /invoice_number: \"INV-3\" does not match ^INV-[0-9]{6}$; "
        "no-apology at (root): forbidden text \"as an AI\"");
  CHECK(r[Col("gold_matched")] == "0");
  CHECK(r[Col("gold_total")] == "1");
  CHECK(r[Col("latency_ms")] == "1250");
  CHECK(r[Col("cost_usd")] == "0.0062");
  // the timeout
  const json& t = rows[10];
  CHECK(t[Col("case_id")] == "inv-005");
  CHECK(t[Col("status")] == "timeout");
  CHECK(t[Col("attempts")] == "4");
  CHECK(t[Col("error")] == "no response within 30 s (4 attempts)");
  CHECK(t[Col("parsed")] == "");
  // template drift
  CHECK(rows[15][Col("template_drift_score")] == "0.5");
}

TEST_CASE("results.csv: a hostile record stays one neutralised row", "[reports]") {
  testing::TempDir tmp;
  ReportInputs in = testing::FixtureInputs(tmp);
  REQUIRE(MakeCsvWriter()->Write(in).ok());
  json rows = ReadCsv(in.run_dir / "results.csv");
  const json& h = rows[12];
  REQUIRE(h[Col("case_id")] == "inv-006");
  const std::string out = h[Col("output")];
  CHECK(out.rfind("'=cmd|", 0) == 0);  // formula neutralised
  CHECK(out.find("</script><script>alert(1)</script>") != std::string::npos);  // kept as data
  CHECK(out.find("\r\nnew line") != std::string::npos);  // newlines survive inside quotes
  CHECK(h[Col("tags")] == "edge; =HYPERLINK(\"http://x\")");  // not at the start: kept

  Record r;
  r.case_id = "@evil\xFF";
  r.output = "-2+3\x01";
  std::vector<std::string> row = ResultsCsvRow(r);
  CHECK(row[Col("case_id")] == "'@evil\xEF\xBF\xBD");
  CHECK(row[Col("output")] == "'-2+3\x01");
}

TEST_CASE("summary.csv: one row per endpoint, suite and tag in a stable column order",
          "[reports]") {
  testing::TempDir tmp;
  ReportInputs in = testing::FixtureInputs(tmp);
  REQUIRE(MakeCsvWriter()->Write(in).ok());
  json rows = ReadCsv(in.run_dir / "summary.csv");
  REQUIRE(rows.size() >= 3);
  CHECK(rows[0][0] == "endpoint");
  CHECK(rows[0].size() == SummaryCsvColumns().size());
  std::vector<std::string> scopes;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    scopes.push_back(rows[i][0].get<std::string>() + "/" + rows[i][3].get<std::string>() + "/" +
                     rows[i][4].get<std::string>());
  }
  CHECK(scopes == std::vector<std::string>{
                      "large-prompted/endpoint/", "large-prompted/suite/incident",
                      "large-prompted/suite/invoice", "large-prompted/tag/core",
                      "large-prompted/tag/multi-currency", "large-prompted/tag/ops",
                      "small-finetuned/endpoint/", "small-finetuned/suite/incident",
                      "small-finetuned/suite/invoice", "small-finetuned/tag/'=HYPERLINK(\"http://x\")",
                      "small-finetuned/tag/core", "small-finetuned/tag/edge",
                      "small-finetuned/tag/ops"});
  // small-finetuned, endpoint row: 8 records, 1 timeout, 6 of 7 answered compliant
  const json& ft = rows[7];
  auto at = [&](const char* name) {
    const auto& cols = SummaryCsvColumns();
    return ft[std::find(cols.begin(), cols.end(), name) - cols.begin()].get<std::string>();
  };
  CHECK(at("total") == "8");
  CHECK(at("answered") == "7");
  CHECK(at("errors") == "1");
  CHECK(at("error_rate") == "0.125");
  CHECK(at("compliant") == "6");
  CHECK(at("label") == "fine-tuned");
  CHECK(at("drift_not_json") == "1");
  CHECK_FALSE(at("compliance_ci_low").empty());
}

}  // namespace
}  // namespace comply
