#pragma once
// SHA-256 (FIPS 180-4), for the response cache key. Self-contained so the cache needs no
// crypto library. Pure and thread-safe.
//
//   Sha256 h;
//   h.Update("abc");
//   std::string hex = h.HexDigest();   // "ba7816bf…"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace comply {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  // The 64-character lower-case hex digest. Finalizes: call once.
  std::string HexDigest();

 private:
  void Block(const unsigned char* p);
  std::array<std::uint32_t, 8> h_;
  unsigned char buf_[64];
  std::size_t buf_len_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace comply
