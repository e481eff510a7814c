#pragma once
// summary.md: a compact Markdown report for a CI step summary or a PR comment — the headline,
// the comparison table per endpoint (compliance with its 95% interval, hallucination rate,
// error rate, p50/p95 latency, cost per 1,000 requests), the gate outcome (one line per failing
// check), the regressions against the baseline and, when ReportInputs::decision is present,
// the readiness section. Every config string is escaped (text_escape.h MarkdownEscape).
//
//   std::string md = RenderSummaryMarkdown(inputs);
//
// Pure function of its inputs (reads no file): thread-safe, never throws.

#include <string>

#include "reports/report.h"

namespace comply {

std::string RenderSummaryMarkdown(const ReportInputs& in);

}  // namespace comply
