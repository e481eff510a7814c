#include "evaluator/line_reader.h"

#include <cerrno>
#include <cstring>

namespace comply {

namespace {
constexpr std::size_t kBlock = 1 << 20;
}

LineReader::~LineReader() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::filesystem::path& path) {
  if (path == "-") return std::unique_ptr<LineReader>(new LineReader(stdin, false, "<stdin>"));
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return IoError("cannot read " + path.string() + ": " + std::strerror(errno));
  return std::unique_ptr<LineReader>(new LineReader(f, true, path));
}

bool LineReader::Fill() {
  if (eof_) return false;
  // Drop what was consumed, then append one block.
  buf_.erase(0, pos_);
  pos_ = 0;
  const std::size_t old = buf_.size();
  buf_.resize(old + kBlock);
  const std::size_t n = std::fread(buf_.data() + old, 1, kBlock, file_);
  buf_.resize(old + n);
  if (n < kBlock) {
    if (std::ferror(file_)) {
      status_ = IoError("cannot read " + path_.string() + ": " + std::strerror(errno));
    }
    eof_ = true;
  }
  return n > 0;
}

bool LineReader::Next(std::string* line) {
  std::size_t scan_from = pos_;
  for (;;) {
    const char* start = buf_.data() + scan_from;
    const void* nl = std::memchr(start, '\n', buf_.size() - scan_from);
    if (nl != nullptr) {
      const std::size_t end = static_cast<const char*>(nl) - buf_.data();
      std::size_t len = end - pos_;
      if (len > 0 && buf_[pos_ + len - 1] == '\r') --len;
      line->assign(buf_, pos_, len);
      pos_ = end + 1;
      unterminated_ = false;
      ++line_no_;
      return true;
    }
    const std::size_t consumed_scan = buf_.size() - pos_;
    if (!Fill()) {
      if (pos_ < buf_.size()) {  // last line without a newline
        line->assign(buf_, pos_, std::string::npos);
        if (!line->empty() && line->back() == '\r') line->pop_back();
        pos_ = buf_.size();
        unterminated_ = true;
        ++line_no_;
        return true;
      }
      return false;
    }
    scan_from = pos_ + consumed_scan;  // Fill() moved the unread part to the front
  }
}

}  // namespace comply
