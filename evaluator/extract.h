#pragma once
// Response extraction (DESIGN.md "Checks" 1): find the JSON value in a model's text and
// record every deviation from a bare JSON body as a drift category. Nothing is repaired.
//
//   Extraction e = Extract(text, ExtractionMode::kLenient, /*finish_length=*/false);
//   if (e.found) Validate(e.value);
//   for (Drift d : e.drift) Count(DriftName(d));
//
// Thread-safe (pure function). Never throws.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/json_doc.h"
#include "evaluator/suite.h"

namespace comply {

// DESIGN.md's eight categories; this is the whole list.
enum class Drift {
  kCodeFence,
  kLeadingText,
  kTrailingText,
  kMultipleJson,
  kTruncated,
  kMalformed,
  kNotJson,
  kEmpty,
};
inline constexpr int kDriftCount = 8;
inline constexpr int kMaxJsonDepth = 512;  // deeper values are not built or validated

// "code_fence", "leading_text", ... (the record / summary spelling).
std::string_view DriftName(Drift d);
// True when `d` makes a response non-compliant in `mode` (strict: any drift; lenient: only
// truncated, malformed, not_json, empty).
bool DriftFails(Drift d, ExtractionMode mode);

struct Extraction {
  bool found = false;          // a JSON value was extracted (value is set, or too_deep)
  bool too_deep = false;       // found, but nested deeper than kMaxJsonDepth: value is null
  nlohmann::json value;        // the extracted value (null when !found or too_deep)
  std::string method = "none"; // strict (whole trimmed text) | lenient (fence / prose) | none
  std::vector<Drift> drift;    // each category at most once, in enum order
  // The extracted value's text: bytes [begin, end) of the text given to Extract (set when
  // found, too_deep included).
  std::size_t begin = 0, end = 0;
};

// Extraction is always attempted, whatever `mode`; `mode` only decides which drift fails
// (DriftFails). `finish_length`: the endpoint reported finish_reason "length"; it adds
// kTruncated only when no value could be parsed.
Extraction Extract(std::string_view text, ExtractionMode mode, bool finish_length);
// The same, with the value parsed into *doc (a flat DOM, reused call after call) instead of
// Extraction::value, which stays null. *doc holds the value when found && !too_deep.
Extraction Extract(std::string_view text, ExtractionMode mode, bool finish_length, JsonDoc* doc);

}  // namespace comply
