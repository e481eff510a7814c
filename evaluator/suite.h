#pragma once
// The suite model: what a suite file says, after loading (evaluator/suite_loader.h reads it,
// checks it and resolves every relative path against the suite's folder).
//
//   Result<SuiteSpec> s = LoadSuite("suites/invoice/suite.yaml");
//   for (const Case& c : s->cases) Render(s->prompt, c.vars);
//
// Plain data, copyable, no third-party types but nlohmann::json.

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace comply {

using json = nlohmann::json;

enum class ExtractionMode { kStrict, kLenient };

// One format rule (DESIGN.md "Checks" 4). Exactly one of pattern / forbid / allowed values /
// length limits is the rule's kind; `path` applies to pattern, allowed values and length.
struct RuleSpec {
  enum class Kind { kPattern, kForbid, kAllowedValues, kLength };
  std::string id;
  Kind kind = Kind::kPattern;
  std::string path;                     // JSON Pointer, `*` for every array element; "" = whole text
  std::string pattern;                  // kPattern: RE2, unanchored search; kForbid: RE2 on the text
  std::filesystem::path values_file;    // kAllowedValues (absolute after loading)
  std::vector<std::string> values;      // kAllowedValues: inline `allowed_values: [..]`
  std::optional<std::size_t> min_length;  // kLength: in Unicode code points
  std::optional<std::size_t> max_length;
  std::string message;                  // optional custom message
  std::string where;                    // "suite.yaml:14:7", for errors about this rule
};

// A text template (DESIGN.md "Checks" 5): an ordered list of sections.
struct TemplateSectionSpec {
  std::string name;
  std::string heading;  // RE2 matched against a whole line (anchored at both ends)
  std::string body;     // optional RE2, unanchored search in the section's body text
  bool optional = false;
};
struct TemplateSpec {
  std::vector<TemplateSectionSpec> sections;
  bool allow_extra = false;  // extra sections (lines matching `extra_heading`) are drift unless set
  std::string extra_heading = "^#{1,6} .*$|^[A-Z][A-Z /&-]{2,}:?$";  // what counts as a heading
  std::string where;
};

// How a gold field is compared (DESIGN.md "Checks" 6).
struct MatchSpec {
  enum class Kind { kExact, kNormalized, kNumeric, kSet };
  Kind kind = Kind::kExact;
  double tolerance = 0.0;  // kNumeric: absolute tolerance
};

struct Case {
  std::string id;
  json vars = json::object();
  std::optional<json> expected;
  std::vector<std::string> tags;
  std::string where;  // "suite.yaml:31:5" or "cases.jsonl:7"
};

struct StreamedCases;  // evaluator/case_source.h

struct SuiteSpec {
  std::string name;
  std::filesystem::path file;  // the suite file, absolute
  std::filesystem::path dir;   // its folder: the root for relative paths and for $ref
  std::optional<json> schema;  // inline or loaded from `schema: file.json`
  std::filesystem::path schema_file;  // empty when inline
  ExtractionMode extraction = ExtractionMode::kStrict;
  std::string prompt;                                   // `{{var}}` placeholders
  std::map<std::string, std::string> system_prompts;    // label -> text (files already read)
  std::vector<RuleSpec> rules;
  std::optional<TemplateSpec> text_template;            // `template:` key
  std::map<std::string, MatchSpec> match;               // gold field pointer -> match kind
  bool tool_output = false;  // `output: tool`: the answer is the first tool call's arguments
  std::vector<Case> cases;
  // Set only when the loader streams `cases_file` (SetStreamCasesFiles, used by `comply run`):
  // then `cases` holds the inline cases and the file's cases are read on demand through
  // evaluator/case_source.h (CaseCount / CaseAt), so memory does not grow with the cases.
  std::shared_ptr<const StreamedCases> streamed_cases;
};

}  // namespace comply
