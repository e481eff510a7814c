#include "reports/html_sections.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "reports/decision_view.h"
#include "reports/format_util.h"
#include "reports/headline.h"
#include "reports/json_access.h"
#include "reports/svg_charts.h"
#include "reports/text_escape.h"

namespace comply {

namespace {

using nlohmann::json;

std::string H(const std::string& s) { return HtmlEscape(s); }
std::string Dash() { return "\xE2\x80\x94"; }
std::string Pct(double v) { return Percent(v); }

const char* const kDrift[] = {"code_fence", "leading_text", "trailing_text", "multiple_json",
                              "truncated",  "malformed",    "not_json",      "empty"};

std::string FilterLink(const std::string& hash, const std::string& text) {
  return "<a href=\"#" + H(hash) + "\">" + H(text) + "</a>";
}

std::string Enc(const std::string& s) {  // percent-encoding for a hash value
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string CaseLink(const std::string& suite, const std::string& case_id) {
  return FilterLink("suite=" + Enc(suite) + "&q=" + Enc(case_id), suite + "/" + case_id);
}

std::string ComplianceCell(const json& m) {
  std::optional<double> rate = Number(m, {"case_level", "compliance_rate"});
  std::optional<double> lo = NumberAt(m, {"case_level", "compliance_ci"}, 0);
  std::optional<double> hi = NumberAt(m, {"case_level", "compliance_ci"}, 1);
  if (!rate) {
    rate = Number(m, {"compliance_rate"});
    lo = NumberAt(m, {"compliance_ci"}, 0);
    hi = NumberAt(m, {"compliance_ci"}, 1);
  }
  if (!rate) return Dash();
  std::string s = Pct(*rate);
  if (lo && hi) s += " <span class=\"meta\">(" + PercentInterval(*lo, *hi) + ")</span>";
  if (std::optional<double> n = Number(m, {"answered"})) {
    s += " <span class=\"meta\">n=" + WithThousands(std::llround(*n)) + "</span>";
  }
  return s;
}

}  // namespace

std::string HtmlVerdictSection(const ReportInputs& in) {
  std::string s = "<section id=\"verdict\" aria-label=\"verdict\">";
  s += "<p class=\"headline\">" + H(Headline(in.summary)) + "</p><p>";
  if (in.gate.is_object()) {
    const bool passed = Bool(in.gate, {"passed"}).value_or(false);
    s += std::string("<span class=\"badge ") + (passed ? "pass\">\xE2\x9C\x93 gate PASSED" : "fail\">\xE2\x9C\x97 gate FAILED") + "</span> ";
    if (const json* f = Find(in.gate, {"failures"}); f && f->is_array() && !f->empty()) {
      s += "<span class=\"meta\">" + std::to_string(f->size()) + " failing check" +
           (f->size() == 1 ? "" : "s") + " (see <a href=\"#gate\">Gate</a>)</span>";
    }
  } else {
    s += "<span class=\"badge\">gate not evaluated</span>";
  }
  DecisionView d = ReadDecision(in.decision);
  if (d.present && !d.verdict.empty()) {
    s += " <span class=\"badge warn\">readiness: " + H(d.verdict) + "</span>";
  }
  s += "</p></section>";
  return s;
}

std::string HtmlCards(const json& summary) {
  std::string s = "<section class=\"cards\" aria-label=\"endpoints\">";
  for (const EndpointView& e : EndpointViews(summary)) {
    s += "<article class=\"card\"><h3>" + H(e.name) + "</h3><div class=\"meta\">" +
         H(e.label.empty() ? "no label" : e.label) + (e.model.empty() ? "" : " · " + H(e.model)) +
         "</div><div class=\"big\">" + OrDash(e.compliance, Pct) + "</div><div class=\"meta\">compliance" +
         (e.ci_lo && e.ci_hi ? ", 95% CI " + PercentInterval(*e.ci_lo, *e.ci_hi) : "") + "</div><dl>";
    auto row = [&](const std::string& k, const std::string& v) {
      s += "<dt>" + k + "</dt><dd>" + v + "</dd>";
    };
    row("hallucination rate", OrDash(e.hallucination_rate, [](double v) { return Percent(v, 2); }));
    row("error rate", OrDash(e.error_rate, Pct));
    row("latency p50 / p95", OrDash(e.p50_ms, Millis) + " / " + OrDash(e.p95_ms, Millis));
    row("cost per 1,000 requests", OrDash(e.cost_per_1k, Usd));
    row("answered / records", OrDash(e.answered, [](double v) { return WithThousands(std::llround(v)); }) +
                                  " / " + OrDash(e.total, [](double v) { return WithThousands(std::llround(v)); }));
    if (e.flaky && *e.flaky > 0) row("flaky cases", WithThousands(std::llround(*e.flaky)));
    if (e.cached_share && *e.cached_share > 0) row("cached answers", Pct(*e.cached_share));
    s += "</dl></article>";
  }
  return s + "</section>";
}

std::string HtmlCharts(const ReportInputs& in) {
  const json& summary = in.summary;
  std::vector<EndpointView> eps = EndpointViews(summary);
  std::string s = "<section aria-label=\"charts\"><h2>Charts</h2><div class=\"charts\">";
  auto figure = [&](const std::string& caption, const std::string& svg) {
    s += "<figure><figcaption>" + H(caption) + "</figcaption>" + svg + "</figure>";
  };
  std::vector<IntervalDatum> ci;
  std::vector<FrontierPoint> frontier;
  for (const EndpointView& e : eps) {
    ci.push_back({e.name, e.compliance, e.ci_lo, e.ci_hi});
    if (e.compliance && e.cost_per_1k) {
      frontier.push_back({e.name, *e.cost_per_1k, *e.compliance, e.ci_lo, e.ci_hi, false});
    }
  }
  if (!ci.empty()) figure("Compliance (95% interval)", ComplianceIntervalChart(ci).svg);
  DecisionView d = ReadDecision(in.decision);
  if (d.hybrid_compliance && d.hybrid_cost_per_1k) {
    frontier.push_back({d.hybrid_name, *d.hybrid_cost_per_1k, *d.hybrid_compliance, {}, {}, true});
  }
  if (!frontier.empty()) figure("Cost vs compliance (frontier dashed)", CostFrontierChart(frontier).svg);

  // Baseline deltas: per endpoint, then per suite.
  if (in.comparison.is_object()) {
    std::vector<DeltaDatum> deltas;
    auto add = [&](const std::string& label, const json* p) {
      if (p == nullptr || !Number(*p, {"delta"})) return;
      DeltaDatum dd{label, *Number(*p, {"delta"}), {}, {}, Number(*p, {"p_value"}),
                    Bool(*p, {"significant"}).value_or(false)};
      if (std::optional<double> n = Number(*p, {"shared_cases"})) {
        DeltaInterval iv = PairedDeltaInterval(Number(*p, {"fixed"}).value_or(0),
                                               Number(*p, {"new_failures"}).value_or(0), *n);
        dd.lo = iv.lo, dd.hi = iv.hi;
      }
      deltas.push_back(dd);
    };
    if (const json* eps_c = Find(in.comparison, {"endpoints"}); eps_c && eps_c->is_object()) {
      for (auto it = eps_c->begin(); it != eps_c->end(); ++it) {
        add(it.key(), Find(it.value(), {"paired"}));
        if (const json* suites = Find(it.value(), {"suites"}); suites && suites->is_object()) {
          for (auto su = suites->begin(); su != suites->end(); ++su) {
            add(it.key() + " / " + su.key(), Find(su.value(), {"paired"}));
          }
        }
      }
    }
    if (!deltas.empty()) figure("Change against the baseline (paired, * = significant)", DeltaChart(deltas).svg);
  }

  // Drift categories per endpoint (share of answered responses), categories that occurred.
  GroupedBars drift;
  drift.percent = true;
  for (const char* cat : kDrift) {
    bool any = false;
    for (const EndpointView& e : eps) any = any || Number(summary, {"endpoints", e.name, "drift", cat}).value_or(0) > 0;
    if (any) drift.categories.push_back(cat);
  }
  for (const EndpointView& e : eps) {
    drift.series.push_back(e.name);
    std::vector<double> row;
    const double answered = Number(summary, {"endpoints", e.name, "answered"}).value_or(0);
    for (const std::string& cat : drift.categories) {
      const double n = Number(summary, {"endpoints", e.name, "drift", cat}).value_or(0);
      row.push_back(answered > 0 ? n / answered : 0);
    }
    drift.values.push_back(row);
  }
  if (!drift.categories.empty()) {
    figure("Drift categories (share of answered responses)", GroupedBarChart(drift, "Drift categories per endpoint").svg);
  }

  // Hallucinated fields per aggregated path: the 15 most frequent over all endpoints.
  std::map<std::string, double> totals;
  for (const EndpointView& e : eps) {
    if (const json* h = Find(summary, {"endpoints", e.name, "hallucinated_fields"}); h && h->is_object()) {
      for (auto it = h->begin(); it != h->end(); ++it) {
        if (it.value().is_number()) totals[it.key()] += it.value().get<double>();
      }
    }
  }
  if (!totals.empty()) {
    std::vector<std::pair<std::string, double>> top(totals.begin(), totals.end());
    std::stable_sort(top.begin(), top.end(), [](auto& a, auto& b) { return a.second > b.second; });
    if (top.size() > 15) top.resize(15);
    GroupedBars hb;
    for (auto& [path, n] : top) hb.categories.push_back(path);
    for (const EndpointView& e : eps) {
      hb.series.push_back(e.name);
      std::vector<double> row;
      for (const std::string& path : hb.categories) {
        row.push_back(Number(summary, {"endpoints", e.name, "hallucinated_fields", path}).value_or(0));
      }
      hb.values.push_back(row);
    }
    figure("Hallucinated fields per path (occurrences)", GroupedBarChart(hb, "Hallucinated fields per path").svg);
  }

  // Trend: history (oldest first) and this run.
  if (in.history.is_array() && !in.history.empty()) {
    std::vector<std::string> runs;
    std::vector<TrendSeries> series;
    for (const EndpointView& e : eps) series.push_back({e.name, {}, {}, {}});
    for (const json& h : in.history) {
      runs.push_back(Text(h, {"run_id"}, Text(h, {"started_at"})));
      for (TrendSeries& t : series) {
        t.value.push_back(Number(h, {"endpoints", t.name, "compliance_rate"}));
        t.lo.push_back(NumberAt(h, {"endpoints", t.name, "compliance_ci"}, 0));
        t.hi.push_back(NumberAt(h, {"endpoints", t.name, "compliance_ci"}, 1));
      }
    }
    runs.push_back(Text(summary, {"run", "id"}, "this run"));
    for (std::size_t i = 0; i < eps.size(); ++i) {
      series[i].value.push_back(eps[i].compliance);
      series[i].lo.push_back(eps[i].ci_lo);
      series[i].hi.push_back(eps[i].ci_hi);
    }
    figure("Trend over the last runs of this config", TrendChart(runs, series).svg);
  }
  return s + "</div></section>";
}

std::string HtmlComparison(const json& summary) {
  std::vector<EndpointView> eps = EndpointViews(summary);
  std::string s = "<section id=\"comparison\"><h2>Comparison per suite and tag</h2>";
  // Disagreements first.
  if (const json* pairs = Find(summary, {"comparison", "pairs"}); pairs && pairs->is_array()) {
    for (const json& p : *pairs) {
      const std::string a = Text(p, {"a"}), b = Text(p, {"b"});
      s += "<h3>" + H(a) + " vs " + H(b) + ": " +
           WithThousands(std::llround(Number(p, {"disagreements_count"}).value_or(0))) +
           " disagreeing cases of " + WithThousands(std::llround(Number(p, {"shared_cases"}).value_or(0))) +
           " shared</h3>";
      const json* list = Find(p, {"disagreements"});
      if (list && list->is_array() && !list->empty()) {
        s += "<table><thead><tr><th scope=\"col\">case</th><th scope=\"col\">" + H(a) +
             "</th><th scope=\"col\">" + H(b) + "</th></tr></thead><tbody>";
        for (const json& d : *list) {
          auto v = [&](const char* k) {
            return Bool(d, {k}).value_or(false) ? std::string("<td class=\"pass\">\xE2\x9C\x93 complies</td>")
                                                : std::string("<td class=\"fail\">\xE2\x9C\x97 fails</td>");
          };
          s += "<tr><td>" + CaseLink(Text(d, {"suite"}), Text(d, {"case_id"})) + "</td>" +
               v("a_compliant") + v("b_compliant") + "</tr>";
        }
        s += "</tbody></table>";
      }
    }
  }
  // Per suite and per tag.
  for (const char* scope : {"suites", "tags"}) {
    std::vector<std::string> names;
    for (const EndpointView& e : eps) {
      if (const json* g = Find(summary, {"endpoints", e.name, scope}); g && g->is_object()) {
        for (auto it = g->begin(); it != g->end(); ++it) {
          if (std::find(names.begin(), names.end(), it.key()) == names.end()) names.push_back(it.key());
        }
      }
    }
    if (names.empty()) continue;
    std::sort(names.begin(), names.end());
    const std::string kind = std::string(scope) == "suites" ? "suite" : "tag";
    s += "<h3>Per " + kind + "</h3><table><thead><tr><th scope=\"col\">" + kind + "</th>";
    for (const EndpointView& e : eps) s += "<th scope=\"col\">" + H(e.name) + "</th>";
    s += "</tr></thead><tbody>";
    for (const std::string& n : names) {
      s += "<tr><th scope=\"row\">" + FilterLink(kind + "=" + Enc(n), n) + "</th>";
      for (const EndpointView& e : eps) {
        const json* m = Find(summary, {"endpoints", e.name, scope, n});
        s += "<td class=\"num\">" + (m ? ComplianceCell(*m) : Dash()) + "</td>";
      }
      s += "</tr>";
    }
    s += "</tbody></table>";
  }
  // Flaky cases.
  std::string flaky;
  for (const EndpointView& e : eps) {
    const json* list = Find(summary, {"endpoints", e.name, "case_level", "flaky_cases"});
    if (list == nullptr || !list->is_array() || list->empty()) continue;
    flaky += "<li>" + H(e.name) + ": ";
    bool first = true;
    for (const json& c : *list) {
      if (!first) flaky += ", ";
      first = false;
      flaky += CaseLink(Text(c, {"suite"}), Text(c, {"case_id"})) + " (" +
               ShortestNumber(Number(c, {"passed"}).value_or(0)) + "/" +
               ShortestNumber(Number(c, {"samples"}).value_or(0)) + ")";
    }
    flaky += "</li>";
  }
  if (!flaky.empty()) s += "<h3>Flaky cases (some samples pass, some fail)</h3><ul>" + flaky + "</ul>";
  return s + "</section>";
}

std::string HtmlGateBaselineDecision(const ReportInputs& in) {
  std::string s = "<section id=\"gate\"><h2>Gate</h2>";
  if (!in.gate.is_object()) {
    s += "<p>Not evaluated (shards never gate).</p>";
  } else {
    const json* checks = Find(in.gate, {"checks"});
    if (checks == nullptr || !checks->is_array()) checks = Find(in.gate, {"failures"});
    s += "<ul>";
    if (checks != nullptr && checks->is_array()) {
      for (const json& c : *checks) {
        const bool ok = Bool(c, {"passed"}).value_or(false);
        s += std::string("<li class=\"") + (ok ? "pass\">\xE2\x9C\x93 " : "fail\">\xE2\x9C\x97 ") +
             H(Text(c, {"message"}, Text(c, {"endpoint"}) + ": " + Text(c, {"check"}))) + "</li>";
      }
    }
    s += "</ul>";
  }
  s += "</section><section id=\"baseline\"><h2>Against the baseline</h2>";
  if (!in.comparison.is_object()) {
    s += "<p>No baseline run to compare with.</p>";
  } else {
    s += "<p class=\"meta\">Baseline " + H(Text(in.comparison, {"baseline", "run_id"}, Text(in.comparison, {"baseline", "dir"}))) +
         "; paired on the shared cases (McNemar's exact test).</p>";
    s += "<table><thead><tr><th scope=\"col\">endpoint / suite</th><th scope=\"col\">baseline</th>"
         "<th scope=\"col\">current</th><th scope=\"col\">change</th><th scope=\"col\">McNemar p</th>"
         "<th scope=\"col\">detectable</th><th scope=\"col\">new failures</th><th scope=\"col\">fixed</th>"
         "<th scope=\"col\">added / removed cases</th></tr></thead><tbody>";
    std::string lists;
    if (const json* eps = Find(in.comparison, {"endpoints"}); eps && eps->is_object()) {
      for (auto it = eps->begin(); it != eps->end(); ++it) {
        const json& ep = it.value();
        auto row = [&](const std::string& label, const json* p, bool with_counts) {
          if (p == nullptr) {
            s += "<tr><th scope=\"row\">" + H(label) + "</th><td colspan=\"8\">" +
                 H(Text(ep, {"status"})) + "</td></tr>";
            return;
          }
          const bool sig = Bool(*p, {"significant"}).value_or(false);
          std::optional<double> d = Number(*p, {"delta"});
          s += "<tr><th scope=\"row\">" + H(label) + "</th><td class=\"num\">" +
               OrDash(Number(*p, {"baseline_rate"}), Pct) + "</td><td class=\"num\">" +
               OrDash(Number(*p, {"current_rate"}), Pct) + "</td><td class=\"num " +
               (sig && d && *d < 0 ? "fail" : "") + "\">" +
               OrDash(d, [](double v) { return Points(v); }) + (sig ? " *" : "") + "</td><td class=\"num\">" +
               OrDash(Number(*p, {"p_value"}), PValue) + "</td><td class=\"num\">" +
               OrDash(Number(*p, {"mde"}), [](double v) { return Fixed(v * 100, 1) + " pts"; }) +
               "</td><td class=\"num\">" + OrDash(Number(*p, {"new_failures"}), ShortestNumber) +
               "</td><td class=\"num\">" + OrDash(Number(*p, {"fixed"}), ShortestNumber) + "</td><td class=\"num\">" +
               (with_counts ? OrDash(Number(ep, {"added_count"}), ShortestNumber) + " / " +
                                  OrDash(Number(ep, {"removed_count"}), ShortestNumber)
                            : "") +
               "</td></tr>";
        };
        row(it.key(), Find(ep, {"paired"}), true);
        if (const json* suites = Find(ep, {"suites"}); suites && suites->is_object()) {
          for (auto su = suites->begin(); su != suites->end(); ++su) {
            row(it.key() + " / " + su.key(), Find(su.value(), {"paired"}), false);
          }
        }
        for (const char* which : {"new_failures", "fixed_cases", "added_cases", "removed_cases"}) {
          const json* list = Find(ep, {which});
          if (list == nullptr || !list->is_array() || list->empty()) continue;
          lists += "<li>" + H(it.key()) + " " + H(std::string(which) == "new_failures" ? "new failures" : which) + ": ";
          bool first = true;
          for (const json& c : *list) {
            if (!first) lists += ", ";
            first = false;
            lists += CaseLink(Text(c, {"suite"}), Text(c, {"case_id"}));
          }
          lists += "</li>";
        }
      }
    }
    s += "</tbody></table>";
    if (!lists.empty()) s += "<ul>" + lists + "</ul>";
  }
  s += "</section>";
  DecisionView d = ReadDecision(in.decision);
  if (d.present) {
    s += "<section id=\"readiness\"><h2>Readiness: prompted vs fine-tuned</h2>";
    if (!d.verdict.empty()) s += "<p><strong>" + H(d.verdict) + "</strong></p>";
    if (!d.reasons.empty()) {
      s += "<ul>";
      for (const std::string& r : d.reasons) s += "<li>" + H(r) + "</li>";
      s += "</ul>";
    }
    if (d.hybrid_compliance || d.hybrid_cost_per_1k) {
      s += "<p>Hybrid routing (" + H(d.hybrid_name) + "): " + OrDash(d.hybrid_compliance, Pct) +
           " compliant at " + OrDash(d.hybrid_cost_per_1k, Usd) + " per 1,000 requests.</p>";
    }
    if (!d.facts.empty()) {
      s += "<table><thead><tr><th scope=\"col\">figure</th><th scope=\"col\">value</th></tr></thead><tbody>";
      for (const auto& [k, v] : d.facts) s += "<tr><th scope=\"row\">" + H(k) + "</th><td>" + H(v) + "</td></tr>";
      s += "</tbody></table>";
    }
    s += "</section>";
  }
  return s;
}

}  // namespace comply
