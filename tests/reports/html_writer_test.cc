#include "reports/html_writer.h"

#include <catch2/catch.hpp>

#include "reports/html_records.h"
#include "reports/writers.h"
#include "tests/reports/report_fixture.h"

namespace comply {
namespace {

using nlohmann::json;

std::size_t Count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

// The JSON inside <script type="application/json" id="ID">…</script>.
json EmbeddedJson(const std::string& html, const std::string& id) {
  const std::string open = "<script type=\"application/json\" id=\"" + id + "\">";
  const std::size_t a = html.find(open);
  REQUIRE(a != std::string::npos);
  const std::size_t b = html.find("</script>", a);
  REQUIRE(b != std::string::npos);
  return json::parse(html.substr(a + open.size(), b - a - open.size()));
}

TEST_CASE("report.html: self-contained, every record embedded compactly", "[reports]") {
  testing::TempDir tmp;
  ReportInputs in = testing::FixtureInputs(tmp);
  REQUIRE(MakeHtmlWriter()->Write(in).ok());
  const std::string html = testing::ReadFile(in.run_dir / "report.html");
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("default-src 'none'") != std::string::npos);
  // No external asset of any kind.
  CHECK(html.find("<link") == std::string::npos);
  {
    // Outside the embedded (escaped) record data, nothing refers to any resource.
    const std::size_t a = html.find("<script type=\"application/json\" id=\"records\">");
    const std::size_t b = html.find("</script>", a);
    const std::string markup = html.substr(0, a) + html.substr(b);
    CHECK(markup.find(" src=") == std::string::npos);
    CHECK(markup.find(" href=\"http") == std::string::npos);
  }
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  // Exactly our three script elements: records, dictionary, code.
  CHECK(Count(html, "<script") == 3);
  CHECK(Count(html, "</script>") == 3);
  json records = EmbeddedJson(html, "records");
  json dict = EmbeddedJson(html, "dict");
  REQUIRE(records.size() == 16);
  const json& inv3 = records[4];
  CHECK(inv3[0] == "inv-003");
  CHECK(dict[inv3[1].get<int>()] == "invoice");
  CHECK(dict[inv3[2].get<int>()] == "large-prompted");
  CHECK(inv3[6] == 0);
  CHECK(inv3[12]["invoice_number"] == "INV-3");  // extracted JSON kept for a failure
  CHECK(inv3[13] == json::array({json::array({"/total", "type", "expected number, got string"})}));
  CHECK(inv3[14][1][0] == "/line_items/0/discount");
  CHECK(dict[inv3[14][1][1].get<int>()] == "/line_items/*/discount");
  CHECK(records[0][12].is_null());  // compliant: no duplicate of the output
  // Headline, cards, charts and sections are there.
  CHECK(html.find("<p class=\"headline\">No significant compliance difference between "
                  "small-finetuned and large-prompted") != std::string::npos);
  CHECK(html.find("\xE2\x9C\x97 gate FAILED") != std::string::npos);
  CHECK(Count(html, "<svg") == 6);  // compliance, frontier, deltas, drift, hallucinated, trend
  CHECK(html.find("simulated routing (hybrid)") != std::string::npos);
  CHECK(html.find("<th scope=\"col\">") != std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
}

TEST_CASE("report.html: hostile output is inert data", "[reports]") {
  testing::TempDir tmp;
  ReportInputs in = testing::FixtureInputs(tmp);
  in.summary["run"]["config"] = "</script><script>alert(1)</script>";
  REQUIRE(WriteHtmlReport(in).ok());
  const std::string html = testing::ReadFile(in.run_dir / "report.html");
  CHECK(html.find("alert(1)</script>") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<!--") == std::string::npos);
  CHECK(html.find("config &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  json records = EmbeddedJson(html, "records");
  const json& h = records[11];
  REQUIRE(h[0] == "inv-006");
  // The output survives byte for byte inside the JSON (decoded), controls included.
  const std::string out = h[10];
  CHECK(out.find("</script><script>alert(1)</script> \"><img src=x onerror=alert(1)> ]]> <!-- "
                 "\x01\x08\x1b\x7f") != std::string::npos);
}

TEST_CASE("report.html: compliant outputs are cut, failures kept up to the cap", "[reports]") {
  RecordDict dict;
  Record ok;
  ok.case_id = "c";
  ok.compliant = true;
  ok.output = std::string(1000, 'a');
  json e = EncodeRecord(ok, &dict);
  CHECK(e[10].get<std::string>().size() == kCompliantOutputBytes);
  CHECK(e[11] == 1000);
  Record bad = ok;
  bad.compliant = false;
  e = EncodeRecord(bad, &dict);
  CHECK(e[10].get<std::string>().size() == 1000);
  CHECK(e[11] == 0);
  bad.output = std::string(kFailedOutputBytes + 5, 'b');
  e = EncodeRecord(bad, &dict);
  CHECK(e[11] == kFailedOutputBytes + 5);
  CHECK(dict.ToJson() == json::array({"", "ok"}));  // suite/endpoint "" and status "ok"
}

TEST_CASE("report.html: an empty run still renders", "[reports]") {
  testing::TempDir tmp;
  ReportInputs in;
  in.run_dir = tmp.path();
  testing::WriteFile(tmp / "results.jsonl", "");
  REQUIRE(WriteHtmlReport(in).ok());
  const std::string html = testing::ReadFile(tmp / "report.html");
  CHECK(html.find("No endpoint has results in this run.") != std::string::npos);
  CHECK(EmbeddedJson(html, "records") == json::array());
}

}  // namespace
}  // namespace comply
