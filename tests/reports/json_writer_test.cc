#include <catch2/catch.hpp>

#include "reports/writers.h"
#include "tests/reports/report_fixture.h"

namespace comply {
namespace {

TEST_CASE("summary.json: the summary written as is, pretty-printed", "[reports]") {
  testing::TempDir tmp;
  ReportInputs in = testing::FixtureInputs(tmp);
  auto w = MakeJsonWriter();
  CHECK(w->format() == "json");
  REQUIRE(w->Write(in).ok());
  const std::string text = testing::ReadFile(in.run_dir / "summary.json");
  CHECK(nlohmann::json::parse(text) == in.summary);
  CHECK(text.rfind("{\n  \"comparison\"", 0) == 0);
}

TEST_CASE("MakeReportWriters: one writer per format, unknown names refused", "[reports]") {
  auto all = MakeReportWriters({"html", "csv", "json", "junit", "md", "csv"});
  REQUIRE(all.ok());
  std::vector<std::string> names;
  for (const auto& w : *all) names.push_back(w->format());
  CHECK(names == std::vector<std::string>{"html", "csv", "json", "junit", "md"});
  auto bad = MakeReportWriters({"csv", "pdf"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::kInvalidInput);
  CHECK(bad.error().message == "unknown report format \"pdf\"; expected html, csv, json, junit, md");
}

}  // namespace
}  // namespace comply
