#include "reports/output_file.h"

#include <cerrno>
#include <cstring>

namespace comply {

namespace fs = std::filesystem;

OutputFile::~OutputFile() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::error_code ec;
    fs::remove(tmp_, ec);  // never committed: leave nothing behind
  }
}

Result<std::unique_ptr<OutputFile>> OutputFile::Open(const fs::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec) return IoError("cannot create folder " + path.parent_path().string() + ": " + ec.message());
  fs::path tmp = path;
  tmp += ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return IoError("cannot write " + path.string() + ": " + std::strerror(errno));
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  return std::unique_ptr<OutputFile>(new OutputFile(f, path, std::move(tmp)));
}

void OutputFile::Write(std::string_view text) {
  if (errno_ != 0 || file_ == nullptr || text.empty()) return;
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) errno_ = errno ? errno : EIO;
}

Status OutputFile::Commit() {
  if (file_ == nullptr) return IoError("cannot write " + path_.string() + ": already committed");
  if (std::fflush(file_) != 0 && errno_ == 0) errno_ = errno ? errno : EIO;
  if (std::fclose(file_) != 0 && errno_ == 0) errno_ = errno ? errno : EIO;
  file_ = nullptr;
  std::error_code ec;
  if (errno_ != 0) {
    fs::remove(tmp_, ec);
    return IoError("cannot write " + path_.string() + ": " + std::strerror(errno_));
  }
  fs::rename(tmp_, path_, ec);
  if (ec) {
    fs::remove(tmp_, ec);
    return IoError("cannot write " + path_.string() + ": " + ec.message());
  }
  return Status::Ok();
}

}  // namespace comply
