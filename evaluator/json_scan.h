#pragma once
// Byte-level helpers shared by the DOM-free JSON code (json_text.cc) and the flat parser
// (json_doc.cc): runs of plain string bytes, UTF-8 sequences exactly as nlohmann's lexer
// accepts them, hex digits, UTF-8 encoding.
//
//   std::size_t n = json_scan::CleanRun(p, len);   // bytes before the first '"', '\\', < 0x20, >= 0x80
//
// Pure functions, thread-safe.

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace comply::json_scan {

// Bytes a JSON string writer must look at: '"', '\\', control characters, non-ASCII.
constexpr std::array<bool, 256> MakeSpecial() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
  return t;
}
inline constexpr std::array<bool, 256> kSpecial = MakeSpecial();

// How many leading bytes of [p, p + n) are not special: eight bytes at a time while no byte
// of the word is (exact bit tricks for "some byte < 0x20 / == c / >= 0x80"), then byte by byte.
inline std::size_t CleanRun(const char* p, std::size_t n) {
  constexpr std::uint64_t k01 = 0x0101010101010101ULL;
  constexpr std::uint64_t k80 = 0x8080808080808080ULL;
  std::size_t i = 0;
  while (i + 8 <= n) {
    std::uint64_t v;
    std::memcpy(&v, p + i, 8);
    const std::uint64_t q = v ^ (k01 * '"');
    const std::uint64_t b = v ^ (k01 * '\\');
    const std::uint64_t hit = ((v - k01 * 0x20) & ~v) | ((q - k01) & ~q) | ((b - k01) & ~b) | v;
    if ((hit & k80) != 0) break;
    i += 8;
  }
  while (i < n && !kSpecial[static_cast<unsigned char>(p[i])]) ++i;
  return i;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid; on an invalid
// sequence *consumed is the number of bytes that form its maximal invalid prefix (at least 1),
// after which decoding resumes (nlohmann's error_handler_t::replace re-reads the failing byte).
inline std::size_t Utf8Sequence(std::string_view s, std::size_t i, std::size_t* consumed) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the first continuation byte
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
  } else if (b == 0xE0) {
    need = 2, lo = 0xA0;
  } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
    need = 2;
  } else if (b == 0xED) {
    need = 2, hi = 0x9F;
  } else if (b == 0xF0) {
    need = 3, lo = 0x90;
  } else if (b >= 0xF1 && b <= 0xF3) {
    need = 3;
  } else if (b == 0xF4) {
    need = 3, hi = 0x8F;
  } else {
    *consumed = 1;
    return 0;
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (i + k >= s.size()) {
      *consumed = s.size() - i;
      return 0;
    }
    const auto c = static_cast<unsigned char>(s[i + k]);
    const unsigned char l = k == 1 ? lo : 0x80;
    const unsigned char h = k == 1 ? hi : 0xBF;
    if (c < l || c > h) {
      *consumed = k;
      return 0;
    }
  }
  return need + 1;
}

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline void AppendUtf8(std::uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace comply::json_scan
