#include "evaluator/schema_decimal.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace comply::schema_internal {
namespace {

__extension__ typedef unsigned __int128 Uint128;

void Normalize(Decimal* d) {
  size_t nz = d->digits.find_first_not_of('0');
  if (nz == std::string::npos) {
    d->digits = "0";
    d->exponent = 0;
    d->negative = false;
    return;
  }
  d->digits.erase(0, nz);
  // Trailing zeros move into the exponent so that the digit string stays short.
  size_t last = d->digits.find_last_not_of('0');
  d->exponent += static_cast<int>(d->digits.size() - 1 - last);
  d->digits.erase(last + 1);
}

}  // namespace

Decimal Decimal::FromDouble(double v) {
  Decimal d;
  if (!std::isfinite(v)) {
    d.ok = false;
    return d;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  std::string_view text(buf, res.ptr - buf);
  if (!text.empty() && text[0] == '-') {
    d.negative = true;
    text.remove_prefix(1);
  }
  int exp = 0;
  size_t e = text.find_first_of("eE");
  if (e != std::string_view::npos) {
    exp = std::atoi(std::string(text.substr(e + 1)).c_str());
    text = text.substr(0, e);
  }
  std::string digits;
  size_t dot = text.find('.');
  if (dot != std::string_view::npos) {
    digits = std::string(text.substr(0, dot)) + std::string(text.substr(dot + 1));
    exp -= static_cast<int>(text.size() - dot - 1);
  } else {
    digits = std::string(text);
  }
  d.digits = digits;
  d.exponent = exp;
  Normalize(&d);
  return d;
}

Decimal Decimal::FromInt(int64_t v) {
  Decimal d;
  d.negative = v < 0;
  uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  d.digits = std::to_string(mag);
  Normalize(&d);
  if (mag != 0) d.negative = v < 0;
  return d;
}

Decimal Decimal::FromUint(uint64_t v) {
  Decimal d;
  d.digits = std::to_string(v);
  Normalize(&d);
  return d;
}

bool IsMultipleOf(const Decimal& value, const Decimal& divisor) {
  if (!value.ok || !divisor.ok || divisor.IsZero()) return false;
  if (value.IsZero()) return true;
  const int e = std::min(value.exponent, divisor.exponent);
  const size_t b_zeros = static_cast<size_t>(divisor.exponent - e);
  const size_t a_zeros = static_cast<size_t>(value.exponent - e);
  // B = divisor digits followed by b_zeros zeros must fit with room for r*10+9.
  if (divisor.digits.size() + b_zeros <= 36) {
    Uint128 b = 0;
    for (char c : divisor.digits) b = b * 10 + static_cast<unsigned>(c - '0');
    for (size_t i = 0; i < b_zeros; ++i) b *= 10;
    Uint128 r = 0;
    for (char c : value.digits) r = (r * 10 + static_cast<unsigned>(c - '0')) % b;
    for (size_t i = 0; i < a_zeros && r != 0; ++i) r = (r * 10) % b;
    return r == 0;
  }
  // A divisor with more than 36 significant digits at this scale: fall back to binary.
  double v = std::strtod((value.digits + "e" + std::to_string(value.exponent)).c_str(), nullptr);
  double d = std::strtod((divisor.digits + "e" + std::to_string(divisor.exponent)).c_str(), nullptr);
  double q = v / d;
  return std::isfinite(q) && q == std::floor(q);
}

}  // namespace comply::schema_internal
