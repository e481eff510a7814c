// yaml_util: YAML 1.2 core typing, marks, duplicate keys, ${ENV}, FieldReader, did-you-mean.
#include "evaluator/yaml_util.h"

#include <cstdlib>

#include <catch2/catch.hpp>

#include "evaluator/did_you_mean.h"

namespace comply {
namespace {

YamlDoc Parse(const std::string& text, std::vector<Diagnostic>* problems) {
  return ParseYamlText(text, "t.yaml", ParseOptions{}, problems);
}

TEST_CASE("YAML 1.2 core typing keeps plain no/yes/on as strings", "[loader]") {
  std::vector<Diagnostic> problems;
  YamlDoc doc = Parse(
      "a: no\nb: yes\nc: on\nd: true\ne: False\nf: 12\ng: -3\nh: 2.5\ni: 1e3\nj: 0x1F\nk: 0o17\n"
      "l: ~\nm:\nn: null\no: \"12\"\np: '3.5'\nq: !!str 7\nr: .inf\ns: 007\nt: 1.2.3\n",
      &problems);
  REQUIRE(problems.empty());
  const nlohmann::json& v = doc.value;
  CHECK(v["a"] == "no");
  CHECK(v["b"] == "yes");
  CHECK(v["c"] == "on");
  CHECK(v["d"] == true);
  CHECK(v["e"] == false);
  CHECK(v["f"].is_number_integer());
  CHECK(v["f"] == 12);
  CHECK(v["g"] == -3);
  CHECK(v["h"].is_number_float());
  CHECK(v["h"] == 2.5);
  CHECK(v["i"] == 1000.0);
  CHECK(v["j"] == 31);
  CHECK(v["k"] == 15);
  CHECK(v["l"].is_null());
  CHECK(v["m"].is_null());
  CHECK(v["n"].is_null());
  CHECK(v["o"] == "12");
  CHECK(v["p"] == "3.5");
  CHECK(v["q"] == "7");
  CHECK(v["r"] == ".inf");
  CHECK(v["s"] == 7);
  CHECK(doc.TextOf("/s") == "007");
  CHECK(v["t"] == "1.2.3");
}

TEST_CASE("Integers beyond 64 bits become numbers, not errors", "[loader]") {
  std::vector<Diagnostic> problems;
  YamlDoc doc = Parse("big: 18446744073709551615\nhuge: 123456789012345678901234567890\nneg: -9223372036854775808\n",
                      &problems);
  REQUIRE(problems.empty());
  CHECK(doc.value["big"].is_number_unsigned());
  CHECK(doc.value["big"].get<std::uint64_t>() == 18446744073709551615ULL);
  CHECK(doc.value["huge"].is_number_float());
  CHECK(doc.value["neg"].get<std::int64_t>() == INT64_MIN);
}

TEST_CASE("Marks are 1-based and address values and keys by JSON Pointer", "[loader]") {
  std::vector<Diagnostic> problems;
  YamlDoc doc = Parse("top:\n  list:\n    - x\n    - {k: v}\n  a/b: 1\n", &problems);
  REQUIRE(problems.empty());
  CHECK(doc.MarkOf("/top/list/0").line == 3);
  CHECK(doc.MarkOf("/top/list/0").col == 7);
  CHECK(doc.MarkOf("/top/list/1/k").col == 11);
  CHECK(doc.KeyMarkOf("/top/list/1/k").col == 8);
  CHECK(doc.KeyMarkOf("/top/a~1b").line == 5);
  CHECK(doc.KeyMarkOf("/top/a~1b").col == 3);
  // An unknown pointer falls back to its nearest known parent.
  CHECK(doc.MarkOf("/top/list/1/missing").line == 4);
  // `key:` with nothing points at the key; `~` at itself.
  YamlDoc nulls = Parse("a:\nb: ~\n", &problems);
  CHECK(nulls.MarkOf("/a").line == 1);
  CHECK(nulls.MarkOf("/a").col == 1);
  CHECK(nulls.MarkOf("/b").col == 4);
}

TEST_CASE("Duplicate keys are reported with both places", "[loader]") {
  std::vector<Diagnostic> problems;
  YamlDoc doc = Parse("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", &problems);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].Format() == "t.yaml:4:3: error: duplicate key — \"c\" — keep one of them (the first is at line 3)");
  CHECK(problems[1].Format() == "t.yaml:5:1: error: duplicate key — \"a\" — keep one of them (the first is at line 1)");
  CHECK(doc.value["a"] == 1);  // the first one is kept
}

TEST_CASE("A {{var}} value is reported as a flow map", "[loader]") {
  std::vector<Diagnostic> problems;
  YamlDoc doc = Parse("system_prompt: {{role}}  # comment\n", &problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].Format() ==
        "t.yaml:1:16: error: \"system_prompt\" is read as a YAML flow map, not text — \"{{role}}\" — "
        "quote the system_prompt: system_prompt: \"{{role}}\"");
}

TEST_CASE("YAML syntax errors name the line", "[loader]") {
  std::vector<Diagnostic> problems;
  YamlDoc doc = Parse("a: [1, 2\nb: 3\n", &problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].Format() ==
        "t.yaml:2:2: error: invalid YAML: end of sequence flow not found — \"b: 3\" — check the indentation and "
        "quoting here");
  CHECK(doc.value.is_null());
}

TEST_CASE("An unreadable file is one problem", "[loader]") {
  std::vector<Diagnostic> problems;
  YamlDoc doc = ParseYamlFile("/nonexistent/comply/x.yaml", "", ParseOptions{}, &problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].Format() ==
        "/nonexistent/comply/x.yaml: error: cannot read the file — check that the path exists and is a readable file");
}

TEST_CASE("ExpandEnv expands set variables, defaults and $${", "[loader]") {
  ::setenv("COMPLY_LOADER_T1", "abc", 1);
  ::setenv("COMPLY_LOADER_EMPTY", "", 1);
  ::unsetenv("COMPLY_LOADER_UNSET");
  std::string out, unset;
  CHECK(ExpandEnv("x${COMPLY_LOADER_T1}y", &out, &unset));
  CHECK(out == "xabcy");
  CHECK(ExpandEnv("${COMPLY_LOADER_UNSET:-d e f}", &out, &unset));
  CHECK(out == "d e f");
  CHECK(ExpandEnv("${COMPLY_LOADER_EMPTY:-dflt}|${COMPLY_LOADER_EMPTY}|", &out, &unset));
  CHECK(out == "dflt||");
  CHECK(ExpandEnv("$${COMPLY_LOADER_T1} costs $5 {x}", &out, &unset));
  CHECK(out == "${COMPLY_LOADER_T1} costs $5 {x}");
  CHECK_FALSE(ExpandEnv("a ${COMPLY_LOADER_UNSET} b", &out, &unset));
  CHECK(unset == "COMPLY_LOADER_UNSET");
}

TEST_CASE("Plain ${VAR} is typed after expansion; quoted stays a string", "[loader]") {
  ::setenv("COMPLY_LOADER_N", "42", 1);
  std::vector<Diagnostic> problems;
  ParseOptions options;
  options.keep_verbatim = [](const std::string& p) { return p == "/keep"; };
  YamlDoc doc = ParseYamlText("n: ${COMPLY_LOADER_N}\nq: \"${COMPLY_LOADER_N}\"\nkeep: ${COMPLY_LOADER_N}\n",
                              "t.yaml", options, &problems);
  REQUIRE(problems.empty());
  CHECK(doc.value["n"] == 42);
  CHECK(doc.value["q"] == "42");
  CHECK(doc.value["keep"] == "${COMPLY_LOADER_N}");
}

TEST_CASE("FieldReader reports types, ranges, choices and unknown keys", "[loader]") {
  std::vector<Diagnostic> problems;
  YamlDoc doc = Parse("run:\n  repeat: 2.5\n  cache: \"yes\"\n  mode: fsat\n  rate: 2\n  tags: [a, 3, {x: 1}]\n  repaet: 1\n",
                      &problems);
  REQUIRE(problems.empty());
  FieldReader r(doc, "/run", "run", &problems);
  REQUIRE(r.valid());
  r.AllowKeys({"repeat", "cache", "mode", "rate", "tags"});
  CHECK_FALSE(r.Integer("repeat", 1, 10));
  CHECK_FALSE(r.Bool("cache"));
  CHECK_FALSE(r.OneOf("mode", {"fast", "slow"}));
  CHECK_FALSE(r.Number("rate", 0, 1));
  CHECK_FALSE(r.StringList("tags"));
  CHECK_FALSE(r.Require("missing", "add missing: 1"));
  std::vector<std::string> lines;
  for (const Diagnostic& d : problems) lines.push_back(d.Format());
  CHECK(lines == std::vector<std::string>{
                     "t.yaml:7:3: error: unknown key \"repaet\" in run; did you mean \"repeat\"?",
                     "t.yaml:2:11: error: \"repeat\" must be a whole number, not a number — \"2.5\" — write a whole "
                     "number without quotes",
                     "t.yaml:3:10: error: \"cache\" must be true or false, not a string — \"yes\" — write true or false",
                     "t.yaml:4:9: error: invalid value for \"mode\" — \"fsat\" — did you mean \"fast\"?",
                     "t.yaml:5:9: error: \"rate\" is out of range — \"2\" — use a number between 0 and 1",
                     "t.yaml:6:16: error: items of \"tags\" must be strings, not a map — \"{x: 1}\" — write each item "
                     "as text",
                     "t.yaml:2:3: error: missing required key \"missing\" in run — add missing: 1",
                 });
}

TEST_CASE("Diagnostics sort by file, then line and column", "[loader]") {
  std::vector<Diagnostic> problems = {
      {"b.yaml", {3, 1}, "x", "", ""}, {"a.yaml", {9, 2}, "y", "", ""},
      {"b.yaml", {1, 5}, "z", "", ""}, {"a.yaml", {2, 0}, "w", "", ""}};
  SortDiagnostics(&problems);
  CHECK(JoinDiagnostics(problems) ==
        "b.yaml:1:5: error: z\nb.yaml:3:1: error: x\na.yaml:2: error: w\na.yaml:9:2: error: y");
}

TEST_CASE("DidYouMean suggests only close names", "[loader]") {
  CHECK(EditDistance("promt", "prompt") == 1);
  CHECK(EditDistance("sheam", "schema") == 2);
  CHECK(EditDistance("ab", "ba") == 1);
  CHECK(DidYouMean("promt", {"name", "prompt", "rules"}) == "prompt");
  CHECK(DidYouMean("Prompt", {"prompt"}) == "prompt");
  CHECK(DidYouMean("cases_flie", {"cases", "cases_file"}) == "cases_file");
  CHECK(DidYouMean("xyz", {"name", "prompt"}).empty());
  CHECK(DidYouMean("ab", {"xy"}).empty());
}

}  // namespace
}  // namespace comply
