#pragma once
// The [reports] fixture: tests/fixtures/reports/run (results.jsonl with a torn last line and a
// hostile record, summary.json, comparison.json, gate.json, history.json, decision.json),
// copied into a temp dir so writers never write into the source tree.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/report.h"
#include "tests/test_util.h"

namespace comply::testing {

inline std::filesystem::path ReportFixtureDir() {
  return SourceDir() / "tests" / "fixtures" / "reports";
}

inline nlohmann::json ReadFixtureJson(const std::string& name) {
  std::ifstream in(ReportFixtureDir() / "run" / name);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

// A copy of the fixture run dir inside `tmp`, and every input loaded.
inline ReportInputs FixtureInputs(const TempDir& tmp) {
  ReportInputs in;
  in.run_dir = tmp / "run";
  std::filesystem::create_directories(in.run_dir);
  std::filesystem::copy_file(ReportFixtureDir() / "run" / "results.jsonl",
                             in.run_dir / "results.jsonl");
  in.summary = ReadFixtureJson("summary.json");
  in.comparison = ReadFixtureJson("comparison.json");
  in.gate = ReadFixtureJson("gate.json");
  in.history = ReadFixtureJson("history.json");
  in.decision = ReadFixtureJson("decision.json");
  in.manifest = nlohmann::json::object();
  return in;
}

// The shell-quoted form of `s` for Run().
inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace comply::testing
