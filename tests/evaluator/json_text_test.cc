#include "evaluator/json_text.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace comply {
namespace {

using json = nlohmann::json;

std::string NlohmannString(const std::string& s) {
  return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string Ours(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

// Deterministic byte soup weighted towards what breaks writers: quotes, backslashes, control
// characters, and UTF-8 lead and continuation bytes in every combination.
std::string RandomBytes(std::mt19937& rng, std::size_t n) {
  static const std::vector<unsigned char> kInteresting = {
      '"', '\\', '/', 0, 1, 8, 9, 10, 12, 13, 0x1f, 0x7f, 'a', ' ', 0x80, 0xbf, 0xc0, 0xc1,
      0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xee, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90};
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned r = rng() % 4;
    if (r == 0) {
      s.push_back(static_cast<char>(rng() % 256));
    } else {
      s.push_back(static_cast<char>(kInteresting[rng() % kInteresting.size()]));
    }
  }
  return s;
}

TEST_CASE("json_text: strings are escaped exactly as nlohmann dumps them", "[checks]") {
  for (const std::string& s : std::vector<std::string>{
           "", "plain", "say \"hi\"", "back\\slash", "tab\there\nnew\r\f\b", std::string("nul\0x", 5),
           "\x01\x1f\x7f", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "bad \xff\xfe end",
           "\xc3(", "\xe2\x82", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x9f\x98"}) {
    INFO(s);
    CHECK(Ours(s) == NlohmannString(s));
  }
  std::mt19937 rng(7);
  for (int i = 0; i < 5000; ++i) {
    const std::string s = RandomBytes(rng, rng() % 24);
    INFO(i);
    REQUIRE(Ours(s) == NlohmannString(s));
  }
}

TEST_CASE("json_text: doubles are written in nlohmann's layout, shortest digits", "[checks]") {
  auto ours = [](double v) {
    std::string out;
    AppendJsonDouble(v, &out);
    return out;
  };
  for (double v : {0.0, -0.0, 1.0, -1.0, 0.1, 12.5, 0.00125, 123.456, 1e-4, 1e-5, 0.001, 1e15, 1e16,
                   123456789.125, 1e300, -2.5e-300, 5e-324, 1.7976931348623157e308, 3.0e10,
                   999999999999999.0, 0.30000000000000004}) {
    INFO(v);
    CHECK(ours(v) == json(v).dump());
  }
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    // Latencies and costs: milliseconds with a few decimals, dollars with many. nlohmann's
    // grisu2 is not always shortest ("6.1303280000000004" for 6.130328): ours round-trips and
    // is never longer, and both are laid out alike.
    const double v = static_cast<double>(rng() % 10000000) / std::pow(10.0, rng() % 9);
    INFO(v);
    const std::string a = ours(v);
    const std::string b = json(v).dump();
    REQUIRE(json::parse(a).get<double>() == v);
    REQUIRE(a.size() <= b.size());
    REQUIRE((a.find('e') == std::string::npos) == (b.find('e') == std::string::npos));
  }
  for (int i = 0; i < 20000; ++i) {
    // Any finite bit pattern round-trips (nlohmann's grisu2 may pick other digits here).
    std::uint64_t bits = rng();
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) continue;
    REQUIRE(json::parse(ours(v)).get<double>() == v);
  }
  CHECK(ours(std::nan("")) == "0.0");
  CHECK(ours(INFINITY) == "0.0");
}

TEST_CASE("json_text: minified text is the same value without insignificant whitespace",
          "[checks]") {
  const std::vector<std::string> docs = {
      "{\n  \"a\" : [1, 2 ,\t3],\r\n  \"b\": \"x y \\\" z\\\\\",\n \"c\": {\"d\": null}}",
      "[ ]", "\"  spaced  string \"", " 42 ", "{\"k\\\"ey\": \"v\\n\", \"e\": 1e-5, \"t\": true}",
      "[\"\\\\\", \" \\\\\\\" \", {}]"};
  for (const std::string& d : docs) {
    std::string out;
    AppendMinifiedJson(d, &out);
    INFO(d << " -> " << out);
    CHECK(json::parse(out) == json::parse(d));
    CHECK(out.find('\n') == std::string::npos);
    CHECK(json::parse(out).dump() == json::parse(d).dump());
  }
  std::string out;
  AppendMinifiedJson("{ \"a\" : \"b  c\" }", &out);
  CHECK(out == "{\"a\":\"b  c\"}");
}

// Reads one string literal with JsonReader; nullopt when the reader fails.
std::optional<std::string> ReadOne(const std::string& literal) {
  JsonReader in(literal);
  std::string s;
  if (!in.ReadString(&s) || !in.AtEnd()) return std::nullopt;
  return s;
}

TEST_CASE("json_text: the reader accepts only what nlohmann accepts, with the same value",
          "[checks]") {
  for (const std::string& lit : std::vector<std::string>{
           R"("plain")", R"("esc \" \\ \/ \b \f \n \r \t")", R"("\u00e9\u20AC")", R"("\ud83d\ude00")",
           R"("\u0000")", R"("\ud83d")", R"("\ude00")", R"("\ud83dx")", R"("\x")", R"("\u12")",
           "\"raw\ttab\"", "\"caf\xc3\xa9\"", "\"bad\xff\"", "\"\xed\xa0\x80\"", R"("unterminated)"}) {
    INFO(lit);
    const json ref = json::parse(lit, nullptr, false);
    const auto ours = ReadOne(lit);
    if (ref.is_discarded()) {
      CHECK_FALSE(ours.has_value());
    } else {
      REQUIRE(ours.has_value());
      CHECK(*ours == ref.get<std::string>());
    }
  }
  std::mt19937 rng(3);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string lit = "\"" + RandomBytes(rng, rng() % 12) + "\"";
    const json ref = json::parse(lit, nullptr, false);
    const auto ours = ReadOne(lit);
    INFO(i);
    if (ours.has_value()) {
      ++accepted;
      REQUIRE_FALSE(ref.is_discarded());
      REQUIRE(ref.is_string());
      REQUIRE(*ours == ref.get<std::string>());
    }
  }
  CHECK(accepted > 100);  // the soup does produce valid strings
}

TEST_CASE("json_text: numbers, literals, skipping and objects", "[checks]") {
  JsonReader in(R"( {"a": -12, "b": 1.5e2, "c": [1, {"x": [true, false, null]}, "s"],
                   "d": 0, "e": 9223372036854775807} )");
  REQUIRE(in.BeginObject());
  std::string_view key;
  std::int64_t i = 0;
  double d = 0;
  REQUIRE(in.NextKey(&key));
  CHECK(key == "a");
  REQUIRE(in.ReadInt64(&i));
  CHECK(i == -12);
  REQUIRE(in.NextKey(&key));
  CHECK(key == "b");
  CHECK(in.PeekType() == 'n');
  REQUIRE(in.ReadDouble(&d));
  CHECK(d == 150.0);
  REQUIRE(in.NextKey(&key));
  CHECK(in.PeekType() == '[');
  REQUIRE(in.Skip());
  REQUIRE(in.NextKey(&key));
  REQUIRE(in.ReadInt64(&i));
  CHECK(i == 0);
  REQUIRE(in.NextKey(&key));
  REQUIRE(in.ReadInt64(&i));
  CHECK(i == INT64_MAX);
  CHECK_FALSE(in.NextKey(&key));
  CHECK(in.ok());
  CHECK(in.AtEnd());

  auto fails = [](const std::string& text) {
    JsonReader r(text);
    return !(r.Skip() && r.AtEnd());
  };
  // Everything nlohmann refuses, the reader refuses too.
  for (const char* bad : {"01", "1.", ".5", "-", "1e", "+1", "1e400", "[1,]", "{\"a\":1,}",
                                 "{\"a\" 1}", "[1 2]", "tru", "nul", "{", "[", "\"a", "{1:2}"}) {
    INFO(bad);
    CHECK(json::parse(bad, nullptr, false).is_discarded());
    CHECK(fails(bad));
  }
  CHECK(fails(std::string(65, '[') + std::string(65, ']')));  // deeper than 64: not handled
  CHECK_FALSE(fails(std::string(60, '[') + std::string(60, ']')));

  JsonReader big("18446744073709551616");
  CHECK_FALSE(big.ReadInt64(&i));  // beyond int64: not handled (nlohmann makes it a double)
  JsonReader frac("1.5");
  CHECK_FALSE(frac.ReadInt64(&i));
}

TEST_CASE("json_text: a string literal is reported canonical exactly when AppendJsonString writes it",
          "[checks]") {
  auto read = [](const std::string& literal, bool* canonical) {
    JsonReader in(literal);
    std::string value;
    std::string_view seen;
    REQUIRE(in.ReadStringLiteral(&value, &seen, canonical));
    CHECK(seen == literal);
    return value;
  };
  bool canonical = false;
  // What the writer produces is canonical, for any decoded value.
  std::mt19937 rng(7);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string value = RandomBytes(rng, rng() % 40);
    const std::string literal = Ours(value);
    const std::string decoded = read(literal, &canonical);
    if (!canonical) {
      INFO(literal);
      FAIL("the writer's own literal is not canonical");
    }
    CHECK(Ours(decoded) == literal);
  }
  // Other spellings of the same values are not.
  for (const char* other : {R"("a\/b")", R"("\u0041")", R"("\u00e9")", R"("\u001F")", R"("\u000a")",
                            R"("\ud83d\ude00")", R"("\u0008")"}) {
    const std::string decoded = read(other, &canonical);
    INFO(other);
    CHECK_FALSE(canonical);
    CHECK(Ours(decoded) != other);
  }
  for (const char* same : {R"("plain")", R"("q\"b\\s\n\t\r\b\f")", R"("\u001f\u0000")", "\"\xc3\xa9\x7f\""}) {
    const std::string decoded = read(same, &canonical);
    INFO(same);
    CHECK(canonical);
    CHECK(Ours(decoded) == same);
  }
}

}  // namespace
}  // namespace comply
