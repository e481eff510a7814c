#pragma once
// Byte scanners behind Extract (evaluator/extract.h): is a `{` / `[` in prose the start of
// something JSON-like, and where does that bracketed value end. Private to extraction.
//
//   if (LooksLikeJson(text, i)) { Span s = MatchBrackets(text, i); ... text.substr(i, s.end - i) }
//
// Thread-safe (pure). Never throws except std::bad_alloc.

#include <cstddef>
#include <string_view>

namespace comply::extract_internal {

inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// A character of a code fence's info string ("json", "jsonc", "c++", "objective-c").
inline bool IsInfoChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || c == '+' || c == '.';
}

// True when text[start] (`{` or `[`) opens something a JSON generator would write, valid or
// not: `{` followed by a key (quoted, single-quoted or bare identifier then `:`), `}` or a
// comment; `[` followed by a value start, `]`, a comment, or one of true / false / null /
// NaN / Infinity. Prose such as "[see above]" or "{1, 2}" is not JSON-like.
bool LooksLikeJson(std::string_view text, std::size_t start);

enum class Bracketed {
  kComplete,   // brackets balance: [start, end) is the candidate value
  kTruncated,  // the text ends inside it (an open bracket or string)
  kBroken,     // a mismatched closer or a code fence marker ends it: [start, end) is malformed
};
struct Span {
  Bracketed kind = Bracketed::kTruncated;
  std::size_t end = 0;  // one past the candidate; always > start
  int max_depth = 0;    // deepest bracket nesting inside it
};

// Matches text[start]'s bracket, skipping JSON strings (with escapes). Linear in the span.
Span MatchBrackets(std::string_view text, std::size_t start);

}  // namespace comply::extract_internal
