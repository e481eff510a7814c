// `comply lint CONFIG_OR_SUITE`: load and compile everything, report every problem.
#include "evaluator/cli/lint_command.h"

#include <iostream>

#include "evaluator/cli/common.h"
#include "evaluator/lint.h"

namespace comply::cli {

namespace {

int RunLint(const std::string& path) {
  LintReport report = Lint(path);
  for (const LintProblem& p : report.problems) {
    std::cerr << (p.where.empty() ? "" : p.where + ": ") << "error: " << p.message << "\n";
  }
  if (!report.problems.empty()) {
    std::cerr << "comply: lint: " << report.problems.size() << " problem"
              << (report.problems.size() == 1 ? "" : "s") << " in " << path << "\n";
    return 2;
  }
  std::cout << "lint: ok: " << path << " (" << report.suites << " suite"
            << (report.suites == 1 ? "" : "s") << ", " << report.cases << " cases, "
            << report.endpoints << " endpoint" << (report.endpoints == 1 ? "" : "s") << ", "
            << report.rules << " rule" << (report.rules == 1 ? "" : "s") << ")\n";
  return 0;
}

}  // namespace

void AddLintCommand(CLI::App& app, int* exit_code) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("lint", "Load and compile a config or suite; report every problem");
  cmd->add_option("file", *path, "comply.yaml or a suite file")->required();
  cmd->callback([path, exit_code] { *exit_code = RunLint(*path); });
}

}  // namespace comply::cli
