#pragma once
// `comply mock-endpoint`: serves the simulated endpoints (providers/mock_server.h) with the
// gold answers of a config's suites, until SIGINT or SIGTERM.
//
//   CLI::App app;
//   int exit_code = 0;
//   AddMockEndpointCommand(app, &exit_code);   // adds the subcommand
//   app.parse(argc, argv);                     // the subcommand's callback runs the server
//   return exit_code;
//
// Options: --config FILE (suites whose cases' `expected` become the answers; without it every
// prompt gets a generic answer), --host (127.0.0.1), --port (0 = any free port), --port-file
// FILE (the chosen port is written there once listening), --profiles FILE (JSON or YAML, see
// LoadMockProfiles; default: the two demo profiles), --seed N (1), --threads N (64).
// Prints `mock-endpoint listening on http://HOST:PORT (profiles: a, b)` on stdout once
// listening. Exit codes: 0 after SIGINT/SIGTERM, 2 for a bad config or profile file, 3 when the
// address cannot be bound or the port file cannot be written.

#include <CLI/CLI.hpp>

namespace comply::cli {

void AddMockEndpointCommand(CLI::App& app, int* exit_code);

}  // namespace comply::cli
