#include "reports/headline.h"

#include <algorithm>
#include <cmath>

#include "reports/format_util.h"
#include "reports/json_access.h"

namespace comply {

namespace {

using nlohmann::json;

bool LabelHas(const std::string& label, const char* word) {
  std::string l = label;
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
  return l.find(word) != std::string::npos;
}

std::string Pts(double d) { return Fixed(d * 100, 1); }

}  // namespace

std::vector<EndpointView> EndpointViews(const json& summary) {
  std::vector<std::string> names;
  if (const json* order = Find(summary, {"endpoint_order"}); order && order->is_array()) {
    for (const json& n : *order) {
      if (n.is_string()) names.push_back(n.get<std::string>());
    }
  }
  if (const json* eps = Find(summary, {"endpoints"}); eps && eps->is_object()) {
    for (auto it = eps->begin(); it != eps->end(); ++it) {
      if (std::find(names.begin(), names.end(), it.key()) == names.end()) {
        names.push_back(it.key());
      }
    }
  }
  std::vector<EndpointView> out;
  for (const std::string& name : names) {
    const json* ep = Find(summary, {"endpoints", name});
    if (ep == nullptr || !ep->is_object()) continue;
    EndpointView v;
    v.name = name;
    v.label = Text(*ep, {"label"});
    v.model = Text(*ep, {"model"});
    if (Number(*ep, {"case_level", "compliance_rate"})) {
      v.compliance = Number(*ep, {"case_level", "compliance_rate"});
      v.ci_lo = NumberAt(*ep, {"case_level", "compliance_ci"}, 0);
      v.ci_hi = NumberAt(*ep, {"case_level", "compliance_ci"}, 1);
    } else {
      v.compliance = Number(*ep, {"compliance_rate"});
      v.ci_lo = NumberAt(*ep, {"compliance_ci"}, 0);
      v.ci_hi = NumberAt(*ep, {"compliance_ci"}, 1);
    }
    v.hallucination_rate = Number(*ep, {"hallucination_rate"});
    v.error_rate = Number(*ep, {"error_rate"});
    v.p50_ms = Number(*ep, {"latency_ms", "p50"});
    v.p95_ms = Number(*ep, {"latency_ms", "p95"});
    v.cost_per_1k = Number(*ep, {"cost_per_1k_requests"});
    v.answered = Number(*ep, {"answered"});
    v.total = Number(*ep, {"total"});
    v.cases = Number(*ep, {"case_level", "cases"});
    v.flaky = Number(*ep, {"case_level", "flaky"});
    v.cached_share = Number(*ep, {"cached_share"});
    out.push_back(std::move(v));
  }
  return out;
}

Matchup PickMatchup(const json& summary) {
  Matchup m;
  std::vector<EndpointView> eps = EndpointViews(summary);
  for (const EndpointView& e : eps) {
    if (!m.candidate && LabelHas(e.label, "fine")) m.candidate = e;
    if (!m.reference && LabelHas(e.label, "prompt")) m.reference = e;
  }
  if (!m.candidate || !m.reference || m.candidate->name == m.reference->name) {
    m.candidate.reset();
    m.reference.reset();
    if (eps.size() >= 2) {
      m.reference = eps[0];
      m.candidate = eps[1];
    } else if (eps.size() == 1) {
      m.candidate = eps[0];
    }
  }
  if (!m.candidate || !m.reference) return m;
  if (const json* pairs = Find(summary, {"comparison", "pairs"}); pairs && pairs->is_array()) {
    for (const json& p : *pairs) {
      const std::string a = Text(p, {"a"}), b = Text(p, {"b"});
      if (a == m.reference->name && b == m.candidate->name) {
        m.pair = &p, m.candidate_is_b = true;
      } else if (a == m.candidate->name && b == m.reference->name) {
        m.pair = &p, m.candidate_is_b = false;
      }
    }
  }
  return m;
}

DeltaInterval PairedDeltaInterval(double only_candidate, double only_reference, double n) {
  if (n <= 0) return {-1, 1};
  const double p_c = (only_candidate + 1) / (n + 2);
  const double p_r = (only_reference + 1) / (n + 2);
  const double d = p_c - p_r;
  const double se = std::sqrt(std::max(0.0, (p_c + p_r - d * d) / (n + 2)));
  constexpr double kZ = 1.959963984540054;
  return {std::clamp(d - kZ * se, -1.0, 1.0), std::clamp(d + kZ * se, -1.0, 1.0)};
}

std::string CostPhrase(std::optional<double> candidate, std::optional<double> reference) {
  if (!candidate || !reference || *reference <= 0 || *candidate < 0) return "";
  const std::string figures = " of the cost per 1,000 requests (" + Usd(*candidate) + " vs " +
                              Usd(*reference) + ")";
  const double ratio = *candidate / *reference;
  if (ratio == 0) return "at no cost per 1,000 requests (" + Usd(0) + " vs " + Usd(*reference) + ")";
  if (ratio <= 0.5) {
    return "at 1/" + std::to_string(static_cast<long long>(std::llround(1 / ratio))) + figures;
  }
  if (ratio < 0.95) return "at " + Fixed(ratio * 100, 0) + "%" + figures;
  if (ratio <= 1.05) return "at about the same cost per 1,000 requests (" + Usd(*candidate) +
                            " vs " + Usd(*reference) + ")";
  return "at " + Fixed(ratio, 1) + "\xC3\x97 the cost per 1,000 requests (" + Usd(*candidate) +
         " vs " + Usd(*reference) + ")";
}

std::string Headline(const json& summary) {
  Matchup m = PickMatchup(summary);
  if (!m.candidate) return "No endpoint has results in this run.";
  const EndpointView& c = *m.candidate;
  if (!m.reference || m.pair == nullptr || !Number(*m.pair, {"p_value"})) {
    std::string s = c.name + ": ";
    s += c.compliance ? Percent(*c.compliance) + " compliant" : "no answered responses";
    if (c.ci_lo && c.ci_hi) s += " (95% CI " + PercentInterval(*c.ci_lo, *c.ci_hi) + ")";
    if (c.cases) s += " over " + WithThousands(std::llround(*c.cases)) + " cases";
    if (c.cost_per_1k) s += ", " + Usd(*c.cost_per_1k) + " per 1,000 requests";
    s += ".";
    if (m.reference) {
      s += " No paired comparison with " + m.reference->name + " (no shared answered cases).";
    }
    return s;
  }
  const EndpointView& r = *m.reference;
  const json& p = *m.pair;
  const double a_rate = Number(p, {"a_rate"}).value_or(0);
  const double b_rate = Number(p, {"b_rate"}).value_or(0);
  const double delta = m.candidate_is_b ? b_rate - a_rate : a_rate - b_rate;
  const double a_only = Number(p, {"a_only_compliant"}).value_or(0);
  const double b_only = Number(p, {"b_only_compliant"}).value_or(0);
  const double shared = Number(p, {"shared_cases"}).value_or(0);
  DeltaInterval ci = m.candidate_is_b ? PairedDeltaInterval(b_only, a_only, shared)
                                      : PairedDeltaInterval(a_only, b_only, shared);
  const double pv = *Number(p, {"p_value"});
  const bool significant = Bool(p, {"significant"}).value_or(pv < 0.05);
  const std::string shared_text = WithThousands(std::llround(shared)) + " shared cases";
  if (significant && delta != 0) {
    const bool cand_wins = delta > 0;
    const EndpointView& w = cand_wins ? c : r;
    const EndpointView& l = cand_wins ? r : c;
    const DeltaInterval wci = cand_wins ? ci : DeltaInterval{-ci.hi, -ci.lo};
    std::string s = w.name + " is more compliant than " + l.name + " by " +
                    Pts(std::fabs(delta)) + " points (95% CI " + Pts(wci.lo) + " to " +
                    Pts(wci.hi) + ", McNemar p " + PValueRelation(pv) + ", " + shared_text + ")";
    const std::string cost = CostPhrase(w.cost_per_1k, l.cost_per_1k);
    if (!cost.empty()) s += " " + cost;
    return s + ".";
  }
  std::string s = "No significant compliance difference between " + c.name + " and " + r.name +
                  ": " + (delta >= 0 ? "+" : "") + Pts(delta) + " points for " + c.name +
                  " (95% CI " + Pts(ci.lo) + " to " + Pts(ci.hi) + ", McNemar p " +
                  PValueRelation(pv) + ", " + shared_text + ")";
  if (std::optional<double> mde = Number(p, {"mde"})) {
    s += "; differences smaller than " + Pts(*mde) + " points cannot be detected on this many "
         "cases";
  }
  s += ".";
  const std::string cost = CostPhrase(c.cost_per_1k, r.cost_per_1k);
  if (!cost.empty()) s += " " + c.name + " runs " + cost + ".";
  return s;
}

}  // namespace comply
