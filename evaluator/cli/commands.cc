#include "evaluator/cli/commands.h"

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "evaluator/version.h"

namespace comply::cli {

int Main(int argc, char** argv) {
  CLI::App app{"comply: structured-output compliance for LLM endpoints"};
  bool version = false;
  app.add_flag("--version", version, "Print the version and dependency versions");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitBadInput;
  }
  if (version) {
    std::cout << "comply " << COMPLY_VERSION << "\n";
    return kExitOk;
  }
  std::cout << app.help();
  return kExitOk;
}

}  // namespace comply::cli
