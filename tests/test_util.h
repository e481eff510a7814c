#pragma once
// Helpers shared by the tests: where the source tree and the built binary are, temp dirs,
// running the binary.

#include <filesystem>
#include <string>

namespace comply::testing {

// The repository root (COMPLY_SOURCE_DIR, set by CMake).
inline std::filesystem::path SourceDir() { return COMPLY_SOURCE_DIR; }
// The built `comply` binary.
inline std::filesystem::path ComplyBinary() { return COMPLY_BINARY; }

// A fresh empty directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes `content` to `path` (creating parent folders).
void WriteFile(const std::filesystem::path& path, const std::string& content);
std::string ReadFile(const std::filesystem::path& path);

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Runs `args` through /bin/sh (the caller quotes), capturing stdout and stderr.
CommandResult Run(const std::string& command_line);

}  // namespace comply::testing
