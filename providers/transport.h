#pragma once
// The one HTTP transport (STYLE rule 8): an I/O thread drives every request of a run through
// libcurl multi handles (socket API + epoll; one multi handle per 128 of the global cap, at
// most 8, so that no connection cache holds more than ~128 connections: curl walks it on
// every finished request). Above kConnectionsPerLoop of global cap there are several such
// loops, each with its share of the cap (sharded_transport.h). It owns concurrency (per
// endpoint and global), rate limits (rpm and tpm token buckets), per-try timeouts and retries
// with exponential backoff + full jitter that honour Retry-After. Providers only build and
// parse.
//
//   std::unique_ptr<Transport> t = MakeCurlTransport(/*global_concurrency=*/256);
//   int ep = t->AddEndpoint({.concurrency = 32, .rpm = 500, .tpm = 200000,
//                            .timeout_s = 60, .retries = 4});
//   t->Submit(ep, provider->BuildRequest(chat), /*estimated_tokens=*/900,
//             [](HttpResponse r) { queue.Push(std::move(r)); });   // runs on the I/O thread
//   t->Wait();
//
// libcurl honours HTTPS_PROXY / NO_PROXY and CURL_CA_BUNDLE / SSL_CERT_FILE from the
// environment.

#include <functional>
#include <memory>

#include "providers/http.h"

namespace comply {

struct EndpointLimits {
  int concurrency = 16;   // requests in flight on this endpoint (<= 0: only the global cap)
  double rpm = 0;         // requests per minute, 0 = unlimited (spaced evenly: burst of 1)
  double tpm = 0;         // tokens per minute, 0 = unlimited (burst: one second's worth)
  double timeout_s = 60;  // per try, connect included
  int retries = 4;        // further tries after the first
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Registers an endpoint and returns its id (0, 1, …). Call before the first Submit.
  virtual int AddEndpoint(const EndpointLimits& limits) = 0;

  // Queues `req` (always a POST). Thread-safe, never blocks. `estimated_tokens` is taken from
  // the tpm bucket at each send. `done` runs exactly once on the I/O thread, whatever happens
  // (HTTP response, final error after retries, cancellation, unknown endpoint id): keep it
  // short and do not call Wait() from it. An exception thrown by `done` is swallowed.
  virtual void Submit(int endpoint, HttpRequest req, double estimated_tokens,
                      std::function<void(HttpResponse)> done) = 0;

  // Corrects the tpm bucket once a request's real usage is known: the transport charges
  // `actual_tokens` minus the average estimate of the endpoint's completed, not yet reported
  // requests (exact in aggregate). Thread-safe.
  virtual void ReportTokens(int endpoint, double actual_tokens) = 0;

  // Stops sending: queued, waiting and in-flight requests (and later Submits) complete with
  // error_class "cancelled". Thread-safe, non-blocking.
  virtual void Cancel() = 0;

  // Blocks until every request submitted so far has completed (its `done` returned).
  virtual void Wait() = 0;
};

struct TransportOptions {
  int global_concurrency = 256;  // requests in flight over all endpoints (<= 0: 256)
  // Event loops (I/O threads), each with its share of the global cap (sharded_transport.h).
  // 0: one per kConnectionsPerLoop of the cap, at most one per core and at most 4.
  int io_threads = 0;
  double backoff_base_s = 0.5;  // see RetryPolicy
  double backoff_cap_s = 30;
  double max_retry_after_s = 120;
};

// The global cap one curl event loop serves before MakeCurlTransport adds another (measured:
// one loop keeps up with 256 connections at 50 ms, not with 1,024, on 2 cores).
inline constexpr int kConnectionsPerLoop = 512;

// The number of event loops MakeCurlTransport uses for `options` on this machine.
int IoThreadsFor(const TransportOptions& options);

// The libcurl multi transport. Raises RLIMIT_NOFILE's soft limit to its hard limit.
// The destructor cancels what is still pending and joins the I/O thread.
std::unique_ptr<Transport> MakeCurlTransport(int global_concurrency);
std::unique_ptr<Transport> MakeCurlTransport(const TransportOptions& options);

}  // namespace comply
