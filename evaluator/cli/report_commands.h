#pragma once
#include <CLI/CLI.hpp>

namespace comply::cli {
// Registers `report`, `compare`, `merge` and `history`; callbacks store the exit code.
void AddReportCommands(CLI::App& app, int* exit_code);
}  // namespace comply::cli
