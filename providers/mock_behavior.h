#pragma once
// Private to the mock server: the deterministic choice of defects, fault and latency for one
// request (providers/mock_server.h describes the rules).
//
//   Draw d = DrawFor(profile, seed, user_message, n);
//   if (d.fault == Fault::kRateLimit) ...;  for (Defect x : d.defects) ...;

#include <cstdint>
#include <string_view>
#include <vector>

#include "providers/mock_server.h"

namespace comply::mock {

enum class Defect { kHallucinatedField, kCodeFence, kProse, kTruncation, kWrongType,
                    kRuleViolation };
enum class Fault { kNone, kRateLimit, kHttp500, kHttp503, kSlowTrickle, kReset, kTruncatedBody,
                   kInvalidEnvelope, kHang };

// The MockProfile field name of each ("hallucinated_field", "rate_limit", ...; "" for kNone).
const char* DefectName(Defect d);
const char* FaultName(Fault f);

// A stream of uniform numbers in [0, 1) derived from one 64-bit key; the same key gives the
// same stream. Not thread-safe (one per request).
class Dice {
 public:
  explicit Dice(std::uint64_t key) : key_(key) {}
  std::uint64_t Next();    // 64 random bits
  double Uniform();        // [0, 1)
  std::uint64_t key() const { return key_; }

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
};

std::uint64_t Fnv1a64(std::string_view text, std::uint64_t h = 14695981039346656037ull);
std::uint64_t Mix64(std::uint64_t x);  // splitmix64 finalizer

struct Draw {
  std::uint64_t key = 0;  // hash of (seed, profile, message, n): ids and defect details use it
  std::vector<Defect> defects;  // in the order they are applied
  Fault fault = Fault::kNone;
  double latency_ms = 0;
};

// Pure: the same arguments give the same Draw.
Draw DrawFor(const MockProfile& profile, std::uint64_t seed, std::string_view user_message,
             std::uint64_t n);

}  // namespace comply::mock
