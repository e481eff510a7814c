#include "evaluator/compare.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "evaluator/run_reader.h"
#include "evaluator/stats.h"

namespace comply {

namespace {

using nlohmann::json;
using CaseCounts = SummaryBuilder::CaseCounts;

constexpr std::array<const char*, 8> kDriftNames = {
    "code_fence", "leading_text", "trailing_text", "multiple_json",
    "truncated",  "malformed",    "not_json",      "empty"};

json Num(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

bool Pass(const CaseCounts& c) { return 2ULL * c.passed > c.answered; }

// Paired counts of one scope (an endpoint or one of its suites).
struct Paired {
  std::uint64_t shared = 0, unanswered = 0, both = 0, new_failures = 0, fixed = 0, neither = 0;
  std::uint64_t added = 0, removed = 0;
  std::uint64_t base_cases = 0, base_pass = 0, cur_cases = 0, cur_pass = 0;  // answered cases
  bool in_base = false, in_cur = false;

  void Add(const CaseCounts* base, const CaseCounts* cur) {
    in_base |= base != nullptr;
    in_cur |= cur != nullptr;
    const bool ba = base && base->answered > 0, ca = cur && cur->answered > 0;
    const bool bp = ba && Pass(*base), cp = ca && Pass(*cur);
    base_cases += ba;
    base_pass += bp;
    cur_cases += ca;
    cur_pass += cp;
    if (base && !cur) ++removed;
    if (cur && !base) ++added;
    if (!base || !cur) return;
    if (!ba || !ca) {
      ++unanswered;
      return;
    }
    ++shared;
    if (bp && cp) {
      ++both;
    } else if (bp) {
      ++new_failures;
    } else if (cp) {
      ++fixed;
    } else {
      ++neither;
    }
  }

  const char* Status() const { return in_base && in_cur ? "both" : in_cur ? "added" : "removed"; }

  json ToJson() const {
    const double n = static_cast<double>(shared);
    const double base_rate = shared ? static_cast<double>(both + new_failures) / n : NAN;
    const double cur_rate = shared ? static_cast<double>(both + fixed) / n : NAN;
    const double p = shared ? McNemarExactP(new_failures, fixed) : NAN;
    const double disc = shared ? static_cast<double>(new_failures + fixed) / n : 0;
    json j = {{"shared_cases", shared},
              {"unanswered_cases", unanswered},
              {"both_compliant", both},
              {"new_failures", new_failures},
              {"fixed", fixed},
              {"neither_compliant", neither},
              {"baseline_rate", Num(base_rate)},
              {"current_rate", Num(cur_rate)},
              {"delta", Num(cur_rate - base_rate)},
              {"test", "mcnemar_exact"},
              {"p_value", Num(p)},
              {"significant", !std::isnan(p) && p < 0.05},
              {"mde", Num(MinimumDetectableEffectPaired(shared, disc))}};
    if (added + removed > 0) {
      const UnpairedTest t = CompareUnpaired(base_pass, base_cases, cur_pass, cur_cases);
      j["unpaired"] = {{"test", t.test},
                       {"a_cases", base_cases},
                       {"a_compliant", base_pass},
                       {"b_cases", cur_cases},
                       {"b_compliant", cur_pass},
                       {"p_value", Num(t.p_value)},
                       {"significant", !std::isnan(t.p_value) && t.p_value < 0.05}};
    }
    return j;
  }
};

// A case list capped at `cap`, with the total count.
struct CaseList {
  std::uint64_t count = 0;
  json items = json::array();
  void Add(const CaseCounts& c, std::size_t cap) {
    if (items.size() < cap) items.push_back({{"suite", c.suite}, {"case_id", c.case_id}});
    ++count;
  }
};

// Value at a "/a/b" pointer, NaN when missing or not a number.
double Figure(const json& block, const char* pointer) {
  if (!block.is_object()) return NAN;
  const json::json_pointer ptr(pointer);
  if (!block.contains(ptr)) return NAN;
  const json& v = block.at(ptr);
  return v.is_number() ? v.get<double>() : NAN;
}

json Metrics(const json& base, const json& cur) {
  static constexpr std::array<std::pair<const char*, const char*>, 13> kMetrics = {{
      {"compliance_rate", "/compliance_rate"},
      {"case_compliance_rate", "/case_level/compliance_rate"},
      {"error_rate", "/error_rate"},
      {"parse_rate", "/parse_rate"},
      {"schema_valid_rate", "/schema_valid_rate"},
      {"hallucination_rate", "/hallucination_rate"},
      {"field_accuracy", "/field_accuracy/accuracy"},
      {"latency_p50_ms", "/latency_ms/p50"},
      {"latency_p95_ms", "/latency_ms/p95"},
      {"latency_p99_ms", "/latency_ms/p99"},
      {"cost_per_1k_requests", "/cost_per_1k_requests"},
      {"cached_share", "/cached_share"},
      {"template_drift_mean", "/template/drift_mean"},
  }};
  json out = json::object();
  for (const auto& [name, ptr] : kMetrics) {
    const double b = Figure(base, ptr), c = Figure(cur, ptr);
    out[name] = {{"baseline", Num(b)}, {"current", Num(c)}, {"delta", Num(c - b)}};
  }
  return out;
}

json Drift(const json& base, const json& cur) {
  json out = json::object();
  const double ba = Figure(base, "/answered"), ca = Figure(cur, "/answered");
  for (const char* name : kDriftNames) {
    const std::string ptr = std::string("/drift/") + name;
    double b = Figure(base, ptr.c_str()), c = Figure(cur, ptr.c_str());
    if (std::isnan(b)) b = 0;
    if (std::isnan(c)) c = 0;
    const double bs = ba > 0 ? b / ba : NAN, cs = ca > 0 ? c / ca : NAN;
    out[name] = {{"baseline", static_cast<std::uint64_t>(b)},
                 {"current", static_cast<std::uint64_t>(c)},
                 {"baseline_share", Num(bs)},
                 {"current_share", Num(cs)},
                 {"delta_share", Num(cs - bs)}};
  }
  return out;
}

json EndpointJson(const std::vector<CaseCounts>& base, const std::vector<CaseCounts>& cur,
                  bool in_base, bool in_cur, const json& base_block, const json& cur_block,
                  std::size_t cap) {
  Paired all;
  std::map<std::string, Paired> suites;
  CaseList added, removed, new_failures, fixed;
  // Both lists are sorted by (suite, case_id): a merge join.
  std::size_t i = 0, k = 0;
  while (i < base.size() || k < cur.size()) {
    const CaseCounts* b = i < base.size() ? &base[i] : nullptr;
    const CaseCounts* c = k < cur.size() ? &cur[k] : nullptr;
    if (b && c) {
      const auto kb = std::tie(b->suite, b->case_id), kc = std::tie(c->suite, c->case_id);
      if (kb < kc) c = nullptr;
      if (kc < kb) b = nullptr;
    }
    if (b) ++i;
    if (c) ++k;
    const CaseCounts& any = b ? *b : *c;
    all.Add(b, c);
    suites[any.suite].Add(b, c);
    if (!b) added.Add(any, cap);
    if (!c) removed.Add(any, cap);
    if (b && c && b->answered > 0 && c->answered > 0 && Pass(*b) != Pass(*c)) {
      (Pass(*b) ? new_failures : fixed).Add(any, cap);
    }
  }
  json j;
  j["status"] = in_base && in_cur ? "both" : in_cur ? "added" : "removed";
  if (in_base && in_cur) j["paired"] = all.ToJson();
  json sj = json::object();
  for (const auto& [name, p] : suites) {
    json s = {{"status", p.Status()}};
    if (std::string(p.Status()) == "both") s["paired"] = p.ToJson();
    sj[name] = std::move(s);
  }
  j["suites"] = std::move(sj);
  j["metrics"] = Metrics(base_block, cur_block);
  j["drift"] = Drift(base_block, cur_block);
  j["added_count"] = added.count;
  j["added_cases"] = std::move(added.items);
  j["removed_count"] = removed.count;
  j["removed_cases"] = std::move(removed.items);
  j["new_failures_count"] = new_failures.count;
  j["new_failures"] = std::move(new_failures.items);
  j["fixed_count"] = fixed.count;
  j["fixed_cases"] = std::move(fixed.items);
  return j;
}

}  // namespace

json Compare(const SummaryBuilder& baseline, const SummaryBuilder& current,
             const CompareOptions& options) {
  try {
    const json base_summary = baseline.Finish(), cur_summary = current.Finish();
    std::vector<std::string> order = current.Endpoints();
    for (const std::string& e : baseline.Endpoints()) {
      if (std::find(order.begin(), order.end(), e) == order.end()) order.push_back(e);
    }
    json endpoints = json::object(), names = json::array();
    for (const std::string& e : order) {
      const std::vector<CaseCounts> base = baseline.Cases(e), cur = current.Cases(e);
      // An endpoint named in a context but without records is absent from that run.
      if (base.empty() && cur.empty()) continue;
      const json null_block;
      const json* bb = &null_block;
      const json* cb = &null_block;
      if (!base.empty()) bb = &base_summary.at("endpoints").at(e);
      if (!cur.empty()) cb = &cur_summary.at("endpoints").at(e);
      endpoints[e] =
          EndpointJson(base, cur, !base.empty(), !cur.empty(), *bb, *cb, options.list_cap);
      names.push_back(e);
    }
    return {{"compare_version", 1},
            {"baseline", {{"records", baseline.records()}}},
            {"current", {{"records", current.records()}}},
            {"unit", "case"},
            {"verdict", "majority"},
            {"endpoint_order", std::move(names)},
            {"endpoints", std::move(endpoints)}};
  } catch (const std::exception& e) {
    return {{"compare_version", 1}, {"error", std::string("compare failed: ") + e.what()}};
  }
}

Result<json> CompareRuns(const std::filesystem::path& baseline_dir,
                         const std::filesystem::path& current_dir, const CompareOptions& options) {
  SummaryBuilder builders[2] = {SummaryBuilder(SummaryContext{}), SummaryBuilder(SummaryContext{})};
  const std::filesystem::path dirs[2] = {baseline_dir, current_dir};
  json sides[2];
  for (int s = 0; s < 2; ++s) {
    RunReadStats stats;
    Status st = ReadRunResults(
        dirs[s], [&](Record&& r) { builders[s].Add(r); }, RunReadOptions{}, &stats);
    if (!st.ok()) return st.error();
    std::string run_id;
    if (Result<json> m = ReadRunManifest(dirs[s]); m.ok()) {
      for (const char* key : {"run_id", "id"}) {
        auto it = m->find(key);
        if (run_id.empty() && it != m->end() && it->is_string()) run_id = it->get<std::string>();
      }
    }
    sides[s] = {{"dir", dirs[s].string()},
                {"run_id", run_id},
                {"bad_lines", stats.bad_lines},
                {"torn_last_line", stats.torn_last_line}};
  }
  json out = Compare(builders[0], builders[1], options);
  if (out.contains("error")) return Error{ErrorCode::kInternal, out["error"].get<std::string>()};
  out["baseline"].update(sides[0]);
  out["current"].update(sides[1]);
  return out;
}

}  // namespace comply
