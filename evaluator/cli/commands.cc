#include "evaluator/cli/commands.h"

#include <iostream>

#include <CLI/CLI.hpp>
#include <curl/curl.h>
#include <sqlite3.h>
#include <tbb/version.h>
#include <yaml-cpp/yaml.h>

#include "evaluator/cli/check_command.h"
#include "evaluator/cli/common.h"
#include "evaluator/cli/export_command.h"
#include "evaluator/cli/lint_command.h"
#include "evaluator/cli/mock_endpoint_command.h"
#include "evaluator/cli/report_commands.h"
#include "evaluator/cli/run_command.h"
#include "evaluator/version.h"

namespace comply::cli {

namespace {

void PrintVersion() {
  std::cout << "comply " << COMPLY_VERSION << "\n"
            << "  libcurl " << curl_version_info(CURLVERSION_NOW)->version << "\n"
            << "  valijson " << COMPLY_VALIJSON_VERSION << "\n"
            << "  nlohmann/json " << NLOHMANN_JSON_VERSION_MAJOR << "." << NLOHMANN_JSON_VERSION_MINOR
            << "." << NLOHMANN_JSON_VERSION_PATCH << "\n"
            << "  RE2 " << COMPLY_RE2_VERSION << "\n"
            << "  oneTBB " << TBB_VERSION_MAJOR << "." << TBB_VERSION_MINOR << "\n"
            << "  SQLite " << sqlite3_libversion() << "\n"
            << "  CLI11 " << CLI11_VERSION << "\n";
}

}  // namespace

int Main(int argc, char** argv) {
  SetCommandLine(argc, argv);
  CLI::App app{
      "comply: structured-output compliance for LLM endpoints.\n"
      "Sends test suites to prompted and fine-tuned endpoints, checks every response against a\n"
      "JSON Schema and format rules, and writes comparative reports.\n"
      "Exit codes: 0 passed, 1 gate failed, 2 bad usage or invalid config/suite, 3 the run could\n"
      "not complete, 130 interrupted.",
      "comply"};
  app.require_subcommand(0, 1);
  app.option_defaults()->always_capture_default();  // --help shows every default
  app.fallthrough(false);
  bool version = false;
  app.add_flag("--version", version, "Print the version and dependency versions");
  int exit_code = 0;
  AddRunCommand(app, &exit_code);
  AddCheckCommand(app, &exit_code);
  AddReportCommands(app, &exit_code);
  AddLintCommand(app, &exit_code);
  AddExportCommand(app, &exit_code);
  AddMockEndpointCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const CLI::ParseError& e) {
    // CLI11 2.1's exit() returns 105-109 for parse errors; DESIGN.md says 2 for bad usage.
    std::cerr << "comply: error: " << e.what() << "\n";
    std::cerr << "run 'comply --help' (or 'comply COMMAND --help') for usage\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "comply: error: internal: " << e.what() << "\n";
    return 3;
  }
  if (version) {
    PrintVersion();
    return 0;
  }
  if (app.get_subcommands().empty()) {
    std::cout << app.help();
    return 2;
  }
  return exit_code;
}

}  // namespace comply::cli
