#pragma once
// The server-rendered parts of report.html (everything but the record drill-down), built
// from the JSON inputs alone. Every string is escaped with HtmlEscape.
//
//   std::string top = HtmlVerdictSection(in) + HtmlCards(in.summary) + HtmlCharts(in);
//
// Pure functions of their inputs: thread-safe, never throw.

#include <string>

#include <nlohmann/json.hpp>

#include "reports/report.h"

namespace comply {

// Headline sentence, gate badge and readiness verdict: the answer without scrolling.
std::string HtmlVerdictSection(const ReportInputs& in);
// One card per endpoint (label, compliance with interval, hallucination, errors, latency, cost).
std::string HtmlCards(const nlohmann::json& summary);
// The SVG charts (svg_charts.h) in a grid: compliance, frontier, baseline deltas, drift,
// hallucinated paths, trend.
std::string HtmlCharts(const ReportInputs& in);
// Per suite and per tag comparison table, disagreements first, flaky cases.
std::string HtmlComparison(const nlohmann::json& summary);
// Every gate check, the baseline comparison and the decision-support facts.
std::string HtmlGateBaselineDecision(const ReportInputs& in);

}  // namespace comply
