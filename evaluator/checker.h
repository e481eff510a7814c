#pragma once
// All of a suite's checks, compiled once: extraction, schema, hallucinated fields, rules,
// template, gold (DESIGN.md "Checks, per response") and the compliance verdict.
//
//   Result<std::shared_ptr<const SuiteChecker>> c = SuiteChecker::Compile(suite);
//   Record r; r.output = text; r.finish_reason = "stop";
//   (*c)->Check(&suite.cases[i], &r);        // fills parsed ... compliant
//
// Immutable once compiled; Check is thread-safe and never throws.

#include <memory>
#include <optional>

#include "evaluator/record.h"
#include "evaluator/schema.h"
#include "evaluator/rules.h"
#include "evaluator/suite.h"
#include "evaluator/text_template.h"
#include "providers/result.h"

namespace comply {

class SuiteChecker {
 public:
  // Compiles the suite's schema, rules and template. Errors name the suite file and place.
  static Result<std::shared_ptr<const SuiteChecker>> Compile(const SuiteSpec& suite);
  // Same, for `comply check --schema F`: a schema-only suite.
  static Result<std::shared_ptr<const SuiteChecker>> Compile(
      const SuiteSpec& suite, std::optional<ExtractionMode> extraction_override);

  // Scores r->output (and r->finish_reason) and fills the check fields of *r. Records whose
  // status is not "ok" are left unscored (compliant = false). `c` (may be null) supplies gold.
  void Check(const Case* c, Record* r) const;
  // The same checks, for callers that write the record line and keep only counts (comply
  // check): r->parsed is the value only when something downstream reads it (hallucinated
  // fields, for their wildcards), else `true` — "a value was parsed", its text being
  // r->output[parsed_begin, parsed_end). The tree is built from the flat DOM only then.
  void CheckLean(const Case* c, Record* r) const;

  const SuiteSpec& suite() const { return suite_; }
  ExtractionMode extraction() const { return extraction_; }

 private:
  SuiteChecker() = default;
  void CheckImpl(const Case* c, Record* r, bool lean) const;
  SuiteSpec suite_;
  ExtractionMode extraction_ = ExtractionMode::kStrict;
  std::shared_ptr<const CompiledSchema> schema_;
  std::shared_ptr<const RuleSet> rules_;
  std::shared_ptr<const CompiledTemplate> template_;
};

}  // namespace comply
