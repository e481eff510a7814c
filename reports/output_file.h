#pragma once
// A report file written atomically and streamed: text goes to "<path>.tmp" through a large
// buffer, and Commit() renames it over <path>. Nothing partial is ever left at <path>.
//
//   auto f = OutputFile::Open(run_dir / "results.csv");
//   if (!f.ok()) return f.error();
//   (*f)->Write(header);
//   ...
//   return (*f)->Commit();        // the temp file is removed when not committed
//
// Not thread-safe.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>

#include "providers/result.h"

namespace comply {

class OutputFile {
 public:
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Creates the parent folder and opens "<path>.tmp". Fails with kIo naming the file.
  static Result<std::unique_ptr<OutputFile>> Open(const std::filesystem::path& path);
  // Appends `text`. The first failure sticks: later writes are ignored and Commit() reports it.
  void Write(std::string_view text);
  // Flushes, closes and renames the temp file to the target. Fails with kIo naming the file.
  Status Commit();
  const std::filesystem::path& path() const { return path_; }

 private:
  OutputFile(std::FILE* f, std::filesystem::path path, std::filesystem::path tmp)
      : file_(f), path_(std::move(path)), tmp_(std::move(tmp)) {}
  std::FILE* file_;
  std::filesystem::path path_;
  std::filesystem::path tmp_;
  int errno_ = 0;  // first write error
};

}  // namespace comply
