#include "reports/decision_view.h"

#include <cmath>
#include <cstdio>

#include "reports/json_access.h"

namespace comply {

namespace {

using nlohmann::json;

std::string Fmt(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string Money(double v) {
  return (v < 0 ? "-$" : "$") + Fmt(std::abs(v) >= 100 ? "%.0f" : "%.2f", std::abs(v));
}

const json* Obj(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::optional<double> NumAt(const json& j, const char* key) {
  const json* v = Obj(j, key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->get<double>();
}

// One sentence of measured numbers for a suite (evaluator/decision.h "readiness").
std::string ReadinessLine(const json& r, std::optional<double> qpd) {
  std::string s = r.value("suite", "?") + ": " + std::to_string(r.value("cases", 0)) + " cases, " +
                  std::to_string(r.value("labelled_cases", 0)) + " with gold outputs";
  if (const json* t = Obj(r, "system_prompt_tokens"); t && t->is_object()) {
    std::string parts;
    for (const auto& [ep, v] : t->items()) {
      if (!v.is_number()) continue;
      parts += (parts.empty() ? "" : ", ") + ep + " ≈" + Fmt("%.0f", v.get<double>());
    }
    if (!parts.empty()) s += "; system prompt tokens (estimated) " + parts;
  }
  if (const json* g = Obj(r, "gap"); g && g->is_object()) {
    const json& ci = (*g)["ci"];
    s += "; compliance " + g->value("b", "") + " − " + g->value("a", "") + " " +
         Fmt("%+.1f", (*g)["delta"].get<double>() * 100) + " points (95% CI " +
         Fmt("%+.1f", ci[0].get<double>() * 100) + " to " + Fmt("%+.1f", ci[1].get<double>() * 100) +
         ")";
    if (auto d = NumAt(r, "projected_daily_cost_difference"); d && qpd) {
      s += "; projected cost difference " + Money(*d) + "/day at " + Fmt("%.0f", *qpd) + " queries/day";
    }
  }
  return s;
}

}  // namespace

DecisionView ReadDecision(const json& decision) {
  DecisionView d;
  if (!decision.is_object() || decision.empty()) return d;
  d.present = true;
  const std::optional<double> qpd = NumAt(decision, "queries_per_day");
  if (const json* rs = Obj(decision, "readiness"); rs && rs->is_array()) {
    for (const json& r : *rs) d.reasons.push_back(ReadinessLine(r, qpd));
  }
  if (const json* h = Obj(decision, "hybrid"); h && h->is_object()) {
    d.hybrid_name = "simulated routing";
    d.hybrid_compliance = NumAt(*h, "compliance_rate");
    d.hybrid_cost_per_1k = NumAt(*h, "cost_per_1k_requests");
    if (const json* routes = Obj(*h, "routes"); routes && routes->is_array()) {
      std::string list;
      for (const json& r : *routes) {
        list += (list.empty() ? "" : "; ") + r.value("suite", "") +
                (r.value("tag", "").empty() ? "" : "/" + r.value("tag", "")) + " → " +
                r.value("endpoint", "");
      }
      d.facts.emplace_back("hybrid routes (simulation)", list);
    }
  }
  if (const json* eps = Obj(decision, "endpoints"); eps && eps->is_object()) {
    for (const auto& [name, e] : eps->items()) {
      if (const json* t = Obj(e, "system_prompt_tokens"); t && t->is_object()) {
        d.facts.emplace_back(name + ": system prompt tokens",
                             "≈" + Fmt("%.0f", (*t)["estimate"].get<double>()) + " (" +
                                 t->value("method", "estimate") + ")");
      } else if (auto chars = NumAt(e, "system_prompt_chars")) {
        d.facts.emplace_back(name + ": system prompt", Fmt("%.0f", *chars) +
                                                           " characters (no token estimate: too "
                                                           "few distinct user-message lengths)");
      }
      if (auto v = NumAt(e, "daily_cost")) {
        d.facts.emplace_back(name + ": projected cost", Money(*v) + "/day, " +
                                                            Money(*NumAt(e, "monthly_cost")) + "/month");
      }
      if (auto v = NumAt(e, "noncompliant_daily_cost")) {
        std::string t = Money(*v) + "/day spent on non-compliant answers";
        if (auto r = NumAt(e, "retry_daily_cost")) t += "; " + Money(*r) + "/day more if each is retried until compliant";
        d.facts.emplace_back(name + ": cost of non-compliance", t);
      }
    }
  }
  return d;
}

}  // namespace comply
