#include "evaluator/run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "evaluator/case_source.h"
#include "evaluator/line_reader.h"
#include "evaluator/check_pipeline.h"
#include "evaluator/prompt.h"
#include "providers/cache.h"
#include "providers/provider.h"
#include "providers/thread_priority.h"
#include "providers/transport.h"

namespace comply {

namespace {

std::atomic<bool> g_stop{false};

// After this many consecutive auth or hard-quota errors an endpoint is stopped.
constexpr int kStopAfterAuthErrors = 3;

bool Selected(const std::vector<std::string>& filter, const std::string& name) {
  return filter.empty() || std::find(filter.begin(), filter.end(), name) != filter.end();
}

double CostUsd(const Pricing& p, const Record& r) {
  if (!p.set) return 0;
  const double cached_price = p.cached_input_per_mtok < 0 ? p.input_per_mtok : p.cached_input_per_mtok;
  const double uncached = static_cast<double>(std::max<std::int64_t>(0, r.input_tokens - r.cached_input_tokens));
  return (uncached * p.input_per_mtok + static_cast<double>(r.cached_input_tokens) * cached_price +
          static_cast<double>(r.output_tokens) * p.output_per_mtok) / 1e6;
}

// Recorded answers for a `replay` endpoint, keyed by suite (may be ""), case id and sample.
class ReplayBook {
 public:
  static Result<ReplayBook> Load(const EndpointSpec& e) {
    ReplayBook book;
    auto reader = LineReader::Open(e.replay_file);
    if (!reader.ok()) return InvalidInput(e.where + ": replay_file: " + reader.error().message);
    CheckInput in{e.replay_file, e.name};
    std::string line;
    while ((*reader)->Next(&line)) {
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      Record r = ParseResponseLine(line, (*reader)->line_number(), in);
      std::string suite;
      try {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_object() && j.contains("suite") && j["suite"].is_string()) suite = j["suite"];
      } catch (...) {
      }
      book.answers_[Key(suite, r.case_id, r.sample)] = std::move(r);
    }
    if (!(*reader)->status().ok()) return (*reader)->status().error();
    return book;
  }
  const Record* Find(const std::string& suite, const std::string& case_id, int sample) const {
    if (auto it = answers_.find(Key(suite, case_id, sample)); it != answers_.end()) return &it->second;
    if (auto it = answers_.find(Key("", case_id, sample)); it != answers_.end()) return &it->second;
    return nullptr;
  }

 private:
  static std::string Key(const std::string& s, const std::string& c, int n) {
    return s + '\x1f' + c + '\x1f' + std::to_string(n);
  }
  std::unordered_map<std::string, Record> answers_;
};

// The send window: at most `size` items between generation and their record. The producer
// (the plan walker) blocks when the window is full and is woken only once `wake_batch` slots
// are free again, so at 1,024 in flight it runs once per batch of completions rather than once
// per completion (each wake-up was a futex round trip and a context switch on 2 cores).
class Window {
 public:
  Window(std::ptrdiff_t size, std::ptrdiff_t wake_batch)
      : free_(size), wake_batch_(std::clamp<std::ptrdiff_t>(wake_batch, 1, size)) {}
  // Takes a slot. Returns false without one when `stop()` turns true while waiting (checked
  // at least every 50 ms).
  template <typename Stop>
  bool Acquire(Stop stop) {
    std::unique_lock<std::mutex> lock(mu_);
    if (free_ == 0) {
      waiting_ = true;
      while (free_ < wake_batch_) {
        if (stop()) {
          waiting_ = false;
          return false;
        }
        cv_.wait_for(lock, std::chrono::milliseconds(50));
      }
      waiting_ = false;
    }
    --free_;
    return true;
  }
  void Release(std::ptrdiff_t n) {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      free_ += n;
      wake = waiting_ && free_ >= wake_batch_;
    }
    if (wake) cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::ptrdiff_t free_;
  const std::ptrdiff_t wake_batch_;
  bool waiting_ = false;
};

// An HTTP answer waiting for its per-response work (parse, check, record).
struct Reply {
  PlanItem item;
  const Provider* provider = nullptr;
  const SuiteChecker* checker = nullptr;
  std::shared_ptr<const Case> kase;  // released before the window slot is freed
  HttpRequest request;               // kept only for the response cache
  HttpResponse response;
};

// Blocking workers for the per-response work. oneTBB's task_group was used here, but its idle
// workers spin and sched_yield between the responses, which arrive one at a time from the I/O
// thread: at 1,024 in flight that was ~20% of the process's CPU on a 2-core machine. These
// sleep on a condition variable, take queued replies in batches (one lock, one write and one
// flush of results.jsonl per batch) and are woken only when no worker is awake or a backlog
// builds up, not once per reply.
class WorkerPool {
 public:
  using Handler = std::function<void(std::vector<Reply>&)>;
  WorkerPool(int n, Handler handler) : handler_(std::move(handler)) {
    for (int i = 0; i < n; ++i) threads_.emplace_back([this] { Loop(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  // Queues `reply`; never blocks. Thread-safe.
  void Push(Reply reply) {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(reply));
      const int awake = static_cast<int>(threads_.size()) - idle_;
      // An awake worker looks at the queue again before it sleeps; a second one is worth
      // waking only for a backlog.
      wake = idle_ > 0 && (awake == 0 || queue_.size() >= kBacklog);
    }
    if (wake) work_cv_.notify_one();
  }
  // Blocks until the queue is empty and no batch is running.
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return queue_.empty() && busy_ == 0; });
  }

 private:
  static constexpr std::size_t kBacklog = 16;
  static constexpr std::size_t kMaxBatch = 32;

  void Loop() {
    LowerThreadPriority();  // a check can wait; the I/O thread's next read cannot
    std::vector<Reply> batch;
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      while (queue_.empty() && !stop_) {
        ++idle_;
        work_cv_.wait(lock);
        --idle_;
      }
      if (queue_.empty()) return;  // stopping
      const std::size_t n = std::min(queue_.size(), kMaxBatch);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      ++busy_;
      lock.unlock();
      try {
        handler_(batch);
      } catch (...) {  // the handler catches its own errors; nothing may escape a worker
      }
      batch.clear();  // release what the batch held before counting it done
      lock.lock();
      --busy_;
      if (queue_.empty() && busy_ == 0) done_cv_.notify_all();
    }
  }

  Handler handler_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Reply> queue_;
  int idle_ = 0, busy_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

void FillFromReply(const ProviderReply& reply, const HttpResponse& resp, Record* r) {
  r->status = reply.status;
  r->http_status = reply.http_status != 0 ? reply.http_status : resp.status;
  r->attempts = resp.attempts;
  r->model = reply.model;
  r->request_id = reply.request_id;
  r->system_fingerprint = reply.system_fingerprint;
  r->finish_reason = reply.finish_reason;
  r->latency_ms = resp.latency_ms;
  r->input_tokens = reply.input_tokens;
  r->cached_input_tokens = reply.cached_input_tokens;
  r->output_tokens = reply.output_tokens;
  r->output = reply.text;
  r->error = reply.error;
}

}  // namespace

void RequestStop() { g_stop.store(true); }
bool StopRequested() { return g_stop.load(); }

Result<RunOutcome> ExecuteRun(const Config& config,
                              const std::vector<std::shared_ptr<const SuiteChecker>>& checkers,
                              const RunPlanOptions& options, ResultsWriter* out,
                              const std::function<void(const Record&)>& on_record,
                              RunProgress* progress) {
  Result<std::size_t> planned = CountPlan(config, options);
  if (!planned.ok()) return planned.error();
  RunOutcome outcome;
  outcome.planned = *planned;
  if (progress) progress->total = *planned;
  const int n_endpoints = static_cast<int>(config.endpoints.size());

  // Fail fast: every provider, replay book and the cache before the first request.
  std::vector<std::unique_ptr<Provider>> providers(n_endpoints);
  std::vector<std::optional<ReplayBook>> replays(n_endpoints);
  for (int e = 0; e < n_endpoints; ++e) {
    const EndpointSpec& ep = config.endpoints[e];
    if (!Selected(options.endpoints, ep.name)) continue;
    if (ep.provider == "replay") {
      auto book = ReplayBook::Load(ep);
      if (!book.ok()) return book.error();
      replays[e] = std::move(book.value());
    } else {
      auto p = MakeProvider(ep);
      if (!p.ok()) return p.error();
      providers[e] = std::move(p.value());
    }
  }
  std::unique_ptr<ResponseCache> cache;
  if (options.use_cache && !options.cache_path.empty()) {
    auto c = ResponseCache::Open(options.cache_path, config.run.cache_ttl_s);
    if (!c.ok()) return c.error();
    cache = std::move(c.value());
  }

  const int global = options.concurrency.value_or(config.run.concurrency);
  auto transport = MakeCurlTransport(global);
  std::vector<int> slots(n_endpoints, -1);
  for (int e = 0; e < n_endpoints; ++e) {
    if (!providers[e]) continue;
    const EndpointSpec& ep = config.endpoints[e];
    slots[e] = transport->AddEndpoint({std::max(1, std::min(ep.concurrency, global)),
                                       ep.rate_limit.rpm, ep.rate_limit.tpm, ep.timeout_s,
                                       ep.retries});
  }

  std::mutex mu;  // guards the writer, outcome, auth counters
  Status write_status;
  std::vector<int> auth_streak(n_endpoints, 0);
  std::vector<bool> stopped(n_endpoints, false);
  std::vector<std::string> stop_reason(n_endpoints);
  double spent = 0;
  bool budget_hit = false;

  // Counts a record already written; under `mu`.
  auto count = [&](const Record& r) {
    ++outcome.recorded;
    if (!r.ok()) ++outcome.errors;
    if (r.cached) ++outcome.cached;
    outcome.cost_usd += r.cost_usd;
    spent += r.cost_usd;
    if (options.max_cost_usd > 0 && spent >= options.max_cost_usd) budget_hit = true;
    if (progress) {
      ++progress->done;
      if (r.ok()) ++progress->answered; else ++progress->errors;
      if (r.compliant) ++progress->compliant;
    }
    if (on_record) on_record(r);
  };
  auto emit = [&](Record& r, const EndpointSpec& ep) {
    r.cost_usd = CostUsd(ep.pricing, r);
    const std::string line = RecordLine(r);  // outside the lock: workers serialise in parallel
    std::lock_guard<std::mutex> lock(mu);
    if (write_status.ok()) write_status = out->Append(line);
    if (write_status.ok()) write_status = out->Flush();
    count(r);
  };

  auto base_record = [&](const PlanItem& it, const Case& c) {
    const SuiteSpec& s = config.suites[it.suite];
    Record r;
    r.case_id = c.id;
    r.suite = s.name;
    r.endpoint = config.endpoints[it.endpoint].name;
    r.sample = it.sample;
    r.tags = c.tags;
    return r;
  };

  const std::ptrdiff_t window = std::max(64, global * 2);
  Window slots_free(window, window / 16);

  // A worker's batch of replies: parsed and checked one by one, then written with one write
  // and one flush, counted under one lock, and their window slots freed together.
  auto handle_batch = [&](std::vector<Reply>& batch) {
    struct FreeSlots {  // even if a reply's work throws, its slot comes back
      std::vector<Reply>& batch;
      Window& window;
      ~FreeSlots() {
        for (Reply& rep : batch) rep.kase.reset();  // first: at most `window` cases are held
        window.Release(static_cast<std::ptrdiff_t>(batch.size()));
      }
    } free_slots{batch, slots_free};
    std::vector<Record> records(batch.size());
    std::vector<char> made(batch.size(), 0), quota_or_auth(batch.size(), 0), hard_quota(batch.size(), 0);
    std::string lines;
    for (std::size_t i = 0; i < batch.size(); ++i) try {
      Reply& rep = batch[i];
      const int e = rep.item.endpoint;
      Record& r = records[i];
      r = base_record(rep.item, *rep.kase);
      ProviderReply reply = rep.provider->ParseResponse(rep.response);
      FillFromReply(reply, rep.response, &r);
      if (rep.response.error_class.empty() && rep.response.status >= 200 && rep.response.status < 300 &&
          r.ok() && cache) {
        cache->Store(rep.request, rep.item.sample, rep.response);
      }
      if (config.endpoints[e].rate_limit.tpm > 0) {  // without a tpm limit there is no bucket to correct
        transport->ReportTokens(slots[e], static_cast<double>(r.input_tokens + r.output_tokens));
      }
      rep.checker->Check(rep.kase.get(), &r);
      quota_or_auth[i] = reply.auth_error || reply.hard_quota;
      hard_quota[i] = reply.hard_quota;
      r.cost_usd = CostUsd(config.endpoints[e].pricing, r);
      AppendRecordLine(r, &lines);  // outside the lock: workers serialise in parallel
      lines += '\n';
      made[i] = 1;
    } catch (...) {  // the checks return errors as values; this only guards the window
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      if (write_status.ok()) write_status = out->AppendLines(lines);
      if (write_status.ok()) write_status = out->Flush();
      for (std::size_t i = 0; i < batch.size(); ++i) {
        if (!made[i]) continue;
        const int e = batch[i].item.endpoint;
        if (quota_or_auth[i]) {
          if (++auth_streak[e] >= kStopAfterAuthErrors && !stopped[e]) {
            stopped[e] = true;
            stop_reason[e] = std::string("endpoint stopped after ") +
                             std::to_string(kStopAfterAuthErrors) + " consecutive " +
                             (hard_quota[i] ? "quota" : "authentication") + " errors";
          }
        } else {
          auth_streak[e] = 0;
        }
        count(records[i]);
      }
    }
  };
  WorkerPool workers(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())), handle_batch);

  // Items are generated one at a time as window slots free up; each holds its case (shared by
  // the case's samples and endpoints) until its record is written.
  PlanWalker walk(config, options, /*load_cases=*/true);
  Status read_status;
  while (true) {
    if (StopRequested()) {
      outcome.interrupted = true;
      break;
    }
    if (options.abort != nullptr && options.abort->load()) break;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (budget_hit) {
        outcome.budget_exhausted = true;
        break;
      }
      if (!write_status.ok()) break;
    }
    if (!walk.Next()) {
      read_status = walk.status();
      break;
    }
    const PlanItem it = walk.item();
    std::shared_ptr<const Case> kase_owner = walk.kase();
    const SuiteSpec& suite = config.suites[it.suite];
    const Case& kase = *kase_owner;
    const EndpointSpec& ep = config.endpoints[it.endpoint];
    const SuiteChecker& checker = *checkers[it.suite];

    bool is_stopped;
    {
      std::lock_guard<std::mutex> lock(mu);
      is_stopped = stopped[it.endpoint];
    }
    if (is_stopped) {  // recorded, never sent
      Record r = base_record(it, kase);
      r.status = "http_4xx";
      r.attempts = 0;
      r.error = "not sent: " + stop_reason[it.endpoint];
      emit(r, ep);
      continue;
    }

    if (replays[it.endpoint]) {
      Record r = base_record(it, kase);
      if (const Record* rec = replays[it.endpoint]->Find(suite.name, kase.id, it.sample)) {
        r.status = rec->status;
        r.output = rec->output;
        r.finish_reason = rec->finish_reason;
        r.model = rec->model;
        r.latency_ms = rec->latency_ms;
        r.input_tokens = rec->input_tokens;
        r.cached_input_tokens = rec->cached_input_tokens;
        r.output_tokens = rec->output_tokens;
        r.error = rec->error;
        r.attempts = 0;
      } else {
        r.status = "bad_input";
        r.error = "no recorded answer in " + ep.replay_file + " for case " + kase.id +
                  " sample " + std::to_string(it.sample);
      }
      checker.Check(&kase, &r);
      emit(r, ep);
      continue;
    }

    ChatRequest req;
    req.system = SystemPromptFor(suite, ep);
    req.user = RenderPrompt(suite.prompt, kase.vars);
    if (ep.response_format_schema && suite.schema) req.schema = &*suite.schema;
    req.schema_name = suite.name;
    req.tool_output = suite.tool_output;
    req.sample = it.sample;
    HttpRequest http = providers[it.endpoint]->BuildRequest(req);

    if (cache) {
      if (std::optional<HttpResponse> hit = cache->Lookup(http, it.sample)) {
        Record r = base_record(it, kase);
        ProviderReply reply = providers[it.endpoint]->ParseResponse(*hit);
        FillFromReply(reply, *hit, &r);
        r.cached = true;
        r.attempts = 0;
        checker.Check(&kase, &r);
        emit(r, ep);
        continue;
      }
    }

    double est_tokens = static_cast<double>(req.system.size() + req.user.size()) / 4.0;
    if (auto mt = ep.params.find("max_tokens"); mt != ep.params.end() && mt->is_number()) {
      est_tokens += mt->get<double>();
    }
    if (!slots_free.Acquire([] { return StopRequested(); })) {
      outcome.interrupted = true;
      break;
    }
    const Provider* provider = providers[it.endpoint].get();
    const int e = it.endpoint;
    HttpRequest keep = cache ? http : HttpRequest{};
    transport->Submit(
        slots[e], std::move(http), est_tokens,
        [&, it, provider, kase_owner = std::move(kase_owner), checker_ptr = &checker,
         keep = std::move(keep)](HttpResponse resp) mutable {
          if (resp.error_class == "cancelled") {  // not recorded: --resume sends it again
            kase_owner.reset();
            slots_free.Release(1);
            return;
          }
          workers.Push(Reply{it, provider, checker_ptr, std::move(kase_owner), std::move(keep),
                             std::move(resp)});
        });
  }
  if (StopRequested()) {
    outcome.interrupted = true;
    transport->Cancel();
  }
  // A stop requested after the last submission (a small plan fits in the window at once) must
  // still cancel what is queued or in flight: watch for it while waiting.
  // (A signal handler cannot notify; the watch looks every 20 ms, and is woken at once when
  // the work is done rather than finishing its sleep.)
  std::mutex watch_mu;
  std::condition_variable watch_cv;
  bool drained = false;
  std::thread stop_watch([&] {
    std::unique_lock<std::mutex> lock(watch_mu);
    while (!drained) {
      if (StopRequested()) {
        transport->Cancel();
        return;
      }
      watch_cv.wait_for(lock, std::chrono::milliseconds(20));
    }
  });
  transport->Wait();
  workers.Wait();
  {
    std::lock_guard<std::mutex> lock(watch_mu);
    drained = true;
  }
  watch_cv.notify_all();
  stop_watch.join();
  if (StopRequested()) outcome.interrupted = true;
  if (cache) {
    Status s = cache->Flush();
    (void)s;  // the cache is an optimisation: a failed flush loses cached answers, not results
  }
  for (int e = 0; e < n_endpoints; ++e) {
    if (stopped[e]) outcome.stopped_endpoints.push_back(config.endpoints[e].name + ": " + stop_reason[e]);
  }
  if (!write_status.ok()) return write_status.error();
  if (!read_status.ok()) return read_status.error();
  return outcome;
}

}  // namespace comply
