#include "evaluator/summary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "evaluator/hash.h"
#include "evaluator/stats.h"

namespace comply {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 8> kDriftNames = {
    "code_fence", "leading_text", "trailing_text", "multiple_json",
    "truncated",  "malformed",    "not_json",      "empty"};

json Num(double v) { return std::isnan(v) ? json(nullptr) : json(v); }
json Rate(double x, double n) { return n > 0 ? json(x / n) : json(nullptr); }
json Ci(Interval ci) {
  if (std::isnan(ci.lo)) return nullptr;
  return json::array({ci.lo, ci.hi});
}

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

// Record-level counters of one scope (an endpoint, an endpoint's suite or tag).
struct Metrics {
  std::uint64_t total = 0, answered = 0, errors = 0, compliant = 0, parsed = 0;
  std::uint64_t json_answered = 0;  // answered records of JSON tasks (not template-only text)
  std::uint64_t schema_valid = 0, hallucinated = 0, cached = 0;
  std::map<std::string, std::uint64_t> errors_by_status, hallucinated_fields, rule_failures;
  std::array<std::uint64_t, 8> drift{};
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> fields;  // matched, total
  std::uint64_t field_matched = 0, field_total = 0;
  std::vector<float> latencies;
  double latency_sum = 0;
  std::int64_t input_tokens = 0, cached_input_tokens = 0, output_tokens = 0;
  double cost = 0;
  std::uint64_t template_checked = 0, template_ok = 0;
  double template_drift_sum = 0;

  void Add(const Record& r, const std::vector<std::string>& wildcard_fields) {
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
      latencies.push_back(static_cast<float>(r.latency_ms));
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
};

// Case-level counters of one scope, filled at Finish time from the per-case counts.
struct CaseLevel {
  std::uint64_t cases = 0, unanswered = 0, samples = 0, all_pass = 0, majority = 0, flaky = 0;
  double rate_sum = 0;

  void Add(std::uint32_t answered, std::uint32_t passed) {
    if (answered == 0) {
      ++unanswered;
      return;
    }
    ++cases;
    samples += answered;
    rate_sum += static_cast<double>(passed) / answered;
    if (passed == answered) ++all_pass;
    if (2ULL * passed > answered) ++majority;
    if (passed > 0 && passed < answered) ++flaky;
  }

  json ToJson() const {
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
};

json CountMap(const std::map<std::string, std::uint64_t>& m) {
  json out = json::object();
  for (const auto& [k, v] : m) out[k] = v;
  return out;
}

json MetricsJson(const Metrics& m, const CaseLevel& cl) {
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
  std::vector<float> lat = m.latencies;  // Percentile reorders: work on a copy
  const double n_lat = static_cast<double>(lat.size());
  j["latency_ms"] = {{"count", lat.size()},
                     {"mean", Rate(m.latency_sum, n_lat)},
                     {"p50", Num(Percentile(&lat, 0.50))},
                     {"p95", Num(Percentile(&lat, 0.95))},
                     {"p99", Num(Percentile(&lat, 0.99))}};
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

struct CaseCount {
  std::uint32_t samples = 0, answered = 0, passed = 0;
};

bool MajorityPass(const CaseCount& c) { return 2ULL * c.passed > c.answered; }

std::uint32_t Saturating(std::uint32_t v) { return v == UINT32_MAX ? v : v + 1; }

}  // namespace

struct SummaryBuilder::Impl {
  SummaryContext ctx;
  std::size_t records = 0;

  // The case table: one entry per distinct (suite, case_id), its names in one arena.
  struct CaseEntry {
    std::uint64_t name_offset = 0;
    std::uint32_t suite_len = 0, id_len = 0;
    std::uint32_t tagset = 0;
  };
  std::string arena;
  std::vector<CaseEntry> cases;
  std::unordered_map<std::uint64_t, std::uint32_t> case_by_hash;
  std::vector<std::vector<std::string>> tagsets;  // interned tag lists
  std::unordered_map<std::string, std::uint32_t> tagset_ids;

  struct EndpointAcc {
    std::string name;
    Metrics all;
    std::map<std::string, Metrics> suites, tags;
    std::map<std::string, std::uint64_t> served_models;
    std::vector<CaseCount> case_counts;  // by case index
  };
  std::vector<EndpointAcc> endpoints;
  std::unordered_map<std::string, std::size_t> endpoint_ids;

  std::string_view Suite(const CaseEntry& e) const {
    return std::string_view(arena).substr(e.name_offset, e.suite_len);
  }
  std::string_view Id(const CaseEntry& e) const {
    return std::string_view(arena).substr(e.name_offset + e.suite_len, e.id_len);
  }
  bool NameLess(std::uint32_t a, std::uint32_t b) const {
    const auto sa = Suite(cases[a]), sb = Suite(cases[b]);
    if (sa != sb) return sa < sb;
    return Id(cases[a]) < Id(cases[b]);
  }

  std::size_t EndpointIndex(const std::string& name) {
    auto [it, inserted] = endpoint_ids.try_emplace(name, endpoints.size());
    if (inserted) {
      endpoints.emplace_back();
      endpoints.back().name = name;
    }
    return it->second;
  }

  std::uint32_t TagsetIndex(const std::vector<std::string>& tags) {
    std::string key;
    for (const std::string& t : tags) key.append(t).push_back('\0');
    auto [it, inserted] = tagset_ids.try_emplace(key, static_cast<std::uint32_t>(tagsets.size()));
    if (inserted) tagsets.push_back(tags);
    return it->second;
  }

  // The case's index; a 64-bit hash with the names kept to resolve the (rare) collision by
  // probing the next hash value.
  std::uint32_t CaseIndex(const Record& r, const std::vector<std::string>& tags) {
    std::uint64_t h = Fnv1a64(r.case_id, Fnv1a64(std::string_view("\0", 1), Fnv1a64(r.suite)));
    for (;;) {
      auto it = case_by_hash.find(h);
      if (it == case_by_hash.end()) break;
      const CaseEntry& e = cases[it->second];
      if (Suite(e) == r.suite && Id(e) == r.case_id) return it->second;
      ++h;
    }
    CaseEntry e;
    e.name_offset = arena.size();
    e.suite_len = static_cast<std::uint32_t>(r.suite.size());
    e.id_len = static_cast<std::uint32_t>(r.case_id.size());
    e.tagset = TagsetIndex(tags);
    arena.append(r.suite).append(r.case_id);
    const auto idx = static_cast<std::uint32_t>(cases.size());
    cases.push_back(e);
    case_by_hash.emplace(h, idx);
    return idx;
  }

  json ComparisonJson(const std::vector<std::size_t>& order) const;
  json EndpointJson(const EndpointAcc& acc, const SummaryEndpointInfo* info) const;
};

SummaryBuilder::SummaryBuilder(SummaryContext context) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = std::move(context);
  for (const SummaryEndpointInfo& e : impl_->ctx.endpoints) impl_->EndpointIndex(e.name);
}
void SummaryBuilder::SetContext(SummaryContext context) {
  impl_->ctx = std::move(context);
  for (const SummaryEndpointInfo& e : impl_->ctx.endpoints) impl_->EndpointIndex(e.name);
}

SummaryBuilder::~SummaryBuilder() = default;
SummaryBuilder::SummaryBuilder(SummaryBuilder&&) noexcept = default;
SummaryBuilder& SummaryBuilder::operator=(SummaryBuilder&&) noexcept = default;

void SummaryBuilder::Add(const Record& r) {
  Impl& s = *impl_;
  ++s.records;
  // Tags deduplicated, order kept: a record counts once per tag.
  std::vector<std::string> tags;
  for (const std::string& t : r.tags) {
    if (std::find(tags.begin(), tags.end(), t) == tags.end()) tags.push_back(t);
  }
  std::vector<std::string> wildcard;
  if (r.ok() && !r.parsed.is_null()) {
    wildcard.reserve(r.hallucinated_fields.size());
    for (const std::string& p : r.hallucinated_fields) wildcard.push_back(Wildcard(p, r.parsed));
  }
  Impl::EndpointAcc& acc = s.endpoints[s.EndpointIndex(r.endpoint)];
  acc.all.Add(r, wildcard);
  acc.suites[r.suite].Add(r, wildcard);
  for (const std::string& t : tags) acc.tags[t].Add(r, wildcard);
  if (r.ok() && !r.model.empty()) ++acc.served_models[r.model];

  const std::uint32_t ci = s.CaseIndex(r, tags);
  if (acc.case_counts.size() <= ci)
    acc.case_counts.resize(std::max<std::size_t>(ci + 1, s.cases.size()));
  CaseCount& cc = acc.case_counts[ci];
  cc.samples = Saturating(cc.samples);
  if (r.ok()) {
    cc.answered = Saturating(cc.answered);
    if (r.compliant) cc.passed = Saturating(cc.passed);
  }
}

json SummaryBuilder::Impl::EndpointJson(const EndpointAcc& acc,
                                        const SummaryEndpointInfo* info) const {
  // Case level for the endpoint, each suite and each tag, in one pass over the case table.
  CaseLevel all;
  std::map<std::string_view, CaseLevel> by_suite, by_tag;
  std::vector<std::uint32_t> flaky;
  for (std::uint32_t i = 0; i < acc.case_counts.size(); ++i) {
    const CaseCount& c = acc.case_counts[i];
    if (c.samples == 0) continue;
    all.Add(c.answered, c.passed);
    by_suite[Suite(cases[i])].Add(c.answered, c.passed);
    for (const std::string& t : tagsets[cases[i].tagset]) by_tag[t].Add(c.answered, c.passed);
    if (c.passed > 0 && c.passed < c.answered) flaky.push_back(i);
  }
  const std::size_t cap = std::min(ctx.list_cap, flaky.size());
  std::partial_sort(flaky.begin(), flaky.begin() + static_cast<long>(cap), flaky.end(),
                    [&](std::uint32_t a, std::uint32_t b) { return NameLess(a, b); });
  json flaky_list = json::array();
  for (std::size_t k = 0; k < cap; ++k) {
    const std::uint32_t i = flaky[k];
    flaky_list.push_back({{"suite", Suite(cases[i])},
                          {"case_id", Id(cases[i])},
                          {"passed", acc.case_counts[i].passed},
                          {"samples", acc.case_counts[i].answered}});
  }

  json j = MetricsJson(acc.all, all);
  j["case_level"]["flaky_cases"] = std::move(flaky_list);
  j["endpoint"] = acc.name;
  j["label"] = info ? info->label : "";
  j["model"] = info ? info->model : "";
  j["provider"] = info ? info->provider : "";
  if (info && info->pricing.set) {
    const Pricing& p = info->pricing;
    j["pricing"] = {{"input_per_mtok", p.input_per_mtok},
                    {"cached_input_per_mtok",
                     p.cached_input_per_mtok < 0 ? p.input_per_mtok : p.cached_input_per_mtok},
                    {"output_per_mtok", p.output_per_mtok}};
  } else {
    j["pricing"] = nullptr;
  }
  j["served_models"] = CountMap(acc.served_models);
  json suites = json::object(), tags = json::object();
  for (const auto& [name, m] : acc.suites) suites[name] = MetricsJson(m, by_suite[name]);
  for (const auto& [name, m] : acc.tags) tags[name] = MetricsJson(m, by_tag[name]);
  j["suites"] = std::move(suites);
  j["tags"] = std::move(tags);
  return j;
}

json SummaryBuilder::Impl::ComparisonJson(const std::vector<std::size_t>& order) const {
  json pairs = json::array();
  static const CaseCount kNone;
  for (std::size_t x = 0; x < order.size(); ++x) {
    for (std::size_t y = x + 1; y < order.size(); ++y) {
      const EndpointAcc& a = endpoints[order[x]];
      const EndpointAcc& b = endpoints[order[y]];
      std::uint64_t shared = 0, a_only_cases = 0, b_only_cases = 0;
      std::uint64_t both = 0, a_only = 0, b_only = 0, neither = 0;
      std::uint64_t a_cases = 0, a_pass = 0, b_cases = 0, b_pass = 0;
      std::vector<std::uint32_t> disagree;
      for (std::uint32_t i = 0; i < cases.size(); ++i) {
        const CaseCount& ca = i < a.case_counts.size() ? a.case_counts[i] : kNone;
        const CaseCount& cb = i < b.case_counts.size() ? b.case_counts[i] : kNone;
        const bool ha = ca.answered > 0, hb = cb.answered > 0;
        const bool pa = ha && MajorityPass(ca), pb = hb && MajorityPass(cb);
        a_cases += ha;
        a_pass += pa;
        b_cases += hb;
        b_pass += pb;
        if (ha && hb) {
          ++shared;
          if (pa && pb)
            ++both;
          else if (pa)
            ++a_only;
          else if (pb)
            ++b_only;
          else
            ++neither;
          if (pa != pb) disagree.push_back(i);
        } else if (ha) {
          ++a_only_cases;
        } else if (hb) {
          ++b_only_cases;
        }
      }
      const double n = static_cast<double>(shared);
      const double a_rate = shared ? static_cast<double>(both + a_only) / n : NAN;
      const double b_rate = shared ? static_cast<double>(both + b_only) / n : NAN;
      const double p = shared ? McNemarExactP(a_only, b_only) : NAN;
      const double mde = MinimumDetectableEffectPaired(
          shared, shared ? static_cast<double>(a_only + b_only) / n : 0);
      const std::size_t cap = std::min(ctx.list_cap, disagree.size());
      std::partial_sort(disagree.begin(), disagree.begin() + static_cast<long>(cap), disagree.end(),
                        [&](std::uint32_t l, std::uint32_t r) { return NameLess(l, r); });
      json list = json::array();
      for (std::size_t k = 0; k < cap; ++k) {
        const std::uint32_t i = disagree[k];
        list.push_back({{"suite", Suite(cases[i])},
                        {"case_id", Id(cases[i])},
                        {"a_compliant", MajorityPass(a.case_counts[i])},
                        {"b_compliant", MajorityPass(b.case_counts[i])}});
      }
      json pair = {{"a", a.name},
                   {"b", b.name},
                   {"shared_cases", shared},
                   {"a_only_cases", a_only_cases},
                   {"b_only_cases", b_only_cases},
                   {"both_compliant", both},
                   {"a_only_compliant", a_only},
                   {"b_only_compliant", b_only},
                   {"neither_compliant", neither},
                   {"a_rate", Num(a_rate)},
                   {"b_rate", Num(b_rate)},
                   {"delta", Num(b_rate - a_rate)},
                   {"test", "mcnemar_exact"},
                   {"p_value", Num(p)},
                   {"significant", !std::isnan(p) && p < 0.05},
                   {"mde", Num(mde)},
                   {"disagreements_count", a_only + b_only},
                   {"disagreements", std::move(list)}};
      if (a_only_cases + b_only_cases > 0)
        pair["unpaired"] = UnpairedJson(a_pass, a_cases, b_pass, b_cases);
      pairs.push_back(std::move(pair));
    }
  }
  return {{"unit", "case"}, {"verdict", "majority"}, {"pairs", std::move(pairs)}};
}

json SummaryBuilder::Finish() const {
  const Impl& s = *impl_;
  try {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < s.endpoints.size(); ++i) order.push_back(i);
    json endpoints = json::object(), names = json::array();
    for (std::size_t i : order) {
      const Impl::EndpointAcc& acc = s.endpoints[i];
      const SummaryEndpointInfo* info = nullptr;
      for (const SummaryEndpointInfo& e : s.ctx.endpoints) {
        if (e.name == acc.name) info = &e;
      }
      endpoints[acc.name] = s.EndpointJson(acc, info);
      names.push_back(acc.name);
    }
    json out;
    out["summary_version"] = 1;
    out["run"] = {{"id", s.ctx.run_id},       {"config", s.ctx.config},
                  {"started", s.ctx.started}, {"finished", s.ctx.finished},
                  {"repeat", s.ctx.repeat},   {"shard", s.ctx.shard}};
    out["totals"] = {
        {"records", s.records}, {"cases", s.cases.size()}, {"endpoints", order.size()}};
    out["endpoint_order"] = std::move(names);
    out["endpoints"] = std::move(endpoints);
    out["comparison"] = s.ComparisonJson(order);
    return out;
  } catch (const std::exception& e) {
    // Only allocation failure can get here; report it in the document rather than throw.
    return {{"summary_version", 1}, {"error", std::string("summary failed: ") + e.what()}};
  }
}

std::vector<SummaryBuilder::CaseCounts> SummaryBuilder::Cases(const std::string& endpoint) const {
  const Impl& s = *impl_;
  std::vector<CaseCounts> out;
  auto it = s.endpoint_ids.find(endpoint);
  if (it == s.endpoint_ids.end()) return out;
  const Impl::EndpointAcc& acc = s.endpoints[it->second];
  std::vector<std::uint32_t> idx;
  for (std::uint32_t i = 0; i < acc.case_counts.size(); ++i) {
    if (acc.case_counts[i].samples > 0) idx.push_back(i);
  }
  std::sort(idx.begin(), idx.end(),
            [&](std::uint32_t a, std::uint32_t b) { return s.NameLess(a, b); });
  out.reserve(idx.size());
  for (std::uint32_t i : idx) {
    const CaseCount& c = acc.case_counts[i];
    out.push_back({std::string(s.Suite(s.cases[i])), std::string(s.Id(s.cases[i])), c.samples,
                   c.answered, c.passed});
  }
  return out;
}

std::vector<std::string> SummaryBuilder::Endpoints() const {
  std::vector<std::string> out;
  for (const auto& e : impl_->endpoints) out.push_back(e.name);
  return out;
}

std::size_t SummaryBuilder::records() const { return impl_->records; }

}  // namespace comply
