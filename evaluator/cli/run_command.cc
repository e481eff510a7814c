// `comply run`: send the suites to the endpoints, score, report, gate (DESIGN.md).
#include "evaluator/cli/run_command.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <future>
#include <iostream>
#include <thread>

#include "evaluator/background_inputs.h"
#include "evaluator/checker.h"
#include "evaluator/cli/common.h"
#include "evaluator/cli/progress.h"
#include "evaluator/config_loader.h"
#include "evaluator/decision.h"
#include "evaluator/did_you_mean.h"
#include "evaluator/manifest.h"
#include "evaluator/run.h"
#include "evaluator/run_dir.h"
#include "evaluator/run_inputs.h"
#include "evaluator/run_reader.h"
#include "evaluator/suite_loader.h"
#include "reports/report.h"

namespace comply::cli {

namespace {

namespace fs = std::filesystem;

struct RunArgs {
  std::string config;
  std::string out;
  std::vector<std::string> endpoints;
  std::vector<std::string> suites;
  std::optional<int> repeat;
  std::optional<int> limit;
  std::optional<int> concurrency;
  std::string baseline;
  std::string shard;
  std::string resume;
  bool retry_errors = false;
  bool no_cache = false;
  bool dry_run = false;
  std::string format;
  std::string history;
  std::optional<double> queries_per_day;
  std::vector<std::string> argv;
};

extern "C" void OnSignal(int) { RequestStop(); }

// Checks that every name in `wanted` exists; "did you mean" otherwise.
Status CheckNames(const char* flag, const std::vector<std::string>& wanted,
                  const std::vector<std::string>& known) {
  for (const std::string& w : wanted) {
    if (std::find(known.begin(), known.end(), w) != known.end()) continue;
    std::string msg = std::string(flag) + " \"" + w + "\": no such name in the config";
    if (std::string s = DidYouMean(w, known); !s.empty()) msg += "; did you mean \"" + s + "\"?";
    return InvalidInput(msg);
  }
  return Status::Ok();
}

// For --resume: reads the records already there, drops a torn last line (and, with
// --retry-errors, error records) by rewriting the file, and returns the done keys.
Result<std::set<std::tuple<std::string, std::string, std::string, int>>> PrepareResume(
    const fs::path& dir, bool retry_errors, std::vector<std::string>* warnings) {
  std::set<std::tuple<std::string, std::string, std::string, int>> done;
  const fs::path results = dir / "results.jsonl";
  const fs::path tmp = dir / "results.jsonl.resume";
  auto w = ResultsWriter::Open(tmp, false);
  if (!w.ok()) return w.error();
  RunReadStats stats;
  Status write;
  Status s = ReadResultsFile(results, [&](Record&& r) {
    if (retry_errors && !r.ok()) return;
    done.insert({r.suite, r.case_id, r.endpoint, r.sample});
    if (write.ok()) write = (*w)->Append(RecordLine(r));
  }, {}, &stats);
  if (!s.ok()) return s.error();
  if (write.ok()) write = (*w)->Flush();
  if (!write.ok()) return write.error();
  w->reset();
  std::error_code ec;
  fs::rename(tmp, results, ec);
  if (ec) return IoError("cannot replace " + results.string() + ": " + ec.message());
  *warnings = stats.warnings;
  return done;
}

int RunRun(RunArgs args) {
  // Cases files stay on disk (read one case at a time): memory does not grow with the cases.
  SetStreamCasesFiles(true);
  auto config = LoadConfig(args.config);
  if (!config.ok()) {
    PrintError(config.error());
    return 2;
  }
  Config& cfg = *config;
  std::vector<std::string> endpoint_names, suite_names;
  for (const auto& e : cfg.endpoints) endpoint_names.push_back(e.name);
  for (const auto& s : cfg.suites) suite_names.push_back(s.name);
  for (Status s : {CheckNames("--endpoint", args.endpoints, endpoint_names),
                   CheckNames("--suite", args.suites, suite_names)}) {
    if (!s.ok()) {
      PrintError(s.error());
      return 2;
    }
  }
  // --resume continues the same plan: options not given again come from the manifest.
  if (!args.resume.empty()) {
    auto m = ReadRunManifest(args.resume);
    if (!m.ok()) {
      PrintError("--resume " + args.resume + ": " + m.error().message);
      return 2;
    }
    const nlohmann::json& p = m->value("plan", nlohmann::json::object());
    if (!args.repeat && m->contains("repeat")) args.repeat = (*m)["repeat"].get<int>();
    if (args.limit == std::nullopt && p.contains("limit") && p["limit"].is_number_integer()) {
      args.limit = p["limit"].get<int>();
    }
    if (args.endpoints.empty()) args.endpoints = m->value("selected_endpoints", std::vector<std::string>{});
    if (args.suites.empty()) args.suites = m->value("selected_suites", std::vector<std::string>{});
    if (args.shard.empty()) args.shard = m->value("shard", "");
    args.no_cache = args.no_cache || p.value("no_cache", false);
  }
  RunPlanOptions plan;
  plan.endpoints = args.endpoints;
  plan.suites = args.suites;
  plan.repeat = args.repeat.value_or(cfg.run.repeat);
  plan.limit = args.limit ? args.limit : cfg.run.limit;
  plan.concurrency = args.concurrency;
  plan.use_cache = cfg.run.cache && !args.no_cache;
  plan.max_cost_usd = cfg.run.max_cost_usd;
  if (plan.repeat < 1) {
    PrintError("--repeat must be at least 1");
    return 2;
  }
  if (!args.shard.empty()) {
    auto shard = ParseShard(args.shard);
    if (!shard.ok()) {
      PrintError(shard.error());
      return 2;
    }
    plan.shard = *shard;
  }
  // Fail fast: compile every selected suite's checks and the report writers.
  std::vector<std::shared_ptr<const SuiteChecker>> checkers(cfg.suites.size());
  for (std::size_t i = 0; i < cfg.suites.size(); ++i) {
    auto c = SuiteChecker::Compile(cfg.suites[i]);
    if (!c.ok()) {
      PrintError(c.error());
      return 2;
    }
    checkers[i] = *c;
  }
  const std::vector<std::string> formats = SplitFormats(args.format);
  if (auto w = MakeReportWriters(formats); !w.ok()) {
    PrintError(w.error());
    return 2;
  }
  const double qpd = args.queries_per_day.value_or(cfg.volume.queries_per_day);

  if (args.dry_run) {
    auto described = DescribePlan(cfg, plan);
    if (!described.ok()) {
      PrintError(described.error());
      return 3;
    }
    std::cout << *described;
    std::cout << "dry run: nothing was sent\n";
    return 0;
  }

  // The run directory.
  const bool resuming = !args.resume.empty();
  const fs::path run_dir = resuming ? fs::path(args.resume)
                                    : (args.out.empty() ? DefaultRunDir() : fs::path(args.out));
  std::vector<std::string> warnings;
  nlohmann::json old_manifest;
  if (resuming) {
    auto m = ReadRunManifest(run_dir);
    if (!m.ok()) {
      PrintError("--resume " + run_dir.string() + ": " + m.error().message);
      return 2;
    }
    old_manifest = *m;
    auto done = PrepareResume(run_dir, args.retry_errors, &warnings);
    if (!done.ok()) {
      PrintError(done.error());
      return ExitCodeFor(done.error());
    }
    plan.done = std::move(*done);
    if (args.shard.empty() && old_manifest.value("shard", "") != "") {
      plan.shard = *ParseShard(old_manifest["shard"].get<std::string>());
    }
  } else if (fs::exists(run_dir / "results.jsonl")) {
    PrintError(run_dir.string() + " already holds a run; use --resume " + run_dir.string() +
               " to complete it, or choose another --out");
    return 2;
  }
  for (const auto& w : warnings) PrintWarning(w);

  // An explicit baseline must exist before anything is written or sent.
  const fs::path history_path = HistoryPathFor(run_dir, args.history);
  if (args.baseline != "latest" && !args.baseline.empty() &&
      !fs::exists(fs::path(args.baseline) / "results.jsonl")) {
    PrintError("--baseline " + args.baseline + ": no results.jsonl there");
    return 2;
  }
  const std::string run_id = resuming ? old_manifest.value("run_id", run_dir.filename().string())
                                      : fs::absolute(run_dir).lexically_normal().filename().string();
  ManifestInfo info;
  info.run_id = run_id;
  info.started_at = resuming ? old_manifest.value("started_at", UtcNowIso()) : UtcNowIso();
  info.shard = plan.shard.active() ? args.shard.empty() ? old_manifest.value("shard", "") : args.shard : "";
  info.repeat = plan.repeat;
  info.limit = plan.limit;
  info.no_cache = !plan.use_cache;
  info.endpoints = args.endpoints;
  info.suites = args.suites;
  info.command = CommandLine();
  {
    RunPlanOptions all = plan;
    all.done.clear();
    auto n = CountPlan(cfg, all);
    if (!n.ok()) {
      PrintError(n.error());
      return 3;
    }
    info.planned = *n;
  }
  // inputs/ and the config hash over every case (manifest.h ConfigHash sees only the cases held
  // in memory). With streamed cases both come from one read of the cases file, which at
  // 100,000 cases takes about as long as 15,000 requests at c=1,024: a background thread
  // writes them while the requests go out (evaluator/background_inputs.h), and what it has not
  // written when the run is over, this thread writes. manifest.json is written first without
  // the hash, and again with the hash by whichever thread finishes.
  // Nothing that needs the hash (the end-of-run manifest, `--baseline latest`, history) or
  // inputs/resolved.json (decision support) runs before it is there, and if writing inputs/
  // fails, sending stops and the run fails (exit 3) with what was recorded kept.
  std::string config_hash;
  // Declared before the background writer, whose end (Complete, also on an early return) may
  // still set the flag.
  std::atomic<bool> inputs_failed{false};
  std::shared_future<Result<std::string>> inputs_written;
  auto manifest_of = [&cfg](const ManifestInfo& i, const std::string& hash) {
    nlohmann::json m = BuildManifest(cfg, i);
    if (HasStreamedCases(cfg)) PatchManifestCases(cfg, hash, &m);
    return m;
  };
  if (!HasStreamedCases(cfg)) {
    auto h = StreamedConfigHash(cfg);
    if (!h.ok()) {
      PrintError(h.error());
      return 3;
    }
    config_hash = *h;
    if (Status s = WriteInputs(run_dir, cfg); !s.ok()) {
      PrintError(s.error());
      return 3;
    }
  }
  // `--baseline latest` is looked up once the hash is known (after the run: this run is not
  // in history until then); an unreadable history fails now, before anything is sent.
  std::unique_ptr<History> latest_history;
  if (args.baseline == "latest") {
    auto h = History::Open(history_path);
    if (!h.ok()) {
      PrintError(h.error());
      return 3;
    }
    latest_history = std::move(*h);
  }
  if (Status s = WriteJsonFile(run_dir / "manifest.json", manifest_of(info, config_hash)); !s.ok()) {
    PrintError(s.error());
    return 3;
  }
  // A fresh run's decision support is built from the cases as the thread writes them (a
  // resumed run reads every record back at the end, resolved.json included).
  auto decision = std::make_shared<std::unique_ptr<DecisionAccumulator>>();
  std::unique_ptr<BackgroundInputs> background_inputs;
  if (HasStreamedCases(cfg)) {
    auto finish = [&inputs_failed, run_dir, info, manifest_of](Result<std::string> h) -> Result<std::string> {
      if (h.ok()) {
        if (Status s = WriteJsonFile(run_dir / "manifest.json", manifest_of(info, *h)); !s.ok()) {
          inputs_failed = true;
          return s.error();
        }
      } else {
        inputs_failed = true;
      }
      return h;
    };
    // A writer that cannot begin fails as one that fails later: the run stops and says why.
    background_inputs = BackgroundInputs::Start(
        StreamedInputsWriter::Begin(run_dir, cfg, resuming ? nullptr : decision.get()), finish);
    inputs_written = background_inputs->written();
  }
  auto writer = ResultsWriter::Open(run_dir / "results.jsonl", /*append=*/true);
  if (!writer.ok()) {
    PrintError(writer.error());
    return 3;
  }
  plan.cache_path = history_path.parent_path() / "cache.sqlite";
  // A fresh run hands each record to the end-of-run work (summary, decision support, report
  // writers' spools) as it is written, so the end of the run does not read results.jsonl back.
  // A resumed run has records from before: FinalizeRun reads the file.
  std::unique_ptr<FinalizeFeed> feed;
  if (!resuming) {
    auto f = FinalizeFeed::Start(run_dir, manifest_of(info, config_hash), formats,
                                 PendingInputs{inputs_written, decision});
    if (!f.ok()) {
      PrintError(f.error());
      return ExitCodeFor(f.error());
    }
    feed = std::move(*f);
  }
  // Decision support, opening in the feed, waits for the inputs: an early return finishes them
  // before the feed is destroyed (which waits for that opening).
  struct CompleteInputs {
    BackgroundInputs* inputs;
    ~CompleteInputs() {
      if (inputs != nullptr) inputs->Complete();
    }
  } complete_inputs{background_inputs.get()};
  std::function<void(const Record&)> on_record;
  if (feed) on_record = [&feed](const Record& r) { feed->Add(r); };

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  RunProgress progress;
  ProgressDisplay display(&progress);
  display.Start();
  plan.abort = &inputs_failed;
  auto outcome = ExecuteRun(cfg, checkers, plan, writer->get(), on_record, &progress);
  display.Stop();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  writer->reset();
  if (background_inputs) {
    // The rest of the inputs, written here if the background thread has not finished them.
    const Result<std::string>& h = background_inputs->Complete();
    if (h.ok()) {
      config_hash = *h;
    } else if (outcome.ok()) {
      outcome = h.error();
    }
  }
  if (!outcome.ok()) {
    PrintError(outcome.error());
    info.status = "failed";
    info.finished_at = UtcNowIso();
    (void)WriteJsonFile(run_dir / "manifest.json", manifest_of(info, config_hash));
    return ExitCodeFor(outcome.error());
  }
  std::optional<fs::path> baseline;
  if (latest_history) {
    auto latest = latest_history->LatestComplete(config_hash, run_id);
    if (!latest.ok()) {
      PrintError(latest.error());
      return 3;
    }
    if (*latest) {
      baseline = fs::path(**latest);
    } else {
      PrintWarning("--baseline latest: no earlier complete run of this config in " +
                   history_path.string() + "; no baseline comparison");
    }
    latest_history.reset();  // FinalizeRun opens the history to record this run
  } else if (!args.baseline.empty()) {
    baseline = fs::path(args.baseline);
  }
  info.finished_at = UtcNowIso();
  info.status = outcome->interrupted ? "interrupted"
                : outcome->budget_exhausted ? "budget_exhausted"
                                            : "complete";
  nlohmann::json manifest = manifest_of(info, config_hash);
  if (Status s = WriteJsonFile(run_dir / "manifest.json", manifest); !s.ok()) {
    PrintError(s.error());
    return 3;
  }

  FinalizeOptions fin;
  fin.run_dir = run_dir;
  fin.manifest = manifest;
  fin.baseline_dir = baseline;
  fin.evaluate_gate = !plan.shard.active() && outcome->complete();
  fin.gate = cfg.gate;
  fin.formats = formats;
  fin.history_path = history_path;
  fin.record_history = outcome->complete();
  fin.queries_per_day = qpd;
  fin.feed = feed.get();
  auto result = FinalizeRun(fin);
  if (!result.ok()) {
    PrintError(result.error());
    return ExitCodeFor(result.error());
  }
  for (const auto& w : result->warnings) PrintWarning(w);

  PrintSummaryTable(result->summary, std::cout);
  if (std::string h = HeadlineComparison(result->summary); !h.empty()) std::cout << "\n" << h << "\n";
  std::cout << "\nrun directory: " << run_dir.string() << "\n";
  for (const std::string& f : formats) {
    if (f == "html") std::cout << "  report:  " << (run_dir / "report.html").string() << "\n";
  }
  for (const std::string& line : result->gate_lines) std::cerr << line << "\n";

  // Exit codes, by precedence: 130, 3, 2, 1.
  if (outcome->interrupted) {
    // The resumed run must plan the same work: repeat the options that shape the plan.
    std::string same_plan;
    for (const std::string& e : args.endpoints) same_plan += " --endpoint " + e;
    for (const std::string& s : args.suites) same_plan += " --suite " + s;
    if (args.repeat) same_plan += " --repeat " + std::to_string(*args.repeat);
    if (args.limit) same_plan += " --limit " + std::to_string(*args.limit);
    if (!args.shard.empty()) same_plan += " --shard " + args.shard;
    if (args.no_cache) same_plan += " --no-cache";
    PrintError("interrupted: " + std::to_string(outcome->recorded) + " of " +
               std::to_string(outcome->planned) + " results written; complete it with: comply run " +
               args.config + same_plan + " --resume " + run_dir.string());
    return 130;
  }
  bool failed = false;
  for (const std::string& s : outcome->stopped_endpoints) {
    PrintError(s);
    failed = true;
  }
  if (outcome->budget_exhausted) {
    PrintError("run.max_cost_usd reached ($" + std::to_string(outcome->cost_usd) +
               "): sending stopped; complete it with --resume " + run_dir.string());
    failed = true;
  }
  // An endpoint that answered nothing because it could not be reached: the run failed.
  for (const auto& [name, m] : result->summary["endpoints"].items()) {
    const auto& by = m.value("errors_by_status", nlohmann::json::object());
    const long long unreachable = by.value("connection", 0LL) + by.value("timeout", 0LL);
    if (m.value("answered", 0LL) == 0 && m.value("total", 0LL) > 0 && unreachable == m.value("total", 0LL)) {
      PrintError("endpoint " + name + " could not be reached (" + std::to_string(unreachable) +
                 " connection errors or timeouts, no answer)");
      failed = true;
    }
  }
  if (failed) return 3;
  if (result->gate_failed) return 1;
  return 0;
}

}  // namespace

void AddRunCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Send the suites to the endpoints, score, report and gate");
  cmd->add_option("config", args->config, "The config file (comply.yaml)")->required();
  cmd->add_option("--out", args->out, "Run directory (default: runs/<UTC timestamp>)");
  cmd->add_option("--endpoint", args->endpoints, "Only this endpoint (repeatable)");
  cmd->add_option("--suite", args->suites, "Only this suite (repeatable)");
  cmd->add_option("--repeat", args->repeat, "Samples per case (default: run.repeat, 1)");
  cmd->add_option("--limit", args->limit, "At most N cases per suite (smoke runs)");
  cmd->add_option("--concurrency", args->concurrency, "Global cap on requests in flight (default: run.concurrency, 256)");
  cmd->add_option("--baseline", args->baseline, "Compare with RUN_DIR, or 'latest' (history)");
  cmd->add_option("--shard", args->shard, "Run shard I of N (1-based), e.g. 2/4");
  cmd->add_option("--resume", args->resume, "Complete the interrupted run in RUN_DIR");
  cmd->add_flag("--retry-errors", args->retry_errors, "With --resume: send recorded errors again");
  cmd->add_flag("--no-cache", args->no_cache, "Bypass the response cache (nightly runs)");
  cmd->add_flag("--dry-run", args->dry_run, "Print the plan and a cost estimate; send nothing");
  cmd->add_option("--format", args->format, "Reports to write (default: html,csv,json,junit,md)");
  cmd->add_option("--history", args->history, "History database (default: history.sqlite beside the run directory)");
  cmd->add_option("--queries-per-day", args->queries_per_day, "Volume for cost projections (default: volume.queries_per_day)");
  cmd->callback([args, exit_code] { *exit_code = RunRun(*args); });
}

}  // namespace comply::cli
