// FinalizeRun: the end-of-run steps shared by run, report and merge.
//
// results.jsonl is read ONCE: each record feeds the summary, decision support and every
// report writer that needs records (results.csv rows, junit spools, report.html's embedded
// records, spooled). The writers write their files at the end, when the summary, comparison,
// gate, history and decision they show are known. Bad lines are skipped (with warnings) for
// all of them alike.
#include <chrono>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <system_error>
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

namespace {

// What DecisionAccumulator::Add reads of a record, kept while decision support is still opening.
struct PendingDecision {
  std::string suite, case_id, endpoint, first_tag;
  std::string status;
  bool compliant = false, cached = false;
  std::int64_t input_tokens = 0;
  double cost_usd = 0;
};

PendingDecision Pending(const Record& r) {
  return {r.suite, r.case_id, r.endpoint, r.tags.empty() ? std::string() : r.tags[0],
          r.status, r.compliant, r.cached, r.input_tokens, r.cost_usd};
}

Record FromPending(PendingDecision p) {
  Record r;
  r.suite = std::move(p.suite);
  r.case_id = std::move(p.case_id);
  r.endpoint = std::move(p.endpoint);
  if (!p.first_tag.empty()) r.tags.push_back(std::move(p.first_tag));
  r.status = std::move(p.status);
  r.compliant = p.compliant;
  r.cached = p.cached;
  r.input_tokens = p.input_tokens;
  r.cost_usd = p.cost_usd;
  return r;
}

}  // namespace

struct FinalizeFeed::State {
  std::vector<std::unique_ptr<ReportWriter>> writers;
  std::unique_ptr<ReportSet> reports;
  bool decide = false;
  // Decision support reads inputs/resolved.json (two passes, about a third of a large run's
  // start-up) on its own thread while the first records arrive; they wait in `pending`.
  std::future<Result<std::unique_ptr<DecisionAccumulator>>> opening;
  std::vector<PendingDecision> pending;
  std::optional<Result<std::unique_ptr<DecisionAccumulator>>> decision;
  DecisionAccumulator* acc = nullptr;
  std::optional<SummaryBuilder> builder;

  // Takes the opened accumulator once it is there (`wait`: waits for it) and hands it the
  // records that came meanwhile, in order.
  void SettleDecision(bool wait) {
    if (!opening.valid()) return;
    if (!wait && opening.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    decision.emplace(opening.get());
    acc = decision->ok() ? decision->value().get() : nullptr;
    if (acc != nullptr) {
      for (PendingDecision& p : pending) acc->Add(FromPending(std::move(p)));
    }
    std::vector<PendingDecision>().swap(pending);
  }
};

FinalizeFeed::FinalizeFeed(std::unique_ptr<State> s) : state_(std::move(s)) {}
FinalizeFeed::~FinalizeFeed() = default;

Result<std::unique_ptr<FinalizeFeed>> FinalizeFeed::Start(const fs::path& run_dir,
                                                          const nlohmann::json& manifest,
                                                          const std::vector<std::string>& formats,
                                                          PendingInputs inputs) {
  auto st = std::make_unique<State>();
  auto writers = MakeReportWriters(formats);
  if (!writers.ok()) return writers.error();
  st->writers = std::move(*writers);
  std::vector<const ReportWriter*> record_writers;
  for (const auto& w : st->writers) {
    if (w->format() != "json") record_writers.push_back(w.get());  // summary.json: below
  }
  auto reports = ReportSet::Start(record_writers, run_dir);
  if (!reports.ok()) return reports.error();
  st->reports = std::move(*reports);
  // Decision support needs inputs/resolved.json (written by `comply run`; absent for `check`).
  // An unreadable one fails the run where decision support is assembled, after history.
  st->decide = inputs.written.valid() || fs::exists(run_dir / "inputs" / "resolved.json");
  if (st->decide) {
    auto open = [run_dir, inputs]() -> Result<std::unique_ptr<DecisionAccumulator>> {
      if (inputs.written.valid()) {
        if (!inputs.written.get().ok()) return inputs.written.get().error();
        if (inputs.decision && *inputs.decision) return std::move(*inputs.decision);
      }
      return DecisionAccumulator::Open(run_dir);
    };
    try {
      st->opening = std::async(std::launch::async, open);
    } catch (const std::system_error&) {
      st->decision.emplace(open());  // no thread: open it here
      st->acc = st->decision->ok() ? st->decision->value().get() : nullptr;
    }
  }
  st->builder.emplace(SummaryContextFromManifest(manifest));
  return std::unique_ptr<FinalizeFeed>(new FinalizeFeed(std::move(st)));
}

void FinalizeFeed::Add(const Record& r) {
  State& st = *state_;
  st.builder->Add(r);
  if (st.decide) {
    st.SettleDecision(false);
    if (st.acc != nullptr) {
      st.acc->Add(r);
    } else if (st.opening.valid()) {
      st.pending.push_back(Pending(r));
    }
  }
  st.reports->Add(r);
}

Result<FinalizeResult> FinalizeRun(const FinalizeOptions& o) {
  FinalizeResult out;
  std::unique_ptr<FinalizeFeed> own;
  FinalizeFeed* feed = o.feed;
  if (feed == nullptr) {
    auto started = FinalizeFeed::Start(o.run_dir, o.manifest, o.formats);
    if (!started.ok()) return started.error();
    own = std::move(*started);
    feed = own.get();
    RunReadStats stats;
    Status read = ReadRunResults(o.run_dir, [&](Record&& r) { feed->Add(r); }, {}, &stats);
    if (!read.ok()) return read.error();
    out.warnings = stats.warnings;
  }
  FinalizeFeed::State& st = *feed->state_;
  // The summary's context is the final manifest's (finished_at, status known only now).
  st.builder->SetContext(SummaryContextFromManifest(o.manifest));
  // Decision support's join and fits do not need the summary: they run on their own thread
  // while the summary, comparison and history are done here. (Declared after `own`: an early
  // return waits for the thread before the accumulator goes.)
  std::future<void> preparing;
  if (st.decide) {
    st.SettleDecision(true);
    if (st.acc != nullptr) {
      try {
        preparing = std::async(std::launch::async, [acc = st.acc] { acc->Prepare(); });
      } catch (const std::system_error&) {  // no thread: Finish prepares it
      }
    }
  }
  ReportSet& set = *st.reports;
  out.summary = st.builder->Finish();
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
  if (st.decide) {
    st.SettleDecision(true);
    if (!st.decision->ok()) return st.decision->error();
    if (preparing.valid()) preparing.get();
    in.decision = st.acc->Finish(out.summary, o.queries_per_day);
    out.decision = in.decision;
  }
  if (Status s = set.Finish(in); !s.ok()) return s.error();
  return out;
}

}  // namespace comply::cli
