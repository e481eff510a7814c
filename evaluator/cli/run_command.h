#pragma once
#include <CLI/CLI.hpp>

namespace comply::cli {
// Registers `comply run`; its callback stores the exit code in *exit_code.
void AddRunCommand(CLI::App& app, int* exit_code);
}  // namespace comply::cli
