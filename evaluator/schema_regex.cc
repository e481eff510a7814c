#include "evaluator/schema_regex.h"

#include <cstdint>
#include <cstdio>

namespace comply::schema_internal {
namespace {

// ECMA-262 WhiteSpace and LineTerminator: what `\s` means there (RE2's \s is ASCII only).
constexpr std::string_view kSpaceSet =
    "\\t\\n\\x{0B}\\f\\r\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}"
    "\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
// ECMA-262 `.` without the s flag: anything but a line terminator.
constexpr std::string_view kDot = "[^\\n\\r\\x{2028}\\x{2029}]";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string CodePoint(uint32_t cp) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(cp));
  return buf;
}

// Reads `count` hex digits at s[pos]; -1 when they are not all hex.
long ReadHex(std::string_view s, size_t pos, size_t count) {
  if (pos + count > s.size()) return -1;
  long v = 0;
  for (size_t i = 0; i < count; ++i) {
    int h = HexValue(s[pos + i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// True when s[pos] starts a valid quantifier brace "{n}", "{n,}" or "{n,m}"; sets *len.
bool BraceQuantifier(std::string_view s, size_t pos, size_t* len, long* max_count) {
  size_t i = pos + 1;
  size_t start = i;
  long a = 0, b = -1;
  while (i < s.size() && IsDigit(s[i])) a = std::min<long>(a * 10 + (s[i++] - '0'), 1000000);
  if (i == start) return false;
  b = a;
  if (i < s.size() && s[i] == ',') {
    ++i;
    size_t start2 = i;
    long m = 0;
    while (i < s.size() && IsDigit(s[i])) m = std::min<long>(m * 10 + (s[i++] - '0'), 1000000);
    b = i == start2 ? a : m;
  }
  if (i >= s.size() || s[i] != '}') return false;
  *len = i - pos + 1;
  *max_count = std::max(a, b);
  return true;
}

class Translator {
 public:
  Translator(std::string_view in, std::string* out, std::string* problem)
      : s_(in), out_(*out), problem_(*problem) {
    has_named_groups_ = s_.find("(?<") != std::string_view::npos;
  }

  PatternStatus Run() {
    out_.clear();
    while (pos_ < s_.size()) {
      PatternStatus st = in_class_ ? ClassChar() : Atom();
      if (st != PatternStatus::kOk) return st;
    }
    if (in_class_) return Syntax("unterminated character class");
    if (depth_ != 0) return Syntax("unbalanced parenthesis");
    if (unsupported_) return PatternStatus::kUnsupported;
    return PatternStatus::kOk;
  }

 private:
  PatternStatus Syntax(std::string why) {
    problem_ = std::move(why);
    return PatternStatus::kSyntaxError;
  }
  void Unsupported(std::string what) {
    if (!unsupported_) problem_ = std::move(what);
    unsupported_ = true;
  }

  PatternStatus Atom() {
    char c = s_[pos_];
    switch (c) {
      case '\\':
        return Escape(false);
      case '(':
        return OpenGroup();
      case ')':
        if (depth_ == 0) return Syntax("unbalanced parenthesis");
        --depth_;
        out_ += ')';
        ++pos_;
        quantifiable_ = true;
        return PatternStatus::kOk;
      case '[':
        ++pos_;
        if (s_.substr(pos_, 2) == "^]") {
          out_ += "[\\s\\S]";  // ECMA [^]: any character
          pos_ += 2;
          quantifiable_ = true;
          return PatternStatus::kOk;
        }
        if (s_.substr(pos_, 1) == "]") {
          out_ += "[^\\x{0}-\\x{10FFFF}]";  // ECMA []: matches nothing
          ++pos_;
          quantifiable_ = true;
          return PatternStatus::kOk;
        }
        in_class_ = true;
        out_ += '[';
        if (pos_ < s_.size() && s_[pos_] == '^') {
          out_ += '^';
          ++pos_;
        }
        return PatternStatus::kOk;
      case ']':
      case '}':
        out_ += '\\';
        out_ += c;
        ++pos_;
        quantifiable_ = true;
        return PatternStatus::kOk;
      case '{': {
        size_t len = 0;
        long max_count = 0;
        if (BraceQuantifier(s_, pos_, &len, &max_count)) {
          if (!quantifiable_) return Syntax("nothing to repeat");
          if (max_count > 1000) Unsupported("a repetition count above 1000");
          out_.append(s_.substr(pos_, len));
          pos_ += len;
          return LazySuffix();
        }
        out_ += "\\{";
        ++pos_;
        quantifiable_ = true;
        return PatternStatus::kOk;
      }
      case '*':
      case '+':
      case '?':
        if (!quantifiable_) return Syntax("nothing to repeat");
        out_ += c;
        ++pos_;
        return LazySuffix();
      case '.':
        out_ += kDot;
        ++pos_;
        quantifiable_ = true;
        return PatternStatus::kOk;
      case '^':
      case '$':
        out_ += c;
        ++pos_;
        quantifiable_ = false;
        return PatternStatus::kOk;
      case '|':
        out_ += c;
        ++pos_;
        quantifiable_ = false;
        return PatternStatus::kOk;
      default:
        out_ += c;
        ++pos_;
        quantifiable_ = true;
        return PatternStatus::kOk;
    }
  }

  PatternStatus LazySuffix() {
    if (pos_ < s_.size() && s_[pos_] == '?') {
      out_ += '?';
      ++pos_;
    }
    quantifiable_ = false;
    return PatternStatus::kOk;
  }

  PatternStatus OpenGroup() {
    std::string_view rest = s_.substr(pos_);
    ++depth_;
    quantifiable_ = false;
    if (rest.substr(0, 3) == "(?=" || rest.substr(0, 3) == "(?!") {
      Unsupported("lookahead \"" + std::string(rest.substr(0, 3)) + "\"");
      out_ += "(?:";
      pos_ += 3;
      return PatternStatus::kOk;
    }
    if (rest.substr(0, 4) == "(?<=" || rest.substr(0, 4) == "(?<!") {
      Unsupported("lookbehind \"" + std::string(rest.substr(0, 4)) + "\"");
      out_ += "(?:";
      pos_ += 4;
      return PatternStatus::kOk;
    }
    if (rest.substr(0, 3) == "(?<") {
      size_t close = rest.find('>');
      if (close == std::string_view::npos || close == 3) return Syntax("invalid group name");
      for (size_t i = 3; i < close; ++i) {
        if (!IsAlnum(rest[i]) && rest[i] != '_' && rest[i] != '$') return Syntax("invalid group name");
      }
      out_ += "(?P<";
      out_.append(rest.substr(3, close - 3));
      out_ += '>';
      pos_ += close + 1;
      return PatternStatus::kOk;
    }
    if (rest.substr(0, 3) == "(?:") {
      out_ += "(?:";
      pos_ += 3;
      return PatternStatus::kOk;
    }
    if (rest.substr(0, 2) == "(?") return Syntax("invalid group");
    out_ += '(';
    ++pos_;
    return PatternStatus::kOk;
  }

  PatternStatus ClassChar() {
    char c = s_[pos_];
    if (c == ']') {
      in_class_ = false;
      out_ += ']';
      ++pos_;
      quantifiable_ = true;
      return PatternStatus::kOk;
    }
    if (c == '\\') return Escape(true);
    if (c == '[') {
      out_ += "\\[";
      ++pos_;
      return PatternStatus::kOk;
    }
    out_ += c;
    ++pos_;
    return PatternStatus::kOk;
  }

  // At a backslash; in_class: inside [...].
  PatternStatus Escape(bool in_class) {
    if (pos_ + 1 >= s_.size()) return Syntax("pattern ends with a backslash");
    char c = s_[pos_ + 1];
    pos_ += 2;
    quantifiable_ = true;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 't':
      case 'n':
      case 'r':
      case 'f':
        out_ += '\\';
        out_ += c;
        return PatternStatus::kOk;
      case 'v':
        out_ += "\\x{0B}";
        return PatternStatus::kOk;
      case 's':
        if (in_class) {
          out_ += kSpaceSet;
        } else {
          out_ += '[';
          out_ += kSpaceSet;
          out_ += ']';
        }
        return PatternStatus::kOk;
      case 'S':
        if (in_class) {
          out_ += "\\S";  // approximation inside a class: RE2's ASCII \S
        } else {
          out_ += "[^";
          out_ += kSpaceSet;
          out_ += ']';
        }
        return PatternStatus::kOk;
      case 'b':
      case 'B':
        if (in_class) {
          if (c == 'b') {
            out_ += "\\x{8}";
          } else {
            out_ += 'B';
          }
        } else {
          out_ += '\\';
          out_ += c;
          quantifiable_ = false;
        }
        return PatternStatus::kOk;
      case '0':
        out_ += "\\x{0}";
        return PatternStatus::kOk;
      case 'x': {
        long v = ReadHex(s_, pos_, 2);
        if (v < 0) {
          out_ += 'x';
        } else {
          out_ += CodePoint(static_cast<uint32_t>(v));
          pos_ += 2;
        }
        return PatternStatus::kOk;
      }
      case 'u':
        return UnicodeEscape();
      case 'c':
        if (pos_ < s_.size() && ((s_[pos_] >= 'a' && s_[pos_] <= 'z') || (s_[pos_] >= 'A' && s_[pos_] <= 'Z'))) {
          out_ += CodePoint(static_cast<uint32_t>(s_[pos_]) % 32);
          ++pos_;
        } else {
          out_ += "\\\\c";
        }
        return PatternStatus::kOk;
      case 'p':
      case 'P':
        out_ += '\\';
        out_ += c;
        return PatternStatus::kOk;
      case 'k':
        if (has_named_groups_ && !in_class) {
          Unsupported("named backreference \"\\k\"");
          out_ += "(?:)";
        } else {
          out_ += 'k';
        }
        return PatternStatus::kOk;
      default:
        break;
    }
    if (c >= '1' && c <= '9') {
      if (in_class) {
        out_ += CodePoint(static_cast<uint32_t>(c - '0'));  // Annex B: an octal escape
      } else {
        Unsupported(std::string("backreference \"\\") + c + "\"");
        out_ += "(?:)";
        while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
      }
      return PatternStatus::kOk;
    }
    if (IsAlnum(c)) {
      out_ += c;  // identity escape of a letter: the letter itself
      return PatternStatus::kOk;
    }
    if (static_cast<unsigned char>(c) < 0x80) {
      out_ += CodePoint(static_cast<unsigned char>(c));
    } else {
      out_ += c;  // first byte of a UTF-8 sequence: the rest follows as literal bytes
    }
    return PatternStatus::kOk;
  }

  // After "\u".
  PatternStatus UnicodeEscape() {
    if (pos_ < s_.size() && s_[pos_] == '{') {
      size_t close = s_.find('}', pos_);
      if (close != std::string_view::npos && close > pos_ + 1 && close - pos_ <= 7) {
        long v = ReadHex(s_, pos_ + 1, close - pos_ - 1);
        if (v >= 0 && v <= 0x10FFFF) {
          out_ += CodePoint(static_cast<uint32_t>(v));
          pos_ = close + 1;
          return PatternStatus::kOk;
        }
      }
      out_ += 'u';
      return PatternStatus::kOk;
    }
    long v = ReadHex(s_, pos_, 4);
    if (v < 0) {
      out_ += 'u';
      return PatternStatus::kOk;
    }
    pos_ += 4;
    if (v >= 0xD800 && v <= 0xDBFF && s_.substr(pos_, 2) == "\\u") {
      long low = ReadHex(s_, pos_ + 2, 4);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        pos_ += 6;
        out_ += CodePoint(static_cast<uint32_t>(0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)));
        return PatternStatus::kOk;
      }
    }
    if (v >= 0xD800 && v <= 0xDFFF) v = 0xFFFD;  // a lone surrogate never occurs in UTF-8 text
    out_ += CodePoint(static_cast<uint32_t>(v));
    return PatternStatus::kOk;
  }

  std::string_view s_;
  std::string& out_;
  std::string& problem_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool in_class_ = false;
  bool quantifiable_ = false;
  bool unsupported_ = false;
  bool has_named_groups_ = false;
};

}  // namespace

PatternStatus TranslateEcmaPattern(std::string_view ecma, std::string* re2, std::string* problem) {
  problem->clear();
  return Translator(ecma, re2, problem).Run();
}

}  // namespace comply::schema_internal
