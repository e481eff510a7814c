#pragma once
// Reads a suite file (DESIGN.md "Suite") into a SuiteSpec: checks every key, reads the files it
// names (schema, system prompts, cases_file; relative paths resolve against the suite's folder),
// expands ${ENV} in its string values, and refuses prompts whose placeholders a case lacks.
//
//   Result<SuiteSpec> s = LoadSuite("suites/invoice/suite.yaml");
//   if (!s.ok()) { std::cerr << s.error().message; return 2; }   // every problem, one a line
//
// Error lines read `suite.yaml:14:7: error: <what> — "<offending text>" — <how to fix>`.
// Thread-compatible (reads the environment and the file system); never throws.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "evaluator/suite.h"
#include "evaluator/yaml_util.h"
#include "providers/result.h"

namespace comply {

// Loads and checks one suite. On any problem returns kInvalidInput whose message lists every
// problem found, one per line.
Result<SuiteSpec> LoadSuite(const std::filesystem::path& file);

// The same, collecting: loads as much as it can and appends every problem to *problems.
// `display` is how the file is named in messages (default: file as given). The returned suite
// is complete only when no problem was added.
SuiteSpec LoadSuiteCollecting(const std::filesystem::path& file, const std::string& display,
                              std::vector<Diagnostic>* problems);

// When on, every later load keeps a suite's `cases_file` on disk instead of in SuiteSpec::cases
// (SuiteSpec::streamed_cases; read the cases through evaluator/case_source.h). Each line is still
// parsed and checked at load time, with the same messages. Off by default; `comply run` turns it
// on before loading its config. Thread-safe (an atomic flag); affects loads started after it.
void SetStreamCasesFiles(bool on);

// One line of a cases_file as the loader reads it: `where` = "display:line". Appends its problems
// to *problems and returns nothing when the line is not a valid case. Thread-safe, never throws
// on bad input.
std::optional<Case> ParseCaseLine(const std::string& text, const std::string& display, int line,
                                  std::vector<Diagnostic>* problems);

// `raw` resolved against `dir` (kept when absolute), lexically normalised.
std::filesystem::path ResolveAgainst(const std::filesystem::path& dir, const std::string& raw);

}  // namespace comply
