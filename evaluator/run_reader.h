#pragma once
// Reading a run directory back (DESIGN.md "Run directory"): results.jsonl record by record,
// summary.json and manifest.json. For `report`, `compare`, `merge`, `--resume` and
// `--baseline`.
//
//   RunReadStats stats;
//   Status s = ReadRunResults(run_dir, [&](Record&& r) { summary.Add(r); }, {}, &stats);
//   if (!s.ok()) return s.error();              // unreadable file, or a bad line in strict mode
//   for (const std::string& w : stats.warnings) std::cerr << "comply: warning: " << w << "\n";
//
// Streaming: one line in memory at a time, whatever the file's size. Not thread-safe per
// call; independent calls may run on different threads.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "evaluator/record.h"
#include "providers/result.h"

namespace comply {

struct RunReadOptions {
  // false: a bad line (not JSON, not a record) is skipped and reported in warnings.
  // true: the first bad line fails the read (kInvalidInput naming file:line).
  // A torn last line is skipped in both modes.
  bool strict = false;
  std::size_t max_warnings = 20;  // warnings listed; bad_lines counts them all
};

struct RunReadStats {
  std::size_t lines = 0;    // lines read, blank ones included
  std::size_t records = 0;  // records handed to the callback
  std::size_t bad_lines = 0;
  bool torn_last_line = false;  // the last line had no newline and was not valid JSON
  // "DIR/results.jsonl:7: not valid JSON at byte 12", "…:9: not a record: attempts: expected
  // an integer", "…:12: torn last line skipped (no newline, not valid JSON)"; at most
  // max_warnings + 1 (a final "… and N more bad lines").
  std::vector<std::string> warnings;
};

// Streams the records of the JSONL file `path` to `on_record`, in file order. Blank lines are
// skipped. A torn last line (no terminating newline and not valid JSON: a run killed
// mid-write) is skipped with a warning; an unterminated last line that parses is a record.
// Lines nested deeper than 640 levels are bad lines (never parsed).
// Fails with kIo when the file cannot be read; in strict mode with kInvalidInput on the
// first bad line. `stats` may be null.
Status ReadResultsFile(const std::filesystem::path& path,
                       const std::function<void(Record&&)>& on_record,
                       const RunReadOptions& options = {}, RunReadStats* stats = nullptr);

// ReadResultsFile on run_dir/results.jsonl.
Status ReadRunResults(const std::filesystem::path& run_dir,
                      const std::function<void(Record&&)>& on_record,
                      const RunReadOptions& options = {}, RunReadStats* stats = nullptr);

// run_dir/summary.json and run_dir/manifest.json. kIo when missing or unreadable,
// kInvalidInput ("DIR/summary.json: not valid JSON at byte 40") when not valid JSON or not an
// object.
Result<nlohmann::json> ReadRunSummary(const std::filesystem::path& run_dir);
Result<nlohmann::json> ReadRunManifest(const std::filesystem::path& run_dir);

}  // namespace comply
