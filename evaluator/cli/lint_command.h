#pragma once
#include <CLI/CLI.hpp>

namespace comply::cli {
// Registers `comply lint`; its callback stores the exit code in *exit_code.
void AddLintCommand(CLI::App& app, int* exit_code);
}  // namespace comply::cli
