// JsonDoc against nlohmann's parser: same acceptance, same values, same number kinds.
#include "evaluator/json_doc.h"

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "evaluator/extract.h"

namespace comply {
namespace {

using json = nlohmann::json;

// Equal values with equal kinds (nlohmann's == says 1 == 1.0 and ignores signedness).
bool SameValue(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::value_t::array:
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!SameValue(a[i], b[i])) return false;
      }
      return true;
    case json::value_t::object: {
      if (a.size() != b.size()) return false;
      auto ia = a.begin();
      auto ib = b.begin();
      for (; ia != a.end(); ++ia, ++ib) {
        if (ia.key() != ib.key() || !SameValue(ia.value(), ib.value())) return false;
      }
      return true;
    }
    case json::value_t::number_float: {
      const double x = a.get<double>(), y = b.get<double>();
      return std::memcmp(&x, &y, sizeof x) == 0;  // -0.0 and 0.0 differ
    }
    default:
      return a == b;
  }
}

// Parse agrees with nlohmann on `text`; returns whether it accepted.
bool Agrees(JsonDoc* doc, const std::string& text) {
  const json expected = json::parse(text, nullptr, false);
  const bool ok = doc->Parse(text);
  INFO("text: " << text);
  REQUIRE(ok == !expected.is_discarded());
  if (ok) {
    const json got = doc->root().ToJson();
    INFO("got: " << got.dump() << " expected: " << expected.dump());
    REQUIRE(SameValue(got, expected));
  }
  return ok;
}

TEST_CASE("JsonDoc accepts and rejects what nlohmann does, with the same values", "[json_doc]") {
  JsonDoc doc;
  const std::vector<std::string> valid = {
      "0", "-0", "-0.0", "1.5", "1E+2", "1e-7", "-12.5e3", "123456789012345678",
      "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
      "-9223372036854775808", "-9223372036854775809", "1e308", "4.9e-324", "0.1",
      "true", "false", "null", "\"\"", " \t\r\n{}\n ", "[]", "[ ]", "{ }",
      R"("a\"b\\c\/d\b\f\n\r\t")", R"("\u00e9\u20ac\ud83d\ude00")", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
      R"({"b": 1, "a": [true, null, "x"], "c": {"z": -1, "y": 2.5}})",
      R"({"a": 1, "a": 2})", R"({"k": 1, "j": 2, "k": 3, "j": 4, "a": 5})",
      R"({"\u0061": 1, "a\nb": 2})", R"([[[[[]]]], {"": ""}])", "\xEF\xBB\xBF{\"bom\": 1}",
  };
  for (const std::string& t : valid) CHECK(Agrees(&doc, t));
  const std::vector<std::string> invalid = {
      "", " ", "01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "1e400",
      "-1e400", "tru", "nul", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "{} {}", "\"abc",
      "\"\\x\"", "\"\\u12\"", "\"\\udc00\"", "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"a\x01b\"",
      "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf5\x80\x80\x80\"", "\"\xe2\x82\"", "[", "]", "{\"a\":",
      "'a'", "[1]x",
  };
  for (const std::string& t : invalid) CHECK_FALSE(Agrees(&doc, t));
}

TEST_CASE("JsonDoc keeps members sorted by key, the last duplicate winning, and finds them", "[json_doc]") {
  JsonDoc doc;
  REQUIRE(doc.Parse(R"({"b": 1, "a": 2, "\u00e9": 3, "B": 4, "a": 5})"));
  const JsonRef root = doc.root();
  REQUIRE(root.size() == 4);
  CHECK(root.key(0) == "B");
  CHECK(root.key(1) == "a");
  CHECK(root.key(2) == "b");
  CHECK(root.key(3) == "\xc3\xa9");  // bytes compare unsigned, as std::map does
  CHECK(root.find("a").as_uint() == 5);
  CHECK_FALSE(root.find("c").valid());
  CHECK_FALSE(root.find("b").find("x").valid());  // not an object
  CHECK(root.find("B").type() == JsonType::kUint);
}

TEST_CASE("JsonDoc says when the value's text is already minified", "[json_doc]") {
  JsonDoc doc;
  REQUIRE(doc.Parse(" {\"a\":[1,\"b c\"],\"d\":{}} \n"));
  CHECK(doc.minified());  // whitespace around the value and inside strings does not count
  REQUIRE(doc.Parse("{\"a\": 1}"));
  CHECK_FALSE(doc.minified());
  REQUIRE(doc.Parse("[1,\n2]"));
  CHECK_FALSE(doc.minified());
  REQUIRE(doc.Parse("\"x\""));
  CHECK(doc.minified());
  REQUIRE(doc.Parse("\xEF\xBB\xBF{}"));  // nlohmann's parse: not known
  CHECK_FALSE(doc.minified());
}

TEST_CASE("JsonDoc number kinds follow nlohmann", "[json_doc]") {
  JsonDoc doc;
  REQUIRE(doc.Parse("[1, -1, 1.0, 18446744073709551615, 18446744073709551616, -9223372036854775808]"));
  const JsonRef a = doc.root();
  CHECK(a.at(0).type() == JsonType::kUint);
  CHECK(a.at(1).type() == JsonType::kInt);
  CHECK(a.at(1).as_int() == -1);
  CHECK(a.at(2).type() == JsonType::kDouble);
  CHECK(a.at(3).as_uint() == UINT64_MAX);
  CHECK(a.at(4).type() == JsonType::kDouble);
  CHECK(a.at(5).as_int() == INT64_MIN);
}

TEST_CASE("JsonDoc refuses nesting beyond the cap and is reusable after a failure", "[json_doc]") {
  JsonDoc doc;
  const std::string deep = std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  CHECK_FALSE(doc.Parse(deep));
  const std::string at_cap = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  CHECK(Agrees(&doc, at_cap));
  CHECK_FALSE(doc.Parse("[1, 2"));
  CHECK(doc.empty());
  REQUIRE(doc.Parse(R"({"x": "y"})"));
  CHECK(doc.root().find("x").as_string() == "y");
}

TEST_CASE("JsonDoc agrees with nlohmann on mutated documents", "[json_doc]") {
  const std::vector<std::string> seeds = {
      R"({"invoice_id": "INV-1", "total": 12.5, "items": [{"sku": "A", "qty": 2, "price": -0.01}], "paid": false, "note": null})",
      R"([1, -2, 3.5e2, "s\u00e9\n", {"k": [true, {}]}, 18446744073709551615])",
      "{\"\xc3\xa9t\xc3\xa9\": \"\xe2\x82\xac 5\", \"a\\\"b\": [\"\\ud83d\\ude00\"]}",
  };
  const std::string alphabet = "{}[]\",:0123456789-+.eE \\u\x01\x80\xc3\xa9truefalsn";
  std::mt19937 rng(20261128);
  JsonDoc doc;
  int accepted = 0, rejected = 0;
  for (int iter = 0; iter < 30000; ++iter) {
    std::string t = seeds[static_cast<std::size_t>(iter) % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !t.empty(); ++e) {
      const std::size_t at = rng() % t.size();
      switch (rng() % 4) {
        case 0: t[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: t.erase(at, 1); break;
        case 2: t.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default: t.resize(at); break;
      }
    }
    if (Agrees(&doc, t)) {
      ++accepted;
    } else {
      ++rejected;
    }
  }
  // Both sides of the boundary were exercised.
  CHECK(accepted > 1000);
  CHECK(rejected > 1000);
}

}  // namespace
}  // namespace comply
