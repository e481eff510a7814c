// The transport's reuse of its own resources (issue #4's per-request cost): pooled easy
// handles, sockets parked in epoll between requests, several multi handles at a high cap.
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

// A loopback listener that answers each connection's first request with a complete keep-alive
// response and closes the connection shortly after, while the client holds it idle.
class ClosingServer {
 public:
  ClosingServer() {
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
  ~ClosingServer() {
    stop_ = true;
    thread_.join();
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
      const std::string reply =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
          "Connection: keep-alive\r\n\r\n{\"ok\":true}";
      [[maybe_unused]] ssize_t n = send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      close(c);  // the client has parked the idle connection by now
    }
  }
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
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

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

HttpRequest Post(const std::string& url) {
  return HttpRequest{url, {{"Content-Type", "application/json"}}, "{}"};
}

TEST_CASE("transport: idle connections closed by the server are replaced, round after round",
          "[transport]") {
  ClosingServer server;
  auto t = MakeCurlTransport(4);
  int ep = t->AddEndpoint({1, 0, 0, 5, 0});
  Collector c;
  constexpr int kRounds = 12;
  for (int i = 0; i < kRounds; ++i) {
    t->Submit(ep, Post(server.Url()), 0, c.Callback());
    t->Wait();
    // Long enough for the server's close to reach the parked socket.
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
  }
  REQUIRE(c.responses.size() == kRounds);
  for (const HttpResponse& r : c.responses) {
    CHECK(r.status == 200);
    CHECK(r.error_class.empty());
    CHECK(r.body == R"({"ok":true})");
    CHECK(r.attempts == 1);
  }
  CHECK(server.accepted() == kRounds);  // a dead connection is never reused
}

TEST_CASE("transport: a high cap spreads transfers over several multi handles; connections stay within the endpoint's concurrency",
          "[transport]") {
  httplib::Server svr;
  svr.new_task_queue = [] { return new httplib::ThreadPool(24); };
  svr.set_keep_alive_max_count(1000);
  std::mutex mu;
  std::set<int> ports;
  std::atomic<int> seen{0};
  svr.Post("/v1", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ports.insert(req.remote_port);
    }
    ++seen;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    res.set_content(req.body, "application/json");
  });
  const int port = svr.bind_to_any_port("127.0.0.1");
  std::thread server([&] { svr.listen_after_bind(); });
  {
    auto t = MakeCurlTransport(1024);  // eight multi handles
    int a = t->AddEndpoint({12, 0, 0, 10, 0});
    int b = t->AddEndpoint({4, 0, 0, 10, 0});
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    std::mutex rmu;
    std::multiset<std::string> bodies;
    int ok = 0;
    constexpr int kEach = 150;
    for (int i = 0; i < kEach; ++i) {
      for (int ep : {a, b}) {
        HttpRequest req = Post(url);
        req.body = "{\"n\":" + std::to_string(ep * 1000 + i) + "}";
        t->Submit(ep, std::move(req), 0, [&](HttpResponse r) {
          std::lock_guard<std::mutex> lock(rmu);
          if (r.status == 200) ++ok;
          bodies.insert(r.body);
        });
      }
    }
    t->Wait();
    CHECK(ok == 2 * kEach);
    CHECK(bodies.size() == 2 * kEach);
    CHECK(bodies.count("{\"n\":1149}") == 1);  // each answer is its own request's
    CHECK(seen == 2 * kEach);
  }
  svr.stop();
  server.join();
  CHECK(ports.size() <= 16);  // 12 + 4 in flight at most: every connection is reused
}

}  // namespace
}  // namespace comply
