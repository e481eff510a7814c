#pragma once
// Several transports (event loops) behind one Transport: at a global cap of thousands of
// requests in flight, one curl I/O thread is busy most of the time on a small machine, and
// every response that waits for it lengthens its connection's round trip. MakeCurlTransport
// (transport.h) builds one of these, with one curl loop per shard, when
// TransportOptions::io_threads (or its automatic choice) is above one.
//
//   std::vector<std::unique_ptr<Transport>> loops;            // each with its share of the cap
//   for (int i = 0; i < 2; ++i) loops.push_back(MakeCurlTransport(512));
//   ShardedTransport t(std::move(loops));
//   int ep = t.AddEndpoint({.concurrency = 1024});            // split: 512 on each loop
//   t.Submit(ep, req, 0, done);                               // to the loop with fewer in flight
//
// Which endpoints are split: one with a concurrency of at least kMinSplitConcurrency (or none:
// the global cap only) has its concurrency, rpm and tpm divided over every shard, and each
// request goes to the shard with the fewest of that endpoint's requests in flight (over a
// minute the shards' buckets together let through what the endpoint's would; at most one
// request a shard goes at once where one bucket spaces them). An endpoint with less
// concurrency lives whole on one shard (assigned round-robin); with MakeCurlTransport's
// automatic number of loops a shard's share of the global cap is at least
// kConnectionsPerLoop / 2, above such an endpoint's concurrency.
//
// Thread safety: as Transport. AddEndpoint must not run concurrently with Submit.

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "providers/transport.h"

namespace comply {

class ShardedTransport final : public Transport {
 public:
  // An endpoint with less concurrency than this stays on one shard.
  static constexpr int kMinSplitConcurrency = 64;

  // `shards` must not be empty; each is used only through this object from now on.
  explicit ShardedTransport(std::vector<std::unique_ptr<Transport>> shards);
  // Destroys the shards side by side (each joins its loop and closes its connections).
  ~ShardedTransport() override;

  int AddEndpoint(const EndpointLimits& limits) override;
  void Submit(int endpoint, HttpRequest req, double estimated_tokens,
              std::function<void(HttpResponse)> done) override;
  void ReportTokens(int endpoint, double actual_tokens) override;
  void Cancel() override;
  void Wait() override;

 private:
  struct Route {
    std::vector<int> local_ids;  // per shard: the endpoint's id there, -1 if not on it
    std::unique_ptr<std::atomic<int>[]> in_flight;  // per shard, submitted and not yet done
    std::unique_ptr<std::atomic<int>[]> unreported;  // per shard, done and no ReportTokens yet
    int home = 0;                                   // the shard of an unsplit endpoint
  };
  int PickShard(const Route& route) const;

  // Declared before the shards: a shard's destructor completes what is pending (as
  // cancelled), and those completions count down in the routes.
  std::vector<std::unique_ptr<Route>> routes_;
  std::mutex mu_;  // AddEndpoint
  int next_home_ = 0;
  std::vector<std::unique_ptr<Transport>> shards_;
};

}  // namespace comply
