#include "reports/html_records.h"

#include "evaluator/schema.h"
#include "reports/text_escape.h"

namespace comply {

using nlohmann::json;

int RecordDict::Index(const std::string& s) {
  auto [it, added] = index_.emplace(s, static_cast<int>(strings_.size()));
  if (added) strings_.push_back(s);
  return it->second;
}

json RecordDict::ToJson() const { return json(strings_); }

namespace {

json Indices(const std::vector<std::string>& items, RecordDict* dict) {
  json a = json::array();
  for (const std::string& s : items) a.push_back(dict->Index(s));
  return a;
}

}  // namespace

json EncodeRecord(const Record& r, RecordDict* dict) {
  const bool pass = r.ok() && r.compliant;
  bool cut = false;
  std::string output =
      TruncateUtf8(r.output, pass ? kCompliantOutputBytes : kFailedOutputBytes, &cut);
  json parsed = nullptr;
  if (!pass && !r.parsed.is_null()) {
    std::string text = r.parsed.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() <= kParsedBytes) parsed = r.parsed;
  }
  json schema_errors = json::array();
  for (const SchemaError& e : r.schema_errors) {
    schema_errors.push_back({e.path, e.keyword, e.message});
  }
  json hallucinated = json::array();
  for (const std::string& p : r.hallucinated_fields) {
    hallucinated.push_back({p, dict->Index(WildcardPointer(p, r.parsed))});
  }
  json rules = json::array();
  for (const RuleDetail& d : r.rule_details) rules.push_back({d.id, d.path, d.message});
  for (const std::string& id : r.rule_failures) {
    bool detailed = false;
    for (const RuleDetail& d : r.rule_details) detailed = detailed || d.id == id;
    if (!detailed) rules.push_back({id, "", "failed"});
  }
  json tmpl = nullptr;
  if (r.template_outcome) {
    const TemplateOutcome& t = *r.template_outcome;
    tmpl = {t.drift_score, t.missing, t.extra, t.out_of_order, t.body_mismatch};
  }
  json gold = json::array();
  for (const FieldMatch& m : r.field_matches) {
    gold.push_back({m.path, m.kind, m.match ? 1 : 0, m.expected, m.actual});
  }
  return json::array({r.case_id, dict->Index(r.suite), dict->Index(r.endpoint), r.sample,
                      Indices(r.tags, dict), dict->Index(r.status), pass ? 1 : 0, r.latency_ms,
                      r.cost_usd, Indices(r.drift, dict), output,
                      cut ? r.output.size() : std::size_t{0}, parsed, schema_errors,
                      hallucinated, rules, tmpl, gold, r.error, r.extraction, r.finish_reason,
                      r.attempts, r.http_status, r.model});
}

}  // namespace comply
