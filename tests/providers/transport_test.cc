// The curl multi transport against loopback servers: cpp-httplib for HTTP behaviour, a raw
// socket listener for hangs, truncated bodies and connection resets.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "providers/transport.h"

namespace comply {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// cpp-httplib on 127.0.0.1, an ephemeral port, 32 worker threads.
class HttpServer {
 public:
  HttpServer() {
    svr.new_task_queue = [] { return new httplib::ThreadPool(32); };
    svr.set_keep_alive_max_count(1000);
  }
  void Start() {
    port = svr.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { svr.listen_after_bind(); });
  }
  ~HttpServer() {
    svr.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string Url(const std::string& path = "/v1") const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
  httplib::Server svr;
  int port = 0;

 private:
  std::thread thread_;
};

// A raw TCP listener that reads one request per connection and then misbehaves.
class RawServer {
 public:
  enum class Mode { kHang, kTruncate, kReset };
  explicit RawServer(Mode mode) : mode_(mode) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 64);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~RawServer() {
    stop_ = true;
    thread_.join();
    for (int c : open_) close(c);
    close(fd_);
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  int accepted() const { return accepted_; }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++accepted_;
      ReadRequest(c);
      if (mode_ == Mode::kHang) {
        open_.push_back(c);
      } else if (mode_ == Mode::kTruncate) {
        std::string head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            "{\"partial";
        [[maybe_unused]] ssize_t n = send(c, head.data(), head.size(), MSG_NOSIGNAL);
        close(c);
      } else {
        linger l{1, 0};  // close with RST
        setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        close(c);
      }
    }
  }
  // Reads headers and a Content-Length body, so closing never resets by accident.
  static void ReadRequest(int c) {
    std::string data;
    char buf[4096];
    std::size_t need = std::string::npos;
    while (true) {
      std::size_t end = data.find("\r\n\r\n");
      if (end != std::string::npos && need == std::string::npos) {
        std::size_t cl = data.find("Content-Length: ");
        std::size_t body = cl == std::string::npos ? 0 : std::stoul(data.substr(cl + 16));
        need = end + 4 + body;
      }
      if (need != std::string::npos && data.size() >= need) return;
      ssize_t n = recv(c, buf, sizeof buf, 0);
      if (n <= 0) return;
      data.append(buf, static_cast<std::size_t>(n));
    }
  }
  Mode mode_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::vector<int> open_;
  std::thread thread_;
};

// Collects the responses; done must be called exactly once per Submit.
struct Collector {
  std::mutex mu;
  std::vector<HttpResponse> responses;
  std::function<void(HttpResponse)> Callback() {
    return [this](HttpResponse r) {
      std::lock_guard<std::mutex> lock(mu);
      responses.push_back(std::move(r));
    };
  }
};

std::unique_ptr<Transport> FastRetryTransport(int global = 64) {
  TransportOptions o;
  o.global_concurrency = global;
  o.backoff_base_s = 0.01;
  o.backoff_cap_s = 0.05;
  return MakeCurlTransport(o);
}

HttpRequest Post(const std::string& url, std::string body = "{}") {
  return HttpRequest{url, {{"Content-Type", "application/json"}}, std::move(body)};
}

// A handler that counts requests in flight and remembers the maximum.
struct InFlightCounter {
  std::atomic<int> now{0}, max{0}, total{0};
  void Enter() {
    int v = ++now;
    ++total;
    int m = max.load();
    while (v > m && !max.compare_exchange_weak(m, v)) {
    }
  }
  void Leave() { --now; }
};

TEST_CASE("transport: sends headers and body, returns status, body, lower-cased headers",
          "[transport]") {
  HttpServer server;
  std::string seen_auth, seen_body;
  server.svr.Post("/v1", [&](const httplib::Request& req, httplib::Response& res) {
    seen_auth = req.get_header_value("Authorization");
    seen_body = req.body;
    res.set_header("X-Request-Id", "req-42");
    res.set_content(R"({"ok":true})", "application/json");
  });
  server.Start();
  auto t = MakeCurlTransport(8);
  int ep = t->AddEndpoint({4, 0, 0, 5, 0});
  Collector c;
  HttpRequest req = Post(server.Url(), R"({"model":"m"})");
  req.headers.emplace_back("Authorization", "Bearer test-key");
  t->Submit(ep, std::move(req), 0, c.Callback());
  t->Wait();
  REQUIRE(c.responses.size() == 1);
  const HttpResponse& r = c.responses[0];
  CHECK(r.status == 200);
  CHECK(r.error_class.empty());
  CHECK(r.body == R"({"ok":true})");
  CHECK(FindHeader(r.headers, "x-request-id") == "req-42");
  CHECK(r.attempts == 1);
  CHECK(r.latency_ms > 0);
  CHECK(seen_auth == "Bearer test-key");
  CHECK(seen_body == R"({"model":"m"})");
}

TEST_CASE("transport: per-endpoint concurrency cap is honoured", "[transport]") {
  HttpServer server;
  InFlightCounter counter;
  server.svr.Post("/v1", [&](const httplib::Request&, httplib::Response& res) {
    counter.Enter();
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    counter.Leave();
    res.set_content("{}", "application/json");
  });
  server.Start();
  auto t = MakeCurlTransport(64);
  int ep = t->AddEndpoint({3, 0, 0, 5, 0});
  Collector c;
  for (int i = 0; i < 12; ++i) t->Submit(ep, Post(server.Url()), 0, c.Callback());
  t->Wait();
  REQUIRE(c.responses.size() == 12);
  for (const auto& r : c.responses) CHECK(r.status == 200);
  CHECK(counter.max == 3);
  CHECK(counter.total == 12);
}

TEST_CASE("transport: global cap holds across endpoints", "[transport]") {
  HttpServer server;
  InFlightCounter counter;
  server.svr.Post("/v1", [&](const httplib::Request&, httplib::Response& res) {
    counter.Enter();
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    counter.Leave();
    res.set_content("{}", "application/json");
  });
  server.Start();
  auto t = MakeCurlTransport(4);
  int a = t->AddEndpoint({10, 0, 0, 5, 0});
  int b = t->AddEndpoint({10, 0, 0, 5, 0});
  Collector c;
  for (int i = 0; i < 8; ++i) {
    t->Submit(a, Post(server.Url()), 0, c.Callback());
    t->Submit(b, Post(server.Url()), 0, c.Callback());
  }
  t->Wait();
  CHECK(c.responses.size() == 16);
  CHECK(counter.max == 4);
}

TEST_CASE("transport: keep-alive reuses one connection for sequential requests",
          "[transport]") {
  HttpServer server;
  std::mutex mu;
  std::set<int> ports;
  server.svr.Post("/v1", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    ports.insert(req.remote_port);
    res.set_content("{}", "application/json");
  });
  server.Start();
  auto t = MakeCurlTransport(1);
  int ep = t->AddEndpoint({1, 0, 0, 5, 0});
  Collector c;
  for (int i = 0; i < 6; ++i) t->Submit(ep, Post(server.Url()), 0, c.Callback());
  t->Wait();
  CHECK(c.responses.size() == 6);
  CHECK(ports.size() == 1);
}

TEST_CASE("transport: retries a 500 and succeeds on the second try", "[transport]") {
  HttpServer server;
  std::atomic<int> hits{0};
  server.svr.Post("/v1", [&](const httplib::Request&, httplib::Response& res) {
    if (++hits == 1) {
      res.status = 500;
      res.set_content(R"({"error":{"message":"boom"}})", "application/json");
    } else {
      res.set_content(R"({"ok":1})", "application/json");
    }
  });
  server.Start();
  auto t = FastRetryTransport();
  int ep = t->AddEndpoint({1, 0, 0, 5, 3});
  Collector c;
  t->Submit(ep, Post(server.Url()), 0, c.Callback());
  t->Wait();
  REQUIRE(c.responses.size() == 1);
  CHECK(c.responses[0].status == 200);
  CHECK(c.responses[0].body == R"({"ok":1})");
  CHECK(c.responses[0].attempts == 2);
  CHECK(hits == 2);
}

TEST_CASE("transport: gives up after the configured retries and reports the last reply",
          "[transport]") {
  HttpServer server;
  std::atomic<int> hits{0};
  server.svr.Post("/v1", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 503;
    res.set_content("overloaded", "text/plain");
  });
  server.Start();
  auto t = FastRetryTransport();
  int ep = t->AddEndpoint({1, 0, 0, 5, 2});
  Collector c;
  t->Submit(ep, Post(server.Url()), 0, c.Callback());
  t->Wait();
  REQUIRE(c.responses.size() == 1);
  CHECK(c.responses[0].status == 503);
  CHECK(c.responses[0].body == "overloaded");
  CHECK(c.responses[0].attempts == 3);
  CHECK(hits == 3);
}

TEST_CASE("transport: Retry-After on 429 is honoured", "[transport]") {
  HttpServer server;
  std::atomic<int> hits{0};
  server.svr.Post("/v1", [&](const httplib::Request&, httplib::Response& res) {
    if (++hits == 1) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      res.set_content(R"({"error":{"type":"rate_limit_exceeded"}})", "application/json");
    } else {
      res.set_content("{}", "application/json");
    }
  });
  server.Start();
  auto t = FastRetryTransport();  // jittered backoff alone would wait <= 0.01 s
  int ep = t->AddEndpoint({1, 0, 0, 5, 2});
  Collector c;
  auto start = Clock::now();
  t->Submit(ep, Post(server.Url()), 0, c.Callback());
  t->Wait();
  double elapsed = SecondsSince(start);
  REQUIRE(c.responses.size() == 1);
  CHECK(c.responses[0].status == 200);
  CHECK(c.responses[0].attempts == 2);
  CHECK(elapsed >= 0.95);
}

TEST_CASE("transport: no retry on 400 or on a hard-quota 429", "[transport]") {
  HttpServer server;
  std::atomic<int> bad_hits{0}, quota_hits{0};
  server.svr.Post("/bad", [&](const httplib::Request&, httplib::Response& res) {
    ++bad_hits;
    res.status = 400;
    res.set_content(R"({"error":{"message":"bad"}})", "application/json");
  });
  server.svr.Post("/quota", [&](const httplib::Request&, httplib::Response& res) {
    ++quota_hits;
    res.status = 429;
    res.set_content(R"({"error":{"type":"insufficient_quota","code":"insufficient_quota"}})",
                    "application/json");
  });
  server.Start();
  auto t = FastRetryTransport();
  int ep = t->AddEndpoint({2, 0, 0, 5, 4});
  Collector c;
  t->Submit(ep, Post(server.Url("/bad")), 0, c.Callback());
  t->Submit(ep, Post(server.Url("/quota")), 0, c.Callback());
  t->Wait();
  REQUIRE(c.responses.size() == 2);
  for (const auto& r : c.responses) {
    CHECK(r.attempts == 1);
    CHECK(r.error_class.empty());
    CHECK((r.status == 400 || r.status == 429));
  }
  CHECK(bad_hits == 1);
  CHECK(quota_hits == 1);
}

TEST_CASE("transport: a hanging server is classified as timeout after every try",
          "[transport]") {
  RawServer server(RawServer::Mode::kHang);
  auto t = FastRetryTransport();
  int ep = t->AddEndpoint({1, 0, 0, 0.3, 1});
  Collector c;
  t->Submit(ep, Post(server.Url()), 0, c.Callback());
  t->Wait();
  REQUIRE(c.responses.size() == 1);
  const HttpResponse& r = c.responses[0];
  CHECK(r.status == 0);
  CHECK(r.error_class == "timeout");
  CHECK(r.error == "no complete response within 0.3 s");
  CHECK(r.attempts == 2);
  CHECK(server.accepted() == 2);
}

TEST_CASE("transport: connection refused is classified as connection", "[transport]") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);  // nothing listens there now
  auto t = FastRetryTransport();
  int ep = t->AddEndpoint({1, 0, 0, 5, 1});
  Collector c;
  t->Submit(ep, Post("http://127.0.0.1:" + std::to_string(port) + "/v1"), 0, c.Callback());
  t->Wait();
  REQUIRE(c.responses.size() == 1);
  CHECK(c.responses[0].status == 0);
  CHECK(c.responses[0].error_class == "connection");
  CHECK(c.responses[0].error.rfind("Couldn't connect to server", 0) == 0);
  CHECK(c.responses[0].attempts == 2);
}

TEST_CASE("transport: a body cut short of Content-Length is a retried connection error",
          "[transport]") {
  RawServer server(RawServer::Mode::kTruncate);
  auto t = FastRetryTransport();
  int ep = t->AddEndpoint({1, 0, 0, 5, 1});
  Collector c;
  t->Submit(ep, Post(server.Url()), 0, c.Callback());
  t->Wait();
  REQUIRE(c.responses.size() == 1);
  const HttpResponse& r = c.responses[0];
  CHECK(r.status == 0);
  CHECK(r.body.empty());
  CHECK(r.error_class == "connection");
  CHECK(r.error == "connection closed before the response body was complete (got 9 bytes)");
  CHECK(r.attempts == 2);
  CHECK(server.accepted() == 2);
}

TEST_CASE("transport: a connection reset is classified as connection", "[transport]") {
  RawServer server(RawServer::Mode::kReset);
  auto t = FastRetryTransport();
  int ep = t->AddEndpoint({1, 0, 0, 5, 0});
  Collector c;
  t->Submit(ep, Post(server.Url()), 0, c.Callback());
  t->Wait();
  REQUIRE(c.responses.size() == 1);
  CHECK(c.responses[0].status == 0);
  CHECK(c.responses[0].error_class == "connection");
  CHECK(c.responses[0].attempts == 1);
}

TEST_CASE("transport: rpm limit spaces requests", "[transport]") {
  HttpServer server;
  server.svr.Post("/v1", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("{}", "application/json");
  });
  server.Start();
  auto t = MakeCurlTransport(16);
  int ep = t->AddEndpoint({10, 600, 0, 5, 0});  // one request every 0.1 s
  Collector c;
  auto start = Clock::now();
  for (int i = 0; i < 10; ++i) t->Submit(ep, Post(server.Url()), 0, c.Callback());
  t->Wait();
  double elapsed = SecondsSince(start);
  CHECK(c.responses.size() == 10);
  CHECK(elapsed >= 0.85);
  CHECK(elapsed < 5);
}

TEST_CASE("transport: tpm limit holds back requests whose estimate exceeds the budget",
          "[transport]") {
  HttpServer server;
  server.svr.Post("/v1", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("{}", "application/json");
  });
  server.Start();
  auto t = MakeCurlTransport(16);
  int ep = t->AddEndpoint({10, 0, 6000, 5, 0});  // 100 tokens a second, burst 100
  Collector c;
  auto start = Clock::now();
  for (int i = 0; i < 4; ++i) t->Submit(ep, Post(server.Url()), 25, c.Callback());
  t->Submit(ep, Post(server.Url()), 50, c.Callback());  // needs half a second of refill
  t->Wait();
  double elapsed = SecondsSince(start);
  CHECK(c.responses.size() == 5);
  CHECK(elapsed >= 0.45);
  CHECK(elapsed < 5);
}

TEST_CASE("transport: Cancel completes in-flight, queued and later requests", "[transport]") {
  RawServer server(RawServer::Mode::kHang);
  auto t = MakeCurlTransport(16);
  int ep = t->AddEndpoint({2, 0, 0, 30, 4});
  Collector c;
  for (int i = 0; i < 6; ++i) t->Submit(ep, Post(server.Url()), 0, c.Callback());
  for (int i = 0; i < 500 && server.accepted() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(server.accepted() == 2);
  t->Cancel();
  t->Submit(ep, Post(server.Url()), 0, c.Callback());
  t->Wait();
  REQUIRE(c.responses.size() == 7);
  int tried = 0;
  for (const auto& r : c.responses) {
    CHECK(r.error_class == "cancelled");
    CHECK(r.error == "cancelled before completion");
    CHECK(r.status == 0);
    tried += r.attempts;
  }
  CHECK(tried == 2);
}

TEST_CASE("transport: destroying with work pending completes it as cancelled",
          "[transport]") {
  RawServer server(RawServer::Mode::kHang);
  Collector c;
  {
    auto t = MakeCurlTransport(4);
    int ep = t->AddEndpoint({1, 0, 0, 30, 0});
    for (int i = 0; i < 3; ++i) t->Submit(ep, Post(server.Url()), 0, c.Callback());
  }
  REQUIRE(c.responses.size() == 3);
  for (const auto& r : c.responses) CHECK(r.error_class == "cancelled");
}

TEST_CASE("transport: an unknown endpoint id completes with an error", "[transport]") {
  auto t = MakeCurlTransport(4);
  Collector c;
  t->Submit(7, Post("http://127.0.0.1:1/v1"), 0, c.Callback());
  t->Wait();
  REQUIRE(c.responses.size() == 1);
  CHECK(c.responses[0].error_class == "connection");
  CHECK(c.responses[0].error == "unknown endpoint id 7");
  CHECK(c.responses[0].attempts == 0);
}

}  // namespace
}  // namespace comply
