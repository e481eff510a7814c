#pragma once
// Reads a text file line by line in large blocks (no per-line syscalls), any line length.
//
//   auto r = LineReader::Open("responses.jsonl");
//   std::string line;
//   while ((*r)->Next(&line)) Use(line);   // no newline, no trailing '\r'
//   if (!(*r)->status().ok()) ...
//
// Not thread-safe.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "providers/result.h"

namespace comply {

class LineReader {
 public:
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // "-" reads standard input.
  static Result<std::unique_ptr<LineReader>> Open(const std::filesystem::path& path);
  // Next line into *line; false at end of file or on a read error (see status()).
  bool Next(std::string* line);
  // True when the last line returned had no terminating newline (a possibly torn line).
  bool last_line_unterminated() const { return unterminated_; }
  const Status& status() const { return status_; }
  std::size_t line_number() const { return line_no_; }

 private:
  LineReader(std::FILE* f, bool owned, std::filesystem::path path)
      : file_(f), owned_(owned), path_(std::move(path)) {}
  bool Fill();
  std::FILE* file_;
  bool owned_;
  std::filesystem::path path_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  bool unterminated_ = false;
  std::size_t line_no_ = 0;
  Status status_;
};

}  // namespace comply
