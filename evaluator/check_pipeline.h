#pragma once
// `comply check`'s engine: scores a JSONL file of recorded responses on oneTBB workers,
// streaming, output order = input order, one record out per line in (DESIGN.md "comply check").
//
//   CheckInput in{.path = "responses.jsonl"};
//   auto stats = RunCheckPipeline(*checker, in, writer.get(),
//                                 [&](const Record& r) { summary.Add(r); });
//
// Memory is bounded by a few batches in flight, whatever the file's length.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "evaluator/checker.h"
#include "evaluator/record.h"
#include "evaluator/run_dir.h"
#include "providers/result.h"

namespace comply {

struct CheckInput {
  std::filesystem::path path;   // "-" = stdin
  std::string default_endpoint = "default";
};

struct CheckStats {
  std::size_t lines = 0;      // records written (= lines read)
  std::size_t bad_input = 0;  // lines that became bad_input records
  std::size_t compliant = 0;
};

// Parses one input line (1-based `line_no`) into a record ready to check: output, case_id
// (default: the line number), endpoint, sample, status and recorded metadata. A line that
// cannot be read becomes a bad_input record whose `error` says why and whose `output` keeps
// the raw line. Thread-safe.
Record ParseResponseLine(std::string_view line, std::size_t line_no, const CheckInput& in);
// The same; *output_literal is set to the line's `output` literal when it is exactly what
// AppendJsonString writes for the record's output (for AppendRecordLine), else cleared.
Record ParseResponseLine(std::string_view line, std::size_t line_no, const CheckInput& in,
                         std::string_view* output_literal);

// Runs the pipeline. `on_record` is called in input order from one thread at a time, after
// the record's line was written and with its bulky parts released: `output` is empty, and
// `parsed` keeps its tree only when hallucinated fields need it (otherwise a non-null value
// still says that a value was parsed) — all that SummaryBuilder::Add reads.
// Fails only when the input cannot be read or the output cannot be written.
Result<CheckStats> RunCheckPipeline(const SuiteChecker& checker, const CheckInput& in,
                                    ResultsWriter* out,
                                    const std::function<void(const Record&)>& on_record);

}  // namespace comply
