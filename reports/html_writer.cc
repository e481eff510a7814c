#include "reports/html_writer.h"

#include <cstdio>
#include <string_view>
#include <vector>

#include "reports/format_util.h"
#include "reports/html_assets.h"
#include "reports/html_records.h"
#include "reports/html_sections.h"
#include "reports/json_access.h"
#include "reports/output_file.h"
#include "reports/text_escape.h"
#include "reports/writers.h"

namespace comply {

namespace {

using nlohmann::json;

std::string H(const std::string& s) { return HtmlEscape(s); }

std::string Header(const ReportInputs& in) {
  const json& sm = in.summary;
  const std::string run_id = Text(sm, {"run", "id"});
  std::string s =
      "<!DOCTYPE html>\n<html lang=\"en\" data-state=\"loading\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
      "<meta name=\"referrer\" content=\"no-referrer\">"
      "<title>comply report" + (run_id.empty() ? std::string() : " " + H(run_id)) +
      "</title><style>" + kReportCss + "</style></head><body>";
  s += "<header><h1>comply: structured-output compliance report</h1><p class=\"meta\">";
  std::string facts;
  auto fact = [&](const std::string& f) { facts += (facts.empty() ? "" : " · ") + f; };
  if (!run_id.empty()) fact("run " + H(run_id));
  if (const std::string c = Text(sm, {"run", "config"}); !c.empty()) fact("config " + H(c));
  if (const std::string st = Text(sm, {"run", "started"}); !st.empty()) {
    fact("started " + H(st) + (Text(sm, {"run", "finished"}).empty() ? "" : ", finished " + H(Text(sm, {"run", "finished"}))));
  }
  if (auto n = Number(sm, {"totals", "records"})) fact(WithThousands(std::llround(*n)) + " records");
  if (auto n = Number(sm, {"totals", "cases"})) fact(WithThousands(std::llround(*n)) + " cases");
  if (auto r = Number(sm, {"run", "repeat"}); r && *r > 1) {
    fact("repeat " + WithThousands(std::llround(*r)) + " (the case is the statistical unit)");
  }
  if (const std::string sh = Text(sm, {"run", "shard"}); !sh.empty()) fact("shard " + H(sh));
  s += facts + "</p></header><main>";
  return s;
}

const char* const kExplorer =
    "<section id=\"responses\"><h2>Responses</h2>"
    "<p class=\"meta\">Cases where the endpoints disagree come first (\xE2\x87\x84), then failures "
    "and errors. Filters are kept in the address (#…), so a filtered view can be shared. "
    "Outputs of compliant responses are shortened; every full text is in results.jsonl.</p>"
    "<noscript><p>The response explorer needs JavaScript; results.csv has every record.</p></noscript>"
    "<form class=\"filters\" role=\"search\" onsubmit=\"return false\">"
    "<label for=\"f-endpoint\">endpoint<select id=\"f-endpoint\"><option value=\"\">all</option></select></label>"
    "<label for=\"f-suite\">suite<select id=\"f-suite\"><option value=\"\">all</option></select></label>"
    "<label for=\"f-tag\">tag<select id=\"f-tag\"><option value=\"\">all</option></select></label>"
    "<label for=\"f-status\">status<select id=\"f-status\"><option value=\"\">all</option></select></label>"
    "<label for=\"f-verdict\">verdict<select id=\"f-verdict\"><option value=\"\">all</option>"
    "<option value=\"pass\">pass</option><option value=\"fail\">fail</option><option value=\"error\">error</option></select></label>"
    "<label for=\"f-drift\">drift<select id=\"f-drift\"><option value=\"\">all</option></select></label>"
    "<label for=\"f-path\">hallucinated path<select id=\"f-path\"><option value=\"\">all</option></select></label>"
    "<label for=\"f-q\">case id contains<input id=\"f-q\" type=\"search\"></label>"
    "<label for=\"f-disagree\">disagreements only<input id=\"f-disagree\" type=\"checkbox\"></label>"
    "<button type=\"button\" id=\"reset\">clear filters</button></form>"
    "<p id=\"records-count\" role=\"status\" aria-live=\"polite\"></p>"
    "<div class=\"pager\"><button type=\"button\" id=\"prev\">\xE2\x86\x90 previous</button>"
    "<span id=\"page-info\"></span><button type=\"button\" id=\"next\">next \xE2\x86\x92</button></div>"
    "<table id=\"records-table\"><thead><tr><th scope=\"col\"><span class=\"sr\">details</span></th>"
    "<th scope=\"col\">verdict</th><th scope=\"col\">endpoint</th><th scope=\"col\">suite</th>"
    "<th scope=\"col\">case#sample</th><th scope=\"col\">status</th><th scope=\"col\">drift</th>"
    "<th scope=\"col\">findings</th><th scope=\"col\">latency ms</th></tr></thead>"
    "<tbody id=\"records-body\"></tbody></table></section>";

// The records' compact JSON is spooled to an anonymous temporary file as they stream by;
// Finish writes the page (header and sections need the summary) and copies the spool in.
class HtmlSink : public RecordSink {
 public:
  HtmlSink(std::filesystem::path target, std::FILE* spool)
      : target_(std::move(target)), spool_(spool) {}
  ~HtmlSink() override { std::fclose(spool_); }
  HtmlSink(const HtmlSink&) = delete;
  HtmlSink& operator=(const HtmlSink&) = delete;

  Status Add(const Record& r) override {
    chunk_.clear();
    if (!first_) chunk_ += ",\n";
    first_ = false;
    chunk_ += JsonForScript(EncodeRecord(r, &dict_));
    if (std::fwrite(chunk_.data(), 1, chunk_.size(), spool_) != chunk_.size()) {
      return IoError("cannot write " + target_.string() + ": temp file full");
    }
    return Status::Ok();
  }

  Status Finish(const ReportInputs& in) override {
    auto out = OutputFile::Open(target_);
    if (!out.ok()) return out.error();
    OutputFile& f = **out;
    f.Write(Header(in));
    f.Write(HtmlVerdictSection(in));
    f.Write(HtmlCards(in.summary));
    f.Write(HtmlCharts(in));
    f.Write(HtmlComparison(in.summary));
    f.Write(HtmlGateBaselineDecision(in));
    f.Write(kExplorer);
    f.Write("</main><script type=\"application/json\" id=\"records\">[");
    std::rewind(spool_);
    std::vector<char> buf(1 << 16);
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), spool_)) > 0) {
      f.Write(std::string_view(buf.data(), n));
    }
    if (std::ferror(spool_)) return IoError("cannot write " + target_.string() + ": temp file");
    f.Write("]</script><script type=\"application/json\" id=\"dict\">");
    f.Write(JsonForScript(dict_.ToJson()));
    f.Write("</script><script>");
    f.Write(kReportJs);
    f.Write("</script></body></html>\n");
    return f.Commit();
  }

 private:
  std::filesystem::path target_;
  std::FILE* spool_;
  RecordDict dict_;
  bool first_ = true;
  std::string chunk_;
};

class HtmlWriter : public ReportWriter {
 public:
  std::string format() const override { return "html"; }
  Result<std::unique_ptr<RecordSink>> Start(const std::filesystem::path& run_dir) const override {
    const std::filesystem::path target = run_dir / "report.html";
    std::FILE* spool = std::tmpfile();
    if (spool == nullptr) return IoError("cannot write " + target.string() + ": no temp file");
    return std::unique_ptr<RecordSink>(new HtmlSink(target, spool));
  }
  Status Write(const ReportInputs& in) const override { return WriteHtmlReport(in); }
};

}  // namespace

Status WriteHtmlReport(const ReportInputs& in) {
  static const HtmlWriter kWriter;
  return WriteReports(in, {&kWriter});
}

std::unique_ptr<ReportWriter> MakeHtmlWriter() { return std::make_unique<HtmlWriter>(); }

}  // namespace comply
