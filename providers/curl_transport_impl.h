#pragma once
// The libcurl multi transport's internals (providers/transport.h is the interface): shared by
// curl_transport.cc (the loop, dispatch, completions) and curl_sockets.cc (curl's socket,
// timer and data callbacks and the epoll registrations).
#include <curl/curl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "providers/rate_limiter.h"
#include "providers/retry.h"
#include "providers/transport.h"

namespace comply::curl_internal {

double NowS();  // steady clock, seconds

inline constexpr std::size_t kMaxBodyBytes = 64u << 20;  // a larger reply is refused as a connection error
inline constexpr double kIdleWaitS = 1.0;

struct Job {
  int endpoint = 0;
  HttpRequest req;
  double est_tokens = 0;
  std::function<void(HttpResponse)> done;
  int attempts = 0;
};

class CurlTransport;

// One curl multi handle and its timer. Several share the I/O thread at high concurrency: curl
// 7.88 walks its whole connection cache on every curl_multi_remove_handle (to close
// connect-only connections) and the host's connection list on every reuse, so with 1,024
// connections in one cache those walks were ~14% of the I/O thread's CPU.
struct Multi {
  CURLM* handle = nullptr;
  CurlTransport* owner = nullptr;
  std::uint8_t index = 0;
  double timer_deadline_s = -1;
};

// One try in flight, pooled with the easy handle that carries it (both are reused).
struct Transfer {
  CURL* easy = nullptr;
  Multi* multi = nullptr;         // the easy handle always runs on this multi handle
  curl_slist* headers = nullptr;  // built from `sent_headers`; kept for the next request
  HttpHeaders sent_headers;
  std::size_t active_index = 0;   // position in CurlTransport::active_ while in flight
  std::unique_ptr<Job> job;
  HttpResponse resp;
  bool too_large = false;
  double start_s = 0;
  char errbuf[CURL_ERROR_SIZE] = {};
};

// What the I/O thread knows about a socket's epoll registration.
enum class FdState : std::uint8_t {
  kNone,    // not registered (as far as we know)
  kActive,  // registered with `mask`; curl watches it
  kParked,  // curl stopped watching it (CURL_POLL_REMOVE) but it is still registered with
            // `mask`: an idle keep-alive connection. curl closes sockets through CloseSocketCb,
            // which forgets them (the kernel drops a closed socket's registration).
};

struct Endpoint {
  EndpointLimits limits;
  std::deque<std::unique_ptr<Job>> queue;
  int in_flight = 0;
  TokenBucket rpm, tpm;
  double unreported_est = 0;  // estimates of completed requests awaiting ReportTokens
  long unreported_count = 0;
};




class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(const TransportOptions& options);
  ~CurlTransport() override;

  int AddEndpoint(const EndpointLimits& limits) override;
  void Submit(int endpoint, HttpRequest req, double estimated_tokens,
              std::function<void(HttpResponse)> done) override;
  void ReportTokens(int endpoint, double actual_tokens) override;
  void Cancel() override;
  void Wait() override;

 private:
  void Wake();
  void Loop();
  void DrainInbox(double now);
  double Dispatch(double now);
  void Start(std::unique_ptr<Job> job, double now);
  Transfer* Acquire();
  void Release(Transfer* t);
  void ReadDone();
  void ReadDone(CURLM* multi);
  void Finish(std::unique_ptr<Job> job, HttpResponse resp);
  void Complete(std::unique_ptr<Job> job, HttpResponse resp);
  void Settle();
  void CancelAll();
  bool Idle();
  void WatchSocket(Multi* m, curl_socket_t s, int what);
  bool DropParked(int fd);

  static int SocketCb(CURL* easy, curl_socket_t s, int what, void* userp, void* socketp);
  static int TimerCb(CURLM* multi, long timeout_ms, void* userp);
  static int CloseSocketCb(void* clientp, curl_socket_t s);
  static std::size_t WriteCb(char* data, std::size_t size, std::size_t n, void* userp);
  static std::size_t HeaderCb(char* data, std::size_t size, std::size_t n, void* userp);

  const TransportOptions options_;
  RetryPolicy policy_;
  int global_cap_;

  // Shared with callers, guarded by mu_.
  std::mutex mu_;
  std::condition_variable idle_cv_;
  std::vector<EndpointLimits> new_endpoints_;
  int endpoint_count_ = 0;
  std::vector<std::unique_ptr<Job>> inbox_;
  std::vector<std::pair<int, double>> token_reports_;
  long outstanding_ = 0;
  std::atomic<bool> cancel_{false};
  std::atomic<bool> stop_{false};

  // Owned by the I/O thread.
  std::vector<std::unique_ptr<Multi>> multis_;
  int epfd_ = -1;
  int evfd_ = -1;
  std::deque<Endpoint> endpoints_;  // deque: Endpoint is move-only and not noexcept-movable
  std::size_t round_robin_ = 0;
  std::multimap<double, std::unique_ptr<Job>> delayed_;  // retries waiting for their backoff
  std::vector<std::unique_ptr<Transfer>> pool_;  // every Transfer ever made (owner)
  std::vector<Transfer*> free_;                  // not in flight
  std::vector<Transfer*> active_;                // in flight (Transfer::active_index)
  long completed_ = 0;                           // completions not yet taken off outstanding_
  std::vector<FdState> fd_state_;                // by socket number
  std::vector<std::uint32_t> fd_mask_;           // epoll events of a kActive socket
  std::vector<std::uint8_t> fd_multi_;           // the multi handle a kActive socket belongs to
  std::mt19937_64 rng_{std::random_device{}()};

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace comply::curl_internal
