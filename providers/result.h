#pragma once
// Errors as values across comply's API, in the shape of std::expected (not in g++ 12).
//
//   Result<Suite> s = LoadSuite(path);
//   if (!s.ok()) return s.error();          // propagate
//   Use(*s);                                // or s.value()
//
// providers/ is the bottom library, so every layer includes this header from here.
// No exception from a third-party library escapes a comply function: each is caught where
// the library is called and turned into an Error.

#include <string>
#include <utility>
#include <variant>

namespace comply {

// What kind of failure; main() maps these to exit codes (DESIGN.md "Exit codes").
enum class ErrorCode {
  kInvalidInput,  // bad usage, invalid config / suite / schema: exit 2
  kIo,            // a file could not be read or written: exit 3 during a run, 2 at load
  kRunFailed,     // the run could not complete (endpoint unreachable, auth/quota): exit 3
  kInterrupted,   // SIGINT / SIGTERM: exit 130
  kInternal,      // a bug in comply
};

struct Error {
  ErrorCode code = ErrorCode::kInvalidInput;
  std::string message;  // names the place (file:line:col or JSON Pointer); never a secret
};

inline Error InvalidInput(std::string message) {
  return Error{ErrorCode::kInvalidInput, std::move(message)};
}
inline Error IoError(std::string message) { return Error{ErrorCode::kIo, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}     // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result of an operation that returns nothing on success.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  static Status Ok() { return Status(); }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace comply
