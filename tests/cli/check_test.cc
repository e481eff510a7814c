// Black-box tests of `comply check`: every input line becomes one record, in input order,
// whatever the line holds; usage errors exit 2 with an exact message.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/test_util.h"

namespace comply::testing {
namespace {

using json = nlohmann::json;

const char kSchema[] =
    R"({"type":"object","properties":{"name":{"type":"string"},"n":{"type":"integer"}},)"
    R"("required":["name"]})";

std::string Line(const std::string& output) { return json{{"output", output}}.dump(); }

std::vector<json> ReadRecords(const std::filesystem::path& file) {
  std::vector<json> records;
  std::string text = ReadFile(file);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) records.push_back(json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return records;
}

std::string Check(const TempDir& /*dir*/, const std::string& args) {
  return "'" + ComplyBinary().string() + "' check " + args;
}

TEST_CASE("check: every kind of input line becomes one record, in order", "[e2e]") {
  TempDir dir;
  WriteFile(dir / "schema.json", kSchema);
  std::vector<std::string> lines = {
      Line(R"({"name":"a","n":1})"),                 // 1 bare, compliant
      Line("```json\n{\"name\":\"a\"}\n```"),        // 2 fenced
      Line("Sure, here it is."),                     // 3 prose only
      Line(R"({"name":"a",)"),                       // 4 truncated
      Line("{'name':'a',}"),                         // 5 malformed
      Line(""),                                      // 6 empty
      Line(R"({"name":"a","extra":2})"),             // 7 hallucinated field
      "this is not json",                            // 8 unparseable line
      R"({"case_id":"x"})",                          // 9 no output
      R"({"output":5})",                             // 10 non-string output
      "{\"output\":\"\xff\xfe\"}",                   // 11 invalid UTF-8
      R"({"output":"\ud800"})",                      // 12 lone surrogate escape
  };
  std::string input;
  for (const std::string& l : lines) input += l + "\n";
  WriteFile(dir / "in.jsonl", input);

  CommandResult r = Run(Check(dir, "--schema '" + (dir / "schema.json").string() + "' '" +
                                       (dir / "in.jsonl").string() + "' --out '" +
                                       (dir / "out").string() + "'"));
  REQUIRE(r.exit_code == 0);
  std::vector<json> rec = ReadRecords(dir / "out" / "results.jsonl");
  REQUIRE(rec.size() == lines.size());
  // Order = input order; case_id defaults to the line number.
  std::vector<std::string> ids;
  for (const json& x : rec) ids.push_back(x["case_id"]);
  CHECK(ids == std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "x", "10", "11",
                                        "12"});
  for (const json& x : rec) CHECK(x["endpoint"] == "default");

  CHECK(rec[0]["status"] == "ok");
  CHECK(rec[0]["compliant"] == true);
  CHECK(rec[0]["extraction"] == "strict");
  CHECK(rec[1]["drift"] == json::array({"code_fence"}));
  CHECK(rec[1]["compliant"] == false);
  CHECK(rec[2]["drift"] == json::array({"not_json"}));
  CHECK(rec[3]["drift"] == json::array({"truncated"}));
  CHECK(rec[4]["drift"] == json::array({"malformed"}));
  CHECK(rec[5]["drift"] == json::array({"empty"}));
  CHECK(rec[6]["hallucinated_fields"] == json::array({"/extra"}));
  CHECK(rec[6]["compliant"] == false);
  for (int i = 1; i <= 6; ++i) CHECK(rec[i]["status"] == "ok");
  for (int i = 7; i <= 11; ++i) {
    CHECK(rec[i]["status"] == "bad_input");
    CHECK(rec[i]["compliant"] == false);
  }
  CHECK(rec[8]["error"] == "in.jsonl:9: missing \"output\" (the response text)");
  CHECK(rec[9]["error"] == "in.jsonl:10: \"output\" must be a string (the raw response text), "
                           "got number");
  CHECK(rec[7]["error"].get<std::string>().rfind("in.jsonl:8: not valid JSON", 0) == 0);
  CHECK(rec[10]["error"].get<std::string>().find("ill-formed UTF-8") != std::string::npos);
  CHECK(rec[11]["error"].get<std::string>().find("surrogate") != std::string::npos);

  json summary = json::parse(ReadFile(dir / "out" / "summary.json"));
  CHECK(summary["totals"]["records"] == 12);
  CHECK(summary["totals"]["cases"] == 12);
  const json& e = summary["endpoints"]["default"];
  CHECK(e["total"] == 12);
  CHECK(e["errors"] == 5);
  CHECK(e["answered"] == 7);
  CHECK(e["compliant"] == 1);
  CHECK(e["parsed"] == 3);
  CHECK(e["hallucinated"] == 1);
  CHECK(e["drift"]["code_fence"] == 1);
  CHECK(e["drift"]["not_json"] == 1);
  CHECK(e["drift"]["empty"] == 1);
  CHECK(r.out.find("wrote") != std::string::npos);
  CHECK(r.err.find("5 input line(s) could not be read") != std::string::npos);
}

TEST_CASE("check: pathological responses get a clean verdict", "[e2e]") {
  TempDir dir;
  WriteFile(dir / "schema.json", kSchema);
  json wide = {{"name", "a"}};
  for (int i = 0; i < 200000; ++i) wide["k" + std::to_string(i)] = i;
  std::string input = Line(std::string(100000, '[') + std::string(100000, ']')) + "\n" +
                      Line(json{{"name", std::string(5'000'000, 'x')}}.dump()) + "\n" +
                      Line(wide.dump()) + "\n";
  std::string deep_open;
  for (int i = 0; i < 100000; ++i) deep_open += "{\"name\":";
  input += Line(deep_open) + "\n";
  WriteFile(dir / "in.jsonl", input);

  CommandResult r = Run(Check(dir, "--schema '" + (dir / "schema.json").string() + "' '" +
                                       (dir / "in.jsonl").string() + "' --out '" +
                                       (dir / "out").string() + "'"));
  REQUIRE(r.exit_code == 0);
  std::vector<json> rec = ReadRecords(dir / "out" / "results.jsonl");
  REQUIRE(rec.size() == 4);
  // 100,000-deep: parsed, not validated past 512 levels: a maxDepth schema error.
  CHECK(rec[0]["status"] == "ok");
  CHECK(rec[0]["compliant"] == false);
  REQUIRE(rec[0]["schema_errors"].size() == 1);
  CHECK(rec[0]["schema_errors"][0]["keyword"] == "maxDepth");
  // 5 MB string: valid and compliant.
  CHECK(rec[1]["status"] == "ok");
  CHECK(rec[1]["compliant"] == true);
  // 200,000 undeclared keys: each one is a hallucinated field.
  CHECK(rec[2]["status"] == "ok");
  CHECK(rec[2]["hallucinated_fields"].size() == 200000);
  CHECK(rec[2]["compliant"] == false);
  // 100,000 unclosed objects: truncated, not a crash.
  CHECK(rec[3]["drift"] == json::array({"truncated"}));
}

TEST_CASE("check: --extraction lenient accepts a fenced answer that strict fails", "[e2e]") {
  TempDir dir;
  WriteFile(dir / "schema.json", kSchema);
  WriteFile(dir / "in.jsonl", Line("```json\n{\"name\":\"a\"}\n```") + "\n");
  std::string common =
      "--schema '" + (dir / "schema.json").string() + "' '" + (dir / "in.jsonl").string() + "'";
  CommandResult strict = Run(Check(dir, common + " --out '" + (dir / "s").string() + "'"));
  CommandResult lenient = Run(
      Check(dir, common + " --extraction lenient --out '" + (dir / "l").string() + "'"));
  REQUIRE(strict.exit_code == 0);
  REQUIRE(lenient.exit_code == 0);
  json s = ReadRecords(dir / "s" / "results.jsonl").at(0);
  json l = ReadRecords(dir / "l" / "results.jsonl").at(0);
  CHECK(s["compliant"] == false);
  CHECK(l["compliant"] == true);
  CHECK(l["extraction"] == "lenient");
  CHECK(l["drift"] == json::array({"code_fence"}));  // still recorded as drift
}

TEST_CASE("check: --suite scores with the suite's schema and rules", "[e2e]") {
  TempDir dir;
  WriteFile(dir / "suite.yaml",
            "name: mini\n"
            "schema: {type: object, properties: {id: {type: string}}, required: [id]}\n"
            "prompt: 'x {{a}}'\n"
            "rules:\n"
            "  - {id: id-format, path: /id, pattern: '^T-[0-9]+$'}\n"
            "cases:\n"
            "  - {id: c1, vars: {a: b}}\n");
  WriteFile(dir / "in.jsonl", R"({"case_id":"c1","output":"{\"id\":\"T-12\"}"})"
                              "\n"
                              R"({"case_id":"c1","sample":1,"output":"{\"id\":\"bad\"}"})"
                              "\n");
  CommandResult r = Run(Check(dir, "--suite '" + (dir / "suite.yaml").string() + "' '" +
                                       (dir / "in.jsonl").string() + "' --out '" +
                                       (dir / "out").string() + "'"));
  REQUIRE(r.exit_code == 0);
  std::vector<json> rec = ReadRecords(dir / "out" / "results.jsonl");
  REQUIRE(rec.size() == 2);
  CHECK(rec[0]["suite"] == "mini");
  CHECK(rec[0]["compliant"] == true);
  CHECK(rec[1]["compliant"] == false);
  CHECK(rec[1]["rule_failures"] == json::array({"id-format"}));
  CHECK(rec[1]["sample"] == 1);
}

TEST_CASE("check: usage errors exit 2 with an exact message", "[e2e]") {
  TempDir dir;
  WriteFile(dir / "schema.json", kSchema);
  WriteFile(dir / "broken.json", "{\"type\":\n");
  WriteFile(dir / "in.jsonl", Line("{}") + "\n");
  std::string in = "'" + (dir / "in.jsonl").string() + "'";
  std::string out = " --out '" + (dir / "out").string() + "'";

  CommandResult missing = Run("cd '" + dir.path().string() + "' && " +
                              Check(dir, "--schema schema.json nope.jsonl" + out));
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "comply: error: cannot read nope.jsonl: no such file\n");

  CommandResult broken = Run("cd '" + dir.path().string() + "' && " +
                             Check(dir, "--schema broken.json " + in + out));
  CHECK(broken.exit_code == 2);
  CHECK(broken.err ==
        "comply: error: broken.json:2:1: not valid JSON: parse error at line 2, column 1: syntax "
        "error while parsing value - unexpected end of input; expected '[', '{', or a literal\n");

  CommandResult both = Run(Check(dir, "--schema '" + (dir / "schema.json").string() +
                                          "' --suite '" + (dir / "schema.json").string() + "' " +
                                          in + out));
  CHECK(both.exit_code == 2);
  CHECK(both.err ==
        "comply: error: check needs exactly one of --suite SUITE.yaml or --schema SCHEMA.json\n");
  CHECK_FALSE(std::filesystem::exists(dir / "out" / "results.jsonl"));
}

}  // namespace
}  // namespace comply::testing
