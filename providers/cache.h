#pragma once
// The response cache (DESIGN.md "Response cache"): SQLite, keyed by the SHA-256 of the exact
// request — URL, body, and every header that is not a credential — plus the sample index.
// The API key never reaches the file: headers whose name mentions auth, key, token, secret,
// cookie, password, signature, credential or session are left out of the key and nothing of
// the request is stored. Only 2xx responses are stored (status, headers minus set-cookie,
// body). Writes are batched by a writer thread (WAL, busy timeout 5 s); Lookup sees unwritten
// entries too. Thread-safe.
//
//   Result<std::unique_ptr<ResponseCache>> c = ResponseCache::Open("runs/cache.sqlite", 86400);
//   if (std::optional<HttpResponse> hit = (*c)->Lookup(req, sample)) Use(*hit);   // cached
//   else transport->Submit(…, [&](HttpResponse r) { (*c)->Store(req, sample, r); … });
//   Status s = (*c)->Flush();   // at the end of the run (the destructor flushes too)

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "providers/http.h"
#include "providers/result.h"

struct sqlite3;  // keeps sqlite.h out of this header

namespace comply {

class ResponseCache {
 public:
  // Opens or creates the database at `path` (parent folders created) and deletes entries
  // older than `ttl_s` (<= 0: entries never expire). Fails with kIo naming the path.
  static Result<std::unique_ptr<ResponseCache>> Open(const std::filesystem::path& path,
                                                     double ttl_s);
  ~ResponseCache();  // flushes; a failure then is lost (call Flush() to see it)
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  // The stored response for this request and sample when present and younger than the TTL
  // (attempts 0, latency_ms 0); nullopt otherwise, or when the database cannot be read.
  std::optional<HttpResponse> Lookup(const HttpRequest& req, int sample);
  // Queues `resp` for writing when it is a 2xx HTTP response; ignores anything else.
  void Store(const HttpRequest& req, int sample, const HttpResponse& resp);
  // Writes everything queued; returns the first write error since the last Flush, if any.
  Status Flush();

  // The hex SHA-256 cache key (exposed for tests).
  static std::string Key(const HttpRequest& req, int sample);
  // True for header names that may carry credentials (case-insensitive).
  static bool IsSecretHeader(std::string_view name);

 private:
  struct Entry {
    double created = 0;
    int status = 0;
    std::string headers_json;
    std::string body;
  };
  using Batch = std::unordered_map<std::string, Entry>;

  ResponseCache(sqlite3* db, std::filesystem::path path, double ttl_s);
  void WriterLoop();
  void WritePending();  // writes pending_; a failure is kept in error_
  Status WriteBatch(const Batch& batch);  // callers hold write_mu_
  std::optional<HttpResponse> ToResponse(const Entry& e) const;

  sqlite3* db_;
  const std::filesystem::path path_;
  const double ttl_s_;

  std::mutex mu_;  // guards pending_, writing_, error_, stop_
  std::condition_variable cv_;
  Batch pending_;
  Batch writing_;  // the batch the writer is committing, still visible to Lookup
  std::optional<Error> error_;
  bool stop_ = false;
  std::mutex write_mu_;  // one writer at a time (writer thread or Flush)
  std::thread writer_;
};

}  // namespace comply
