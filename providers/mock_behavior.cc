#include "providers/mock_behavior.h"

#include <cmath>

namespace comply::mock {

const char* DefectName(Defect d) {
  switch (d) {
    case Defect::kHallucinatedField: return "hallucinated_field";
    case Defect::kCodeFence: return "code_fence";
    case Defect::kProse: return "prose";
    case Defect::kTruncation: return "truncation";
    case Defect::kWrongType: return "wrong_type";
    case Defect::kRuleViolation: return "rule_violation";
  }
  return "";
}

const char* FaultName(Fault f) {
  switch (f) {
    case Fault::kNone: return "";
    case Fault::kRateLimit: return "rate_limit";
    case Fault::kHttp500: return "http_500";
    case Fault::kHttp503: return "http_503";
    case Fault::kSlowTrickle: return "slow_trickle";
    case Fault::kReset: return "reset";
    case Fault::kTruncatedBody: return "truncated_body";
    case Fault::kInvalidEnvelope: return "invalid_envelope";
    case Fault::kHang: return "hang";
  }
  return "";
}

std::uint64_t Fnv1a64(std::string_view text, std::uint64_t h) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::uint64_t Mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::uint64_t Dice::Next() { return Mix64(key_ ^ Mix64(++counter_)); }

double Dice::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

namespace {

// Log-normal with the given mean and standard deviation (moment matching), from two uniforms
// through Box-Muller.
double LogNormalMs(double mean, double sd, Dice& dice) {
  if (mean <= 0) return 0;
  if (sd <= 0) return mean;
  double sigma2 = std::log1p((sd * sd) / (mean * mean));
  double mu = std::log(mean) - sigma2 / 2;
  double u1 = 1.0 - dice.Uniform();  // (0, 1]
  double u2 = dice.Uniform();
  double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  return std::exp(mu + std::sqrt(sigma2) * z);
}

}  // namespace

Draw DrawFor(const MockProfile& p, std::uint64_t seed, std::string_view user_message,
             std::uint64_t n) {
  Draw d;
  d.key = Mix64(Mix64(seed) ^ Fnv1a64(p.name)) ^ Fnv1a64(user_message);
  d.key = Mix64(d.key ^ Mix64(n + 0x51ed2701));
  Dice dice(d.key);
  // Always consume the same number of draws so one rate does not shift the others.
  const std::pair<Defect, double> defects[] = {
      {Defect::kHallucinatedField, p.hallucinated_field}, {Defect::kCodeFence, p.code_fence},
      {Defect::kProse, p.prose}, {Defect::kTruncation, p.truncation},
      {Defect::kWrongType, p.wrong_type}, {Defect::kRuleViolation, p.rule_violation}};
  for (const auto& [defect, rate] : defects) {
    if (dice.Uniform() < rate) d.defects.push_back(defect);
  }
  const std::pair<Fault, double> faults[] = {
      {Fault::kRateLimit, p.rate_limit},       {Fault::kHttp500, p.http_500},
      {Fault::kHttp503, p.http_503},           {Fault::kSlowTrickle, p.slow_trickle},
      {Fault::kReset, p.reset},                {Fault::kTruncatedBody, p.truncated_body},
      {Fault::kInvalidEnvelope, p.invalid_envelope}, {Fault::kHang, p.hang}};
  double u = dice.Uniform();
  double acc = 0;
  for (const auto& [fault, rate] : faults) {
    acc += rate;
    if (rate > 0 && u < acc) {
      d.fault = fault;
      break;
    }
  }
  d.latency_ms = LogNormalMs(p.latency_ms, p.latency_jitter_ms, dice);
  return d;
}

}  // namespace comply::mock
