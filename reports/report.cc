#include "reports/report.h"

#include "reports/writers.h"

namespace comply {

Result<std::vector<std::unique_ptr<ReportWriter>>> MakeReportWriters(
    const std::vector<std::string>& formats) {
  std::vector<std::unique_ptr<ReportWriter>> writers;
  for (std::size_t i = 0; i < formats.size(); ++i) {
    const std::string& f = formats[i];
    bool repeated = false;  // "--format csv,csv" writes the files once
    for (std::size_t k = 0; k < i; ++k) repeated = repeated || formats[k] == f;
    if (repeated) continue;
    if (f == "html") {
      writers.push_back(MakeHtmlWriter());
    } else if (f == "csv") {
      writers.push_back(MakeCsvWriter());
    } else if (f == "json") {
      writers.push_back(MakeJsonWriter());
    } else if (f == "junit") {
      writers.push_back(MakeJunitWriter());
    } else if (f == "md") {
      writers.push_back(MakeMarkdownWriter());
    } else {
      return InvalidInput("unknown report format \"" + f + "\"; expected html, csv, json, junit, md");
    }
  }
  return writers;
}

}  // namespace comply
