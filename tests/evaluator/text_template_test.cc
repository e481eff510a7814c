#include "evaluator/text_template.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace comply {
namespace {

using V = std::vector<std::string>;

TemplateSectionSpec Section(const std::string& name, const std::string& heading,
                            const std::string& body = "", bool optional = false) {
  TemplateSectionSpec s;
  s.name = name;
  s.heading = heading;
  s.body = body;
  s.optional = optional;
  return s;
}

// A report template: Summary, Findings (body must list items), Actions.
TemplateSpec Report() {
  TemplateSpec t;
  t.sections = {Section("Summary", "## Summary"), Section("Findings", "## Findings", "(?m)^- "),
                Section("Actions", "## Actions")};
  t.where = "suite.yaml:20:3";
  return t;
}

std::shared_ptr<const CompiledTemplate> MustCompile(const TemplateSpec& spec) {
  auto t = CompiledTemplate::Compile(spec);
  if (!t.ok()) FAIL(t.error().message);
  return t.value();
}

TEST_CASE("template: an exact match has no drift", "[checks]") {
  auto t = MustCompile(Report());
  TemplateOutcome o = t->Check(
      "## Summary\nAll good.\n\n## Findings\n- one\n- two\n\n  ## Actions  \r\nNone.\n");
  CHECK(o.ok());
  CHECK(o.drift_score == 0.0);
  CHECK(o.missing.empty());
  CHECK(o.extra.empty());
}

TEST_CASE("template: missing sections; optional ones may be absent", "[checks]") {
  TemplateSpec spec = Report();
  spec.sections.push_back(Section("Appendix", "## Appendix", "", /*optional=*/true));
  auto t = MustCompile(spec);
  TemplateOutcome o = t->Check("## Summary\nok\n## Findings\n- x\n");
  CHECK(o.missing == V{"Actions"});
  CHECK(o.extra.empty());
  CHECK(o.out_of_order.empty());
  CHECK(o.body_mismatch.empty());
  CHECK(o.drift_score == Approx(1.0 / 4.0));
  CHECK_FALSE(o.ok());
}

TEST_CASE("template: extra headings are drift unless allowed", "[checks]") {
  const std::string text =
      "## Summary\nok\n## Notes\nextra words\n## Findings\n- x\n## Actions\ndo\nRISKS:\nnone\n";
  TemplateOutcome o = MustCompile(Report())->Check(text);
  CHECK(o.extra == V{"## Notes", "RISKS:"});
  CHECK(o.missing.empty());
  CHECK(o.body_mismatch.empty());  // the extra section's lines are not Summary's body
  CHECK(o.drift_score == Approx(2.0 / 5.0));

  TemplateSpec spec = Report();
  spec.allow_extra = true;
  o = MustCompile(spec)->Check(text);
  CHECK(o.ok());
  CHECK(o.drift_score == 0.0);

  // A section heading seen twice: the second is an extra section.
  o = MustCompile(Report())->Check("## Summary\n## Findings\n- a\n## Actions\n## Summary\n");
  CHECK(o.extra == V{"## Summary"});
  CHECK(o.drift_score == Approx(1.0 / 4.0));
}

TEST_CASE("template: out of order is what the longest in-order run leaves out", "[checks]") {
  auto t = MustCompile(Report());
  TemplateOutcome o = t->Check("## Findings\n- x\n## Summary\nok\n## Actions\ndo\n");
  CHECK(o.out_of_order == V{"Findings"});
  CHECK(o.missing.empty());
  CHECK(o.drift_score == Approx(1.0 / 3.0));

  o = t->Check("## Actions\n## Findings\n- x\n## Summary\n");
  CHECK(o.out_of_order.size() == 2);
  CHECK(o.drift_score == Approx(2.0 / 3.0));

  TemplateSpec five;
  for (const char* n : {"A", "B", "C", "D", "E"}) {
    five.sections.push_back(Section(n, std::string("# ") + n));
  }
  // Found order A D B C E: the longest run in template order is A B C E.
  o = MustCompile(five)->Check("# A\n# D\n# B\n# C\n# E\n");
  CHECK(o.out_of_order == V{"D"});
  CHECK(o.drift_score == Approx(1.0 / 5.0));
}

TEST_CASE("template: a body pattern failing is a body mismatch", "[checks]") {
  auto t = MustCompile(Report());
  TemplateOutcome o = t->Check("## Summary\nok\n## Findings\nnothing listed\n## Actions\n- x\n");
  CHECK(o.body_mismatch == V{"Findings"});
  CHECK(o.drift_score == Approx(1.0 / 3.0));
}

TEST_CASE("template: nothing matched scores 1; the score is clamped", "[checks]") {
  auto t = MustCompile(Report());
  TemplateOutcome o = t->Check("Just a paragraph of prose.");
  CHECK(o.missing == V{"Summary", "Findings", "Actions"});
  CHECK(o.drift_score == 1.0);
  o = t->Check("");
  CHECK(o.drift_score == 1.0);
  o = t->Check("# One\n# Two\n# Three\n");
  CHECK(o.extra == V{"# One", "# Two", "# Three"});
  CHECK(o.drift_score == 1.0);
}

TEST_CASE("template: headings match the whole trimmed line, named groups work", "[checks]") {
  TemplateSpec spec;
  spec.sections = {Section("Date", "Date: (?<d>[0-9]{4}-[0-9]{2}-[0-9]{2})"),
                   Section("Total", "(?i)total")};
  spec.extra_heading = "";
  auto t = MustCompile(spec);
  CHECK(t->Check("Date: 2024-01-31\n  TOTAL\n").ok());
  TemplateOutcome o = t->Check("Date: 2024-01-31 (approx)\nThe total\n");
  CHECK(o.missing == V{"Date", "Total"});
  CHECK(o.extra.empty());
}

TEST_CASE("template: a pattern RE2 rejects names the place and the section", "[checks]") {
  TemplateSpec spec = Report();
  spec.sections[1].body = "(a";
  auto t = CompiledTemplate::Compile(spec);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().code == ErrorCode::kInvalidInput);
  CHECK(t.error().message ==
        "suite.yaml:20:3: template: section \"Findings\" body: invalid pattern \"(a\": "
        "missing ): (a");
  spec = Report();
  spec.extra_heading = "[";
  t = CompiledTemplate::Compile(spec);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message ==
        "suite.yaml:20:3: template: extra_heading: invalid pattern \"[\": missing ]: [");
}

}  // namespace
}  // namespace comply
