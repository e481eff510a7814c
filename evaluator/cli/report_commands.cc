// `comply report`, `compare`, `merge`, `history`: work on run directories alone.
#include "evaluator/cli/report_commands.h"

#include <cstdio>
#include <iostream>
#include <set>

#include "evaluator/cli/common.h"
#include "evaluator/compare.h"
#include "evaluator/manifest.h"
#include "evaluator/run.h"
#include "evaluator/run_dir.h"
#include "evaluator/run_reader.h"
#include "reports/report.h"

namespace comply::cli {

namespace {

namespace fs = std::filesystem;

struct ReportArgs {
  std::string run_dir, baseline, format, history;
};
struct CompareArgs {
  std::string a, b;
  bool json = false;
};
struct MergeArgs {
  std::vector<std::string> shards;
  std::string out, baseline, format, history;
};
struct HistoryArgs {
  bool json = false;
  std::string history = "runs/history.sqlite";
  int limit = 20;
};

// Resolves --baseline (a run dir, or "latest" from history) for an existing run.
Result<std::optional<fs::path>> ResolveBaseline(const std::string& flag, const fs::path& history,
                                                const nlohmann::json& manifest) {
  if (flag.empty()) return std::optional<fs::path>();
  if (flag != "latest") {
    if (!fs::exists(fs::path(flag) / "results.jsonl")) {
      return InvalidInput("--baseline " + flag + ": no results.jsonl there");
    }
    return std::optional<fs::path>(flag);
  }
  auto h = History::Open(history);
  if (!h.ok()) return h.error();
  const std::string hash = manifest.contains("config") ? manifest["config"].value("hash", "") : "";
  auto latest = (*h)->LatestComplete(hash, manifest.value("run_id", ""));
  if (!latest.ok()) return latest.error();
  if (!*latest) {
    PrintWarning("--baseline latest: no earlier complete run of this config in " + history.string());
    return std::optional<fs::path>();
  }
  return std::optional<fs::path>(fs::path(**latest));
}

int Report(const ReportArgs& a) {
  const fs::path dir = a.run_dir;
  auto manifest = ReadRunManifest(dir);
  if (!manifest.ok()) {
    PrintError(manifest.error());
    return 2;
  }
  const std::vector<std::string> formats = SplitFormats(a.format);
  if (auto w = MakeReportWriters(formats); !w.ok()) {
    PrintError(w.error());
    return 2;
  }
  const fs::path history = HistoryPathFor(dir, a.history);
  auto baseline = ResolveBaseline(a.baseline, history, *manifest);
  if (!baseline.ok()) {
    PrintError(baseline.error());
    return ExitCodeFor(baseline.error());
  }
  FinalizeOptions fin;
  fin.run_dir = dir;
  fin.manifest = *manifest;
  fin.baseline_dir = *baseline;
  fin.evaluate_gate = manifest->value("shard", "").empty() && manifest->contains("gate");
  fin.gate = GateSpecFromJson(manifest->value("gate", nlohmann::json::object()));
  fin.formats = formats;
  fin.history_path = fs::exists(history) ? history : fs::path();
  fin.record_history = false;
  fin.queries_per_day = manifest->contains("volume") ? (*manifest)["volume"].value("queries_per_day", 0.0) : 0.0;
  auto r = FinalizeRun(fin);
  if (!r.ok()) {
    PrintError(r.error());
    return ExitCodeFor(r.error());
  }
  for (const auto& w : r->warnings) PrintWarning(w);
  PrintSummaryTable(r->summary, std::cout);
  if (std::string h = HeadlineComparison(r->summary); !h.empty()) std::cout << "\n" << h << "\n";
  if (!r->comparison.is_null()) std::cout << "\n" << RenderCompareText(r->comparison);
  std::cout << "\nreports written to " << dir.string() << "\n";
  for (const auto& line : r->gate_lines) std::cerr << line << "\n";
  return r->gate_failed ? 1 : 0;
}

int CompareCmd(const CompareArgs& a) {
  for (const std::string& d : {a.a, a.b}) {
    if (!fs::exists(fs::path(d) / "results.jsonl")) {
      PrintError(d + ": no results.jsonl there (not a run directory)");
      return 2;
    }
  }
  auto c = CompareRuns(a.a, a.b);
  if (!c.ok()) {
    PrintError(c.error());
    return ExitCodeFor(c.error());
  }
  if (a.json) {
    std::cout << c->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << RenderCompareText(*c);
  }
  return 0;
}

int Merge(const MergeArgs& a) {
  if (a.out.empty()) {
    PrintError("merge needs --out DIR");
    return 2;
  }
  std::vector<nlohmann::json> manifests;
  std::set<std::string> shards;
  std::string hash, shard_count;
  for (const std::string& d : a.shards) {
    auto m = ReadRunManifest(d);
    if (!m.ok()) {
      PrintError(m.error());
      return 2;
    }
    const std::string h = (*m).contains("config") ? (*m)["config"].value("hash", "") : "";
    const std::string shard = m->value("shard", "");
    if (shard.empty()) {
      PrintError(d + ": not a shard (manifest.json has no shard); merge joins `comply run --shard I/N` outputs");
      return 2;
    }
    if (hash.empty()) hash = h;
    if (h != hash) {
      PrintError(d + ": its config differs from " + a.shards.front() + "'s (config hash " + h +
                 " vs " + hash + "); shards of one run share one config");
      return 2;
    }
    if (!shards.insert(shard).second) {
      PrintError(d + ": shard " + shard + " given twice");
      return 2;
    }
    if (m->value("status", "") != "complete") {
      PrintError(d + ": shard " + shard + " is " + m->value("status", "incomplete") +
                 "; complete it with `comply run CONFIG --resume " + d + "` first");
      return 3;
    }
    shard_count = shard.substr(shard.find('/') + 1);
    manifests.push_back(*m);
  }
  const int n = std::atoi(shard_count.c_str());
  if (n <= 0 || static_cast<int>(shards.size()) != n) {
    std::string missing;
    for (int i = 1; i <= n; ++i) {
      if (!shards.count(std::to_string(i) + "/" + shard_count)) {
        missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + shard_count;
      }
    }
    PrintError("merge needs every shard of the run; missing: " + missing);
    return 2;
  }
  const std::vector<std::string> formats = SplitFormats(a.format);
  if (auto w = MakeReportWriters(formats); !w.ok()) {
    PrintError(w.error());
    return 2;
  }
  const fs::path out = a.out;
  if (fs::exists(out / "results.jsonl")) {
    PrintError(out.string() + " already holds a run; choose another --out");
    return 2;
  }
  auto writer = ResultsWriter::Open(out / "results.jsonl", false);
  if (!writer.ok()) {
    PrintError(writer.error());
    return 3;
  }
  Status write;
  std::size_t planned = 0;
  std::string started;
  for (std::size_t i = 0; i < a.shards.size(); ++i) {
    RunReadStats stats;
    Status s = ReadRunResults(a.shards[i], [&](Record&& r) {
      if (write.ok()) write = (*writer)->Append(RecordLine(r));
    }, {}, &stats);
    if (!s.ok()) {
      PrintError(s.error());
      return 3;
    }
    for (const auto& w : stats.warnings) PrintWarning(w);
    planned += manifests[i].value("planned", 0);
    const std::string st = manifests[i].value("started_at", "");
    if (started.empty() || (!st.empty() && st < started)) started = st;
  }
  if (write.ok()) write = (*writer)->Flush();
  if (!write.ok()) {
    PrintError(write.error());
    return 3;
  }
  writer->reset();
  std::error_code ec;
  fs::copy(fs::path(a.shards.front()) / "inputs", out / "inputs",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
  nlohmann::json manifest = manifests.front();
  manifest["run_id"] = fs::absolute(out).lexically_normal().filename().string();
  manifest["shard"] = "";
  manifest["status"] = "complete";
  manifest["planned"] = planned;
  manifest["started_at"] = started;
  manifest["finished_at"] = UtcNowIso();
  manifest["merged_from"] = a.shards;
  if (Status s = WriteJsonFile(out / "manifest.json", manifest); !s.ok()) {
    PrintError(s.error());
    return 3;
  }
  const fs::path history = HistoryPathFor(out, a.history);
  auto baseline = ResolveBaseline(a.baseline, history, manifest);
  if (!baseline.ok()) {
    PrintError(baseline.error());
    return ExitCodeFor(baseline.error());
  }
  FinalizeOptions fin;
  fin.run_dir = out;
  fin.manifest = manifest;
  fin.baseline_dir = *baseline;
  fin.evaluate_gate = true;
  fin.gate = GateSpecFromJson(manifest.value("gate", nlohmann::json::object()));
  fin.formats = formats;
  fin.history_path = history;
  fin.record_history = true;
  auto r = FinalizeRun(fin);
  if (!r.ok()) {
    PrintError(r.error());
    return ExitCodeFor(r.error());
  }
  PrintSummaryTable(r->summary, std::cout);
  std::cout << "\nmerged " << a.shards.size() << " shards into " << out.string() << "\n";
  for (const auto& line : r->gate_lines) std::cerr << line << "\n";
  return r->gate_failed ? 1 : 0;
}

int HistoryCmd(const HistoryArgs& a) {
  if (!fs::exists(a.history)) {
    PrintError("no history at " + a.history + " (runs record themselves in history.sqlite beside "
               "their run directory; use --history FILE)");
    return 2;
  }
  auto h = History::Open(a.history);
  if (!h.ok()) {
    PrintError(h.error());
    return 3;
  }
  auto list = (*h)->List(a.limit);
  if (!list.ok()) {
    PrintError(list.error());
    return 3;
  }
  if (a.json) {
    std::cout << list->dump(2) << "\n";
    return 0;
  }
  std::printf("%-24s %-21s %-10s %-6s %s\n", "run", "finished", "status", "gate", "compliance by endpoint");
  for (const auto& r : *list) {
    std::string status = r["complete"].get<bool>() ? "complete" : "partial";
    if (r["merged"].get<bool>()) status = "merged";
    else if (r["sharded"].get<bool>()) status = "shard";
    std::string gate = r["gate_passed"].is_null() ? "–" : r["gate_passed"].get<bool>() ? "pass" : "FAIL";
    std::string eps;
    for (const auto& [name, m] : r["endpoints"].items()) {
      char buf[128];
      if (m["compliance_rate"].is_number()) {
        std::snprintf(buf, sizeof buf, "%s %.1f%%  ", name.c_str(), m["compliance_rate"].get<double>() * 100);
      } else {
        std::snprintf(buf, sizeof buf, "%s –  ", name.c_str());
      }
      eps += buf;
    }
    std::printf("%-24s %-21s %-10s %-6s %s\n", r["run_id"].get<std::string>().c_str(),
                r["finished_at"].get<std::string>().c_str(), status.c_str(), gate.c_str(), eps.c_str());
  }
  return 0;
}

}  // namespace

void AddReportCommands(CLI::App& app, int* exit_code) {
  {
    auto a = std::make_shared<ReportArgs>();
    CLI::App* c = app.add_subcommand("report", "Regenerate the reports (and the gate) from a run directory");
    c->add_option("run_dir", a->run_dir, "The run directory")->required();
    c->add_option("--baseline", a->baseline, "Compare with RUN_DIR, or 'latest' (history)");
    c->add_option("--format", a->format, "Reports to write (default: html,csv,json,junit,md)");
    c->add_option("--history", a->history, "History database (default: history.sqlite beside the run directory)");
    c->callback([a, exit_code] { *exit_code = Report(*a); });
  }
  {
    auto a = std::make_shared<CompareArgs>();
    CLI::App* c = app.add_subcommand("compare", "Print the deltas between two runs (RUN_A = baseline)");
    c->add_option("run_a", a->a, "The baseline run directory")->required();
    c->add_option("run_b", a->b, "The current run directory")->required();
    c->add_flag("--json", a->json, "Print the comparison as JSON");
    c->callback([a, exit_code] { *exit_code = CompareCmd(*a); });
  }
  {
    auto a = std::make_shared<MergeArgs>();
    CLI::App* c = app.add_subcommand("merge", "Join shard run directories into one run, report and gate");
    c->add_option("shards", a->shards, "The shard run directories")->required();
    c->add_option("--out,-o", a->out, "The merged run directory")->required();
    c->add_option("--baseline", a->baseline, "Compare with RUN_DIR, or 'latest' (history)");
    c->add_option("--format", a->format, "Reports to write (default: html,csv,json,junit,md)");
    c->add_option("--history", a->history, "History database (default: history.sqlite beside --out)");
    c->callback([a, exit_code] { *exit_code = Merge(*a); });
  }
  {
    auto a = std::make_shared<HistoryArgs>();
    CLI::App* c = app.add_subcommand("history", "List recorded runs (newest first)");
    c->add_flag("--json", a->json, "Print as JSON");
    c->add_option("--history", a->history, "History database")->capture_default_str();
    c->add_option("--limit", a->limit, "How many runs")->capture_default_str();
    c->callback([a, exit_code] { *exit_code = HistoryCmd(*a); });
  }
}

}  // namespace comply::cli
