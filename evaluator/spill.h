#pragma once
// SpillFile: an append-only byte stream for per-record tuples that would otherwise grow with
// the number of cases (summary.h, decision.h). Bytes stay in one in-memory buffer until it is
// full, then go to an anonymous temporary file (created and unlinked at once, so nothing is
// left behind whatever happens to the process); reading sees every byte written so far.
//
//   SpillFile spill;                        // std::filesystem::temp_directory_path()
//   spill.Put<std::uint64_t>(key);
//   spill.PutString(case_id);
//   for (SpillReader in(spill); !in.done();) {
//     auto key = in.Get<std::uint64_t>();
//     std::string_view id = in.GetString();
//   }
//
// Memory: the write buffer (buffer_bytes) and, while reading, one read buffer of the same
// size. If the temporary file cannot be created or written (no such folder, disk full), the
// bytes are kept in memory instead — correct results, unbounded memory — and
// spilled_to_disk() stays false; io_error() says why.
//
// Thread safety: not thread-safe. A SpillReader must not outlive its SpillFile; writing while
// a reader exists is allowed (the reader sees the bytes written before it was created).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace comply {

class SpillFile {
 public:
  static constexpr std::size_t kDefaultBufferBytes = 256 * 1024;

  // `dir` empty: std::filesystem::temp_directory_path(). Nothing is created until the buffer
  // first fills. Never throws (allocation failure aside).
  explicit SpillFile(std::filesystem::path dir = {},
                     std::size_t buffer_bytes = kDefaultBufferBytes);
  ~SpillFile();
  SpillFile(SpillFile&& other) noexcept;
  SpillFile& operator=(SpillFile&& other) noexcept;
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  void Write(const void* data, std::size_t n) {
    if (buffer_.size() + n > buffer_bytes_ && !buffer_.empty()) Flush();
    buffer_.append(static_cast<const char*>(data), n);
  }
  template <typename T>
  void Put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    Write(&v, sizeof v);
  }
  // A u32 length, then the bytes (strings longer than 4 GiB are cut there).
  void PutString(std::string_view s) {
    const auto n = static_cast<std::uint32_t>(std::min<std::size_t>(s.size(), UINT32_MAX));
    Put(n);
    Write(s.data(), n);
  }

  // Bytes written so far (file and buffer).
  std::uint64_t size() const { return file_bytes_ + buffer_.size(); }
  bool spilled_to_disk() const { return fd_ >= 0; }
  // Empty unless the temporary file failed (the data is then kept in memory).
  const std::string& io_error() const { return io_error_; }
  // Bytes of memory held by the buffer (its capacity).
  std::size_t memory_bytes() const { return buffer_.capacity(); }

 private:
  friend class SpillReader;
  void Flush();

  std::filesystem::path dir_;
  std::size_t buffer_bytes_;
  std::string buffer_;
  int fd_ = -1;
  bool failed_ = false;  // file unusable: keep everything in buffer_
  std::uint64_t file_bytes_ = 0;
  std::string io_error_;
};

// Sequential reader over the bytes a SpillFile held when the reader was made. Reading past
// the end yields zeros / empty strings (callers read whole tuples; done() says when to stop).
class SpillReader {
 public:
  explicit SpillReader(const SpillFile& file);
  bool done() const { return pos_ >= end_; }
  void Read(void* out, std::size_t n) {
    if (n == 0) return;  // (an empty string; the window may be empty and null)
    // Most reads lie inside the window the last one read from (the read chunk, or the
    // writer's buffer while it has not moved or flushed).
    if (n <= static_cast<std::size_t>(window_end_ - window_) &&
        (!window_in_buffer_ || (file_.buffer_.data() == window_base_ && file_.file_bytes_ == window_file_bytes_))) {
      std::memcpy(out, window_, n);
      window_ += n;
      pos_ += n;
      return;
    }
    ReadSlow(out, n);
  }
  template <typename T>
  T Get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T v{};
    Read(&v, sizeof v);
    return v;
  }
  // Valid until the next Get / GetString / Read.
  std::string_view GetString();

 private:
  void Fill();
  void ReadSlow(void* out, std::size_t n);

  const SpillFile& file_;
  std::uint64_t end_;       // bytes written when the reader was made
  std::uint64_t pos_ = 0;   // absolute position
  std::vector<char> chunk_;  // a window of the file: [chunk_pos_, chunk_pos_ + chunk_.size())
  std::uint64_t chunk_pos_ = 0;
  std::string string_;
  // The rest of the bytes the last read came from, up to end_.
  const char* window_ = nullptr;
  const char* window_end_ = nullptr;
  bool window_in_buffer_ = false;         // the window is in the writer's buffer:
  const char* window_base_ = nullptr;     // valid while its data pointer
  std::uint64_t window_file_bytes_ = 0;   // and its file size are unchanged
};

}  // namespace comply
