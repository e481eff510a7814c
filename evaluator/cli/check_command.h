#pragma once
#include <CLI/CLI.hpp>

namespace comply::cli {
// Registers `comply check`; its callback stores the exit code in *exit_code.
void AddCheckCommand(CLI::App& app, int* exit_code);
}  // namespace comply::cli
