#include "evaluator/spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

namespace comply {

namespace {

// An anonymous file in `dir`: O_TMPFILE where the file system has it, else mkstemp + unlink.
// Either way no name is left behind, even if the process is killed. -1 on failure.
int OpenAnonymous(const std::filesystem::path& dir, std::string* error) {
  int fd = -1;
#ifdef O_TMPFILE
  fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
#endif
  std::string name = (dir / "comply-spill-XXXXXX").string();
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno);
    return -1;
  }
  ::unlink(name.c_str());
  return fd;
}

}  // namespace

SpillFile::SpillFile(std::filesystem::path dir, std::size_t buffer_bytes)
    : dir_(std::move(dir)), buffer_bytes_(std::max<std::size_t>(buffer_bytes, 64)) {}

SpillFile::~SpillFile() {
  if (fd_ >= 0) ::close(fd_);
}

SpillFile::SpillFile(SpillFile&& o) noexcept
    : dir_(std::move(o.dir_)),
      buffer_bytes_(o.buffer_bytes_),
      buffer_(std::move(o.buffer_)),
      fd_(o.fd_),
      failed_(o.failed_),
      file_bytes_(o.file_bytes_),
      io_error_(std::move(o.io_error_)) {
  o.fd_ = -1;
  o.file_bytes_ = 0;
}

SpillFile& SpillFile::operator=(SpillFile&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    dir_ = std::move(o.dir_);
    buffer_bytes_ = o.buffer_bytes_;
    buffer_ = std::move(o.buffer_);
    fd_ = o.fd_;
    failed_ = o.failed_;
    file_bytes_ = o.file_bytes_;
    io_error_ = std::move(o.io_error_);
    o.fd_ = -1;
    o.file_bytes_ = 0;
  }
  return *this;
}

void SpillFile::Flush() {
  if (failed_ || buffer_.empty()) return;
  if (fd_ < 0) {
    std::error_code ec;
    std::filesystem::path dir = dir_.empty() ? std::filesystem::temp_directory_path(ec) : dir_;
    if (ec) {
      io_error_ = "no temporary folder: " + ec.message();
      failed_ = true;
      return;
    }
    fd_ = OpenAnonymous(dir, &io_error_);
    if (fd_ < 0) {
      failed_ = true;
      return;
    }
  }
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done,
                               static_cast<off_t>(file_bytes_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // Disk full or similar: what reached the file stays there; the rest (and everything
      // after) stays in memory.
      io_error_ = std::string("cannot write a temporary file: ") + std::strerror(errno);
      failed_ = true;
      file_bytes_ += done;
      buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(done));
      return;
    }
    done += static_cast<std::size_t>(n);
  }
  file_bytes_ += done;
  buffer_.clear();
}

SpillReader::SpillReader(const SpillFile& file)
    : file_(file), end_(file.size()) {}

void SpillReader::Fill() {
  // pos_ < file_.file_bytes_ here: read the file window starting at pos_.
  const std::uint64_t in_file = file_.file_bytes_ - pos_;
  const std::size_t want =
      static_cast<std::size_t>(std::min<std::uint64_t>(in_file, file_.buffer_bytes_));
  chunk_.resize(want);
  std::size_t got = 0;
  while (got < want) {
    const ssize_t n = ::pread(file_.fd_, chunk_.data() + got, want - got,
                              static_cast<off_t>(pos_ + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  // A short read (the file vanished under us) reads as zeros rather than garbage.
  std::memset(chunk_.data() + got, 0, want - got);
  chunk_pos_ = pos_;
}

void SpillReader::ReadSlow(void* out, std::size_t n) {
  window_ = window_end_ = nullptr;
  char* dst = static_cast<char*>(out);
  while (n > 0) {
    if (pos_ >= end_) {
      std::memset(dst, 0, n);
      return;
    }
    std::size_t take;
    const std::uint64_t limit = std::min<std::uint64_t>(end_ - pos_, n);
    if (pos_ < file_.file_bytes_) {
      if (pos_ < chunk_pos_ || pos_ >= chunk_pos_ + chunk_.size()) Fill();
      take = static_cast<std::size_t>(
          std::min<std::uint64_t>(limit, chunk_pos_ + chunk_.size() - pos_));
      const char* src = chunk_.data() + (pos_ - chunk_pos_);
      std::memcpy(dst, src, take);
      const std::uint64_t rest = std::min<std::uint64_t>(chunk_pos_ + chunk_.size(), end_) - (pos_ + take);
      window_ = src + take;
      window_end_ = window_ + rest;
      window_in_buffer_ = false;
    } else {
      const std::uint64_t at = pos_ - file_.file_bytes_;
      take = static_cast<std::size_t>(std::min<std::uint64_t>(limit, file_.buffer_.size() - at));
      const char* src = file_.buffer_.data() + at;
      std::memcpy(dst, src, take);
      const std::uint64_t rest = std::min<std::uint64_t>(file_.file_bytes_ + file_.buffer_.size(), end_) - (pos_ + take);
      window_ = src + take;
      window_end_ = window_ + rest;
      window_in_buffer_ = true;
      window_base_ = file_.buffer_.data();
      window_file_bytes_ = file_.file_bytes_;
    }
    dst += take;
    pos_ += take;
    n -= take;
  }
}

std::string_view SpillReader::GetString() {
  const auto n = Get<std::uint32_t>();
  string_.resize(n);
  Read(string_.data(), n);
  return string_;
}

}  // namespace comply
