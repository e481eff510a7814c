#include "evaluator/extract_scan.h"

#include <string>

namespace comply::extract_internal {

namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

// A bare word that starts a JSON(-like) value inside an array; a prefix counts when the text
// ends there (a truncated "[tru").
bool IsLiteralWord(std::string_view word, bool at_end) {
  for (std::string_view lit : {"true", "false", "null", "NaN", "Infinity"}) {
    if (word == lit) return true;
    if (at_end && lit.substr(0, word.size()) == word) return true;
  }
  return false;
}

}  // namespace

bool LooksLikeJson(std::string_view text, std::size_t start) {
  const std::size_t n = text.size();
  std::size_t i = start + 1;
  while (i < n && IsSpace(text[i])) ++i;
  if (i == n) return true;  // "{" at the very end: a value cut off
  const char c = text[i];
  if (c == '/') return true;  // a comment
  if (text[start] == '{') {
    if (c == '"' || c == '\'' || c == '}') return true;
    if (!IsIdentStart(c)) return false;
    // An unquoted key: identifier, optional spaces, then ':'.
    std::size_t j = i;
    while (j < n && IsIdentChar(text[j])) ++j;
    while (j < n && IsSpace(text[j])) ++j;
    return j == n || text[j] == ':';
  }
  if (c == '{' || c == '[' || c == '"' || c == '\'' || c == ']' || c == '-' ||
      (c >= '0' && c <= '9')) {
    return true;
  }
  std::size_t j = i;
  while (j < n && ((text[j] >= 'a' && text[j] <= 'z') || (text[j] >= 'A' && text[j] <= 'Z'))) {
    ++j;
  }
  return j > i && IsLiteralWord(text.substr(i, j - i), j == n);
}

Span MatchBrackets(std::string_view text, std::size_t start) {
  const std::size_t n = text.size();
  std::string closers;  // the expected closing bracket of every open one
  int max_depth = 0;
  std::size_t i = start;
  while (i < n) {
    const char c = text[i];
    switch (c) {
      case '"':
        for (++i; i < n; ++i) {
          if (text[i] == '\\') {
            ++i;
          } else if (text[i] == '"') {
            break;
          }
        }
        if (i >= n) return {Bracketed::kTruncated, n, max_depth};
        break;
      case '{':
      case '[':
        closers.push_back(c == '{' ? '}' : ']');
        if (static_cast<int>(closers.size()) > max_depth) max_depth = static_cast<int>(closers.size());
        break;
      case '}':
      case ']':
        if (closers.back() != c) return {Bracketed::kBroken, i + 1, max_depth};
        closers.pop_back();
        if (closers.empty()) return {Bracketed::kComplete, i + 1, max_depth};
        break;
      case '`':
        // A fence marker cannot be inside a JSON value outside a string: the value was left
        // unfinished before the fence closed.
        if (text.compare(i, 3, "```") == 0) return {Bracketed::kBroken, i, max_depth};
        break;
      default:
        break;
    }
    ++i;
  }
  return {Bracketed::kTruncated, n, max_depth};
}

}  // namespace comply::extract_internal
