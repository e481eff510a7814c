#include "reports/markdown_writer.h"

#include <cmath>

#include "evaluator/run_dir.h"
#include "reports/decision_view.h"
#include "reports/format_util.h"
#include "reports/headline.h"
#include "reports/json_access.h"
#include "reports/text_escape.h"
#include "reports/writers.h"

namespace comply {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxListed = 10;  // cases listed per endpoint before "… and N more"

std::string Md(const std::string& s) { return MarkdownEscape(s); }

std::string Code(const std::string& s) {
  // Inline code cannot hold a backtick safely in every renderer: escape as text instead.
  return s.find('`') == std::string::npos && s.find('\n') == std::string::npos &&
                 s.find('|') == std::string::npos
             ? "`" + SanitizeUtf8(s) + "`"
             : Md(s);
}

std::string Dash() { return "\xE2\x80\x94"; }

void EndpointTable(const json& summary, std::string* out) {
  std::vector<EndpointView> eps = EndpointViews(summary);
  if (eps.empty()) {
    *out += "No results in this run.\n\n";
    return;
  }
  *out += "| endpoint | label | compliance (95% CI) | hallucination rate | error rate | "
          "p50 / p95 latency | cost / 1k requests |\n";
  *out += "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n";
  for (const EndpointView& e : eps) {
    std::string compliance = OrDash(e.compliance, [](double v) { return Percent(v); });
    if (e.ci_lo && e.ci_hi) compliance += " (" + PercentInterval(*e.ci_lo, *e.ci_hi) + ")";
    *out += "| " + Md(e.name) + " | " + (e.label.empty() ? Dash() : Md(e.label)) + " | " +
            compliance + " | " +
            OrDash(e.hallucination_rate, [](double v) { return Percent(v, 2); }) + " | " +
            OrDash(e.error_rate, [](double v) { return Percent(v); }) + " | " +
            OrDash(e.p50_ms, Millis) + " / " + OrDash(e.p95_ms, Millis) + " | " +
            OrDash(e.cost_per_1k, Usd) + " |\n";
  }
  *out += "\n";
}

void GateSection(const json& gate, std::string* out) {
  if (!gate.is_object()) {
    *out += "## Gate: not evaluated\n\n";
    return;
  }
  const bool passed = Bool(gate, {"passed"}).value_or(false);
  const bool configured = Bool(gate, {"configured"}).value_or(true);
  *out += std::string("## Gate: ") + (passed ? "\xE2\x9C\x85 PASSED" : "\xE2\x9D\x8C FAILED") +
          (configured ? "" : " (default checks only)") + "\n\n";
  if (const json* failures = Find(gate, {"failures"}); failures && failures->is_array()) {
    for (const json& f : *failures) {
      std::string line = Text(f, {"message"});
      if (line.empty()) line = Text(f, {"endpoint"}) + ": " + Text(f, {"check"});
      *out += "- " + Md(line) + "\n";
    }
    if (!failures->empty()) *out += "\n";
  }
}

std::string CaseList(const json* list, const json* count) {
  if (list == nullptr || !list->is_array() || list->empty()) return "";
  std::string s;
  std::size_t shown = 0;
  for (const json& c : *list) {
    if (shown == kMaxListed) break;
    if (shown++ > 0) s += ", ";
    s += Code(Text(c, {"suite"}) + "/" + Text(c, {"case_id"}));
  }
  const long long total =
      count && count->is_number() ? count->get<long long>() : static_cast<long long>(list->size());
  if (total > static_cast<long long>(shown)) {
    s += " and " + WithThousands(total - static_cast<long long>(shown)) + " more";
  }
  return s;
}

void RegressionSection(const json& comparison, std::string* out) {
  *out += "## Against the baseline\n\n";
  if (!comparison.is_object()) {
    *out += "No baseline run to compare with.\n\n";
    return;
  }
  const std::string base_id = Text(comparison, {"baseline", "run_id"},
                                   Text(comparison, {"baseline", "dir"}));
  if (!base_id.empty()) *out += "Baseline: " + Code(base_id) + "\n\n";
  std::vector<std::string> order;
  if (const json* o = Find(comparison, {"endpoint_order"}); o && o->is_array()) {
    for (const json& n : *o) {
      if (n.is_string()) order.push_back(n.get<std::string>());
    }
  }
  std::string table, lists;
  for (const std::string& name : order) {
    const json* ep = Find(comparison, {"endpoints", name});
    if (ep == nullptr) continue;
    const std::string status = Text(*ep, {"status"});
    if (status == "added" || status == "removed") {
      table += "| " + Md(name) + " | " + status + " endpoint | | | | | |\n";
      continue;
    }
    const json* p = Find(*ep, {"paired"});
    if (p == nullptr) continue;
    std::optional<double> delta = Number(*p, {"delta"});
    const bool significant = Bool(*p, {"significant"}).value_or(false);
    std::string verdict = "unchanged";
    if (delta && significant) verdict = *delta < 0 ? "**regressed**" : "improved";
    if (delta && !significant && *delta != 0) verdict = "not significant";
    table += "| " + Md(name) + " | " + OrDash(Number(*p, {"baseline_rate"}), [](double v) { return Percent(v); }) + " | " +
             OrDash(Number(*p, {"current_rate"}), [](double v) { return Percent(v); }) + " | " +
             OrDash(delta, [](double d) { return Points(d); }) + " | " +
             OrDash(Number(*p, {"p_value"}), PValue) + " | " +
             OrDash(Number(*p, {"mde"}), [](double d) { return Fixed(d * 100, 1) + " pts"; }) +
             " | " + verdict + " |\n";
    const std::string nf = CaseList(Find(*ep, {"new_failures"}), Find(*ep, {"new_failures_count"}));
    if (!nf.empty()) lists += "- " + Md(name) + " new failures: " + nf + "\n";
    const std::string added = CaseList(Find(*ep, {"added_cases"}), Find(*ep, {"added_count"}));
    if (!added.empty()) lists += "- " + Md(name) + " added cases: " + added + "\n";
    const std::string removed =
        CaseList(Find(*ep, {"removed_cases"}), Find(*ep, {"removed_count"}));
    if (!removed.empty()) lists += "- " + Md(name) + " removed cases: " + removed + "\n";
  }
  if (!table.empty()) {
    *out += "| endpoint | baseline | current | delta | McNemar p | detectable | verdict |\n";
    *out += "| --- | ---: | ---: | ---: | ---: | ---: | --- |\n";
    *out += table + "\n";
  }
  if (!lists.empty()) *out += lists + "\n";
}

void DecisionSection(const json& decision, std::string* out) {
  DecisionView d = ReadDecision(decision);
  if (!d.present) return;
  *out += "## Readiness: prompted vs fine-tuned\n\n";
  if (!d.verdict.empty()) *out += "**" + Md(d.verdict) + "**\n\n";
  for (const std::string& r : d.reasons) *out += "- " + Md(r) + "\n";
  if (!d.reasons.empty()) *out += "\n";
  if (d.hybrid_compliance || d.hybrid_cost_per_1k) {
    *out += "Hybrid routing (" + Md(d.hybrid_name) + "): " +
            OrDash(d.hybrid_compliance, [](double v) { return Percent(v); }) + " compliant at " +
            OrDash(d.hybrid_cost_per_1k, Usd) + " per 1,000 requests.\n\n";
  }
  if (!d.facts.empty()) {
    *out += "| figure | value |\n| --- | --- |\n";
    for (const auto& [k, v] : d.facts) *out += "| " + Md(k) + " | " + Md(v) + " |\n";
    *out += "\n";
  }
}

class MarkdownWriter : public ReportWriter {
 public:
  std::string format() const override { return "md"; }
  Status Write(const ReportInputs& in) const override {
    return WriteTextFile(in.run_dir / "summary.md", RenderSummaryMarkdown(in));
  }
};

}  // namespace

std::string RenderSummaryMarkdown(const ReportInputs& in) {
  std::string out;
  const std::string run_id = Text(in.summary, {"run", "id"});
  out += "# comply report" + (run_id.empty() ? std::string() : ": " + Code(run_id)) + "\n\n";
  out += "**" + Md(Headline(in.summary)) + "**\n\n";
  std::string facts;
  if (const std::string config = Text(in.summary, {"run", "config"}); !config.empty()) {
    facts += "config " + Code(config);
  }
  if (std::optional<double> n = Number(in.summary, {"totals", "records"})) {
    facts += (facts.empty() ? "" : " · ") + WithThousands(std::llround(*n)) + " records";
  }
  if (std::optional<double> n = Number(in.summary, {"totals", "cases"})) {
    facts += " · " + WithThousands(std::llround(*n)) + " cases";
  }
  if (std::optional<double> r = Number(in.summary, {"run", "repeat"}); r && *r > 1) {
    facts += " · repeat " + WithThousands(std::llround(*r)) + " (the case is the unit)";
  }
  if (const std::string shard = Text(in.summary, {"run", "shard"}); !shard.empty()) {
    facts += " · shard " + Code(shard);
  }
  if (!facts.empty()) out += facts + "\n\n";
  EndpointTable(in.summary, &out);
  GateSection(in.gate, &out);
  RegressionSection(in.comparison, &out);
  DecisionSection(in.decision, &out);
  out += "Full report: `report.html`; every response: `results.jsonl` / `results.csv`.\n";
  return out;
}

std::unique_ptr<ReportWriter> MakeMarkdownWriter() { return std::make_unique<MarkdownWriter>(); }

}  // namespace comply
