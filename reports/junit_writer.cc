#include "reports/junit_writer.h"

#include <cstdio>
#include <map>
#include <memory>
#include <algorithm>

#include "reports/format_util.h"
#include "reports/json_access.h"
#include "reports/output_file.h"
#include "reports/text_escape.h"
#include "reports/writers.h"

namespace comply {

namespace {

using nlohmann::json;

std::string PointerText(const std::string& p) { return p.empty() ? "(root)" : p; }

std::string JsonText(const json& v) {
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string Seconds(double ms) { return Fixed(ms / 1000.0, 3); }

// One (endpoint, suite) testsuite: its testcases are spooled to an anonymous temp file while
// the records stream by, so junit.xml needs one pass and memory does not grow with records.
struct Group {
  std::string endpoint;
  std::string suite;
  std::size_t first_seen = 0;
  long long tests = 0, failures = 0, errors = 0;
  double time_ms = 0;
  std::FILE* spool = nullptr;
  ~Group() {
    if (spool != nullptr) std::fclose(spool);
  }
};

// Testcases are spooled per (endpoint, suite) as the records stream by; junit.xml is written
// at Finish, when the summary gives the endpoint order, labels and start time.
class JunitSink : public RecordSink {
 public:
  explicit JunitSink(std::filesystem::path target) : target_(std::move(target)) {}
  Status Add(const Record& r) override;
  Status Finish(const ReportInputs& in) override;

 private:
  std::filesystem::path target_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Group>> groups_;
};

class JunitWriter : public ReportWriter {
 public:
  std::string format() const override { return "junit"; }
  Result<std::unique_ptr<RecordSink>> Start(const std::filesystem::path& run_dir) const override {
    return std::unique_ptr<RecordSink>(new JunitSink(run_dir / "junit.xml"));
  }
  Status Write(const ReportInputs& in) const override { return WriteReports(in, {this}); }
};

Status JunitSink::Add(const Record& r) {
  const std::filesystem::path& target = target_;
  auto& g = groups_[{r.endpoint, r.suite}];
  if (!g) {
    g = std::make_unique<Group>();
    g->endpoint = r.endpoint;
    g->suite = r.suite;
    g->first_seen = groups_.size();
    g->spool = std::tmpfile();
    if (g->spool == nullptr) return IoError("cannot write " + target.string() + ": no temp file");
  }
  const std::string xml = JunitTestcase(r);
  if (std::fwrite(xml.data(), 1, xml.size(), g->spool) != xml.size()) {
    return IoError("cannot write " + target.string() + ": temp file full");
  }
  ++g->tests;
  if (!r.ok()) {
    ++g->errors;
  } else if (!r.compliant) {
    ++g->failures;
  }
  g->time_ms += r.latency_ms;
  return Status::Ok();
}

Status JunitSink::Finish(const ReportInputs& in) {
  const std::filesystem::path& target = target_;
  auto& groups = groups_;
  // Display order: the summary's endpoint_order, then first seen; suites by name.
  std::map<std::string, std::size_t> rank;
  if (const json* order = Find(in.summary, {"endpoint_order"}); order && order->is_array()) {
    for (const json& n : *order) {
      if (n.is_string()) rank.emplace(n.get<std::string>(), rank.size());
    }
  }
  std::vector<Group*> sorted;
  for (auto& [key, g] : groups) sorted.push_back(g.get());
  auto endpoint_rank = [&](const Group* g) {
    auto it = rank.find(g->endpoint);
    return it == rank.end() ? rank.size() + g->first_seen : it->second;
  };
  std::sort(sorted.begin(), sorted.end(), [&](const Group* a, const Group* b) {
    const std::size_t ra = endpoint_rank(a), rb = endpoint_rank(b);
    if (ra != rb) return ra < rb;
    if (a->endpoint != b->endpoint) return a->endpoint < b->endpoint;
    return a->suite < b->suite;
  });

  long long tests = 0, failures = 0, errors = 0;
  double time_ms = 0;
  for (const Group* g : sorted) {
    tests += g->tests, failures += g->failures, errors += g->errors, time_ms += g->time_ms;
  }
  auto out = OutputFile::Open(target);
  if (!out.ok()) return out.error();
  OutputFile& f = **out;
  f.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  f.Write("<testsuites name=\"comply\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
          std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" time=\"" +
          Seconds(time_ms) + "\">\n");
  const std::string started = Text(in.summary, {"run", "started"});
  for (Group* g : sorted) {
    const std::string label = Text(in.summary, {"endpoints", g->endpoint, "label"});
    f.Write("  <testsuite name=\"" + XmlText(g->endpoint + "." + g->suite) + "\" tests=\"" +
            std::to_string(g->tests) + "\" failures=\"" + std::to_string(g->failures) +
            "\" errors=\"" + std::to_string(g->errors) + "\" skipped=\"0\" time=\"" +
            Seconds(g->time_ms) + "\"" +
            (started.empty() ? "" : " timestamp=\"" + XmlText(started) + "\"") + ">\n");
    f.Write("    <properties>\n");
    f.Write("      <property name=\"endpoint\" value=\"" + XmlText(g->endpoint) + "\"/>\n");
    f.Write("      <property name=\"suite\" value=\"" + XmlText(g->suite) + "\"/>\n");
    if (!label.empty()) {
      f.Write("      <property name=\"label\" value=\"" + XmlText(label) + "\"/>\n");
    }
    f.Write("    </properties>\n");
    std::rewind(g->spool);
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, g->spool)) > 0) f.Write(std::string_view(buf, n));
    if (std::ferror(g->spool)) return IoError("cannot write " + target.string() + ": temp file");
    f.Write("  </testsuite>\n");
  }
  f.Write("</testsuites>\n");
  return f.Commit();
}

}  // namespace

std::vector<std::string> FailureReasons(const Record& r) {
  std::vector<std::string> out;
  for (const std::string& d : r.drift) out.push_back("drift: " + d);
  for (const SchemaError& e : r.schema_errors) {
    out.push_back("schema " + PointerText(e.path) + " [" + e.keyword + "]: " + e.message);
  }
  for (const std::string& p : r.hallucinated_fields) out.push_back("hallucinated field: " + p);
  for (const RuleDetail& d : r.rule_details) {
    out.push_back("rule " + d.id + " at " + PointerText(d.path) + ": " + d.message);
  }
  // Rule ids without details (older records) still show up.
  for (const std::string& id : r.rule_failures) {
    bool detailed = false;
    for (const RuleDetail& d : r.rule_details) detailed = detailed || d.id == id;
    if (!detailed) out.push_back("rule " + id + " failed");
  }
  if (r.template_outcome) {
    const TemplateOutcome& t = *r.template_outcome;
    for (const auto& s : t.missing) out.push_back("template: missing section " + s);
    for (const auto& s : t.extra) out.push_back("template: extra section " + s);
    for (const auto& s : t.out_of_order) out.push_back("template: section out of order " + s);
    for (const auto& s : t.body_mismatch) out.push_back("template: body mismatch in " + s);
    if (!t.ok()) out.push_back("template: drift score " + Fixed(t.drift_score, 2));
  }
  for (const FieldMatch& m : r.field_matches) {
    if (m.match) continue;
    out.push_back("gold mismatch " + PointerText(m.path) + " (" + m.kind + "): expected " +
                  JsonText(m.expected) + ", got " +
                  (m.actual.is_null() ? std::string("nothing") : JsonText(m.actual)));
  }
  return out;
}

std::string JunitTestcase(const Record& r) {
  std::string xml = "    <testcase classname=\"" + XmlText(r.endpoint + "." + r.suite) +
                    "\" name=\"" + XmlText(r.case_id + "#" + std::to_string(r.sample)) +
                    "\" time=\"" + Seconds(r.latency_ms) + "\"";
  if (r.ok() && r.compliant) return xml + "/>\n";
  xml += ">\n";
  if (!r.ok()) {
    std::string message = r.status;
    if (r.http_status != 0) message += " (HTTP " + std::to_string(r.http_status) + ")";
    message += " after " + std::to_string(r.attempts) +
               (r.attempts == 1 ? " attempt" : " attempts");
    xml += "      <error type=\"" + XmlText(r.status) + "\" message=\"" + XmlText(message) +
           "\">" + XmlText(r.error) + "</error>\n";
    return xml + "    </testcase>\n";
  }
  const std::vector<std::string> reasons = FailureReasons(r);
  std::string message = reasons.empty() ? "not compliant" : "not compliant: " + reasons[0];
  if (reasons.size() > 1) message += " (+" + std::to_string(reasons.size() - 1) + " more)";
  std::string body;
  for (const std::string& line : reasons) body += line + "\n";
  bool cut = false;
  const std::string shown = TruncateUtf8(r.output, kJunitOutputBytes, &cut);
  body += "--- output";
  body += cut ? " (first " + std::to_string(kJunitOutputBytes) + " bytes of " +
                    std::to_string(r.output.size()) + "; full text in results.jsonl) ---\n"
              : " ---\n";
  body += shown;
  xml += "      <failure type=\"non_compliant\" message=\"" + XmlText(message) + "\">" +
         XmlText(body) + "</failure>\n";
  return xml + "    </testcase>\n";
}

std::unique_ptr<ReportWriter> MakeJunitWriter() { return std::make_unique<JunitWriter>(); }

}  // namespace comply
