// lint: every problem of a config and its suites, checks compiled, counts.
#include "evaluator/lint.h"

#include <catch2/catch.hpp>

#include "tests/test_util.h"

namespace comply {
namespace {

std::filesystem::path Fixture(const std::string& rel) {
  return comply::testing::SourceDir() / "tests/fixtures/loader" / rel;
}

TEST_CASE("Lint of the good config: no problems, everything counted", "[loader]") {
  const LintReport r = Lint(Fixture("good/comply.yaml"));
  CHECK(r.problems.empty());
  CHECK(r.suites == 1);
  CHECK(r.cases == 4);
  CHECK(r.endpoints == 2);
  CHECK(r.rules == 5);
}

TEST_CASE("Lint of one suite", "[loader]") {
  const LintReport r = Lint(Fixture("good/suite.yaml"));
  CHECK(r.problems.empty());
  CHECK(r.suites == 1);
  CHECK(r.cases == 4);
  CHECK(r.endpoints == 0);
  CHECK(r.rules == 5);
}

TEST_CASE("Lint collects every problem of a broken config", "[loader]") {
  const LintReport r = Lint(Fixture("broken/config/comply.yaml"));
  REQUIRE(r.problems.size() == 14);
  const std::string f = Fixture("broken/config/comply.yaml").string();
  CHECK(r.problems[1].where == f + ":4:15");
  CHECK(r.problems[1].message == "invalid value for \"provider\" — \"openia\" — did you mean \"openai\"?");
  CHECK(r.problems[13].where == f + ":17:12");
  CHECK(r.problems[13].message == "gate names an unknown suite — \"invoce\" — did you mean \"invoice\"?");
  CHECK(r.suites == 1);
  CHECK(r.endpoints == 3);
  CHECK(r.cases == 4);
  for (const LintProblem& p : r.problems) CHECK(p.message.find("sk-live-123") == std::string::npos);
}

TEST_CASE("Lint reports a JSONL line without a column", "[loader]") {
  const LintReport r = Lint(Fixture("broken/jsonl/suite.yaml"));
  REQUIRE(r.problems.size() == 3);
  CHECK(r.problems[1].where == Fixture("broken/jsonl/cases.jsonl").string() + ":3");
  CHECK(r.suites == 1);
  CHECK(r.cases == 4);  // one inline, three good lines; the bad line is not a case
}

TEST_CASE("Lint compiles checks: a pattern RE2 refuses, in each of two suites", "[loader]") {
  comply::testing::TempDir dir;
  comply::testing::WriteFile(dir / "a" / "suite.yaml",
                             "schema: {type: object}\n"
                             "rules:\n  - {id: look, path: /x, pattern: '(?<=a)b'}\n"
                             "cases: [{id: 1}]\n");
  comply::testing::WriteFile(dir / "b" / "suite.yaml",
                             "template: {sections: [{name: s, heading: '(unclosed'}]}\n"
                             "cases: [{id: 1}, {id: 2}]\n");
  comply::testing::WriteFile(dir / "c.yaml",
                             "suites: [a/suite.yaml, b/suite.yaml]\n"
                             "endpoints: [{name: e, provider: openai, model: m}]\n");
  const LintReport r = Lint(dir / "c.yaml");
  REQUIRE(r.problems.size() == 2);
  CHECK(r.problems[0].where == (dir / "a/suite.yaml").string() + ":3:5");
  CHECK(r.problems[1].where.rfind((dir / "b/suite.yaml").string(), 0) == 0);
  CHECK(r.suites == 2);
  CHECK(r.cases == 3);
  CHECK(r.rules == 1);
  CHECK(r.endpoints == 1);
}

}  // namespace
}  // namespace comply
