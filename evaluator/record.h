#pragma once
// One result record: one planned (suite, case, endpoint, sample), success or error
// (DESIGN.md "Result record"). Serialised as one line of results.jsonl.
//
//   Record r; r.case_id = "inv-001"; ...
//   out << r.ToJson().dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
//   Result<Record> back = Record::FromJson(line_json);

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/result.h"

namespace comply {

using json = nlohmann::json;

struct SchemaError {
  std::string path;     // RFC 6901 pointer into the instance ("" = the root)
  std::string keyword;  // the schema keyword that failed ("required", "type", "maxDepth" ...)
  std::string message;
  bool operator==(const SchemaError&) const = default;
};

struct RuleDetail {
  std::string id;
  std::string path;  // pointer of the offending value; "" for whole-text rules
  std::string message;
  bool operator==(const RuleDetail&) const = default;
};

struct FieldMatch {
  std::string path;  // pointer into expected / parsed
  std::string kind;  // exact | normalized | numeric | set
  bool match = false;
  json expected;
  json actual;  // null when missing
};

struct TemplateOutcome {
  double drift_score = 0;  // 0 = exact template, 1 = nothing of it
  std::vector<std::string> missing;
  std::vector<std::string> extra;
  std::vector<std::string> out_of_order;
  std::vector<std::string> body_mismatch;
  bool ok() const {
    return missing.empty() && extra.empty() && out_of_order.empty() && body_mismatch.empty();
  }
};

struct Record {
  std::string case_id;
  std::string suite;
  std::string endpoint;
  int sample = 0;
  std::vector<std::string> tags;
  std::string status = "ok";  // ok | timeout | http_4xx | http_5xx | rate_limited | connection
                              // | bad_envelope | bad_input
  int http_status = 0;        // 0 = no HTTP response
  int attempts = 0;
  bool cached = false;
  std::string model;
  std::string request_id;
  std::string system_fingerprint;
  std::string finish_reason;
  double latency_ms = 0;
  std::int64_t input_tokens = 0;
  std::int64_t cached_input_tokens = 0;
  std::int64_t output_tokens = 0;
  double cost_usd = 0;
  std::string output;            // raw text
  json parsed;                   // null when nothing was extracted
  // Where `parsed` was read from in `output` ([begin, end) byte offsets), so the record line
  // can copy that text instead of serialising the tree; empty when unknown (set by the
  // checker; a record read back or built by hand has none). Not a record field.
  std::size_t parsed_begin = 0, parsed_end = 0;
  // That span is already minified (no whitespace outside strings): copied as it is.
  bool parsed_minified = false;
  std::string extraction = "none";  // strict | lenient | none
  std::vector<std::string> drift;   // DESIGN.md's eight categories
  bool schema_valid = false;
  std::vector<SchemaError> schema_errors;
  std::vector<std::string> hallucinated_fields;
  std::vector<std::string> rule_failures;  // rule ids, in order, may repeat per pointer? no: unique
  std::vector<RuleDetail> rule_details;
  std::optional<TemplateOutcome> template_outcome;  // serialised as "template"
  std::vector<FieldMatch> field_matches;           // serialised when non-empty
  bool compliant = false;
  std::string error;  // error detail for status != ok (never a secret)

  bool ok() const { return status == "ok"; }
  // The record as one JSON object with DESIGN.md's field names.
  json ToJson() const;
  // Reads a record back; fields missing from `j` keep their defaults. Fails only when `j` is
  // not an object or a field has the wrong type (message names the field).
  static Result<Record> FromJson(const json& j);
};

// Reads one results.jsonl line into *out without building a DOM of the whole line (only
// `parsed` and gold values are parsed as JSON). Returns false — *out then unspecified — on
// anything it does not handle (including every line FromJson would refuse); the caller then
// parses the line with nlohmann and FromJson, which give the same record or the exact error.
bool RecordFromLine(std::string_view line, Record* out);

// One line of results.jsonl, no newline: the same JSON value as ToJson() (keys in the same
// order, invalid UTF-8 replaced by U+FFFD), written straight into a buffer without building a
// DOM. `parsed` is copied from its span of `output` (minified, keys in the response's order)
// when the span is known, and serialised from the tree otherwise.
std::string RecordLine(const Record& r);
// RecordLine appended to *out (no newline). `output_literal`, when not empty, is r.output as a
// JSON string literal exactly as AppendJsonString writes it (e.g. the input line's own literal,
// JsonReader::ReadStringLiteral said canonical): copied instead of re-escaping r.output.
void AppendRecordLine(const Record& r, std::string* out, std::string_view output_literal = {});

}  // namespace comply
