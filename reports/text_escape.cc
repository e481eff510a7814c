#include "reports/text_escape.h"

#include <cstdint>

namespace comply {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid (the
// well-formed table of Unicode 15, section 3.9, table 3-7).
std::size_t ValidSequenceLength(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  std::size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c == 0xE0) {
    need = 3, lo = 0xA0;
  } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
    need = 3;
  } else if (c == 0xED) {
    need = 3, hi = 0x9F;  // no UTF-16 surrogates
  } else if (c == 0xF0) {
    need = 4, lo = 0x90;
  } else if (c >= 0xF1 && c <= 0xF3) {
    need = 4;
  } else if (c == 0xF4) {
    need = 4, hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + need > s.size()) return 0;
  if (b(1) < lo || b(1) > hi) return 0;
  for (std::size_t k = 2; k < need; ++k) {
    if (b(k) < 0x80 || b(k) > 0xBF) return 0;
  }
  return need;
}

// Calls f(code_point, bytes) for each character of s; an invalid byte comes as
// (0xFFFD, "\xEF\xBF\xBD").
template <typename F>
void ForEachChar(std::string_view s, F&& f) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = ValidSequenceLength(s, i);
    if (n == 0) {
      f(char32_t{0xFFFD}, kReplacement);
      ++i;
      continue;
    }
    const auto u = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    char32_t cp = 0;
    if (n == 1) cp = u(0);
    if (n == 2) cp = ((u(0) & 0x1Fu) << 6) | (u(1) & 0x3Fu);
    if (n == 3) cp = ((u(0) & 0x0Fu) << 12) | ((u(1) & 0x3Fu) << 6) | (u(2) & 0x3Fu);
    if (n == 4) {
      cp = ((u(0) & 0x07u) << 18) | ((u(1) & 0x3Fu) << 12) | ((u(2) & 0x3Fu) << 6) |
           (u(3) & 0x3Fu);
    }
    f(cp, s.substr(i, n));
    i += n;
  }
}

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = ValidSequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool NeedsCsvQuotes(std::string_view s) {
  return s.find_first_of(",\"\r\n") != std::string_view::npos;
}

std::string QuoteCsv(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::string SanitizeUtf8(std::string_view s) {
  if (IsValidUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  ForEachChar(s, [&](char32_t, std::string_view bytes) { out.append(bytes); });
  return out;
}

std::string XmlText(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  ForEachChar(s, [&](char32_t cp, std::string_view bytes) {
    switch (cp) {
      case '&': out += "&amp;"; return;
      case '<': out += "&lt;"; return;
      case '>': out += "&gt;"; return;  // also keeps "]]>" out
      case '"': out += "&quot;"; return;
      case '\'': out += "&apos;"; return;
      case '\r': out += "&#13;"; return;
      case '\t':
      case '\n': out += static_cast<char>(cp); return;
      default: break;
    }
    // XML 1.0 Char production: no C0 controls but TAB/LF/CR, no U+FFFE / U+FFFF.
    if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) {
      out += kReplacement;
      return;
    }
    out.append(bytes);
  });
  return out;
}

std::string CsvCell(std::string_view s) {
  std::string v = SanitizeUtf8(s);
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' ||
                     v[0] == '\r')) {
    v.insert(v.begin(), '\'');
  }
  return NeedsCsvQuotes(v) ? QuoteCsv(v) : v;
}

std::string CsvRaw(std::string_view s) {
  std::string v = SanitizeUtf8(s);
  return NeedsCsvQuotes(v) ? QuoteCsv(v) : v;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  ForEachChar(s, [&](char32_t cp, std::string_view bytes) {
    switch (cp) {
      case '&': out += "&amp;"; return;
      case '<': out += "&lt;"; return;
      case '>': out += "&gt;"; return;
      case '"': out += "&quot;"; return;
      case '\'': out += "&#39;"; return;
      case 0: out += kReplacement; return;  // NUL is a parse error in HTML
      default: out.append(bytes);
    }
  });
  return out;
}

std::string JsonForScript(const nlohmann::json& value) {
  const std::string raw = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(raw.size() + raw.size() / 16);
  // In valid JSON these characters only occur inside strings, where \u escapes mean the same.
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < raw.size() && raw[i + 1] == '\x80' &&
               (raw[i + 2] == '\xA8' || raw[i + 2] == '\xA9')) {
      out += raw[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string MarkdownEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  ForEachChar(s, [&](char32_t cp, std::string_view bytes) {
    switch (cp) {
      case '&': out += "&amp;"; return;
      case '<': out += "&lt;"; return;
      case '>': out += "&gt;"; return;
      case '\n':
      case '\r':
      case '\t': out += ' '; return;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#':
      case '~':
        out += '\\';
        out += static_cast<char>(cp);
        return;
      default: break;
    }
    if (cp < 0x20) {
      out += kReplacement;
      return;
    }
    out.append(bytes);
  });
  return out;
}

std::string TruncateUtf8(std::string_view s, std::size_t max_bytes, bool* cut) {
  if (cut != nullptr) *cut = s.size() > max_bytes;
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t end = max_bytes;
  // Back up over continuation bytes so no character is split.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

}  // namespace comply
