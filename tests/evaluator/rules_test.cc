#include "evaluator/rules.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/test_util.h"

namespace comply {
namespace {

using nlohmann::json;

RuleSpec Pattern(const std::string& id, const std::string& path, const std::string& pattern) {
  RuleSpec r;
  r.id = id;
  r.kind = RuleSpec::Kind::kPattern;
  r.path = path;
  r.pattern = pattern;
  r.where = "suite.yaml:7:5";
  return r;
}

RuleSpec Forbid(const std::string& id, const std::string& pattern) {
  RuleSpec r = Pattern(id, "", pattern);
  r.kind = RuleSpec::Kind::kForbid;
  return r;
}

RuleSpec Allowed(const std::string& id, const std::string& path,
                 const std::filesystem::path& file) {
  RuleSpec r;
  r.id = id;
  r.kind = RuleSpec::Kind::kAllowedValues;
  r.path = path;
  r.values_file = file;
  r.where = "suite.yaml:9:5";
  return r;
}

RuleSpec Length(const std::string& id, const std::string& path, std::optional<std::size_t> min,
                std::optional<std::size_t> max) {
  RuleSpec r;
  r.id = id;
  r.kind = RuleSpec::Kind::kLength;
  r.path = path;
  r.min_length = min;
  r.max_length = max;
  return r;
}

std::shared_ptr<const RuleSet> MustCompile(const std::vector<RuleSpec>& specs) {
  auto rs = RuleSet::Compile(specs);
  if (!rs.ok()) FAIL(rs.error().message);
  return rs.value();
}

std::vector<RuleDetail> Run(const RuleSet& rs, const std::string& text, const json* parsed) {
  std::vector<RuleDetail> out;
  rs.Check(text, parsed, &out);
  return out;
}

std::vector<RuleDetail> RunJson(const RuleSet& rs, const char* doc) {
  const json parsed = json::parse(doc);
  return Run(rs, doc, &parsed);
}

TEST_CASE("rules: pattern is an unanchored RE2 search on a field", "[checks]") {
  auto rs = MustCompile({Pattern("inv", "/invoice_number", "^INV-[0-9]{6}$"),
                         Pattern("has-digit", "/ref", "[0-9]")});
  CHECK(RunJson(*rs, R"({"invoice_number": "INV-000001", "ref": "abc1def"})").empty());
  auto f = RunJson(*rs, R"({"invoice_number": "INV-12", "ref": "abc"})");
  REQUIRE(f.size() == 2);
  CHECK(f[0] == RuleDetail{"inv", "/invoice_number",
                           "value \"INV-12\" does not match pattern \"^INV-[0-9]{6}$\""});
  CHECK(f[1] == RuleDetail{"has-digit", "/ref", "value \"abc\" does not match pattern \"[0-9]\""});
}

TEST_CASE("rules: a missing field does not apply, a non-string fails", "[checks]") {
  auto rs = MustCompile({Pattern("inv", "/invoice_number", "^INV-")});
  CHECK(RunJson(*rs, R"({"other": 1})").empty());
  CHECK(RunJson(*rs, R"([1, 2])").empty());
  CHECK(Run(*rs, "not json", nullptr).empty());
  auto f = RunJson(*rs, R"({"invoice_number": 12})");
  REQUIRE(f.size() == 1);
  CHECK(f[0] == RuleDetail{"inv", "/invoice_number", "expected a string, got number"});
  f = RunJson(*rs, R"({"invoice_number": null})");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "expected a string, got null");
}

TEST_CASE("rules: * walks every array element, also at the end of the path", "[checks]") {
  auto rs = MustCompile({Pattern("sku", "/lines/*/sku", "^SKU-"),
                         Pattern("tag", "/tags/*", "^[a-z]+$")});
  auto f = RunJson(*rs, R"({"lines": [{"sku": "SKU-1"}, {"qty": 2}, {"sku": "X-3"}],
                            "tags": ["ok", "Bad", 3]})");
  REQUIRE(f.size() == 3);
  CHECK(f[0] == RuleDetail{"sku", "/lines/2/sku", "value \"X-3\" does not match pattern \"^SKU-\""});
  CHECK(f[1] == RuleDetail{"tag", "/tags/1", "value \"Bad\" does not match pattern \"^[a-z]+$\""});
  CHECK(f[2] == RuleDetail{"tag", "/tags/2", "expected a string, got number"});
  // An index in the path names one element; escaped keys are found.
  rs = MustCompile({Pattern("first", "/lines/0/sku", "^A"), Pattern("esc", "/a~1b", "^x$")});
  f = RunJson(*rs, R"({"lines": [{"sku": "B"}, {"sku": "C"}], "a/b": "y"})");
  REQUIRE(f.size() == 2);
  CHECK(f[0].path == "/lines/0/sku");
  CHECK(f[1].path == "/a~1b");
}

TEST_CASE("rules: named groups are translated; rejected patterns name the rule", "[checks]") {
  auto rs = MustCompile({Pattern("date", "/d", "^(?<year>[0-9]{4})-(?<month>[0-9]{2})$")});
  CHECK(RunJson(*rs, R"({"d": "2024-05"})").empty());
  CHECK(RunJson(*rs, R"({"d": "24-05"})").size() == 1);

  auto bad = RuleSet::Compile({Pattern("broken", "/d", "^INV-[0-9")});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::kInvalidInput);
  CHECK(bad.error().message ==
        "suite.yaml:7:5: rule \"broken\": invalid pattern \"^INV-[0-9\": missing ]: [0-9");
  auto look = RuleSet::Compile({Pattern("look", "/d", "(?<=a)b")});
  REQUIRE_FALSE(look.ok());
  CHECK(look.error().message ==
        "suite.yaml:7:5: rule \"look\": invalid pattern \"(?<=a)b\": invalid perl operator: (?<");
  auto ptr = RuleSet::Compile({Pattern("ptr", "d", "x")});
  REQUIRE_FALSE(ptr.ok());
  CHECK(ptr.error().message ==
        "suite.yaml:7:5: rule \"ptr\": JSON pointer \"d\" must start with \"/\"");
}

TEST_CASE("rules: pattern and length with an empty path apply to the whole text", "[checks]") {
  auto rs = MustCompile({Pattern("sig", "", "(?m)^Regards,$"), Length("short", "", 1, 20)});
  CHECK(Run(*rs, "Hi\nRegards,", nullptr).empty());
  auto f = Run(*rs, "Hello there, no signature", nullptr);
  REQUIRE(f.size() == 2);
  CHECK(f[0] == RuleDetail{"sig", "", "text does not match pattern \"(?m)^Regards,$\""});
  CHECK(f[1] == RuleDetail{"short", "", "length 25 is above the maximum 20"});
  f = Run(*rs, "", nullptr);
  REQUIRE(f.size() == 2);
  CHECK(f[1].message == "length 0 is below the minimum 1");
}

TEST_CASE("rules: forbid searches the raw text and quotes the fragment", "[checks]") {
  auto rs = MustCompile({Forbid("no-apology", "(?i)as an ai"), Forbid("long", "x{70}")});
  CHECK(Run(*rs, "{\"a\": 1}", nullptr).empty());
  auto f = Run(*rs, "Sure. As an AI language model, I ...", nullptr);
  REQUIRE(f.size() == 1);
  CHECK(f[0] == RuleDetail{"no-apology", "", "forbidden text \"As an AI\""});
  f = Run(*rs, std::string(80, 'x'), nullptr);
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "forbidden text \"" + std::string(60, 'x') + "...\"");
}

TEST_CASE("rules: a custom message replaces the default one", "[checks]") {
  RuleSpec r = Pattern("inv", "/n", "^INV-");
  r.message = "invoice numbers start with INV-";
  auto rs = MustCompile({r});
  auto f = RunJson(*rs, R"({"n": "X"})");
  REQUIRE(f.size() == 1);
  CHECK(f[0] == RuleDetail{"inv", "/n", "invoice numbers start with INV-"});
}

TEST_CASE("rules: allowed values file, comments, arrays and non-strings", "[checks]") {
  testing::TempDir dir;
  testing::WriteFile(dir / "codes.txt", "# ISO 4217\nEUR\n  USD  \r\n\n   \n# GBP\n42\ntrue\n");
  auto rs = MustCompile({Allowed("cur", "/currency", dir / "codes.txt"),
                         Allowed("all", "/codes", dir / "codes.txt")});
  CHECK(RunJson(*rs, R"({"currency": "USD", "codes": ["EUR", 42, true]})").empty());
  CHECK(RunJson(*rs, R"({"other": "XYZ"})").empty());  // missing: does not apply
  auto f = RunJson(*rs, R"({"currency": "GBP", "codes": ["EUR", "XYZ", 43, "# ISO 4217"]})");
  REQUIRE(f.size() == 4);
  CHECK(f[0] == RuleDetail{"cur", "/currency", "hallucinated value \"GBP\" (not in codes.txt)"});
  CHECK(f[1] == RuleDetail{"all", "/codes/1", "hallucinated value \"XYZ\" (not in codes.txt)"});
  CHECK(f[2] == RuleDetail{"all", "/codes/2", "hallucinated value \"43\" (not in codes.txt)"});
  CHECK(f[3].path == "/codes/3");
  CHECK(Run(*rs, "no json", nullptr).empty());
}

TEST_CASE("rules: allowed values inline and on every element of a path", "[checks]") {
  RuleSpec r;
  r.id = "unit";
  r.kind = RuleSpec::Kind::kAllowedValues;
  r.path = "/lines/*/unit";
  r.values = {"kg", "pcs"};
  auto rs = MustCompile({r});
  auto f = RunJson(*rs, R"({"lines": [{"unit": "kg"}, {"unit": "tons"}]})");
  REQUIRE(f.size() == 1);
  CHECK(f[0] ==
        RuleDetail{"unit", "/lines/1/unit", "hallucinated value \"tons\" (not in the allowed values)"});
}

TEST_CASE("rules: a missing allowed values file names the rule and the path", "[checks]") {
  testing::TempDir dir;
  const auto path = dir / "missing.txt";
  auto rs = RuleSet::Compile({Allowed("cur", "/currency", path)});
  REQUIRE_FALSE(rs.ok());
  CHECK(rs.error().code == ErrorCode::kInvalidInput);
  CHECK(rs.error().message == "suite.yaml:9:5: rule \"cur\": cannot read allowed values file \"" +
                                  path.string() + "\": No such file or directory");
}

TEST_CASE("rules: 100,000 allowed values stay a hash lookup", "[checks]") {
  testing::TempDir dir;
  std::string content;
  for (int i = 0; i < 100000; ++i) content += "CODE-" + std::to_string(i) + "\n";
  testing::WriteFile(dir / "big.txt", content);
  auto rs = MustCompile({Allowed("code", "/codes", dir / "big.txt")});
  json doc = {{"codes", json::array()}};
  for (int i = 0; i < 100000; i += 7) doc["codes"].push_back("CODE-" + std::to_string(i));
  doc["codes"].push_back("CODE-100000");
  std::vector<RuleDetail> f;
  rs->Check("", &doc, &f);
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "hallucinated value \"CODE-100000\" (not in big.txt)");
}

TEST_CASE("rules: length counts Unicode code points of a string field", "[checks]") {
  auto rs = MustCompile({Length("name", "/name", 2, 4)});
  CHECK(RunJson(*rs, R"({"name": "\u00e9t\u00e9"})").empty());  // 3 code points, 5 bytes
  auto f = RunJson(*rs, R"({"name": "\u00e9"})");
  REQUIRE(f.size() == 1);
  CHECK(f[0] == RuleDetail{"name", "/name", "length 1 is below the minimum 2"});
  f = RunJson(*rs, R"({"name": "abcde"})");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "length 5 is above the maximum 4");
  f = RunJson(*rs, R"({"name": ["ab"]})");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "expected a string, got array");
  CHECK(RunJson(*rs, R"({})").empty());
}

}  // namespace
}  // namespace comply
