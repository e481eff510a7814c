#pragma once
// `comply lint CONFIG_OR_SUITE`: loads the file the way every command does, compiles every
// suite's checks (schema, rules, template), and reports ALL problems found, not just the first.
//
//   LintReport r = Lint("comply.yaml");
//   for (const LintProblem& p : r.problems) std::cerr << p.where << ": error: " << p.message << "\n";
//   std::cout << r.suites << " suites, " << r.cases << " cases, " << r.endpoints << " endpoints\n";
//
// Thread-compatible (reads files and the environment); never throws.

#include <filesystem>
#include <string>
#include <vector>

namespace comply {

struct LintProblem {
  std::string where;    // "file:line:col" ("file:line" for JSONL lines, "file" when unknown)
  std::string message;  // "<what> — \"<offending text>\" — <how to fix>"
};

struct LintReport {
  std::vector<LintProblem> problems;  // empty = the file is fine
  int suites = 0, cases = 0, endpoints = 0, rules = 0;  // what was loaded (broken parts included)
};

// A file whose top level has `endpoints:` or `suites:` is linted as a config (with every suite
// it names), anything else as one suite. Checks are compiled only for suites that loaded
// without problems (a half-loaded suite would only repeat them).
LintReport Lint(const std::filesystem::path& config_or_suite);

}  // namespace comply
