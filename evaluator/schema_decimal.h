#pragma once
// Private to the schema validator: exact decimal arithmetic for `multipleOf` and exact number
// comparison for `maximum` / `minimum`. JSON numbers reach us as binary doubles, so a double
// is read back as its shortest round-trip decimal text (std::to_chars): 0.07 stays 0.07, and
// 0.07 is a multiple of 0.01.
//
//   IsMultipleOf(Decimal::FromDouble(19.99), Decimal::FromDouble(0.01))   // true
//
// Pure functions, thread-safe.

#include <cstdint>
#include <string>

namespace comply::schema_internal {

// sign × digits × 10^exponent; digits has no leading zeros ("0" for zero).
struct Decimal {
  bool negative = false;
  std::string digits = "0";
  int exponent = 0;

  static Decimal FromDouble(double v);  // shortest round-trip form; false for NaN/inf via ok()
  static Decimal FromInt(int64_t v);
  static Decimal FromUint(uint64_t v);
  bool IsZero() const { return digits == "0"; }
  bool ok = true;  // false for NaN or infinity
};

// True when value / divisor is an integer. A zero or invalid divisor gives false.
bool IsMultipleOf(const Decimal& value, const Decimal& divisor);

}  // namespace comply::schema_internal
