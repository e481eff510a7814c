#pragma once
// A cheap nesting-depth scan of JSON text, run before nlohmann builds a value: nlohmann's
// destructor and recursive walkers recurse, so values deeper than a cap are never built.
//
//   if (JsonDepthExceeds(text, kMaxJsonDepth)) { /* refuse */ }
//
// Thread-safe (pure). Counts `{`/`[` outside strings; malformed text gives a best-effort figure.

#include <string_view>

namespace comply {

// True when brackets outside strings nest deeper than `max_depth` anywhere in `text`.
inline bool JsonDepthExceeds(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\') {
        ++i;
      } else if (ch == '"') {
        in_string = false;
      }
      continue;
    }
    switch (ch) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        if (++depth > max_depth) return true;
        break;
      case '}':
      case ']':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return false;
}

}  // namespace comply
