#pragma once
// Report writers (reports/): one writer per format behind one interface. Writers read only
// the run directory and the JSON documents handed to them — never the suite sources — so
// `comply report RUN_DIR` regenerates every file from the run directory alone.
//
//   ReportInputs in;
//   in.run_dir = dir; in.summary = summary_json; in.manifest = manifest_json;
//   auto writers = MakeReportWriters({"html", "csv", "junit", "md", "json"});
//   if (Status s = WriteReports(in, *writers); !s.ok()) ...   // one pass over results.jsonl
//
// A caller that reads the records anyway (FinalizeRun: the summary needs them too) feeds the
// writers in its own pass and hands the summary-level inputs over at the end:
//
//   auto set = ReportSet::Start(*writers, run_dir);          // before the summary exists
//   ReadRunResults(run_dir, [&](Record&& r) { summary.Add(r); set->Add(r); });
//   in.summary = summary.Finish(); ...
//   Status s = set->Finish(in);                               // every file, in writer order
//
// Writers are stateless and thread-compatible; each writes its files atomically. Sinks and
// sets hold per-format state (open files, spools) and are not thread-safe.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/record.h"
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

// One format's writer while the records stream by: it takes every record of results.jsonl in
// file order, then writes its files once the summary-level inputs are known. Memory does not
// grow with the number of records (what depends on them is spooled to temporary files).
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Takes one record. After an error (kIo: a spool or output file cannot be written) the sink
  // is broken: ReportSet stops feeding it and returns the error at Finish.
  virtual Status Add(const Record& r) = 0;
  // Writes the files into the run directory given to ReportWriter::Start, atomically, from
  // the records added and `in` (in.run_dir is not used). Called once, after the last Add.
  virtual Status Finish(const ReportInputs& in) = 0;
};

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  // "html", "csv", "json", "junit" or "md".
  virtual std::string format() const = 0;
  // A sink writing this format's files into `run_dir`, or null when the format needs no
  // record (json, md: Write alone makes them). Fails with kIo naming a file it cannot create.
  virtual Result<std::unique_ptr<RecordSink>> Start(const std::filesystem::path& run_dir) const;
  // Writes this format's files into in.run_dir (report.html; results.csv + summary.csv;
  // summary.json; junit.xml; summary.md): for a format with a sink, Start + every record
  // (ForEachRecord: a bad line fails) + Finish. Fails with kIo naming the file.
  virtual Status Write(const ReportInputs& in) const = 0;
};

// Several writers fed by one pass over the records that the caller makes.
class ReportSet {
 public:
  // Starts every writer's sink in `run_dir` (writers must outlive the set). Fails with the
  // first Start error.
  static Result<std::unique_ptr<ReportSet>> Start(const std::vector<const ReportWriter*>& writers,
                                                  const std::filesystem::path& run_dir);
  static Result<std::unique_ptr<ReportSet>> Start(
      const std::vector<std::unique_ptr<ReportWriter>>& writers,
      const std::filesystem::path& run_dir);
  // True when some writer needs the records (html, csv, junit).
  bool wants_records() const;
  // Feeds `r` to every sink not yet broken.
  void Add(const Record& r);
  // In writer order: a sink's error or Finish(in), a sink-less writer's Write(in). Returns the
  // first error; the writers before it have written their files.
  Status Finish(const ReportInputs& in);

 private:
  struct Entry {
    const ReportWriter* writer;
    std::unique_ptr<RecordSink> sink;  // null: Write(in) at Finish
    Status status;                     // the sink's first Add error
  };
  std::vector<Entry> entries_;
};

// Every writer's files with ONE pass over in.run_dir/results.jsonl (ForEachRecord: a bad
// line fails with its error; a torn last line is skipped), none when no writer needs records.
// Returns the first error (ReportSet::Finish).
Status WriteReports(const ReportInputs& in, const std::vector<const ReportWriter*>& writers);
Status WriteReports(const ReportInputs& in,
                    const std::vector<std::unique_ptr<ReportWriter>>& writers);

// Writers for `formats` (each one of html, csv, json, junit, md). Unknown name: kInvalidInput
// ("unknown report format \"pdf\"; expected html, csv, json, junit, md").
Result<std::vector<std::unique_ptr<ReportWriter>>> MakeReportWriters(
    const std::vector<std::string>& formats);

}  // namespace comply
