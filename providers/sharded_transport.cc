#include "providers/sharded_transport.h"

#include <string>
#include <system_error>
#include <thread>
#include <utility>

namespace comply {

ShardedTransport::ShardedTransport(std::vector<std::unique_ptr<Transport>> shards)
    : shards_(std::move(shards)) {}

ShardedTransport::~ShardedTransport() {
  std::vector<std::thread> closers;
  for (std::size_t i = 1; i < shards_.size(); ++i) {
    try {
      closers.emplace_back([this, i] { shards_[i].reset(); });
    } catch (const std::system_error&) {  // no thread: this one does it below
      break;
    }
  }
  shards_[0].reset();
  for (std::thread& t : closers) t.join();
  shards_.clear();  // any a thread could not be made for
}

int ShardedTransport::AddEndpoint(const EndpointLimits& limits) {
  std::lock_guard<std::mutex> lock(mu_);
  const int n = static_cast<int>(shards_.size());
  auto route = std::make_unique<Route>();
  route->local_ids.assign(n, -1);
  route->in_flight = std::make_unique<std::atomic<int>[]>(n);
  route->unreported = std::make_unique<std::atomic<int>[]>(n);
  for (int s = 0; s < n; ++s) route->in_flight[s] = route->unreported[s] = 0;
  const bool split =
      n > 1 && (limits.concurrency <= 0 || limits.concurrency >= kMinSplitConcurrency);
  if (split) {
    for (int s = 0; s < n; ++s) {
      EndpointLimits share = limits;
      if (limits.concurrency > 0) {
        share.concurrency = limits.concurrency / n + (s < limits.concurrency % n ? 1 : 0);
      }
      if (limits.rpm > 0) share.rpm = limits.rpm / n;
      if (limits.tpm > 0) share.tpm = limits.tpm / n;
      route->local_ids[s] = shards_[s]->AddEndpoint(share);
    }
  } else {
    route->home = next_home_;
    next_home_ = (next_home_ + 1) % n;
    route->local_ids[route->home] = shards_[route->home]->AddEndpoint(limits);
  }
  routes_.push_back(std::move(route));
  return static_cast<int>(routes_.size()) - 1;
}

int ShardedTransport::PickShard(const Route& route) const {
  int best = -1, best_load = 0;
  for (int s = 0; s < static_cast<int>(route.local_ids.size()); ++s) {
    if (route.local_ids[s] < 0) continue;
    const int load = route.in_flight[s].load(std::memory_order_relaxed);
    if (best < 0 || load < best_load) {
      best = s;
      best_load = load;
    }
  }
  return best;
}

void ShardedTransport::Submit(int endpoint, HttpRequest req, double estimated_tokens,
                              std::function<void(HttpResponse)> done) {
  if (endpoint < 0 || endpoint >= static_cast<int>(routes_.size())) {
    // The first shard completes it as an unknown endpoint; the message names the caller's id.
    shards_[0]->Submit(-1, std::move(req), estimated_tokens,
                       [endpoint, done = std::move(done)](HttpResponse resp) {
                         resp.error = "unknown endpoint id " + std::to_string(endpoint);
                         if (done) done(std::move(resp));
                       });
    return;
  }
  Route& route = *routes_[endpoint];
  const int s = PickShard(route);
  std::atomic<int>* in_flight = &route.in_flight[s];
  std::atomic<int>* unreported = &route.unreported[s];
  in_flight->fetch_add(1, std::memory_order_relaxed);
  shards_[s]->Submit(route.local_ids[s], std::move(req), estimated_tokens,
                     [in_flight, unreported, done = std::move(done)](HttpResponse resp) {
                       in_flight->fetch_sub(1, std::memory_order_relaxed);
                       unreported->fetch_add(1, std::memory_order_relaxed);
                       if (done) done(std::move(resp));
                     });
}

void ShardedTransport::ReportTokens(int endpoint, double actual_tokens) {
  if (endpoint < 0 || endpoint >= static_cast<int>(routes_.size())) return;
  // A report corrects the tpm bucket that charged the request's estimate: it goes to the shard
  // with the most completions not yet reported (each shard then charges the average estimate
  // of its own, as Transport::ReportTokens says).
  Route& route = *routes_[endpoint];
  int best = -1, most = 0;
  for (int s = 0; s < static_cast<int>(route.local_ids.size()); ++s) {
    if (route.local_ids[s] < 0) continue;
    const int count = route.unreported[s].load(std::memory_order_relaxed);
    if (best < 0 || count > most) {
      best = s;
      most = count;
    }
  }
  if (most > 0) route.unreported[best].fetch_sub(1, std::memory_order_relaxed);
  shards_[best]->ReportTokens(route.local_ids[best], actual_tokens);
}

void ShardedTransport::Cancel() {
  for (auto& s : shards_) s->Cancel();
}

void ShardedTransport::Wait() {
  for (auto& s : shards_) s->Wait();
}

}  // namespace comply
