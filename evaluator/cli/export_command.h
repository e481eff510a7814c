#pragma once
#include <CLI/CLI.hpp>

namespace comply::cli {
// Registers `comply export-dataset`; its callback stores the exit code in *exit_code.
void AddExportCommand(CLI::App& app, int* exit_code);
}  // namespace comply::cli
