#pragma once
// junit.xml: one <testsuite> per (endpoint, suite), one <testcase> per record, named
// "<case_id>#<sample>" with classname "<endpoint>.<suite>". A non-compliant answer is a
// <failure type="non_compliant"> listing every reason; an endpoint error (status != ok) is an
// <error type="<status>">. Every attribute and text is escaped with XmlText, so the file is
// valid XML 1.0 whatever bytes the model produced.
//
//   std::vector<std::string> why = FailureReasons(record);   // "drift: code_fence", ...
//   std::string xml = JunitTestcase(record);                  // "<testcase .../>\n"
//
// Pure functions: thread-safe, never throw.

#include <cstddef>
#include <string>
#include <vector>

#include "evaluator/record.h"

namespace comply {

// At most this many bytes of a failing response are copied into its <failure> body; the full
// text stays in results.jsonl.
inline constexpr std::size_t kJunitOutputBytes = 4096;

// Why an answered record is not compliant, one line each: "drift: code_fence",
// "schema /total [type]: must be number", "hallucinated field: /note",
// "rule invoice-number at /invoice_number: ...", "template: missing section IMPACT",
// "gold mismatch /vendor: expected "A", got "B"" (gold mismatches are informative: they do not
// decide compliance). Empty for a compliant record without gold mismatches.
std::vector<std::string> FailureReasons(const Record& r);

// The <testcase> element of `r` (with its <failure> or <error> child), newline-terminated.
std::string JunitTestcase(const Record& r);

}  // namespace comply
