#pragma once
// Report writers (reports/): one writer per format behind one interface. Writers read only
// the run directory and the JSON documents handed to them — never the suite sources — so
// `comply report RUN_DIR` regenerates every file from the run directory alone.
//
//   ReportInputs in;
//   in.run_dir = dir; in.summary = summary_json; in.manifest = manifest_json;
//   for (auto& w : MakeReportWriters({"html", "csv", "junit", "md", "json"}).value())
//     if (Status s = w->Write(in); !s.ok()) ...
//
// Writers are stateless and thread-compatible; each writes its files atomically.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/result.h"

namespace comply {

struct ReportInputs {
  std::filesystem::path run_dir;  // holds results.jsonl (streamed record by record)
  nlohmann::json manifest;        // manifest.json (config name, endpoints, times, shard ...)
  nlohmann::json summary;         // summary.json (shape: evaluator/summary.h)
  nlohmann::json comparison;      // against the baseline (evaluator/compare.h); null = none
  nlohmann::json gate;            // {configured, passed, failures: [{endpoint, suite, check,
                                  //  message}]}; null = not evaluated (shards)
  nlohmann::json history;         // array of earlier runs of the same config, oldest first:
                                  // [{run_id, started_at, endpoints: {name: {compliance_rate,
                                  //  compliance_ci, cost_per_1k_requests}}}]; may be empty
  nlohmann::json decision;        // prompted vs fine-tuned decision support; null = none
};

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  // "html", "csv", "json", "junit" or "md".
  virtual std::string format() const = 0;
  // Writes this format's files into in.run_dir (report.html; results.csv + summary.csv;
  // summary.json; junit.xml; summary.md). Fails with kIo naming the file.
  virtual Status Write(const ReportInputs& in) const = 0;
};

// Writers for `formats` (each one of html, csv, json, junit, md). Unknown name: kInvalidInput
// ("unknown report format \"pdf\"; expected html, csv, json, junit, md").
Result<std::vector<std::unique_ptr<ReportWriter>>> MakeReportWriters(
    const std::vector<std::string>& formats);

}  // namespace comply
