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
  for (int s = 0; s < n; ++s) route->in_flight[s] = 0;
  const bool split = n > 1 && limits.rpm <= 0 && limits.tpm <= 0 &&
                     (limits.concurrency <= 0 || limits.concurrency >= kMinSplitConcurrency);
  if (split) {
    for (int s = 0; s < n; ++s) {
      EndpointLimits share = limits;
      if (limits.concurrency > 0) {
        share.concurrency = limits.concurrency / n + (s < limits.concurrency % n ? 1 : 0);
      }
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
  std::atomic<int>* counter = &route.in_flight[s];
  counter->fetch_add(1, std::memory_order_relaxed);
  shards_[s]->Submit(route.local_ids[s], std::move(req), estimated_tokens,
                     [counter, done = std::move(done)](HttpResponse resp) {
                       counter->fetch_sub(1, std::memory_order_relaxed);
                       if (done) done(std::move(resp));
                     });
}

void ShardedTransport::ReportTokens(int endpoint, double actual_tokens) {
  if (endpoint < 0 || endpoint >= static_cast<int>(routes_.size())) return;
  // Only an unsplit endpoint has a tpm bucket (a split one has none: its home shard takes the
  // report and ignores it).
  const Route& route = *routes_[endpoint];
  if (route.local_ids[route.home] >= 0) {
    shards_[route.home]->ReportTokens(route.local_ids[route.home], actual_tokens);
  }
}

void ShardedTransport::Cancel() {
  for (auto& s : shards_) s->Cancel();
}

void ShardedTransport::Wait() {
  for (auto& s : shards_) s->Wait();
}

}  // namespace comply
