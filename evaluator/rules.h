#pragma once
// Format rules (DESIGN.md "Checks" 4), RE2 only.
//
//   Result<std::shared_ptr<const RuleSet>> rs = RuleSet::Compile(suite.rules);
//   std::vector<RuleDetail> failures;
//   (*rs)->Check(text, parsed_or_null, &failures);
//
// A compiled RuleSet is immutable and thread-safe.

#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/record.h"
#include "evaluator/suite.h"
#include "providers/result.h"

namespace comply {

class RuleSet {
 public:
  virtual ~RuleSet() = default;
  // Compiles every pattern and reads every allowed_values_file (one value a line, trimmed,
  // `#` comments, blank lines skipped). Fails naming the rule's `where` and the offending text.
  static Result<std::shared_ptr<const RuleSet>> Compile(const std::vector<RuleSpec>& rules);

  // Appends one RuleDetail per failure: {rule id, pointer of the offending value, message}.
  // `parsed` is null when nothing was extracted: field rules then do not apply.
  // A missing field: rule does not apply; a non-string value fails a pattern rule;
  // allowed values: each array element is checked, values outside the list are reported as
  // "hallucinated value".
  virtual void Check(std::string_view text, const nlohmann::json* parsed,
                     std::vector<RuleDetail>* failures) const = 0;

  // True when some rule reads the parsed value (field rules); Check then needs `parsed`.
  virtual bool NeedsParsed() const = 0;
};

}  // namespace comply
