#pragma once
// FNV-1a (64-bit): the shard key of DESIGN.md ("FNV-1a of suite/case_id") and the content
// hash in manifest.json. Not a cryptographic hash. Thread-safe (pure).

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace comply {

inline std::uint64_t Fnv1a64(std::string_view data, std::uint64_t h = 14695981039346656037ULL) {
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

inline std::string HexHash(std::string_view data) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(Fnv1a64(data)));
  return buf;
}

}  // namespace comply
