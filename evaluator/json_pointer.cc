#include "evaluator/json_pointer.h"

#include <charconv>

namespace comply {

void AppendPointerToken(std::string_view token, std::string* pointer) {
  pointer->push_back('/');
  for (char c : token) {
    if (c == '~') {
      pointer->append("~0");
    } else if (c == '/') {
      pointer->append("~1");
    } else {
      pointer->push_back(c);
    }
  }
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  AppendPointerToken(token, &out);
  return out.substr(1);
}

void AppendPointerIndex(std::size_t index, std::string* pointer) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, index);
  (void)ec;  // 24 chars always hold a size_t
  pointer->push_back('/');
  pointer->append(buf, end);
}

Result<std::vector<std::string>> ParsePointerPattern(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer.front() != '/') {
    return InvalidInput("JSON pointer \"" + std::string(pointer) + "\" must start with \"/\"");
  }
  std::string token;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(std::move(token));
      token.clear();
      continue;
    }
    if (pointer[i] == '~') {
      const char next = i + 1 < pointer.size() ? pointer[i + 1] : '\0';
      if (next != '0' && next != '1') {
        return InvalidInput("JSON pointer \"" + std::string(pointer) +
                            "\": \"~\" must be followed by 0 or 1 (write ~0 for ~, ~1 for /)");
      }
      token.push_back(next == '0' ? '~' : '/');
      ++i;
      continue;
    }
    token.push_back(pointer[i]);
  }
  return tokens;
}

bool ParseArrayIndex(std::string_view token, std::size_t* index) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), *index);
  return ec == std::errc() && end == token.data() + token.size();
}

std::string PointerString(const PointerFrame* frame) {
  // Frames link child -> parent; collect them root-first.
  std::vector<const PointerFrame*> chain;
  for (const PointerFrame* f = frame; f != nullptr; f = f->parent) chain.push_back(f);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if ((*it)->is_index) {
      AppendPointerIndex((*it)->index, &out);
    } else {
      AppendPointerToken((*it)->key, &out);
    }
  }
  return out;
}

}  // namespace comply
