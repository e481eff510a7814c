// comply's entry point: parses the command line and maps errors to exit codes.
#include "evaluator/cli/commands.h"

int main(int argc, char** argv) { return comply::cli::Main(argc, argv); }
