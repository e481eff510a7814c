#include "evaluator/schema_uri.h"

#include <cctype>

namespace comply::schema_internal {
namespace {

struct UriParts {
  std::string scheme;  // without ':'
  bool has_authority = false;
  std::string authority;
  std::string path;
  bool has_query = false;
  std::string query;
  bool has_fragment = false;
  std::string fragment;
};

UriParts Parse(std::string_view s) {
  UriParts u;
  size_t hash = s.find('#');
  if (hash != std::string_view::npos) {
    u.has_fragment = true;
    u.fragment = std::string(s.substr(hash + 1));
    s = s.substr(0, hash);
  }
  size_t q = s.find('?');
  if (q != std::string_view::npos) {
    u.has_query = true;
    u.query = std::string(s.substr(q + 1));
    s = s.substr(0, q);
  }
  // A scheme is letters, digits, + - . before the first ':' (and no '/' before it).
  size_t colon = s.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    bool scheme_ok = std::isalpha(static_cast<unsigned char>(s[0])) != 0;
    for (size_t i = 1; i < colon && scheme_ok; ++i) {
      char c = s[i];
      scheme_ok = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    }
    if (scheme_ok) {
      u.scheme = std::string(s.substr(0, colon));
      s = s.substr(colon + 1);
    }
  }
  if (s.substr(0, 2) == "//") {
    u.has_authority = true;
    s = s.substr(2);
    size_t slash = s.find('/');
    u.authority = std::string(s.substr(0, slash));
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  }
  u.path = std::string(s);
  return u;
}

std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  std::string input(in);
  while (!input.empty()) {
    if (input.rfind("../", 0) == 0) {
      input.erase(0, 3);
    } else if (input.rfind("./", 0) == 0) {
      input.erase(0, 2);
    } else if (input.rfind("/./", 0) == 0) {
      input.erase(0, 2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.rfind("/../", 0) == 0 || input == "/..") {
      input = input == "/.." ? "/" : input.substr(3);
      size_t last = out.rfind('/');
      out.erase(last == std::string::npos ? 0 : last);
    } else if (input == "." || input == "..") {
      input.clear();
    } else {
      size_t start = input[0] == '/' ? 1 : 0;
      size_t next = input.find('/', start);
      out += input.substr(0, next);
      input.erase(0, next == std::string::npos ? input.size() : next);
    }
  }
  return out;
}

std::string Compose(const UriParts& u) {
  std::string out;
  if (!u.scheme.empty()) out += u.scheme + ":";
  if (u.has_authority) out += "//" + u.authority;
  out += u.path;
  if (u.has_query) out += "?" + u.query;
  if (u.has_fragment) out += "#" + u.fragment;
  return out;
}

}  // namespace

std::string ResolveUri(std::string_view base_text, std::string_view ref_text) {
  UriParts r = Parse(ref_text);
  UriParts b = Parse(base_text);
  UriParts t;
  if (!r.scheme.empty()) {
    t = r;
    t.path = RemoveDotSegments(r.path);
  } else {
    t.scheme = b.scheme;
    if (r.has_authority) {
      t.has_authority = true;
      t.authority = r.authority;
      t.path = RemoveDotSegments(r.path);
      t.has_query = r.has_query;
      t.query = r.query;
    } else {
      t.has_authority = b.has_authority;
      t.authority = b.authority;
      if (r.path.empty()) {
        t.path = b.path;
        t.has_query = r.has_query || b.has_query;
        t.query = r.has_query ? r.query : b.query;
      } else {
        if (r.path[0] == '/') {
          t.path = RemoveDotSegments(r.path);
        } else {
          std::string merged;
          if (b.has_authority && b.path.empty()) {
            merged = "/" + r.path;
          } else {
            size_t last = b.path.rfind('/');
            merged = (last == std::string::npos ? std::string() : b.path.substr(0, last + 1)) + r.path;
          }
          t.path = RemoveDotSegments(merged);
        }
        t.has_query = r.has_query;
        t.query = r.query;
      }
    }
  }
  t.has_fragment = r.has_fragment;
  t.fragment = r.fragment;
  return Compose(t);
}

std::string SplitUriFragment(std::string_view uri, std::string* fragment) {
  size_t hash = uri.find('#');
  if (hash == std::string_view::npos) {
    fragment->clear();
    return std::string(uri);
  }
  *fragment = std::string(uri.substr(hash + 1));
  return std::string(uri.substr(0, hash));
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool SplitPointer(std::string_view pointer, std::vector<std::string>* tokens) {
  tokens->clear();
  if (pointer.empty()) return true;
  if (pointer[0] != '/') return false;
  size_t pos = 1;
  while (true) {
    size_t next = pointer.find('/', pos);
    std::string_view raw = pointer.substr(pos, next == std::string_view::npos ? next : next - pos);
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token.push_back(raw[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        token.push_back(raw[i]);
      }
    }
    tokens->push_back(std::move(token));
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return true;
}

}  // namespace comply::schema_internal
