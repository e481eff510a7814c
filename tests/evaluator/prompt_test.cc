// prompt: placeholders, rendering, system prompt choice.
#include "evaluator/prompt.h"

#include <catch2/catch.hpp>

namespace comply {
namespace {

TEST_CASE("RenderPrompt fills {{var}}, {{ var }} and {{a.b}}", "[loader]") {
  const nlohmann::json vars = {{"doc", "INV-1"},
                               {"n", 3},
                               {"c", {{"name", "ACME"}, {"ids", {1, 2}}}},
                               {"items", {"x", "y"}}};
  CHECK(RenderPrompt("Doc: {{doc}} / {{ doc }} / {{c.name}}", vars) == "Doc: INV-1 / INV-1 / ACME");
  CHECK(RenderPrompt("{{n}} {{c.ids}} {{items.1}} {{c}}", vars) == "3 [1,2] y {\"ids\":[1,2],\"name\":\"ACME\"}");
}

TEST_CASE("RenderPrompt leaves non-placeholders and unknown vars as written", "[loader]") {
  const nlohmann::json vars = {{"a", "A"}};
  CHECK(RenderPrompt("Return {\"x\": {\"y\": 1}} and {{ not a var }} {{1x}} {{a.}}", vars) ==
        "Return {\"x\": {\"y\": 1}} and {{ not a var }} {{1x}} {{a.}}");
  CHECK(RenderPrompt("{{missing}} {{a.b}} {{a}}", vars) == "{{missing}} {{a.b}} A");
  CHECK(RenderPrompt("{{{a}}}", vars) == "{A}");
  CHECK(RenderPrompt("", vars).empty());
}

TEST_CASE("FindPlaceholders lists names, texts and offsets", "[loader]") {
  const std::vector<Placeholder> p = FindPlaceholders("a {{ x.y }} b {{z}} {{bad name}}");
  REQUIRE(p.size() == 2);
  CHECK(p[0].name == "x.y");
  CHECK(p[0].text == "{{ x.y }}");
  CHECK(p[0].offset == 2);
  CHECK(p[1].name == "z");
  CHECK(p[1].offset == 14);
}

TEST_CASE("LookupVar walks objects and array indices", "[loader]") {
  const nlohmann::json vars = {{"a", {{"b", {10, 20}}}}};
  REQUIRE(LookupVar(vars, "a.b.1") != nullptr);
  CHECK(*LookupVar(vars, "a.b.1") == 20);
  CHECK(LookupVar(vars, "a.b.2") == nullptr);
  CHECK(LookupVar(vars, "a.c") == nullptr);
  CHECK(LookupVar(vars, "a.b.x") == nullptr);
}

TEST_CASE("SystemPromptFor picks the suite's prompt for the label, else the endpoint's", "[loader]") {
  SuiteSpec suite;
  suite.system_prompts = {{"prompted", "LONG"}, {"fine-tuned", "SHORT"}};
  EndpointSpec e;
  e.system_prompt = "OWN";
  e.label = "fine-tuned";
  CHECK(SystemPromptFor(suite, e) == "SHORT");
  e.label = "other";
  CHECK(SystemPromptFor(suite, e) == "OWN");
  e.label = "";
  CHECK(SystemPromptFor(suite, e) == "OWN");
  suite.system_prompts.clear();
  e.label = "prompted";
  CHECK(SystemPromptFor(suite, e) == "OWN");
}

}  // namespace
}  // namespace comply
