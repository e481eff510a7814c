#pragma once
// Template drift for text outputs (DESIGN.md "Checks" 5).
//
//   Result<std::shared_ptr<const CompiledTemplate>> t = CompiledTemplate::Compile(spec);
//   TemplateOutcome o = (*t)->Check(text);   // o.drift_score in [0, 1]
//
// Immutable and thread-safe once compiled.

#include <memory>
#include <string_view>

#include "evaluator/record.h"
#include "evaluator/suite.h"
#include "providers/result.h"

namespace comply {

class CompiledTemplate {
 public:
  virtual ~CompiledTemplate() = default;
  static Result<std::shared_ptr<const CompiledTemplate>> Compile(const TemplateSpec& spec);
  virtual TemplateOutcome Check(std::string_view text) const = 0;
};

}  // namespace comply
