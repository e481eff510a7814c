#include "evaluator/gate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "evaluator/stats.h"

namespace comply {

namespace {

using nlohmann::json;

constexpr double kDefaultMaxErrorRate = 0.02;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Get(const json& block, const char* pointer) {
  if (!block.is_object()) return 0;
  const json::json_pointer ptr(pointer);
  if (!block.contains(ptr)) return 0;
  const json& v = block.at(ptr);
  return v.is_number() ? v.get<double>() : 0;
}

// Counts of one group of suites (or a whole endpoint), summed from summary.json blocks.
struct Pool {
  double total = 0, errors = 0, parsed = 0, hallucinated = 0, cases = 0, rate_sum = 0;
  // Paired with the baseline.
  bool paired = false;
  double shared = 0, both = 0, new_failures = 0, fixed = 0;

  void AddMetrics(const json& m) {
    total += Get(m, "/total");
    errors += Get(m, "/errors");
    parsed += Get(m, "/parsed");
    hallucinated += Get(m, "/hallucinated");
    const double n = Get(m, "/case_level/cases");
    cases += n;
    rate_sum += n * Get(m, "/case_level/compliance_rate");
  }
  void AddPaired(const json* p) {
    if (p == nullptr || !p->is_object()) return;
    paired = true;
    shared += Get(*p, "/shared_cases");
    both += Get(*p, "/both_compliant");
    new_failures += Get(*p, "/new_failures");
    fixed += Get(*p, "/fixed");
  }
};

std::string Fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Prints actual and threshold with 3 decimals, or as many (up to 6) as the threshold needs;
// more when the actual would print equal to a threshold it is not equal to ("0.980 < 0.980").
std::pair<std::string, std::string> Pair(double actual, double threshold) {
  int d = 3;
  while (d < 6 && std::fabs(std::stod(Fmt(threshold, d)) - threshold) > 1e-12) ++d;
  while (d < 6 && actual != threshold && Fmt(actual, d) == Fmt(threshold, d)) ++d;
  return {Fmt(actual, d), Fmt(threshold, d)};
}

GateThresholds Merge(const GateThresholds& base, const GateThresholds& over) {
  GateThresholds t = over;
  if (!t.min_compliance) t.min_compliance = base.min_compliance;
  t.min_compliance_on_lower_bound = over.min_compliance_on_lower_bound ||
                                    (!over.min_compliance && base.min_compliance_on_lower_bound);
  if (!t.max_hallucination_rate) t.max_hallucination_rate = base.max_hallucination_rate;
  if (over.max_error_rate == kDefaultMaxErrorRate) t.max_error_rate = base.max_error_rate;
  if (!t.max_regression) t.max_regression = base.max_regression;
  return t;
}

class Checker {
 public:
  explicit Checker(GateOutcome* out) : out_(out) {}

  void Check(const std::string& endpoint, const std::string& suite, const GateThresholds& t,
             const Pool& p) {
    const std::string who = "gate: " + endpoint + (suite.empty() ? "" : "/" + suite) + ": ";
    auto add = [&](const char* check, double actual, double threshold, bool passed,
                   std::string message, double p_value = kNaN) {
      out_->checks.push_back(
          {endpoint, suite, check, actual, threshold, p_value, passed, who + std::move(message)});
      if (!passed) out_->passed = false;
    };
    if (t.min_compliance) {
      const double min = *t.min_compliance;
      const char* what = t.min_compliance_on_lower_bound ? "compliance lower bound" : "compliance";
      if (p.cases <= 0) {
        add("min_compliance", kNaN, min, false,
            std::string(what) + " n/a (no answered responses) < min_compliance " +
                Pair(kNaN, min).second);
      } else {
        const double rate = t.min_compliance_on_lower_bound ? WilsonInterval(p.rate_sum, p.cases).lo
                                                            : p.rate_sum / p.cases;
        const bool ok = rate >= min;
        const auto [a, th] = Pair(rate, min);
        add("min_compliance", rate, min, ok,
            std::string(what) + " " + a + (ok ? " >= " : " < ") + "min_compliance " + th);
      }
    }
    if (t.max_hallucination_rate) {
      const double max = *t.max_hallucination_rate;
      if (p.parsed <= 0) {
        add("max_hallucination_rate", kNaN, max, true,
            "hallucination rate n/a (nothing parsed) <= max_hallucination_rate " +
                Pair(kNaN, max).second);
      } else {
        const double rate = p.hallucinated / p.parsed;
        const bool ok = rate <= max;
        const auto [a, th] = Pair(rate, max);
        add("max_hallucination_rate", rate, max, ok,
            "hallucination rate " + a + (ok ? " <= " : " > ") + "max_hallucination_rate " + th);
      }
    }
    {
      const double max = t.max_error_rate;
      const double rate = p.total > 0 ? p.errors / p.total : kNaN;
      if (p.total <= 0) {
        add("max_error_rate", kNaN, max, false,
            "no records to check against max_error_rate " + Pair(kNaN, max).second);
      } else {
        const bool ok = rate <= max;
        const auto [a, th] = Pair(rate, max);
        add("max_error_rate", rate, max, ok,
            "error rate " + a + (ok ? " <= " : " > ") + "max_error_rate " + th);
      }
    }
    if (t.max_regression && p.paired) {
      const double max = *t.max_regression;
      if (p.shared <= 0) {
        add("max_regression", kNaN, max, true,
            "no shared cases with the baseline; max_regression " + Pair(kNaN, max).second +
                " not checked");
        return;
      }
      const double before = (p.both + p.new_failures) / p.shared;
      const double now = (p.both + p.fixed) / p.shared;
      const double drop = before - now;
      const double pv = McNemarExactP(static_cast<std::uint64_t>(p.new_failures),
                                      static_cast<std::uint64_t>(p.fixed));
      char pbuf[32];
      std::snprintf(pbuf, sizeof pbuf, pv < 0.001 ? "%.1e" : "%.3f", pv);
      const auto [a, th] = Pair(drop, max);
      const std::string detail = " (" + Fmt(before, 3) + " -> " + Fmt(now, 3) + " on " +
                                 Fmt(p.shared, 0) + " shared cases, p = " + pbuf + ")";
      if (drop <= max) {
        add("max_regression", drop, max, true,
            "compliance drop " + a + detail + " <= max_regression " + th, pv);
      } else if (pv >= 0.05) {
        add("max_regression", drop, max, true,
            "compliance drop " + a + detail + " > max_regression " + th + " but not significant",
            pv);
      } else {
        add("max_regression", drop, max, false,
            "compliance dropped " + a + detail + " > max_regression " + th, pv);
      }
    }
  }

 private:
  GateOutcome* out_;
};

const json* Find(const json& j, std::initializer_list<const char*> path) {
  const json* cur = &j;
  for (const char* key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

const json* FindIn(const json* j, const std::string& key) {
  if (j == nullptr || !j->is_object()) return nullptr;
  auto it = j->find(key);
  return it == j->end() ? nullptr : &*it;
}

}  // namespace

bool GateConfigured(const GateSpec& spec) {
  const GateThresholds& t = spec.thresholds;
  return t.min_compliance || t.max_hallucination_rate || t.max_regression ||
         t.max_error_rate != kDefaultMaxErrorRate || !spec.endpoints.empty() ||
         !spec.suites.empty();
}

std::vector<GateCheck> GateOutcome::failures() const {
  std::vector<GateCheck> out;
  for (const GateCheck& c : checks) {
    if (!c.passed) out.push_back(c);
  }
  return out;
}

json GateOutcome::ToJson() const {
  auto num = [](double v) { return std::isnan(v) ? json(nullptr) : json(v); };
  json all = json::array(), failed = json::array();
  for (const GateCheck& c : checks) {
    json j = {{"endpoint", c.endpoint},
              {"suite", c.suite},
              {"check", c.check},
              {"actual", num(c.actual)},
              {"threshold", num(c.threshold)},
              {"p_value", num(c.p_value)},
              {"passed", c.passed},
              {"message", c.message}};
    if (!c.passed) failed.push_back(j);
    all.push_back(std::move(j));
  }
  return {{"configured", configured},
          {"passed", passed},
          {"checks", std::move(all)},
          {"failures", std::move(failed)}};
}

GateOutcome EvaluateGate(const GateSpec& spec, const json& summary, const json* comparison) {
  GateOutcome out;
  out.configured = GateConfigured(spec);
  try {
    Checker checker(&out);
    const json* endpoints = Find(summary, {"endpoints"});
    std::vector<std::string> gated = spec.endpoints;
    if (gated.empty()) {
      for (const json& n : summary.value("endpoint_order", json::array())) {
        const json* e = FindIn(endpoints, n.is_string() ? n.get<std::string>() : "");
        if (e != nullptr && Get(*e, "/total") > 0) gated.push_back(n.get<std::string>());
      }
    }
    const json* cmp_endpoints = comparison ? Find(*comparison, {"endpoints"}) : nullptr;
    for (const std::string& name : gated) {
      const json* e = FindIn(endpoints, name);
      if (e == nullptr || Get(*e, "/total") <= 0) {
        out.checks.push_back({name, "", "endpoint", kNaN, kNaN, kNaN, false,
                              "gate: " + name + ": endpoint not in this run"});
        out.passed = false;
        continue;
      }
      const json* cmp = FindIn(cmp_endpoints, name);
      const bool cmp_both = cmp != nullptr && cmp->value("status", std::string()) == "both";
      const json* suites = FindIn(e, "suites");
      const json* cmp_suites = cmp_both ? FindIn(cmp, "suites") : nullptr;
      auto overridden = [&](const std::string& s) { return spec.suites.count(s) > 0; };
      bool any_override = false;
      if (suites != nullptr && suites->is_object()) {
        for (const auto& [s, block] : suites->items()) any_override |= overridden(s);
      }
      // The pooled group: every suite without an override.
      Pool pool;
      if (!any_override) {
        pool.AddMetrics(*e);
        if (cmp_both) pool.AddPaired(FindIn(cmp, "paired"));
      } else {
        for (const auto& [s, block] : suites->items()) {
          if (overridden(s)) continue;
          pool.AddMetrics(block);
          if (cmp_both) pool.AddPaired(FindIn(FindIn(cmp_suites, s), "paired"));
        }
      }
      if (!any_override || pool.total > 0) checker.Check(name, "", spec.thresholds, pool);
      if (!any_override) continue;
      for (const auto& [s, block] : suites->items()) {
        if (!overridden(s)) continue;
        Pool one;
        one.AddMetrics(block);
        if (cmp_both) one.AddPaired(FindIn(FindIn(cmp_suites, s), "paired"));
        checker.Check(name, s, Merge(spec.thresholds, spec.suites.at(s)), one);
      }
    }
  } catch (const std::exception& ex) {
    out.passed = false;
    out.checks.push_back({"", "", "summary", kNaN, kNaN, kNaN, false,
                          std::string("gate: cannot read the summary: ") + ex.what()});
  }
  return out;
}

}  // namespace comply
