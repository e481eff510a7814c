// ShardedTransport over fake shards (routing, limits, completion), and MakeCurlTransport with
// two event loops against a loopback server (caps across loops, every request done once).
#include "providers/sharded_transport.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace comply {
namespace {

// A shard that records what it is given and completes requests only when told to.
class FakeShard : public Transport {
 public:
  struct Sent {
    int endpoint;
    std::string body;
    std::function<void(HttpResponse)> done;
  };
  int AddEndpoint(const EndpointLimits& limits) override {
    limits_.push_back(limits);
    return static_cast<int>(limits_.size()) - 1;
  }
  void Submit(int endpoint, HttpRequest req, double,
              std::function<void(HttpResponse)> done) override {
    if (endpoint < 0 || endpoint >= static_cast<int>(limits_.size())) {
      HttpResponse r;
      r.error_class = "connection";
      r.error = "unknown endpoint id " + std::to_string(endpoint);
      done(std::move(r));
      return;
    }
    sent_.push_back({endpoint, std::move(req.body), std::move(done)});
  }
  void ReportTokens(int endpoint, double actual) override {
    reports_.emplace_back(endpoint, actual);
  }
  void Cancel() override { ++cancels_; }
  void Wait() override { ++waits_; }
  // Completes the oldest pending request with HTTP 200.
  void CompleteOne() {
    Sent s = std::move(sent_.front());
    sent_.erase(sent_.begin());
    HttpResponse r;
    r.status = 200;
    s.done(std::move(r));
  }

  std::vector<EndpointLimits> limits_;
  std::vector<Sent> sent_;
  std::vector<std::pair<int, double>> reports_;
  int cancels_ = 0, waits_ = 0;
};

struct Fakes {
  std::vector<FakeShard*> shard;
  std::unique_ptr<ShardedTransport> t;
  explicit Fakes(int n) {
    std::vector<std::unique_ptr<Transport>> owned;
    for (int i = 0; i < n; ++i) {
      auto f = std::make_unique<FakeShard>();
      shard.push_back(f.get());
      owned.push_back(std::move(f));
    }
    t = std::make_unique<ShardedTransport>(std::move(owned));
  }
};

HttpRequest Body(std::string b) { return HttpRequest{"http://127.0.0.1:1/v1", {}, std::move(b)}; }

TEST_CASE("sharded transport: an unlimited high-concurrency endpoint is split over every shard",
          "[sharded_transport]") {
  Fakes f(2);
  const int ep = f.t->AddEndpoint({1025, 0, 0, 30, 2});
  REQUIRE(f.shard[0]->limits_.size() == 1);
  REQUIRE(f.shard[1]->limits_.size() == 1);
  CHECK(f.shard[0]->limits_[0].concurrency == 513);  // the remainder goes to the first shard
  CHECK(f.shard[1]->limits_[0].concurrency == 512);
  CHECK(f.shard[1]->limits_[0].timeout_s == 30);
  CHECK(f.shard[1]->limits_[0].retries == 2);

  // Each request goes to the shard with fewer of the endpoint's requests in flight.
  for (int i = 0; i < 4; ++i)
    f.t->Submit(ep, Body("r" + std::to_string(i)), 0, [](HttpResponse) {});
  CHECK(f.shard[0]->sent_.size() == 2);
  CHECK(f.shard[1]->sent_.size() == 2);
  f.shard[1]->CompleteOne();
  f.shard[1]->CompleteOne();
  f.t->Submit(ep, Body("r4"), 0, [](HttpResponse) {});
  f.t->Submit(ep, Body("r5"), 0, [](HttpResponse) {});
  CHECK(f.shard[0]->sent_.size() == 2);
  REQUIRE(f.shard[1]->sent_.size() == 2);
  CHECK(f.shard[1]->sent_[0].body == "r4");
  CHECK(f.shard[1]->sent_[1].body == "r5");
}

TEST_CASE("sharded transport: rate limits are divided with the concurrency; a low-concurrency "
          "endpoint stays whole on one shard",
          "[sharded_transport]") {
  Fakes f(2);
  const int limited = f.t->AddEndpoint({1024, 600, 90000, 60, 4});
  const int small = f.t->AddEndpoint({ShardedTransport::kMinSplitConcurrency - 1, 0, 0, 60, 4});
  const int small2 = f.t->AddEndpoint({8, 30, 0, 60, 4});
  REQUIRE(f.shard[0]->limits_.size() == 2);  // limited; small (homes round-robin: 0, then 1)
  REQUIRE(f.shard[1]->limits_.size() == 2);  // limited; small2
  for (FakeShard* s : f.shard) {
    CHECK(s->limits_[0].concurrency == 512);
    CHECK(s->limits_[0].rpm == 300);
    CHECK(s->limits_[0].tpm == 45000);
  }
  CHECK(f.shard[0]->limits_[1].concurrency == ShardedTransport::kMinSplitConcurrency - 1);
  CHECK(f.shard[1]->limits_[1].concurrency == 8);
  CHECK(f.shard[1]->limits_[1].rpm == 30);  // whole: its bucket is exact

  for (int i = 0; i < 3; ++i) {
    f.t->Submit(small, Body("a"), 0, [](HttpResponse) {});
    f.t->Submit(small2, Body("b"), 0, [](HttpResponse) {});
  }
  REQUIRE(f.shard[0]->sent_.size() == 3);
  REQUIRE(f.shard[1]->sent_.size() == 3);
  for (const auto& s : f.shard[0]->sent_) CHECK(s.endpoint == 1);  // small's id on shard 0
  for (const auto& s : f.shard[1]->sent_) CHECK(s.endpoint == 1);  // small2's id on shard 1

  // A token report goes to the shard whose bucket charged the request: the one with the most
  // completions not yet reported.
  for (FakeShard* s : f.shard) s->sent_.clear();
  for (int i = 0; i < 4; ++i) f.t->Submit(limited, Body("c"), 0, [](HttpResponse) {});
  f.shard[1]->CompleteOne();
  f.shard[1]->CompleteOne();
  f.shard[0]->CompleteOne();
  f.t->ReportTokens(limited, 100);
  f.t->ReportTokens(limited, 200);
  f.t->ReportTokens(limited, 300);
  REQUIRE(f.shard[1]->reports_.size() == 2);
  CHECK(f.shard[1]->reports_[0] == std::make_pair(0, 100.0));
  REQUIRE(f.shard[0]->reports_.size() == 1);
  f.t->ReportTokens(small2, 70);  // an endpoint on one shard: that shard, its local id
  REQUIRE(f.shard[1]->reports_.size() == 3);
  CHECK(f.shard[1]->reports_[2] == std::make_pair(1, 70.0));
}

TEST_CASE("sharded transport: done runs once per request; Cancel and Wait reach every shard",
          "[sharded_transport]") {
  Fakes f(3);
  const int ep = f.t->AddEndpoint({300, 0, 0, 60, 0});
  int done = 0;
  for (int i = 0; i < 9; ++i) {
    f.t->Submit(ep, Body("x"), 0, [&done](HttpResponse r) {
      CHECK(r.status == 200);
      ++done;
    });
  }
  for (FakeShard* s : f.shard) {
    CHECK(s->sent_.size() == 3);
    while (!s->sent_.empty()) s->CompleteOne();
  }
  CHECK(done == 9);
  f.t->Cancel();
  f.t->Wait();
  for (FakeShard* s : f.shard) {
    CHECK(s->cancels_ == 1);
    CHECK(s->waits_ == 1);
  }
}

TEST_CASE("sharded transport: an unknown endpoint id completes with an error naming it",
          "[sharded_transport]") {
  Fakes f(2);
  f.t->AddEndpoint({256, 0, 0, 60, 0});
  std::vector<HttpResponse> got;
  f.t->Submit(7, Body("x"), 0, [&got](HttpResponse r) { got.push_back(std::move(r)); });
  f.t->Submit(-2, Body("x"), 0, [&got](HttpResponse r) { got.push_back(std::move(r)); });
  REQUIRE(got.size() == 2);
  CHECK(got[0].error_class == "connection");
  CHECK(got[0].error == "unknown endpoint id 7");
  CHECK(got[1].error == "unknown endpoint id -2");
}

TEST_CASE("transport: the number of event loops follows the global cap and the cores",
          "[sharded_transport]") {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  TransportOptions o;
  o.global_concurrency = 256;
  CHECK(IoThreadsFor(o) == 1);
  o.global_concurrency = kConnectionsPerLoop;
  CHECK(IoThreadsFor(o) == 1);
  o.global_concurrency = 2 * kConnectionsPerLoop;
  CHECK(IoThreadsFor(o) == std::min(cores, 2));
  o.global_concurrency = 100 * kConnectionsPerLoop;
  CHECK(IoThreadsFor(o) == std::min(cores, 4));
  o.io_threads = 3;
  CHECK(IoThreadsFor(o) == 3);
}

TEST_CASE("transport: two event loops keep the endpoint's and the global cap and finish everything",
          "[sharded_transport][transport]") {
  httplib::Server svr;
  svr.new_task_queue = [] { return new httplib::ThreadPool(48); };
  std::atomic<int> now{0}, max{0}, total{0};
  svr.Post("/v1", [&](const httplib::Request& req, httplib::Response& res) {
    const int v = ++now;
    ++total;
    int m = max.load();
    while (v > m && !max.compare_exchange_weak(m, v)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    --now;
    res.set_content(req.body, "application/json");
  });
  const int port = svr.bind_to_any_port("127.0.0.1");
  std::thread server([&] { svr.listen_after_bind(); });
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  {
    TransportOptions o;
    o.global_concurrency = 20;
    o.io_threads = 2;
    auto t = MakeCurlTransport(o);
    const int wide = t->AddEndpoint({ShardedTransport::kMinSplitConcurrency, 0, 0, 10, 0});
    std::mutex mu;
    std::vector<std::string> bodies;
    for (int i = 0; i < 120; ++i) {
      t->Submit(wide, HttpRequest{url, {{"Content-Type", "application/json"}}, std::to_string(i)},
                0, [&](HttpResponse r) {
                  std::lock_guard<std::mutex> lock(mu);
                  CHECK(r.status == 200);
                  bodies.push_back(r.body);
                });
    }
    t->Wait();
    REQUIRE(bodies.size() == 120);
    std::sort(bodies.begin(), bodies.end());
    CHECK(std::adjacent_find(bodies.begin(), bodies.end()) == bodies.end());  // each once
    CHECK(total == 120);
    CHECK(max <= 20);  // the global cap, 10 per loop (routing itself: the fake-shard tests)
  }
  svr.stop();
  server.join();
}

}  // namespace
}  // namespace comply
