#include "reports/junit_writer.h"

#include <catch2/catch.hpp>

#include "reports/writers.h"
#include "tests/reports/report_fixture.h"

namespace comply {
namespace {

using nlohmann::json;
using testing::Run;
using testing::ShellQuote;

// Parses junit.xml with Python's xml.etree (a strict XML parser) and returns what CI systems
// read: suites with their counts and testcases with their verdict.
json ReadJunit(const std::filesystem::path& file) {
  const std::string script =
      "import json, sys, xml.etree.ElementTree as ET\n"
      "root = ET.parse(sys.argv[1]).getroot()\n"
      "out = {'tag': root.tag, 'attrib': root.attrib, 'suites': []}\n"
      "for s in root.findall('testsuite'):\n"
      "    cases = []\n"
      "    for c in s.findall('testcase'):\n"
      "        kids = [k for k in c if k.tag in ('failure', 'error')]\n"
      "        cases.append({'name': c.get('name'), 'classname': c.get('classname'),\n"
      "                      'time': c.get('time'),\n"
      "                      'verdict': kids[0].tag if kids else 'pass',\n"
      "                      'type': kids[0].get('type') if kids else None,\n"
      "                      'message': kids[0].get('message') if kids else None,\n"
      "                      'text': kids[0].text if kids else None})\n"
      "    props = {p.get('name'): p.get('value') for p in s.iter('property')}\n"
      "    out['suites'].append({'attrib': s.attrib, 'props': props, 'cases': cases})\n"
      "print(json.dumps(out))\n";
  auto r = Run("python3 -c " + ShellQuote(script) + " " + ShellQuote(file.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

TEST_CASE("junit.xml: a testsuite per endpoint and suite, a testcase per record", "[reports]") {
  testing::TempDir tmp;
  ReportInputs in = testing::FixtureInputs(tmp);
  REQUIRE(MakeJunitWriter()->Write(in).ok());
  json x = ReadJunit(in.run_dir / "junit.xml");
  CHECK(x["tag"] == "testsuites");
  CHECK(x["attrib"]["tests"] == "16");
  CHECK(x["attrib"]["failures"] == "4");
  CHECK(x["attrib"]["errors"] == "1");
  std::vector<std::string> names;
  for (const json& s : x["suites"]) names.push_back(s["attrib"]["name"]);
  CHECK(names == std::vector<std::string>{"large-prompted.incident", "large-prompted.invoice",
                                          "small-finetuned.incident", "small-finetuned.invoice"});
  const json& lp_inv = x["suites"][1];
  CHECK(lp_inv["attrib"]["tests"] == "6");
  CHECK(lp_inv["attrib"]["failures"] == "2");
  CHECK(lp_inv["attrib"]["errors"] == "0");
  CHECK(lp_inv["attrib"]["timestamp"] == "2026-11-27T22:15:00Z");
  CHECK(lp_inv["props"]["label"] == "prompted");
  CHECK(lp_inv["cases"][0]["name"] == "inv-001#0");
  CHECK(lp_inv["cases"][0]["classname"] == "large-prompted.invoice");
  CHECK(lp_inv["cases"][0]["verdict"] == "pass");
  CHECK(lp_inv["cases"][0]["time"] == "1.210");
  const json& fence = lp_inv["cases"][1];
  CHECK(fence["verdict"] == "failure");
  CHECK(fence["type"] == "non_compliant");
  CHECK(fence["message"] == "not compliant: drift: code_fence (+1 more)");
  const json& schema = lp_inv["cases"][2];
  CHECK(schema["text"].get<std::string>().rfind(
            "schema /total [type]: expected number, got string\n"
            "hallucinated field: /note\n"
            "hallucinated field: /line_items/0/discount\n"
            "rule invoice-number at /invoice_number: \"INV-3\" does not match ^INV-[0-9]{6}$\n"
            "rule no-apology at (root): forbidden text \"as an AI\"\n"
            "gold mismatch /invoice_number (exact): expected \"INV-000003\", got \"INV-3\"\n"
            "--- output ---\n",
            0) == 0);
  const json& ft_inv = x["suites"][3];
  const json& timeout = ft_inv["cases"][4];
  CHECK(timeout["verdict"] == "error");
  CHECK(timeout["type"] == "timeout");
  CHECK(timeout["message"] == "timeout after 4 attempts");
  CHECK(timeout["text"] == "no response within 30 s (4 attempts)");
  const json& tmpl = x["suites"][0]["cases"][1];
  CHECK(tmpl["text"].get<std::string>().rfind(
            "template: missing section TIMELINE\n"
            "template: section out of order SUMMARY\n"
            "template: drift score 0.50\n",
            0) == 0);
}

TEST_CASE("junit.xml: hostile output stays well-formed text", "[reports]") {
  testing::TempDir tmp;
  ReportInputs in = testing::FixtureInputs(tmp);
  REQUIRE(MakeJunitWriter()->Write(in).ok());
  const std::string raw = testing::ReadFile(in.run_dir / "junit.xml");
  CHECK(raw.find("]]>") == std::string::npos);
  CHECK(raw.find("<script>") == std::string::npos);
  CHECK(raw.find('\x01') == std::string::npos);
  json x = ReadJunit(in.run_dir / "junit.xml");  // parses: valid XML
  const json& h = x["suites"][3]["cases"][5];
  REQUIRE(h["name"] == "inv-006#0");
  const std::string text = h["text"];
  CHECK(text.find("</script><script>alert(1)</script> \"><img src=x onerror=alert(1)> ]]> <!--") !=
        std::string::npos);
  CHECK(text.find("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") != std::string::npos);  // controls

  Record r;
  r.case_id = "bad\xFF<id>";
  r.endpoint = "e";
  r.suite = "s";
  r.compliant = false;
  r.output = std::string(5000, 'x') + "\x02";
  const std::string tc = JunitTestcase(r);
  CHECK(tc.find("name=\"bad\xEF\xBF\xBD&lt;id&gt;#0\"") != std::string::npos);
  CHECK(tc.find("--- output (first 4096 bytes of 5001; full text in results.jsonl) ---\n") !=
        std::string::npos);
  CHECK(tc.find('\x02') == std::string::npos);
}

TEST_CASE("junit.xml: a compliant record is a bare testcase", "[reports]") {
  Record r;
  r.case_id = "c1";
  r.endpoint = "e";
  r.suite = "s";
  r.sample = 2;
  r.latency_ms = 1234;
  r.compliant = true;
  CHECK(JunitTestcase(r) ==
        "    <testcase classname=\"e.s\" name=\"c1#2\" time=\"1.234\"/>\n");
  CHECK(FailureReasons(r).empty());
}

TEST_CASE("junit.xml: a missing results.jsonl is an I/O error naming the file", "[reports]") {
  testing::TempDir tmp;
  ReportInputs in;
  in.run_dir = tmp.path();
  Status s = MakeJunitWriter()->Write(in);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ErrorCode::kIo);
  CHECK(s.error().message ==
        "cannot read " + (tmp / "results.jsonl").string() + ": No such file or directory");
  CHECK_FALSE(std::filesystem::exists(tmp / "junit.xml"));
  CHECK_FALSE(std::filesystem::exists(tmp / "junit.xml.tmp"));
}

}  // namespace
}  // namespace comply
