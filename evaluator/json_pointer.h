#pragma once
// RFC 6901 JSON Pointers: escaping of reference tokens, parsing, and walking a pointer
// pattern where `*` stands for every element of an array.
//
//   auto tokens = ParsePointerPattern("/line_items/*/sku");     // {"line_items", "*", "sku"}
//   WalkPointerPattern(doc, *tokens, [&](const json& v, const PointerFrame* at) {
//     if (!v.is_string()) Report(PointerString(at));            // "/line_items/2/sku"
//   });
//
// Thread-safe (pure functions). Never throws.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/result.h"

namespace comply {

// "a/b~c" -> "a~1b~0c" (`~` -> `~0`, `/` -> `~1`).
std::string EscapePointerToken(std::string_view token);
// Appends "/" and the escaped token to *pointer.
void AppendPointerToken(std::string_view token, std::string* pointer);
void AppendPointerIndex(std::size_t index, std::string* pointer);

// Splits a pointer into unescaped reference tokens ("" -> no tokens). `*` is kept as a token
// (a wildcard for WalkPointerPattern). Fails when the pointer does not start with `/` or has
// a `~` not followed by 0 or 1; the message quotes the pointer.
Result<std::vector<std::string>> ParsePointerPattern(std::string_view pointer);

// One step of the path to a visited value, kept on the walker's stack (no allocation):
// `parent` is null for the first step; a null frame is the root ("").
struct PointerFrame {
  const PointerFrame* parent = nullptr;
  std::string_view key;  // member name (when !is_index)
  std::size_t index = 0;
  bool is_index = false;
};
// The concrete pointer of a frame ("" for null).
std::string PointerString(const PointerFrame* frame);

// Parses a decimal array index as RFC 6901 spells it ("0" or no leading zero); false otherwise.
bool ParseArrayIndex(std::string_view token, std::size_t* index);

namespace pointer_internal {
template <typename Visit>
void Walk(const nlohmann::json& value, const std::vector<std::string>& tokens, std::size_t pos,
          const PointerFrame* frame, Visit& visit) {
  if (pos == tokens.size()) {
    visit(value, frame);
    return;
  }
  const std::string& token = tokens[pos];
  if (value.is_array()) {
    if (token == "*") {
      for (std::size_t i = 0; i < value.size(); ++i) {
        PointerFrame next{frame, {}, i, true};
        Walk(value[i], tokens, pos + 1, &next, visit);
      }
      return;
    }
    std::size_t i = 0;
    if (ParseArrayIndex(token, &i) && i < value.size()) {
      PointerFrame next{frame, {}, i, true};
      Walk(value[i], tokens, pos + 1, &next, visit);
    }
    return;
  }
  if (value.is_object()) {
    auto it = value.find(token);
    if (it == value.end()) return;
    PointerFrame next{frame, it.key(), 0, false};
    Walk(*it, tokens, pos + 1, &next, visit);
  }
}
}  // namespace pointer_internal

// Calls visit(const json& value, const PointerFrame* where) for every value `tokens` names in
// `root`, in document order. `*` matches every element of an array (a member named "*" of an
// object); a token naming nothing (missing member, index out of range, scalar) visits nothing.
template <typename Visit>
void WalkPointerPattern(const nlohmann::json& root, const std::vector<std::string>& tokens,
                        Visit&& visit) {
  pointer_internal::Walk(root, tokens, 0, nullptr, visit);
}

}  // namespace comply
