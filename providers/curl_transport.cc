// The libcurl multi transport: one I/O thread, the multi socket API driven by epoll, an
// eventfd to wake the loop on Submit / Cancel / ReportTokens. See providers/transport.h.
//
// Per-request cost on the I/O thread is what limits a run at thousands of requests a second
// (issue #4), so the steady state avoids work that does not change between requests: easy
// handles are pooled with their Transfer and keep their constant options (no curl_easy_reset,
// which also freed and re-allocated curl's 16 KB receive buffer), the header list is rebuilt
// only when the headers differ from the handle's previous request, and a keep-alive socket
// that curl stops watching stays registered with epoll ("parked") until it is used again or
// shows an event, which saves two epoll_ctl calls per request.
#include <sys/resource.h>

#include "providers/curl_transport_impl.h"
#include "providers/sharded_transport.h"

namespace comply {
namespace curl_internal {

double NowS() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

namespace {

std::string FormatSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

}  // namespace

CurlTransport::CurlTransport(const TransportOptions& options)
    : options_(options),
      global_cap_(options.global_concurrency > 0 ? options.global_concurrency : 256) {
  policy_.base_s = options.backoff_base_s;
  policy_.cap_s = options.backoff_cap_s;
  policy_.max_retry_after_s = options.max_retry_after_s;
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  evfd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = evfd_;
  epoll_ctl(epfd_, EPOLL_CTL_ADD, evfd_, &ev);
  // One multi handle per 128 of the cap (at most 8): each cache then holds ~128 connections.
  const int n_multis = std::clamp(global_cap_ / 128, 1, 8);
  for (int i = 0; i < n_multis; ++i) {
    auto m = std::make_unique<Multi>();
    m->handle = curl_multi_init();
    m->owner = this;
    m->index = static_cast<std::uint8_t>(i);
    curl_multi_setopt(m->handle, CURLMOPT_SOCKETFUNCTION, &CurlTransport::SocketCb);
    curl_multi_setopt(m->handle, CURLMOPT_SOCKETDATA, m.get());
    curl_multi_setopt(m->handle, CURLMOPT_TIMERFUNCTION, &CurlTransport::TimerCb);
    curl_multi_setopt(m->handle, CURLMOPT_TIMERDATA, m.get());
    // Keep every idle keep-alive connection the cap can use.
    curl_multi_setopt(m->handle, CURLMOPT_MAXCONNECTS,
                      static_cast<long>(std::max(global_cap_, 16)));
    multis_.push_back(std::move(m));
  }
  thread_ = std::thread([this] { Loop(); });
}

CurlTransport::~CurlTransport() {
  cancel_ = true;
  stop_ = true;
  Wake();
  if (thread_.joinable()) thread_.join();
  // Every easy handle was removed from the multi handle before the loop ended.
  for (auto& t : pool_) {
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
  }
  for (auto& m : multis_) curl_multi_cleanup(m->handle);
  close(epfd_);
  close(evfd_);
}

int CurlTransport::AddEndpoint(const EndpointLimits& limits) {
  std::lock_guard<std::mutex> lock(mu_);
  new_endpoints_.push_back(limits);
  return endpoint_count_++;
}

void CurlTransport::Submit(int endpoint, HttpRequest req, double estimated_tokens,
                           std::function<void(HttpResponse)> done) {
  auto job = std::make_unique<Job>();
  job->endpoint = endpoint;
  job->req = std::move(req);
  job->est_tokens = std::max(0.0, estimated_tokens);
  job->done = std::move(done);
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++outstanding_;
    // The I/O thread drains the whole inbox at once: only the first job of a batch needs to
    // wake it (saves an eventfd write and an epoll wake-up per request at high rates).
    wake = inbox_.empty();
    inbox_.push_back(std::move(job));
  }
  if (wake) Wake();
}

void CurlTransport::ReportTokens(int endpoint, double actual_tokens) {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake = token_reports_.empty();
    token_reports_.emplace_back(endpoint, actual_tokens);
  }
  if (wake) Wake();
}

void CurlTransport::Cancel() {
  cancel_ = true;
  Wake();
}

void CurlTransport::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [this] { return outstanding_ == 0; });
}

void CurlTransport::Wake() {
  std::uint64_t one = 1;
  // A full counter (EAGAIN) already means "wake up".
  [[maybe_unused]] ssize_t n = write(evfd_, &one, sizeof one);
}

bool CurlTransport::Idle() {
  if (!active_.empty() || !delayed_.empty()) return false;
  for (const Endpoint& ep : endpoints_) {
    if (!ep.queue.empty()) return false;
  }
  std::lock_guard<std::mutex> lock(mu_);
  return inbox_.empty();
}

void CurlTransport::Loop() {
  epoll_event events[256];
  for (;;) {
    double now = NowS();
    DrainInbox(now);
    if (cancel_) CancelAll();
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
      std::unique_ptr<Job> job = std::move(delayed_.begin()->second);
      delayed_.erase(delayed_.begin());
      Endpoint& ep = endpoints_[job->endpoint];
      ep.queue.push_front(std::move(job));  // a retry goes before newer work
    }
    double wait_s = std::min(kIdleWaitS, Dispatch(now));
    Settle();
    if (stop_ && Idle()) break;
    for (const auto& m : multis_) {
      if (m->timer_deadline_s >= 0) wait_s = std::min(wait_s, m->timer_deadline_s - now);
    }
    if (!delayed_.empty()) wait_s = std::min(wait_s, delayed_.begin()->first - now);
    int timeout_ms = wait_s <= 0 ? 0 : static_cast<int>(std::ceil(wait_s * 1000));
    int n = epoll_wait(epfd_, events, 256, timeout_ms);
    int running = 0;
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == evfd_) {
        std::uint64_t count;
        [[maybe_unused]] ssize_t r = read(evfd_, &count, sizeof count);
        continue;
      }
      if (DropParked(fd)) continue;
      int flags = 0;
      if (events[i].events & (EPOLLIN | EPOLLHUP)) flags |= CURL_CSELECT_IN;
      if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
      if (events[i].events & EPOLLERR) flags |= CURL_CSELECT_ERR;
      curl_multi_socket_action(multis_[fd_multi_[fd]]->handle, fd, flags, &running);
    }
    const double after = NowS();
    for (const auto& m : multis_) {
      if (m->timer_deadline_s >= 0 && after >= m->timer_deadline_s) {
        m->timer_deadline_s = -1;
        curl_multi_socket_action(m->handle, CURL_SOCKET_TIMEOUT, 0, &running);
      }
    }
    ReadDone();
    Settle();
  }
  Settle();
}

void CurlTransport::DrainInbox(double now) {
  std::vector<std::unique_ptr<Job>> jobs;
  std::vector<std::pair<int, double>> reports;
  std::vector<EndpointLimits> added;
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs.swap(inbox_);
    reports.swap(token_reports_);
    added.swap(new_endpoints_);
  }
  for (const EndpointLimits& l : added) {
    Endpoint ep;
    ep.limits = l;
    ep.rpm = TokenBucket::PerMinute(l.rpm, 1);
    ep.tpm = TokenBucket::PerMinute(l.tpm, l.tpm / 60);
    endpoints_.push_back(std::move(ep));
  }
  for (auto& [id, actual] : reports) {
    if (id < 0 || id >= static_cast<int>(endpoints_.size())) continue;
    Endpoint& ep = endpoints_[id];
    double estimate = 0;
    if (ep.unreported_count > 0) {
      estimate = ep.unreported_est / static_cast<double>(ep.unreported_count);
      ep.unreported_est -= estimate;
      --ep.unreported_count;
    }
    ep.tpm.Charge(actual - estimate, now);
  }
  for (auto& job : jobs) {
    if (job->endpoint < 0 || job->endpoint >= static_cast<int>(endpoints_.size())) {
      HttpResponse resp;
      resp.error_class = "connection";
      resp.error = "unknown endpoint id " + std::to_string(job->endpoint);
      Complete(std::move(job), std::move(resp));
      continue;
    }
    endpoints_[job->endpoint].queue.push_back(std::move(job));
  }
}

// Starts what the caps and buckets allow, round-robin over endpoints; returns the seconds
// until a rate limit may let the next one go (a large value when none is waiting on one).
double CurlTransport::Dispatch(double now) {
  double min_wait = std::numeric_limits<double>::infinity();
  const std::size_t n = endpoints_.size();
  bool progress = true;
  while (progress && static_cast<int>(active_.size()) < global_cap_) {
    progress = false;
    for (std::size_t k = 0; k < n && static_cast<int>(active_.size()) < global_cap_; ++k) {
      Endpoint& ep = endpoints_[(round_robin_ + k) % n];
      if (ep.queue.empty()) continue;
      if (ep.limits.concurrency > 0 && ep.in_flight >= ep.limits.concurrency) continue;
      double cost = ep.queue.front()->est_tokens;
      double w = std::max(ep.rpm.SecondsUntil(1, now), ep.tpm.SecondsUntil(cost, now));
      if (w > 0) {
        min_wait = std::min(min_wait, w);
        continue;
      }
      ep.rpm.TryTake(1, now);
      ep.tpm.TryTake(cost, now);
      std::unique_ptr<Job> job = std::move(ep.queue.front());
      ep.queue.pop_front();
      Start(std::move(job), now);
      progress = true;
    }
    if (n > 0) round_robin_ = (round_robin_ + 1) % n;
  }
  return min_wait;
}

// A Transfer from the pool, or a new one with a new easy handle carrying the options that
// never change (nullptr when curl cannot make a handle).
Transfer* CurlTransport::Acquire() {
  if (!free_.empty()) {
    Transfer* t = free_.back();
    free_.pop_back();
    return t;
  }
  CURL* easy = curl_easy_init();
  if (easy == nullptr) return nullptr;
  auto owned = std::make_unique<Transfer>();
  Transfer* t = owned.get();
  t->easy = easy;
  t->multi = multis_[pool_.size() % multis_.size()].get();
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &CurlTransport::WriteCb);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &CurlTransport::HeaderCb);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, t);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t);
  // Copied into each connection the handle makes: its close, even from the connection cache
  // after the handle moved on, comes here.
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &CurlTransport::CloseSocketCb);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->errbuf);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  pool_.push_back(std::move(owned));
  return t;
}

void CurlTransport::Start(std::unique_ptr<Job> job, double now) {
  ++job->attempts;
  Transfer* t = Acquire();
  if (t == nullptr) {
    HttpResponse resp;
    resp.error_class = "connection";
    resp.error = "could not create a curl handle";
    resp.attempts = job->attempts;
    Complete(std::move(job), std::move(resp));
    return;
  }
  CURL* easy = t->easy;
  t->start_s = now;
  t->job = std::move(job);
  t->resp = HttpResponse();
  t->too_large = false;
  t->errbuf[0] = '\0';
  const HttpRequest& req = t->job->req;
  if (t->headers == nullptr || t->sent_headers != req.headers) {
    curl_slist_free_all(t->headers);
    t->headers = nullptr;
    for (const auto& [k, v] : req.headers)
      t->headers = curl_slist_append(t->headers, (k + ": " + v).c_str());
    t->headers = curl_slist_append(t->headers, "Expect:");  // no 100-continue round trip
    t->sent_headers = req.headers;
  }
  const EndpointLimits& limits = endpoints_[t->job->endpoint].limits;
  curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.body.data());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(std::max(1.0, limits.timeout_s * 1000)));
  // Wait for a multiplexed HTTP/2 connection rather than opening one per request (TLS only:
  // plain http is HTTP/1.1 here).
  curl_easy_setopt(easy, CURLOPT_PIPEWAIT, req.url.rfind("https:", 0) == 0 ? 1L : 0L);
  Endpoint& ep = endpoints_[t->job->endpoint];
  ++ep.in_flight;
  t->active_index = active_.size();
  active_.push_back(t);
  CURLMcode mc = curl_multi_add_handle(t->multi->handle, easy);
  if (mc != CURLM_OK) {
    --ep.in_flight;
    std::unique_ptr<Job> failed = std::move(t->job);
    Release(t);
    HttpResponse resp;
    resp.error_class = "connection";
    resp.error = std::string("could not start the request: ") + curl_multi_strerror(mc);
    resp.attempts = failed->attempts;
    Complete(std::move(failed), std::move(resp));
  }
}

// Takes `t` off the active list and back to the pool (its easy handle is no longer in the
// multi handle).
void CurlTransport::Release(Transfer* t) {
  Transfer* last = active_.back();
  active_[t->active_index] = last;
  last->active_index = t->active_index;
  active_.pop_back();
  t->job.reset();
  free_.push_back(t);
}

void CurlTransport::ReadDone() {
  for (const auto& m : multis_) ReadDone(m->handle);
}

void CurlTransport::ReadDone(CURLM* multi) {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    CURLcode rc = msg->data.result;  // msg is invalid once the handle is removed
    Transfer* t = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
    long code = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    curl_multi_remove_handle(multi, easy);
    if (t == nullptr || t->job == nullptr) continue;
    std::unique_ptr<Job> job = std::move(t->job);
    --endpoints_[job->endpoint].in_flight;
    HttpResponse resp = std::move(t->resp);
    resp.latency_ms = (NowS() - t->start_s) * 1000;
    resp.attempts = job->attempts;
    if (rc == CURLE_OK && code > 0) {
      resp.status = static_cast<int>(code);
    } else {
      std::size_t got = resp.body.size();
      resp.status = 0;
      resp.body.clear();
      resp.headers.clear();
      if (rc == CURLE_OPERATION_TIMEDOUT) {
        resp.error_class = "timeout";
        resp.error = "no complete response within " +
                     FormatSeconds(endpoints_[job->endpoint].limits.timeout_s) + " s";
      } else {
        resp.error_class = "connection";
        if (rc == CURLE_PARTIAL_FILE) {
          resp.error = "connection closed before the response body was complete (got " +
                       std::to_string(got) + " bytes)";
        } else if (t->too_large) {
          resp.error = "response body larger than " + std::to_string(kMaxBodyBytes) + " bytes";
        } else {
          resp.error = curl_easy_strerror(rc);
          if (t->errbuf[0] != '\0') resp.error += std::string(": ") + t->errbuf;
        }
      }
    }
    Release(t);
    Finish(std::move(job), std::move(resp));
  }
}

void CurlTransport::Finish(std::unique_ptr<Job> job, HttpResponse resp) {
  const EndpointLimits& limits = endpoints_[job->endpoint].limits;
  if (!cancel_ && IsRetryable(resp) && job->attempts <= limits.retries) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    double delay = policy_.DelaySeconds(job->attempts, resp, std::time(nullptr), u(rng_));
    delayed_.emplace(NowS() + delay, std::move(job));
    return;
  }
  Complete(std::move(job), std::move(resp));
}

// Runs `done`; the count of outstanding requests is lowered in Settle(), once per loop
// round rather than under the lock for each completion.
void CurlTransport::Complete(std::unique_ptr<Job> job, HttpResponse resp) {
  if (job->endpoint >= 0 && job->endpoint < static_cast<int>(endpoints_.size())) {
    endpoints_[job->endpoint].unreported_est += job->est_tokens;
    ++endpoints_[job->endpoint].unreported_count;
  }
  try {
    if (job->done) job->done(std::move(resp));
  } catch (...) {
    // The contract says `done` must not throw; nothing sensible to do on the I/O thread.
  }
  job.reset();
  ++completed_;
}

void CurlTransport::Settle() {
  if (completed_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  outstanding_ -= completed_;
  completed_ = 0;
  if (outstanding_ == 0) idle_cv_.notify_all();
}

void CurlTransport::CancelAll() {
  auto cancelled = [](const Job& job) {
    HttpResponse resp;
    resp.error_class = "cancelled";
    resp.error = "cancelled before completion";
    resp.attempts = job.attempts;
    return resp;
  };
  std::vector<std::unique_ptr<Job>> jobs;
  while (!active_.empty()) {
    Transfer* t = active_.back();
    curl_multi_remove_handle(t->multi->handle, t->easy);
    --endpoints_[t->job->endpoint].in_flight;
    jobs.push_back(std::move(t->job));
    Release(t);
  }
  for (auto& [when, job] : delayed_) jobs.push_back(std::move(job));
  delayed_.clear();
  for (Endpoint& ep : endpoints_) {
    for (auto& job : ep.queue) jobs.push_back(std::move(job));
    ep.queue.clear();
  }
  for (auto& job : jobs) {
    HttpResponse resp = cancelled(*job);
    Complete(std::move(job), std::move(resp));
  }
}

// A socket curl no longer watches keeps its registration (an idle keep-alive connection is
// usually reused within milliseconds): the next request on it needs one epoll_ctl instead of
// three (DEL, a failing MOD, ADD).
}  // namespace curl_internal

namespace {

void RaiseFileLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace

using curl_internal::CurlTransport;

int IoThreadsFor(const TransportOptions& options) {
  if (options.io_threads > 0) return options.io_threads;
  const int cap = options.global_concurrency > 0 ? options.global_concurrency : 256;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::clamp((cap + kConnectionsPerLoop - 1) / kConnectionsPerLoop, 1, std::min(cores, 4));
}

std::unique_ptr<Transport> MakeCurlTransport(const TransportOptions& options) {
  static std::once_flag once;
  std::call_once(once, [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    RaiseFileLimit();
  });
  const int loops = IoThreadsFor(options);
  if (loops <= 1) return std::make_unique<CurlTransport>(options);
  const int cap = options.global_concurrency > 0 ? options.global_concurrency : 256;
  std::vector<std::unique_ptr<Transport>> shards;
  for (int i = 0; i < loops; ++i) {
    TransportOptions share = options;
    share.io_threads = 1;
    share.global_concurrency = std::max(1, cap / loops + (i < cap % loops ? 1 : 0));
    shards.push_back(std::make_unique<CurlTransport>(share));
  }
  return std::make_unique<ShardedTransport>(std::move(shards));
}

std::unique_ptr<Transport> MakeCurlTransport(int global_concurrency) {
  TransportOptions options;
  options.global_concurrency = global_concurrency;
  return MakeCurlTransport(options);
}

}  // namespace comply
