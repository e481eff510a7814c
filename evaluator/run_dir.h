#pragma once
// The run directory on disk (DESIGN.md "Run directory"): results.jsonl appended as results
// arrive, atomic JSON files, inputs/ as run, the default `runs/<UTC timestamp>` name.
//
//   auto w = ResultsWriter::Open(dir / "results.jsonl", /*append=*/false);
//   w->Append(RecordLine(r));   // buffered; Flush() makes it durable
//   w->Flush();
//
// ResultsWriter is not thread-safe: one writer stage owns it.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "providers/result.h"

namespace comply {

// "runs/20261127T221500Z" (relative to the current directory); a suffix -2, -3 … is added
// when that folder already exists.
std::filesystem::path DefaultRunDir();
// The current UTC time as "2026-11-27T22:15:00Z".
std::string UtcNowIso();

class ResultsWriter {
 public:
  ~ResultsWriter();
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  // Opens (creating parent folders) for writing; `append` keeps existing lines.
  static Result<std::unique_ptr<ResultsWriter>> Open(const std::filesystem::path& path, bool append);
  // Appends `line` and a newline. Fails (disk full …) with kIo naming the file.
  Status Append(std::string_view line);
  // Appends `lines`: whole lines, each already ending in a newline (a batch of records).
  Status AppendLines(std::string_view lines);
  // Writes buffered lines through to the OS (survives a kill of the process).
  Status Flush();
  const std::filesystem::path& path() const { return path_; }

 private:
  ResultsWriter(std::FILE* f, std::filesystem::path path) : file_(f), path_(std::move(path)) {}
  std::FILE* file_;
  std::filesystem::path path_;
};

// Writes `value` pretty-printed to `path` atomically (temp file + rename).
Status WriteJsonFile(const std::filesystem::path& path, const nlohmann::json& value);
// Writes `text` to `path` atomically.
Status WriteTextFile(const std::filesystem::path& path, std::string_view text);
Result<std::string> ReadTextFile(const std::filesystem::path& path);
Result<nlohmann::json> ReadJsonFile(const std::filesystem::path& path);

// Copies `file` into `run_dir/inputs/` under a path relative to `root` (or its file name when
// it lies outside root). Returns the path inside inputs/.
Result<std::filesystem::path> CopyInput(const std::filesystem::path& run_dir,
                                        const std::filesystem::path& root,
                                        const std::filesystem::path& file);

}  // namespace comply
