// suite_loader: the good fixture loads completely; each broken fixture gives exact messages.
#include "evaluator/suite_loader.h"

#include <cstdlib>

#include <catch2/catch.hpp>

#include "tests/test_util.h"

namespace comply {
namespace {

std::filesystem::path Fixture(const std::string& rel) {
  return comply::testing::SourceDir() / "tests/fixtures/loader" / rel;
}

// The error message of loading `rel`, with the fixture folder shown as "F/".
std::string LoadError(const std::string& rel) {
  Result<SuiteSpec> s = LoadSuite(Fixture(rel));
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ErrorCode::kInvalidInput);
  std::string m = s.error().message;
  const std::string root = Fixture("").string();
  for (std::size_t at = m.find(root); at != std::string::npos; at = m.find(root)) m.replace(at, root.size(), "F/");
  return m;
}

TEST_CASE("The good suite loads every key", "[loader]") {
  Result<SuiteSpec> r = LoadSuite(Fixture("good/suite.yaml"));
  REQUIRE(r.ok());
  const SuiteSpec& s = *r;
  CHECK(s.name == "invoice");
  CHECK(s.file == Fixture("good/suite.yaml").lexically_normal());
  CHECK(s.dir == Fixture("good").lexically_normal());
  CHECK(s.schema_file == Fixture("good/schema.json").lexically_normal());
  REQUIRE(s.schema.has_value());
  CHECK((*s.schema)["required"] == nlohmann::json({"invoice_number", "total"}));
  CHECK(s.extraction == ExtractionMode::kLenient);
  CHECK(s.prompt == "Extract the invoice fields from this document:\n{{document}}\nCustomer: {{ customer.name }}");
  CHECK(s.system_prompts.at("prompted") == "You are an invoice extraction system. Answer with JSON only.\n");
  CHECK(s.system_prompts.at("fine-tuned") == "Extract the invoice.\n");
  CHECK_FALSE(s.tool_output);

  REQUIRE(s.rules.size() == 5);
  CHECK(s.rules[0].id == "invoice-number");
  CHECK(s.rules[0].kind == RuleSpec::Kind::kPattern);
  CHECK(s.rules[0].path == "/invoice_number");
  CHECK(s.rules[0].pattern == "^INV-[0-9]{6}$");
  CHECK(s.rules[0].where == Fixture("good/suite.yaml").string() + ":11:5");
  CHECK(s.rules[1].kind == RuleSpec::Kind::kForbid);
  CHECK(s.rules[1].pattern == "(?i)as an ai");
  CHECK(s.rules[1].message == "no apologies");
  CHECK(s.rules[2].kind == RuleSpec::Kind::kAllowedValues);
  CHECK(s.rules[2].values_file == Fixture("good/currencies.txt").lexically_normal());
  CHECK(s.rules[3].kind == RuleSpec::Kind::kAllowedValues);
  CHECK(s.rules[3].values == std::vector<std::string>{"kg", "1", "no"});
  CHECK(s.rules[4].kind == RuleSpec::Kind::kLength);
  CHECK(s.rules[4].min_length == 1u);
  CHECK(s.rules[4].max_length == 200u);

  CHECK(s.match.at("/total").kind == MatchSpec::Kind::kNumeric);
  CHECK(s.match.at("/total").tolerance == 0.01);
  CHECK(s.match.at("/customer").kind == MatchSpec::Kind::kNormalized);
  CHECK(s.match.at("/tags").kind == MatchSpec::Kind::kSet);
  CHECK_FALSE(s.text_template.has_value());

  REQUIRE(s.cases.size() == 4);
  CHECK(s.cases[0].id == "inv-001");
  CHECK(s.cases[0].vars["customer"]["name"] == "ACME");
  CHECK(*s.cases[0].expected == nlohmann::json({{"invoice_number", "INV-000001"}, {"total", 12.5}}));
  CHECK(s.cases[0].tags == std::vector<std::string>{"core", "2024"});
  CHECK(s.cases[0].where == Fixture("good/suite.yaml").string() + ":22:5");
  CHECK(s.cases[1].id == "002");  // a YAML number keeps its text
  CHECK(s.cases[1].vars["customer"]["name"] == "no");
  CHECK_FALSE(s.cases[1].expected.has_value());
  CHECK(s.cases[2].id == "inv-003");
  CHECK(s.cases[2].tags == std::vector<std::string>{"extra"});
  CHECK(s.cases[2].where == Fixture("good/more_cases.jsonl").string() + ":1");
  CHECK(s.cases[3].id == "4");
  CHECK(s.cases[3].where == Fixture("good/more_cases.jsonl").string() + ":3");
}

TEST_CASE("Unknown suite key suggests the close one", "[loader]") {
  CHECK(LoadError("broken/unknown_key.yaml") ==
        "F/broken/unknown_key.yaml:3:1: error: unknown key \"promt\" in suite; did you mean \"prompt\"?");
}

TEST_CASE("Duplicate suite key is an error", "[loader]") {
  CHECK(LoadError("broken/duplicate_key.yaml") ==
        "F/broken/duplicate_key.yaml:4:1: error: duplicate key — \"prompt\" — keep one of them (the first is at line 3)");
}

TEST_CASE("Unquoted {{document}} prompt is explained", "[loader]") {
  CHECK(LoadError("broken/flow_map_prompt.yaml") ==
        "F/broken/flow_map_prompt.yaml:3:9: error: \"prompt\" is read as a YAML flow map, not text — "
        "\"{{document}}\" — quote the prompt: prompt: \"{{document}}\"");
}

TEST_CASE("Wrong types and values are all reported", "[loader]") {
  CHECK(LoadError("broken/wrong_types.yaml") ==
        "F/broken/wrong_types.yaml:3:13: error: invalid value for \"extraction\" — \"strikt\" — did you mean \"strict\"?\n"
        "F/broken/wrong_types.yaml:4:9: error: \"prompt\" must be a string, not a list — \"[not, text]\" — quote the value\n"
        "F/broken/wrong_types.yaml:5:8: error: \"rules\" must be a list, not a map — \"{id: r}\" — write a list: rules: [a, b]\n"
        "F/broken/wrong_types.yaml:8:11: error: \"tags\" must be a list of strings, not a string — \"core\" — write a "
        "list: tags: [a, b]");
}

TEST_CASE("Missing schema/template and cases; name defaults to the folder", "[loader]") {
  CHECK(LoadError("broken/missing/suite.yaml") ==
        "F/broken/missing/suite.yaml:1:1: error: the suite has neither \"schema\" nor \"template\" — add schema: "
        "schema.json for JSON output, or template: {sections: [...]} for text output\n"
        "F/broken/missing/suite.yaml:1:1: error: missing required key \"cases\" in suite — add cases: [{id: case-001, "
        "vars: {...}}], or cases_file: cases.jsonl");
  std::vector<Diagnostic> problems;
  SuiteSpec s = LoadSuiteCollecting(Fixture("broken/missing/suite.yaml"), "", &problems);
  CHECK(s.name == "missing");
  CHECK(problems.size() == 2);
}

TEST_CASE("Files that do not exist resolve against the suite", "[loader]") {
  const std::string dir = "F/broken";  // LoadError shows the fixture folder as F/
  const std::string tail = "; relative paths start at the folder of the file that names them";
  CHECK(LoadError("broken/missing_files.yaml") ==
        "F/broken/missing_files.yaml:2:9: error: file not found — \"nope/schema.json\" — it resolves to " + dir +
            "/nope/schema.json" + tail + "\nF/broken/missing_files.yaml:3:28: error: file not found — \"missing.txt\" — it "
            "resolves to " + dir + "/missing.txt" + tail + "\nF/broken/missing_files.yaml:5:13: error: file not found — "
            "\"missing.jsonl\" — it resolves to " + dir + "/missing.jsonl" + tail);
}

TEST_CASE("cases_file: bad lines, duplicate ids, missing prompt vars", "[loader]") {
  CHECK(LoadError("broken/jsonl/suite.yaml") ==
        "F/broken/jsonl/cases.jsonl:2: error: duplicate case id — \"a\" — case ids must be unique within a suite (first "
        "at F/broken/jsonl/suite.yaml:5:5)\n"
        "F/broken/jsonl/cases.jsonl:3: error: invalid JSON: syntax error while parsing object key - unexpected '}'; "
        "expected string literal — \"{\"id\": \"c\", \"vars\": {\"document\": \"w\"},}\" — write one JSON object per line\n"
        "F/broken/jsonl/cases.jsonl:4: error: case \"d\" has no var \"document\" for the prompt — \"{{document}}\" — add "
        "document to the case's vars, or change the prompt");
}

TEST_CASE("A schema file that is not JSON names its line and column", "[loader]") {
  CHECK(LoadError("broken/badschema/suite.yaml") ==
        "F/broken/badschema/schema.json:3:42: error: invalid JSON: syntax error while parsing object key - unexpected "
        "'}'; expected string literal — \"  \"properties\": {\"a\": {\"type\": \"string\"},}\" — fix the JSON syntax "
        "(JSON has no comments or trailing commas)");
}

TEST_CASE("Rule errors: no check, two checks, duplicate id, bad path, forbid with path, no id", "[loader]") {
  CHECK(LoadError("broken/rules.yaml") ==
        "F/broken/rules.yaml:5:5: error: rule \"r1\" has no check — add one of pattern, forbid, allowed_values_file, "
        "allowed_values, min_length/max_length\n"
        "F/broken/rules.yaml:6:5: error: rule \"r2\" has more than one check: pattern, forbid — split it into one rule "
        "per check\n"
        "F/broken/rules.yaml:7:10: error: duplicate rule id — \"r1\" — rule ids must be unique within a suite\n"
        "F/broken/rules.yaml:7:20: error: \"path\" must be a JSON Pointer — \"total\" — start it with \"/\", e.g. path: "
        "/invoice_number\n"
        "F/broken/rules.yaml:8:27: error: \"path\" does not apply to a forbid rule — forbid checks the whole text; "
        "remove path\n"
        "F/broken/rules.yaml:9:5: error: missing required key \"id\" in rule — give the rule an id: id: my-rule");
}

TEST_CASE("An unset ${VAR} names the variable; a set one is expanded", "[loader]") {
  ::unsetenv("COMPLY_LOADER_UNSET_VAR");
  CHECK(LoadError("broken/env.yaml") ==
        "F/broken/env.yaml:3:9: error: environment variable \"COMPLY_LOADER_UNSET_VAR\" is not set — "
        "\"${COMPLY_LOADER_UNSET_VAR}\" — set COMPLY_LOADER_UNSET_VAR, or give a default: "
        "${COMPLY_LOADER_UNSET_VAR:-value}");
  ::setenv("COMPLY_LOADER_UNSET_VAR", "Hello {{x}}", 1);
  std::vector<Diagnostic> problems;
  SuiteSpec s = LoadSuiteCollecting(Fixture("broken/env.yaml"), "", &problems);
  ::unsetenv("COMPLY_LOADER_UNSET_VAR");
  // Expanded, then checked: the case has no var x.
  CHECK(s.prompt == "Hello {{x}}");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].what == "case \"a\" has no var \"x\" for the prompt");
}

TEST_CASE("Template, match and output keys load and are checked", "[loader]") {
  comply::testing::TempDir dir;
  comply::testing::WriteFile(dir / "t" / "suite.yaml",
                             "template:\n"
                             "  sections:\n"
                             "    - {name: summary, heading: '^## Summary$', body: '\\w+'}\n"
                             "    - {name: risks, heading: '^## Risks$', optional: true}\n"
                             "  allow_extra: true\n"
                             "output: tool\n"
                             "match: {/a: {kind: set}}\n"
                             "prompt: '{{ text }}'\n"
                             "cases: [{id: 1, vars: {text: hi}}]\n");
  Result<SuiteSpec> r = LoadSuite(dir / "t" / "suite.yaml");
  REQUIRE(r.ok());
  CHECK(r->name == "t");
  CHECK_FALSE(r->schema.has_value());
  REQUIRE(r->text_template.has_value());
  REQUIRE(r->text_template->sections.size() == 2);
  CHECK(r->text_template->sections[0].body == "\\w+");
  CHECK(r->text_template->sections[1].optional);
  CHECK(r->text_template->allow_extra);
  CHECK(r->tool_output);
  CHECK(r->match.at("/a").kind == MatchSpec::Kind::kSet);
  CHECK(r->cases[0].id == "1");

  comply::testing::WriteFile(dir / "bad.yaml",
                             "template: {sections: [{name: a}, {name: a, heading: x, body: [1]}]}\n"
                             "match: {total: exact, /b: {kind: exact, tolerance: 1}, /c: fuzzy}\n"
                             "output: json\n"
                             "cases: [{id: x, vars: [1]}, null]\n");
  Result<SuiteSpec> bad = LoadSuite(dir / "bad.yaml");
  REQUIRE_FALSE(bad.ok());
  const std::string f = (dir / "bad.yaml").string();
  CHECK(bad.error().message ==
        f + ":1:23: error: missing required key \"heading\" in template section — give the heading pattern: heading: "
            "'^## Summary$'\n" +
        f + ":1:41: error: duplicate section name — \"a\" — section names must be unique within a template\n" +
        f + ":1:62: error: \"body\" must be a string, not a list — \"[1]\" — quote the value\n" +
        f + ":2:9: error: a match key must be a JSON Pointer — \"total\" — start it with \"/\", e.g. /total\n" +
        f + ":2:41: error: \"tolerance\" applies only to kind numeric — remove tolerance or use kind: numeric\n" +
        f + ":2:60: error: invalid value for \"/c\" — \"fuzzy\" — use one of: exact, normalized, numeric, set\n" +
        f + ":3:9: error: invalid value for \"output\" — \"json\" — use one of: content, tool\n" +
        f + ":4:23: error: \"vars\" must be a map, not a list — \"[1]\" — write key: value pairs under vars\n" +
        f + ":4:29: error: a case must be a map, not null — write {id: ..., vars: {...}}");
}

TEST_CASE("An empty suite file says so", "[loader]") {
  comply::testing::TempDir dir;
  comply::testing::WriteFile(dir / "empty.yaml", "# nothing\n");
  Result<SuiteSpec> r = LoadSuite(dir / "empty.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == (dir / "empty.yaml").string() +
                                 ": error: the suite file is empty — add at least schema (or template), prompt and cases");
}

}  // namespace
}  // namespace comply
