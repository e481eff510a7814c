// FinalizeRun: the end-of-run steps shared by run, report and merge.
//
// results.jsonl is read ONCE: each record feeds the summary, decision support and every
// report writer that needs records (results.csv rows, junit spools, report.html's embedded
// records, spooled). The writers write their files at the end, when the summary, comparison,
// gate, history and decision they show are known. Bad lines are skipped (with warnings) for
// all of them alike.
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "evaluator/cli/common.h"
#include "evaluator/compare.h"
#include "evaluator/decision.h"
#include "evaluator/gate.h"
#include "evaluator/manifest.h"
#include "evaluator/run_dir.h"
#include "evaluator/run_reader.h"
#include "reports/report.h"

namespace comply::cli {

namespace fs = std::filesystem;

Result<FinalizeResult> FinalizeRun(const FinalizeOptions& o) {
  FinalizeResult out;
  auto writers = MakeReportWriters(o.formats);
  if (!writers.ok()) return writers.error();
  std::vector<const ReportWriter*> record_writers;
  for (const auto& w : *writers) {
    if (w->format() != "json") record_writers.push_back(w.get());  // summary.json: below
  }
  auto reports = ReportSet::Start(record_writers, o.run_dir);
  if (!reports.ok()) return reports.error();
  // Decision support needs inputs/resolved.json (written by `comply run`; absent for `check`).
  // An unreadable one fails the run where decision support is assembled, after history.
  const bool decide = fs::exists(o.run_dir / "inputs" / "resolved.json");
  std::optional<Result<std::unique_ptr<DecisionAccumulator>>> decision;
  if (decide) decision.emplace(DecisionAccumulator::Open(o.run_dir));
  DecisionAccumulator* acc = decide && decision->ok() ? decision->value().get() : nullptr;

  SummaryBuilder builder(SummaryContextFromManifest(o.manifest));
  RunReadStats stats;
  ReportSet& set = **reports;
  Status read = ReadRunResults(o.run_dir, [&](Record&& r) {
    builder.Add(r);
    if (acc != nullptr) acc->Add(r);
    set.Add(r);
  }, {}, &stats);
  if (!read.ok()) return read.error();
  out.warnings = stats.warnings;
  out.summary = builder.Finish();
  if (Status s = WriteJsonFile(o.run_dir / "summary.json", out.summary); !s.ok()) return s.error();

  if (o.baseline_dir) {
    auto c = CompareRuns(*o.baseline_dir, o.run_dir);
    if (!c.ok()) return c.error();
    out.comparison = std::move(*c);
  }
  std::optional<bool> gate_passed;
  if (o.evaluate_gate) {
    GateOutcome g = EvaluateGate(o.gate, out.summary, out.comparison.is_null() ? nullptr : &out.comparison);
    out.gate = g.ToJson();
    out.gate_failed = !g.passed;
    gate_passed = g.passed;
    for (const GateCheck& c : g.failures()) out.gate_lines.push_back(c.message);
  }

  nlohmann::json history = nlohmann::json::array();
  if (!o.history_path.empty()) {
    auto h = History::Open(o.history_path);
    if (!h.ok()) return h.error();
    const std::string config_hash =
        o.manifest.contains("config") ? o.manifest["config"].value("hash", "") : "";
    if (o.record_history) {
      HistoryEntry e;
      e.run_id = o.manifest.value("run_id", o.run_dir.filename().string());
      e.run_dir = fs::absolute(o.run_dir).lexically_normal().string();
      e.started_at = o.manifest.value("started_at", "");
      e.finished_at = o.manifest.value("finished_at", "");
      e.config_path = o.manifest.contains("config") ? o.manifest["config"].value("path", "") : "";
      e.config_hash = config_hash;
      e.complete = o.manifest.value("status", "") == "complete";
      e.sharded = !o.manifest.value("shard", "").empty();
      e.merged = o.manifest.contains("merged_from");
      e.gate_passed = gate_passed;
      if (Status s = (*h)->RecordRun(e, out.summary); !s.ok()) return s.error();
    }
    if (!config_hash.empty()) {
      auto trend = (*h)->Trend(config_hash, 20);
      if (!trend.ok()) return trend.error();
      history = std::move(*trend);
    }
  }

  ReportInputs in;
  in.run_dir = o.run_dir;
  in.manifest = o.manifest;
  in.summary = out.summary;
  in.comparison = out.comparison;
  in.gate = out.gate;
  in.history = history;
  if (decide) {
    if (!decision->ok()) return decision->error();
    in.decision = acc->Finish(out.summary, o.queries_per_day);
    out.decision = in.decision;
  }
  if (Status s = set.Finish(in); !s.ok()) return s.error();
  return out;
}

}  // namespace comply::cli
