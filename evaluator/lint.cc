#include "evaluator/lint.h"

#include <utility>

#include "evaluator/checker.h"
#include "evaluator/config_loader.h"
#include "evaluator/suite_loader.h"
#include "evaluator/yaml_util.h"

namespace comply {
namespace {

bool IsPlace(std::string_view s) {
  // "file:12" or "file:12:7"
  int numbers = 0;
  while (numbers < 2) {
    const std::size_t colon = s.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == s.size()) break;
    if (s.substr(colon + 1).find_first_not_of("0123456789") != std::string_view::npos) break;
    s = s.substr(0, colon);
    ++numbers;
  }
  return numbers > 0 && !s.empty() && s.find(' ') == std::string_view::npos;
}

// A compile error's lines as problems: "place: [error: ]message" when a line names its place,
// else the suite file is the place.
void AddCompileError(const SuiteSpec& suite, const std::string& message, std::vector<LintProblem>* out) {
  std::size_t start = 0;
  while (start < message.size()) {
    std::size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    const std::string line = message.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    const std::size_t sep = line.find(": ");
    if (sep != std::string::npos && IsPlace(std::string_view(line).substr(0, sep))) {
      std::string rest = line.substr(sep + 2);
      if (rest.rfind("error: ", 0) == 0) rest.erase(0, 7);
      out->push_back(LintProblem{line.substr(0, sep), rest});
    } else {
      out->push_back(LintProblem{suite.file.string(), line});
    }
  }
}

}  // namespace

LintReport Lint(const std::filesystem::path& config_or_suite) {
  LintReport report;
  std::vector<Diagnostic> problems;
  std::vector<SuiteSpec> suites;
  std::vector<bool> clean;
  if (LooksLikeConfig(config_or_suite)) {
    Config config = LoadConfigCollecting(config_or_suite, &problems, &clean);
    suites = std::move(config.suites);
    report.endpoints = static_cast<int>(config.endpoints.size());
  } else {
    suites.push_back(LoadSuiteCollecting(config_or_suite, config_or_suite.string(), &problems));
    clean.push_back(problems.empty());
  }
  SortDiagnostics(&problems, config_or_suite.string());
  for (const Diagnostic& d : problems) report.problems.push_back(LintProblem{d.Where(), d.Message()});
  for (std::size_t i = 0; i < suites.size(); ++i) {
    const SuiteSpec& s = suites[i];
    ++report.suites;
    report.cases += static_cast<int>(s.cases.size());
    report.rules += static_cast<int>(s.rules.size());
    if (i >= clean.size() || !clean[i]) continue;
    auto compiled = SuiteChecker::Compile(s);
    if (!compiled.ok()) AddCompileError(s, compiled.error().message, &report.problems);
  }
  return report;
}

}  // namespace comply
