#include "reports/csv_writer.h"

#include <map>
#include <string_view>

#include "reports/format_util.h"
#include "reports/json_access.h"
#include "reports/output_file.h"
#include "reports/text_escape.h"
#include "reports/writers.h"

namespace comply {

namespace {

using nlohmann::json;

std::string Join(const std::vector<std::string>& items, std::string_view sep = "; ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

std::string PointerText(const std::string& p) { return p.empty() ? "(root)" : p; }

std::string Bool(bool b) { return b ? "true" : "false"; }

// A figure of summary.json as a cell: numbers shortest, absent or null empty.
std::string NumCell(const json& j, std::initializer_list<std::string_view> path) {
  std::optional<double> v = Number(j, path);
  return v ? CsvRaw(ShortestNumber(*v)) : "";
}

std::string CiCell(const json& j, std::initializer_list<std::string_view> path, std::size_t i) {
  std::optional<double> v = NumberAt(j, path, i);
  return v ? CsvRaw(ShortestNumber(*v)) : "";
}

const char* const kDrift[] = {"code_fence", "leading_text", "trailing_text", "multiple_json",
                              "truncated",  "malformed",    "not_json",      "empty"};

std::vector<std::string> MetricsRow(const std::string& endpoint, const json& ep,
                                    const std::string& scope, const std::string& name,
                                    const json& m) {
  std::vector<std::string> row = {
      CsvCell(endpoint),
      CsvCell(Text(ep, {"label"})),
      CsvCell(Text(ep, {"model"})),
      CsvCell(scope),
      CsvCell(name),
      NumCell(m, {"total"}),
      NumCell(m, {"answered"}),
      NumCell(m, {"errors"}),
      NumCell(m, {"error_rate"}),
      NumCell(m, {"compliant"}),
      NumCell(m, {"compliance_rate"}),
      CiCell(m, {"compliance_ci"}, 0),
      CiCell(m, {"compliance_ci"}, 1),
      NumCell(m, {"case_level", "cases"}),
      NumCell(m, {"case_level", "compliance_rate"}),
      CiCell(m, {"case_level", "compliance_ci"}, 0),
      CiCell(m, {"case_level", "compliance_ci"}, 1),
      NumCell(m, {"case_level", "flaky"}),
      NumCell(m, {"parsed"}),
      NumCell(m, {"parse_rate"}),
      NumCell(m, {"schema_valid"}),
      NumCell(m, {"schema_valid_rate"}),
      NumCell(m, {"hallucinated"}),
      NumCell(m, {"hallucination_rate"}),
      NumCell(m, {"field_accuracy", "accuracy"}),
      NumCell(m, {"template", "drift_mean"}),
      NumCell(m, {"latency_ms", "p50"}),
      NumCell(m, {"latency_ms", "p95"}),
      NumCell(m, {"latency_ms", "p99"}),
      NumCell(m, {"tokens", "input"}),
      NumCell(m, {"tokens", "cached_input"}),
      NumCell(m, {"tokens", "output"}),
      NumCell(m, {"cost_usd"}),
      NumCell(m, {"cost_per_1k_requests"}),
      NumCell(m, {"cached_share"}),
  };
  for (const char* d : kDrift) row.push_back(NumCell(m, {"drift", d}));
  return row;
}

// Endpoint names in display order: endpoint_order, then any other key of "endpoints".
std::vector<std::string> EndpointNames(const json& summary) {
  std::vector<std::string> names;
  if (const json* order = Find(summary, {"endpoint_order"}); order && order->is_array()) {
    for (const json& n : *order) {
      if (n.is_string()) names.push_back(n.get<std::string>());
    }
  }
  if (const json* eps = Find(summary, {"endpoints"}); eps && eps->is_object()) {
    for (auto it = eps->begin(); it != eps->end(); ++it) {
      bool seen = false;
      for (const auto& n : names) seen = seen || n == it.key();
      if (!seen) names.push_back(it.key());
    }
  }
  return names;
}

// results.csv is written as the records stream by; summary.csv at Finish.
class CsvSink : public RecordSink {
 public:
  explicit CsvSink(std::filesystem::path run_dir, std::unique_ptr<OutputFile> results)
      : run_dir_(std::move(run_dir)), results_(std::move(results)) {}

  Status Add(const Record& r) override {
    results_->Write(JoinCsvRow(ResultsCsvRow(r)));
    return Status::Ok();  // a write error sticks in the file and comes out of Commit
  }

  Status Finish(const ReportInputs& in) override {
    if (Status c = results_->Commit(); !c.ok()) return c;
    auto summary = OutputFile::Open(run_dir_ / "summary.csv");
    if (!summary.ok()) return summary.error();
    (*summary)->Write(JoinCsvRow(SummaryCsvColumns()));
    for (const auto& row : SummaryCsvRows(in.summary)) (*summary)->Write(JoinCsvRow(row));
    return (*summary)->Commit();
  }

 private:
  std::filesystem::path run_dir_;
  std::unique_ptr<OutputFile> results_;
};

class CsvWriter : public ReportWriter {
 public:
  std::string format() const override { return "csv"; }

  Result<std::unique_ptr<RecordSink>> Start(const std::filesystem::path& run_dir) const override {
    auto results = OutputFile::Open(run_dir / "results.csv");
    if (!results.ok()) return results.error();
    (*results)->Write(JoinCsvRow(ResultsCsvColumns()));
    return std::unique_ptr<RecordSink>(new CsvSink(run_dir, std::move(*results)));
  }

  Status Write(const ReportInputs& in) const override { return WriteReports(in, {this}); }
};

}  // namespace

const std::vector<std::string>& ResultsCsvColumns() {
  static const std::vector<std::string> kColumns = {
      "suite",          "case_id",          "endpoint",          "sample",
      "tags",           "status",           "compliant",         "http_status",
      "attempts",       "cached",           "model",             "request_id",
      "system_fingerprint", "finish_reason", "latency_ms",       "input_tokens",
      "cached_input_tokens", "output_tokens", "cost_usd",        "extraction",
      "drift",          "schema_valid",     "schema_error_count", "schema_errors",
      "hallucinated_fields", "rule_failures", "rule_details",    "template_drift_score",
      "gold_matched",   "gold_total",       "error",             "output",
      "parsed"};
  return kColumns;
}

std::vector<std::string> ResultsCsvRow(const Record& r) {
  std::vector<std::string> schema_errors;
  for (const SchemaError& e : r.schema_errors) {
    schema_errors.push_back(PointerText(e.path) + " [" + e.keyword + "] " + e.message);
  }
  std::vector<std::string> rule_details;
  for (const RuleDetail& d : r.rule_details) {
    rule_details.push_back(d.id + " at " + PointerText(d.path) + ": " + d.message);
  }
  int gold_matched = 0;
  for (const FieldMatch& m : r.field_matches) gold_matched += m.match ? 1 : 0;
  const bool gold = !r.field_matches.empty();
  return {
      CsvCell(r.suite),
      CsvCell(r.case_id),
      CsvCell(r.endpoint),
      CsvRaw(std::to_string(r.sample)),
      CsvCell(Join(r.tags)),
      CsvCell(r.status),
      Bool(r.compliant),
      CsvRaw(std::to_string(r.http_status)),
      CsvRaw(std::to_string(r.attempts)),
      Bool(r.cached),
      CsvCell(r.model),
      CsvCell(r.request_id),
      CsvCell(r.system_fingerprint),
      CsvCell(r.finish_reason),
      CsvRaw(ShortestNumber(r.latency_ms)),
      CsvRaw(std::to_string(r.input_tokens)),
      CsvRaw(std::to_string(r.cached_input_tokens)),
      CsvRaw(std::to_string(r.output_tokens)),
      CsvRaw(ShortestNumber(r.cost_usd)),
      CsvCell(r.extraction),
      CsvCell(Join(r.drift)),
      Bool(r.schema_valid),
      CsvRaw(std::to_string(r.schema_errors.size())),
      CsvCell(Join(schema_errors)),
      CsvCell(Join(r.hallucinated_fields)),
      CsvCell(Join(r.rule_failures)),
      CsvCell(Join(rule_details)),
      r.template_outcome ? CsvRaw(ShortestNumber(r.template_outcome->drift_score)) : "",
      gold ? CsvRaw(std::to_string(gold_matched)) : "",
      gold ? CsvRaw(std::to_string(r.field_matches.size())) : "",
      CsvCell(r.error),
      CsvCell(r.output),
      r.parsed.is_null()
          ? ""
          : CsvCell(r.parsed.dump(-1, ' ', false, json::error_handler_t::replace)),
  };
}

const std::vector<std::string>& SummaryCsvColumns() {
  static const std::vector<std::string> kColumns = [] {
    std::vector<std::string> c = {
        "endpoint", "label", "model", "scope", "name", "total", "answered", "errors",
        "error_rate", "compliant", "compliance_rate", "compliance_ci_low", "compliance_ci_high",
        "cases", "case_compliance_rate", "case_compliance_ci_low", "case_compliance_ci_high",
        "flaky_cases", "parsed", "parse_rate", "schema_valid", "schema_valid_rate",
        "hallucinated", "hallucination_rate", "field_accuracy", "template_drift_mean",
        "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "input_tokens",
        "cached_input_tokens", "output_tokens", "cost_usd", "cost_per_1k_requests",
        "cached_share"};
    for (const char* d : kDrift) c.push_back(std::string("drift_") + d);
    return c;
  }();
  return kColumns;
}

std::vector<std::vector<std::string>> SummaryCsvRows(const json& summary) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& name : EndpointNames(summary)) {
    const json* ep = Find(summary, {"endpoints", name});
    if (ep == nullptr || !ep->is_object()) continue;
    rows.push_back(MetricsRow(name, *ep, "endpoint", "", *ep));
    for (const char* scope : {"suites", "tags"}) {
      const json* group = Find(*ep, {scope});
      if (group == nullptr || !group->is_object()) continue;
      const std::string scope_name = std::string(scope) == "suites" ? "suite" : "tag";
      for (auto it = group->begin(); it != group->end(); ++it) {
        rows.push_back(MetricsRow(name, *ep, scope_name, it.key(), it.value()));
      }
    }
  }
  return rows;
}

std::string JoinCsvRow(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += ',';
    line += cells[i];
  }
  line += "\r\n";
  return line;
}

std::unique_ptr<ReportWriter> MakeCsvWriter() { return std::make_unique<CsvWriter>(); }

}  // namespace comply
