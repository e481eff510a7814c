// See evaluator/summary_metrics.h.
#include "evaluator/summary_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "evaluator/spill_percentile.h"

namespace comply::summary_internal {

using nlohmann::json;

json Num(double v) { return std::isnan(v) ? json(nullptr) : json(v); }
json Rate(double x, double n) { return n > 0 ? json(x / n) : json(nullptr); }
json Ci(Interval ci) {
  if (std::isnan(ci.lo)) return nullptr;
  return json::array({ci.lo, ci.hi});
}

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string UnescapeToken(std::string_view t) {
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '~' && i + 1 < t.size() && (t[i + 1] == '0' || t[i + 1] == '1')) {
      out += t[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += t[i];
    }
  }
  return out;
}

}  // namespace

// "/items/2/x" -> "/items/*/x" where `items` is an array in `parsed` (a digit-named object
// member keeps its name). Segments past a missing value are kept as they are.
std::string Wildcard(std::string_view pointer, const json& parsed) {
  if (pointer.empty() || pointer[0] != '/') return std::string(pointer);
  std::string out;
  const json* cur = &parsed;
  std::size_t pos = 1;
  for (;;) {
    const std::size_t slash = pointer.find('/', pos);
    const std::string_view token =
        pointer.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    out += '/';
    if (cur != nullptr && cur->is_array() && AllDigits(token)) {
      out += '*';
      const std::size_t idx = token.size() < 10 ? std::stoul(std::string(token)) : SIZE_MAX;
      cur = idx < cur->size() ? &(*cur)[idx] : nullptr;
    } else {
      out.append(token);
      if (cur != nullptr && cur->is_object()) {
        auto it = cur->find(UnescapeToken(token));
        cur = it == cur->end() ? nullptr : &*it;
      } else {
        cur = nullptr;
      }
    }
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return out;
}

// A template-only suite's record is a text task: no JSON was expected, so it does not count
// in the parse rate's denominator. The checker leaves such records with extraction "none" and
// no drift but `empty`; a JSON task that found nothing always carries not_json, malformed,
// truncated or empty with a JSON extraction attempt.
bool IsJsonTask(const Record& r) {
  if (!r.template_outcome || r.extraction != "none" || !r.parsed.is_null()) return true;
  for (const std::string& d : r.drift) {
    if (d != "empty") return true;
  }
  return !r.schema_errors.empty();
}

void Metrics::Add(const Record& r, const std::vector<std::string>& wildcard_fields, SpillFile* latencies) {
  ++total;
  input_tokens += r.input_tokens;
  cached_input_tokens += r.cached_input_tokens;
  output_tokens += r.output_tokens;
  cost += r.cost_usd;
  if (!r.ok()) {
    ++errors;
    ++errors_by_status[r.status];
    return;
  }
  ++answered;
  if (r.compliant) ++compliant;
  if (r.cached) {
    ++cached;
  } else {
    AppendValue(latencies, scope, static_cast<float>(r.latency_ms));
    ++latency_count;
    latency_sum += r.latency_ms;
  }
  for (const std::string& d : r.drift) {
    auto it = std::find(kDriftNames.begin(), kDriftNames.end(), d);
    if (it != kDriftNames.end()) ++drift[static_cast<std::size_t>(it - kDriftNames.begin())];
  }
  if (IsJsonTask(r)) ++json_answered;
  if (!r.parsed.is_null()) {
    ++parsed;
    if (r.schema_valid) ++schema_valid;
    if (!r.hallucinated_fields.empty()) ++hallucinated;
    for (const std::string& f : wildcard_fields) ++hallucinated_fields[f];
  }
  // A rule counts once per record even when it failed at several pointers.
  for (std::size_t i = 0; i < r.rule_failures.size(); ++i) {
    const std::string& id = r.rule_failures[i];
    if (std::find(r.rule_failures.begin(), r.rule_failures.begin() + static_cast<long>(i), id) ==
        r.rule_failures.begin() + static_cast<long>(i)) {
      ++rule_failures[id];
    }
  }
  for (const FieldMatch& m : r.field_matches) {
    auto& [matched, count] = fields[m.path];
    ++count;
    ++field_total;
    if (m.match) {
      ++matched;
      ++field_matched;
    }
  }
  if (r.template_outcome) {
    ++template_checked;
    if (r.template_outcome->ok()) ++template_ok;
    template_drift_sum += r.template_outcome->drift_score;
  }
}

json CaseLevel::ToJson() const {
  const double n = static_cast<double>(cases);
  return {{"cases", cases},
          {"unanswered_cases", unanswered},
          {"samples", samples},
          {"compliance_rate", Rate(rate_sum, n)},
          {"compliance_ci", Ci(WilsonInterval(rate_sum, n))},
          {"all_pass", all_pass},
          {"majority_pass", majority},
          {"flaky", flaky}};
}

json CountMap(const std::map<std::string, std::uint64_t>& m) {
  json out = json::object();
  for (const auto& [k, v] : m) out[k] = v;
  return out;
}

// `pct`: the scope's latency p50, p95, p99 (SpilledPercentiles).
json MetricsJson(const Metrics& m, const CaseLevel& cl, const std::vector<double>& pct) {
  const double total = static_cast<double>(m.total), answered = static_cast<double>(m.answered);
  const double parsed = static_cast<double>(m.parsed);
  json j;
  j["total"] = m.total;
  j["answered"] = m.answered;
  j["errors"] = m.errors;
  j["error_rate"] = Rate(static_cast<double>(m.errors), total);
  j["errors_by_status"] = CountMap(m.errors_by_status);
  j["compliant"] = m.compliant;
  j["compliance_rate"] = Rate(static_cast<double>(m.compliant), answered);
  j["compliance_ci"] = Ci(WilsonInterval(static_cast<double>(m.compliant), answered));
  j["parsed"] = m.parsed;
  j["parse_rate"] = Rate(parsed, static_cast<double>(m.json_answered));
  j["schema_valid"] = m.schema_valid;
  j["schema_valid_rate"] = Rate(static_cast<double>(m.schema_valid), parsed);
  j["hallucinated"] = m.hallucinated;
  j["hallucination_rate"] = Rate(static_cast<double>(m.hallucinated), parsed);
  j["hallucinated_fields"] = CountMap(m.hallucinated_fields);
  json drift = json::object();
  for (std::size_t i = 0; i < kDriftNames.size(); ++i)
    drift[std::string(kDriftNames[i])] = m.drift[i];
  j["drift"] = std::move(drift);
  j["rule_failures"] = CountMap(m.rule_failures);
  json fields = json::object();
  for (const auto& [path, mt] : m.fields) {
    fields[path] = {
        {"matched", mt.first},
        {"total", mt.second},
        {"accuracy", Rate(static_cast<double>(mt.first), static_cast<double>(mt.second))}};
  }
  j["field_accuracy"] = {
      {"matched", m.field_matched},
      {"total", m.field_total},
      {"accuracy", Rate(static_cast<double>(m.field_matched), static_cast<double>(m.field_total))},
      {"fields", std::move(fields)}};
  const double n_lat = static_cast<double>(m.latency_count);
  j["latency_ms"] = {{"count", m.latency_count},
                     {"mean", Rate(m.latency_sum, n_lat)},
                     {"p50", Num(pct[0])},
                     {"p95", Num(pct[1])},
                     {"p99", Num(pct[2])}};
  j["tokens"] = {{"input", m.input_tokens},
                 {"cached_input", m.cached_input_tokens},
                 {"output", m.output_tokens},
                 {"mean_input", Rate(static_cast<double>(m.input_tokens), answered)},
                 {"mean_cached_input", Rate(static_cast<double>(m.cached_input_tokens), answered)},
                 {"mean_output", Rate(static_cast<double>(m.output_tokens), answered)}};
  j["cost_usd"] = m.cost;
  j["cost_per_1k_requests"] = Rate(m.cost * 1000, answered);
  j["cached"] = m.cached;
  j["cached_share"] = Rate(static_cast<double>(m.cached), answered);
  if (m.template_checked > 0) {
    j["template"] = {
        {"checked", m.template_checked},
        {"ok", m.template_ok},
        {"drift_mean", m.template_drift_sum / static_cast<double>(m.template_checked)}};
  } else {
    j["template"] = nullptr;
  }
  j["case_level"] = cl.ToJson();
  return j;
}

json UnpairedJson(std::uint64_t a_pass, std::uint64_t a_cases, std::uint64_t b_pass,
                  std::uint64_t b_cases) {
  const UnpairedTest t = CompareUnpaired(a_pass, a_cases, b_pass, b_cases);
  return {{"test", t.test},
          {"a_cases", a_cases},
          {"a_compliant", a_pass},
          {"b_cases", b_cases},
          {"b_compliant", b_pass},
          {"p_value", Num(t.p_value)},
          {"significant", !std::isnan(t.p_value) && t.p_value < 0.05}};
}


}  // namespace comply::summary_internal
