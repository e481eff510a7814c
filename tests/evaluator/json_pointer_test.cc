#include "evaluator/json_pointer.h"

#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

namespace comply {
namespace {

using nlohmann::json;

std::vector<std::pair<std::string, json>> Walk(const json& doc, const char* pattern) {
  auto tokens = ParsePointerPattern(pattern);
  REQUIRE(tokens.ok());
  std::vector<std::pair<std::string, json>> out;
  WalkPointerPattern(doc, *tokens, [&](const json& v, const PointerFrame* at) {
    out.emplace_back(PointerString(at), v);
  });
  return out;
}

TEST_CASE("json_pointer: escaping and parsing follow RFC 6901", "[checks]") {
  CHECK(EscapePointerToken("a/b~c") == "a~1b~0c");
  CHECK(EscapePointerToken("") == "");
  std::string p;
  AppendPointerToken("m~n", &p);
  AppendPointerIndex(12, &p);
  AppendPointerToken("", &p);
  CHECK(p == "/m~0n/12/");

  auto t = ParsePointerPattern("/a~1b/~0/*//0");
  REQUIRE(t.ok());
  CHECK(*t == std::vector<std::string>{"a/b", "~", "*", "", "0"});
  CHECK(ParsePointerPattern("")->empty());

  auto bad = ParsePointerPattern("a/b");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "JSON pointer \"a/b\" must start with \"/\"");
  bad = ParsePointerPattern("/a~2");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message ==
        "JSON pointer \"/a~2\": \"~\" must be followed by 0 or 1 (write ~0 for ~, ~1 for /)");
}

TEST_CASE("json_pointer: array indices as RFC 6901 spells them", "[checks]") {
  std::size_t i = 99;
  CHECK(ParseArrayIndex("0", &i));
  CHECK(i == 0);
  CHECK(ParseArrayIndex("17", &i));
  CHECK(i == 17);
  CHECK_FALSE(ParseArrayIndex("01", &i));
  CHECK_FALSE(ParseArrayIndex("-1", &i));
  CHECK_FALSE(ParseArrayIndex("", &i));
  CHECK_FALSE(ParseArrayIndex("1a", &i));
  CHECK_FALSE(ParseArrayIndex("99999999999999999999999", &i));
}

TEST_CASE("json_pointer: walking with * visits every array element", "[checks]") {
  const json doc = json::parse(R"({"lines": [{"sku": "A"}, {"qty": 1}, {"sku": "C"}],
                                   "tags": ["x", "y"], "a/b": {"*": 5}, "m": [[1, 2], [3]]})");
  auto v = Walk(doc, "/lines/*/sku");
  REQUIRE(v.size() == 2);
  CHECK(v[0] == std::make_pair(std::string("/lines/0/sku"), json("A")));
  CHECK(v[1] == std::make_pair(std::string("/lines/2/sku"), json("C")));

  v = Walk(doc, "/tags/*");
  REQUIRE(v.size() == 2);
  CHECK(v[1].first == "/tags/1");

  v = Walk(doc, "/m/*/*");
  REQUIRE(v.size() == 3);
  CHECK(v[2] == std::make_pair(std::string("/m/1/0"), json(3)));

  v = Walk(doc, "/a~1b/*");  // on an object, * is a member name
  REQUIRE(v.size() == 1);
  CHECK(v[0].first == "/a~1b/*");
  CHECK(v[0].second == 5);

  v = Walk(doc, "");
  REQUIRE(v.size() == 1);
  CHECK(v[0].first == "");

  CHECK(Walk(doc, "/lines/5/sku").empty());
  CHECK(Walk(doc, "/lines/01").empty());
  CHECK(Walk(doc, "/missing/*").empty());
  CHECK(Walk(doc, "/tags/0/deeper").empty());
  CHECK(Walk(doc, "/lines/1").size() == 1);
}

}  // namespace
}  // namespace comply
