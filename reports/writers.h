#pragma once
// The concrete report writers behind reports/report.h, one per format. MakeReportWriters is
// the public entry point; these factories exist so tests can build one writer directly.
//
//   std::unique_ptr<ReportWriter> csv = MakeCsvWriter();
//   Status s = csv->Write(inputs);    // results.csv + summary.csv
//
// Every writer is stateless: Write() is safe to call from several threads on different
// run directories.

#include <memory>

#include "reports/report.h"

namespace comply {

std::unique_ptr<ReportWriter> MakeCsvWriter();       // "csv": results.csv, summary.csv
std::unique_ptr<ReportWriter> MakeJunitWriter();     // "junit": junit.xml
std::unique_ptr<ReportWriter> MakeMarkdownWriter();  // "md": summary.md
std::unique_ptr<ReportWriter> MakeJsonWriter();      // "json": summary.json
std::unique_ptr<ReportWriter> MakeHtmlWriter();      // "html": report.html

}  // namespace comply
