#include "reports/report.h"

#include "reports/record_stream.h"
#include "reports/writers.h"

namespace comply {

Result<std::unique_ptr<RecordSink>> ReportWriter::Start(const std::filesystem::path&) const {
  return std::unique_ptr<RecordSink>();
}

Result<std::unique_ptr<ReportSet>> ReportSet::Start(const std::vector<const ReportWriter*>& writers,
                                                    const std::filesystem::path& run_dir) {
  auto set = std::make_unique<ReportSet>();
  for (const ReportWriter* w : writers) {
    auto sink = w->Start(run_dir);
    if (!sink.ok()) return sink.error();
    set->entries_.push_back(Entry{w, std::move(*sink), Status::Ok()});
  }
  return set;
}

Result<std::unique_ptr<ReportSet>> ReportSet::Start(
    const std::vector<std::unique_ptr<ReportWriter>>& writers, const std::filesystem::path& run_dir) {
  std::vector<const ReportWriter*> raw;
  for (const auto& w : writers) raw.push_back(w.get());
  return Start(raw, run_dir);
}

bool ReportSet::wants_records() const {
  for (const Entry& e : entries_) {
    if (e.sink) return true;
  }
  return false;
}

void ReportSet::Add(const Record& r) {
  for (Entry& e : entries_) {
    if (e.sink && e.status.ok()) e.status = e.sink->Add(r);
  }
}

Status ReportSet::Finish(const ReportInputs& in) {
  for (Entry& e : entries_) {
    if (!e.status.ok()) return e.status;
    Status s = e.sink ? e.sink->Finish(in) : e.writer->Write(in);
    e.sink.reset();  // spools and temp files go as soon as the files are written
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status WriteReports(const ReportInputs& in, const std::vector<const ReportWriter*>& writers) {
  auto set = ReportSet::Start(writers, in.run_dir);
  if (!set.ok()) return set.error();
  if ((*set)->wants_records()) {
    Status s = ForEachRecord(in.run_dir / "results.jsonl", [&](const Record& r) {
      (*set)->Add(r);
      return Status::Ok();
    });
    if (!s.ok()) return s;
  }
  return (*set)->Finish(in);
}

Status WriteReports(const ReportInputs& in,
                    const std::vector<std::unique_ptr<ReportWriter>>& writers) {
  std::vector<const ReportWriter*> raw;
  for (const auto& w : writers) raw.push_back(w.get());
  return WriteReports(in, raw);
}

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
