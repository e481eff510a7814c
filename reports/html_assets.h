#pragma once
// The inline stylesheet and script of report.html (no framework, no external asset). The
// script reads the records from <script type="application/json" id="records"> and the string
// dictionary from id="dict", renders the drill-down with textContent only (never innerHTML),
// keeps the filter state in the URL hash (endpoint, suite, tag, status, verdict, drift, path,
// q, disagree, page, open) and, when done, sets <html data-state="rendered"> (or
// "error: <message>" when a script error happened) for tests and automation.
//
//   out += "<style>"; out += kReportCss; out += "</style>";
//   out += "<script>"; out += kReportJs; out += "</script>";

namespace comply {

extern const char* const kReportCss;
extern const char* const kReportJs;

}  // namespace comply
