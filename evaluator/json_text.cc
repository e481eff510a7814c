#include "evaluator/json_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>

#include "evaluator/json_scan.h"

namespace comply {

namespace {

using json_scan::AppendUtf8;
using json_scan::CleanRun;
using json_scan::HexValue;
using json_scan::kSpecial;
using json_scan::Utf8Sequence;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

constexpr char kHex[] = "0123456789abcdef";

bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  out->reserve(out->size() + s.size() + 2);
  out->push_back('"');
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const std::size_t run = i + CleanRun(s.data() + i, n - i);
    out->append(s.data() + i, run - i);
    i = run;
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t consumed = 0;
      const std::size_t len = Utf8Sequence(s, i, &consumed);
      if (len > 0) {
        out->append(s.data() + i, len);
        i += len;
      } else {
        out->append(kReplacement);
        i += consumed;
      }
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out->append(esc, 6);
      }
    }
    ++i;
  }
  out->push_back('"');
}

void AppendJsonInt(std::int64_t v, std::string* out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

void AppendJsonDouble(double v, std::string* out) {
  if (!std::isfinite(v)) v = 0.0;
  if (v == 0) {
    out->append(std::signbit(v) ? "-0.0" : "0.0");
    return;
  }
  // Shortest round-trip digits in scientific form ("-1.2345e+08"), then laid out by
  // nlohmann's rules: fixed for decimal exponents in (-4, 15], scientific otherwise.
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
  std::size_t p = 0;
  if (sci[0] == '-') {
    out->push_back('-');
    p = 1;
  }
  const std::size_t e_pos = sci.find('e');
  char digits[24];
  int k = 0;
  for (std::size_t i = p; i < e_pos; ++i) {
    if (sci[i] != '.') digits[k++] = sci[i];
  }
  int exp10 = 0;
  std::from_chars(sci.data() + e_pos + (sci[e_pos + 1] == '+' ? 2 : 1), sci.data() + sci.size(),
                  exp10);
  const int n = exp10 + 1;  // position of the decimal point after the first n digits
  constexpr int kMinExp = -4;
  constexpr int kMaxExp = 15;
  if (k <= n && n <= kMaxExp) {
    out->append(digits, static_cast<std::size_t>(k));
    out->append(static_cast<std::size_t>(n - k), '0');
    out->append(".0");
  } else if (0 < n && n <= kMaxExp) {
    out->append(digits, static_cast<std::size_t>(n));
    out->push_back('.');
    out->append(digits + n, static_cast<std::size_t>(k - n));
  } else if (kMinExp < n && n <= 0) {
    out->append("0.");
    out->append(static_cast<std::size_t>(-n), '0');
    out->append(digits, static_cast<std::size_t>(k));
  } else {
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      out->append(digits + 1, static_cast<std::size_t>(k - 1));
    }
    out->push_back('e');
    const int e = n - 1;
    out->push_back(e < 0 ? '-' : '+');
    const int a = e < 0 ? -e : e;
    if (a < 10) out->push_back('0');
    char eb[8];
    const auto er = std::to_chars(eb, eb + sizeof eb, a);
    out->append(eb, er.ptr);
  }
}

void AppendMinifiedJson(std::string_view valid, std::string* out) {
  out->reserve(out->size() + valid.size());
  std::size_t i = 0;
  const std::size_t n = valid.size();
  while (i < n) {
    const char c = valid[i];
    if (IsWs(c)) {
      ++i;
      continue;
    }
    if (c != '"') {
      std::size_t run = i + 1;
      while (run < n && !IsWs(valid[run]) && valid[run] != '"') ++run;
      out->append(valid.data() + i, run - i);
      i = run;
      continue;
    }
    // A string: copy through its closing quote (escapes copied as they are).
    std::size_t j = i + 1;
    while (j < n) {
      const char d = valid[j];
      if (d == '\\') {
        j += 2;
      } else if (d == '"') {
        ++j;
        break;
      } else {
        ++j;
      }
    }
    if (j > n) j = n;
    out->append(valid.data() + i, j - i);
    i = j;
  }
}

// ---- JsonReader ----------------------------------------------------------------------------

void JsonReader::SkipSpace() {
  while (pos_ < text_.size() && IsWs(text_[pos_])) ++pos_;
}

bool JsonReader::Expect(char c) {
  SkipSpace();
  if (pos_ >= text_.size() || text_[pos_] != c) return Fail();
  ++pos_;
  return true;
}

char JsonReader::PeekType() {
  if (!ok_) return 0;
  SkipSpace();
  if (pos_ >= text_.size()) return 0;
  const char c = text_[pos_];
  switch (c) {
    case '{':
    case '[':
    case '"':
      return c;
    case 't':
    case 'f':
      return c;
    case 'n':
      return 'z';
    default:
      return (c == '-' || (c >= '0' && c <= '9')) ? 'n' : 0;
  }
}

bool JsonReader::BeginObject() {
  if (!ok_ || depth_ >= 64 || !Expect('{')) return Fail();
  first_ |= std::uint64_t{1} << depth_;
  ++depth_;
  return true;
}

bool JsonReader::BeginArray() {
  if (!ok_ || depth_ >= 64 || !Expect('[')) return Fail();
  first_ |= std::uint64_t{1} << depth_;
  ++depth_;
  return true;
}

bool JsonReader::NextKey(std::string_view* key) {
  if (!ok_ || depth_ == 0) return Fail();
  const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
  SkipSpace();
  if (pos_ >= text_.size()) return Fail();
  if (text_[pos_] == '}') {
    ++pos_;
    --depth_;
    return false;
  }
  if (first_ & bit) {
    first_ &= ~bit;
  } else if (!Expect(',')) {
    return false;
  }
  if (!Expect('"')) return false;
  const std::size_t start = pos_;
  while (pos_ < text_.size()) {
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') break;
    if (c == '\\' || c < 0x20 || c >= 0x80) return Fail();  // plain ASCII keys only
    ++pos_;
  }
  if (pos_ >= text_.size()) return Fail();
  *key = text_.substr(start, pos_ - start);
  ++pos_;
  return Expect(':');
}

bool JsonReader::NextElement() {
  if (!ok_ || depth_ == 0) return Fail();
  const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
  SkipSpace();
  if (pos_ >= text_.size()) return Fail();
  if (text_[pos_] == ']') {
    // "[1,]" never gets here: after a ',' the element itself must parse.
    ++pos_;
    --depth_;
    return false;
  }
  if (first_ & bit) {
    first_ &= ~bit;
    return true;
  }
  return Expect(',');
}

bool JsonReader::ReadString(std::string* out) { return ReadStringImpl(out, nullptr); }

bool JsonReader::ReadStringLiteral(std::string* out, std::string_view* literal, bool* canonical) {
  if (!ok_) return false;
  SkipSpace();
  const std::size_t start = pos_;
  *canonical = true;
  if (!ReadStringImpl(out, canonical)) return false;
  *literal = text_.substr(start, pos_ - start);
  return true;
}

// With `canonical`, clears it on an escape AppendJsonString would not write.
bool JsonReader::ReadStringImpl(std::string* out, bool* canonical) {
  if (!ok_ || !Expect('"')) return Fail();
  out->clear();
  const std::size_t n = text_.size();
  while (pos_ < n) {
    const std::size_t run = pos_ + CleanRun(text_.data() + pos_, n - pos_);
    out->append(text_.data() + pos_, run - pos_);
    pos_ = run;
    if (pos_ >= n) break;
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') {
      ++pos_;
      return true;
    }
    if (c < 0x20) return Fail();
    if (c >= 0x80) {
      std::size_t consumed = 0;
      const std::size_t len = Utf8Sequence(text_, pos_, &consumed);
      if (len == 0) return Fail();
      out->append(text_.data() + pos_, len);
      pos_ += len;
      continue;
    }
    // An escape.
    if (pos_ + 1 >= n) return Fail();
    const char e = text_[pos_ + 1];
    pos_ += 2;
    switch (e) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/':
        out->push_back('/');
        if (canonical) *canonical = false;
        break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        auto hex4 = [&](std::uint32_t* v) {
          if (pos_ + 4 > n) return false;
          std::uint32_t x = 0;
          for (int k = 0; k < 4; ++k) {
            const int h = HexValue(text_[pos_ + static_cast<std::size_t>(k)]);
            if (h < 0) return false;
            x = (x << 4) | static_cast<std::uint32_t>(h);
          }
          pos_ += 4;
          *v = x;
          return true;
        };
        std::uint32_t cp = 0;
        const char* digits = text_.data() + pos_;
        if (!hex4(&cp)) return Fail();
        if (canonical != nullptr &&
            !(cp < 0x20 && cp != '\b' && cp != '\f' && cp != '\n' && cp != '\r' && cp != '\t' &&
              digits[0] == '0' && digits[1] == '0' && digits[2] == kHex[cp >> 4] && digits[3] == kHex[cp & 0xF])) {
          *canonical = false;
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF) return Fail();  // lone low surrogate
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::uint32_t lo = 0;
          if (pos_ + 2 > n || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') return Fail();
          pos_ += 2;
          if (!hex4(&lo) || lo < 0xDC00 || lo > 0xDFFF) return Fail();
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        AppendUtf8(cp, out);
        break;
      }
      default:
        return Fail();
    }
  }
  return Fail();  // unterminated
}

bool JsonReader::NumberSpan(std::string_view* span, bool* integer) {
  SkipSpace();
  const std::size_t start = pos_;
  const std::size_t n = text_.size();
  auto digit = [&](std::size_t i) { return i < n && text_[i] >= '0' && text_[i] <= '9'; };
  std::size_t i = pos_;
  if (i < n && text_[i] == '-') ++i;
  if (!digit(i)) return Fail();
  if (text_[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  *integer = true;
  if (i < n && text_[i] == '.') {
    *integer = false;
    ++i;
    if (!digit(i)) return Fail();
    while (digit(i)) ++i;
  }
  if (i < n && (text_[i] == 'e' || text_[i] == 'E')) {
    *integer = false;
    ++i;
    if (i < n && (text_[i] == '+' || text_[i] == '-')) ++i;
    if (!digit(i)) return Fail();
    while (digit(i)) ++i;
  }
  *span = text_.substr(start, i - start);
  pos_ = i;
  return true;
}

bool JsonReader::ReadInt64(std::int64_t* out) {
  if (!ok_) return false;
  std::string_view span;
  bool integer = false;
  if (!NumberSpan(&span, &integer) || !integer) return Fail();
  std::int64_t v = 0;
  const auto r = std::from_chars(span.data(), span.data() + span.size(), v);
  if (r.ec != std::errc() || r.ptr != span.data() + span.size()) return Fail();
  *out = v;
  return true;
}

bool JsonReader::ReadDouble(double* out) {
  if (!ok_) return false;
  std::string_view span;
  bool integer = false;
  if (!NumberSpan(&span, &integer)) return false;
  double v = 0;
  const auto r = std::from_chars(span.data(), span.data() + span.size(), v);
  if (r.ec != std::errc() || r.ptr != span.data() + span.size() || !std::isfinite(v)) {
    return Fail();
  }
  *out = v;
  return true;
}

bool JsonReader::ReadBool(bool* out) {
  if (!ok_) return false;
  SkipSpace();
  if (text_.substr(pos_, 4) == "true") {
    pos_ += 4;
    *out = true;
    return true;
  }
  if (text_.substr(pos_, 5) == "false") {
    pos_ += 5;
    *out = false;
    return true;
  }
  return Fail();
}

bool JsonReader::ReadNull() {
  if (!ok_) return false;
  SkipSpace();
  if (text_.substr(pos_, 4) != "null") return Fail();
  pos_ += 4;
  return true;
}

bool JsonReader::SkipDepth(int depth) {
  if (depth > 64) return Fail();
  std::string scratch;
  switch (PeekType()) {
    case '{': {
      if (!BeginObject()) return false;
      std::string_view key;
      while (NextKey(&key)) {
        if (!SkipDepth(depth + 1)) return false;
      }
      return ok_;
    }
    case '[': {
      if (!BeginArray()) return false;
      while (NextElement()) {
        if (!SkipDepth(depth + 1)) return false;
      }
      return ok_;
    }
    case '"':
      return ReadString(&scratch);
    case 'n': {
      // nlohmann refuses a number whose value overflows a double ("number overflow"); the
      // reader fails on every literal it cannot convert to a finite double exactly like that.
      std::string_view span;
      bool integer = false;
      if (!NumberSpan(&span, &integer)) return false;
      if (integer && span.size() <= 18) return true;
      double v = 0;
      const auto r = std::from_chars(span.data(), span.data() + span.size(), v);
      if (r.ec != std::errc() || !std::isfinite(v)) return Fail();
      return true;
    }
    case 't':
    case 'f': {
      bool b = false;
      return ReadBool(&b);
    }
    case 'z':
      return ReadNull();
    default:
      return Fail();
  }
}

bool JsonReader::Skip() { return SkipDepth(0); }

bool JsonReader::SkipRaw(std::string_view* raw) {
  if (!ok_) return false;
  SkipSpace();
  const std::size_t start = pos_;
  if (!SkipDepth(0)) return false;
  *raw = text_.substr(start, pos_ - start);
  return true;
}

bool JsonReader::AtEnd() {
  if (!ok_) return false;
  SkipSpace();
  return pos_ == text_.size();
}

}  // namespace comply
