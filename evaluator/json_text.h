#pragma once
// JSON text without a DOM, for the per-line hot paths (`comply check` input lines, result
// records): appending escaped strings and numbers to a buffer, minifying a value already known
// to be valid, and a small pull reader for flat objects.
//
//   std::string line;
//   AppendJsonString("say \"hi\"", &line);        // "say \"hi\""   (as nlohmann dump writes it)
//   AppendJsonDouble(12.5, &line);                // 12.5
//
//   JsonReader in(R"({"case_id": "c1", "output": "{}"})");
//   std::string_view key;
//   std::string value;
//   if (in.BeginObject()) {
//     while (in.NextKey(&key)) { if (!in.ReadString(&value)) break; ... }
//   }
//   if (!in.ok()) { /* fall back to nlohmann for the exact error */ }
//
// The string writer produces exactly what nlohmann's dump(-1, ' ', false,
// error_handler_t::replace) produces (invalid UTF-8 becomes U+FFFD, one per maximal invalid
// sequence); the double writer uses nlohmann's layout with the shortest round-trip digits
// (nlohmann's grisu2 sometimes writes more: "6.1303280000000004" for 6.130328). The reader accepts a subset of what nlohmann's parser accepts and decodes it to
// the same values: when it says ok, nlohmann would have parsed the text identically; when it
// fails, the caller re-parses with nlohmann for the precise error. Pure functions and
// single-threaded objects; never throw.

#include <cstdint>
#include <string>
#include <string_view>

namespace comply {

// Appends `s` as a JSON string literal, quotes included.
void AppendJsonString(std::string_view s, std::string* out);
// Appends a finite double in nlohmann's layout with the shortest round-trip digits ("1.0",
// "0.001", "1e-05", "1e+16"). A non-finite value is written as 0.0 (JSON has no spelling).
void AppendJsonDouble(double v, std::string* out);
void AppendJsonInt(std::int64_t v, std::string* out);
// Appends the valid JSON text `valid` without insignificant whitespace (no newline survives).
// Precondition: `valid` is one valid JSON value (e.g. nlohmann accepted it).
void AppendMinifiedJson(std::string_view valid, std::string* out);

// A pull reader over one JSON text. Every method returns false (and ok() turns false) on
// anything it does not handle; once failed, every later call fails.
class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}

  bool ok() const { return ok_; }
  // The type of the next value: '{', '[', '"', 'n' (number), 't'/'f' (booleans), 'z' (null),
  // or 0 at the end of the text or on failure. Skips whitespace.
  char PeekType();

  bool BeginObject();
  // Reads the next member's key (and its ':'); false at the closing '}' (consumed, ok() stays
  // true) or on failure. Keys with escapes are not handled (the reader fails).
  bool NextKey(std::string_view* key);
  bool BeginArray();
  // True before each element; false at the closing ']' (consumed) or on failure.
  bool NextElement();

  bool ReadString(std::string* out);  // decodes escapes; validates UTF-8 like nlohmann
  // ReadString that also gives the literal's text (quotes included) and whether it is exactly
  // what AppendJsonString writes for the decoded value (only the escapes it writes).
  bool ReadStringLiteral(std::string* out, std::string_view* literal, bool* canonical);
  bool ReadInt64(std::int64_t* out);  // an integer literal that fits int64 (no fraction/exponent)
  bool ReadDouble(double* out);       // any number literal with a finite value
  bool ReadBool(bool* out);
  bool ReadNull();
  // Skips any value (validated; nesting deeper than 64 fails).
  bool Skip();
  // Skips any value and sets *raw to its text.
  bool SkipRaw(std::string_view* raw);
  // True when only whitespace is left.
  bool AtEnd();

 private:
  bool Fail() { return ok_ = false; }
  void SkipSpace();
  bool Expect(char c);
  bool NumberSpan(std::string_view* span, bool* integer);
  bool SkipDepth(int depth);
  bool ReadStringImpl(std::string* out, bool* canonical);

  std::string_view text_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  // Per nesting level of BeginObject/BeginArray: whether the first member was read.
  std::uint64_t first_ = 0;  // bit i set = level i still before its first member
  int depth_ = 0;
};

}  // namespace comply
