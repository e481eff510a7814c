#pragma once
// The `comply` command line: one function per command, each returning an exit code.
// Only this layer prints diagnostics (`comply: error: ...` on stderr) and picks exit codes.

namespace comply::cli {

// Exit codes (DESIGN.md "Exit codes"). When several apply: 130, then 3, then 2, then 1.
enum ExitCode : int {
  kExitOk = 0,
  kExitGateFailed = 1,
  kExitBadInput = 2,
  kExitRunFailed = 3,
  kExitInterrupted = 130,
};

// Parses argv and runs the command. Never throws.
int Main(int argc, char** argv);

}  // namespace comply::cli
