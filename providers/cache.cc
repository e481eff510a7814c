#include "providers/cache.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/sha256.h"
#include "providers/thread_priority.h"

namespace comply {
namespace {

constexpr std::size_t kBatchSize = 64;                    // wake the writer at this many
constexpr auto kWriteInterval = std::chrono::milliseconds(500);

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Length-prefixed, so no two different requests hash the same text.
void AddField(Sha256* h, std::string_view field) {
  h->Update(std::to_string(field.size()));
  h->Update(":");
  h->Update(field);
}

class Statement {  // RAII for sqlite3_stmt
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  sqlite3_stmt* get() const { return stmt_; }
  explicit operator bool() const { return stmt_ != nullptr; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

bool ResponseCache::IsSecretHeader(std::string_view name) {
  std::string n = Lower(name);
  for (const char* word : {"auth", "key", "token", "secret", "cookie", "password", "signature",
                           "credential", "session"}) {
    if (n.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string ResponseCache::Key(const HttpRequest& req, int sample) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [k, v] : req.headers) {
    if (!IsSecretHeader(k)) headers.emplace_back(Lower(k), v);
  }
  std::sort(headers.begin(), headers.end());
  Sha256 h;
  AddField(&h, "comply-response-cache-v1");
  AddField(&h, req.url);
  AddField(&h, std::to_string(headers.size()));
  for (const auto& [k, v] : headers) {
    AddField(&h, k);
    AddField(&h, v);
  }
  AddField(&h, req.body);
  AddField(&h, std::to_string(sample));
  return h.HexDigest();
}

Result<std::unique_ptr<ResponseCache>> ResponseCache::Open(const std::filesystem::path& path,
                                                           double ttl_s) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  auto fail = [&](const std::string& what) -> Error {
    std::string msg = "response cache " + path.string() + ": " + what + ": " +
                      (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return IoError(msg);
  };
  if (rc != SQLITE_OK) return fail("cannot open");
  sqlite3_busy_timeout(db, 5000);
  const char* setup =
      "PRAGMA journal_mode=WAL;"
      "PRAGMA synchronous=NORMAL;"
      "CREATE TABLE IF NOT EXISTS responses ("
      "  key TEXT PRIMARY KEY, created REAL NOT NULL, status INTEGER NOT NULL,"
      "  headers TEXT NOT NULL, body BLOB NOT NULL) WITHOUT ROWID;";
  if (sqlite3_exec(db, setup, nullptr, nullptr, nullptr) != SQLITE_OK) return fail("cannot set up");
  if (ttl_s > 0) {
    Statement prune(db, "DELETE FROM responses WHERE created < ?");
    if (!prune) return fail("cannot prune");
    sqlite3_bind_double(prune.get(), 1, UnixNow() - ttl_s);
    if (sqlite3_step(prune.get()) != SQLITE_DONE) return fail("cannot prune");
  }
  return std::unique_ptr<ResponseCache>(new ResponseCache(db, path, ttl_s));
}

ResponseCache::ResponseCache(sqlite3* db, std::filesystem::path path, double ttl_s)
    : db_(db), path_(std::move(path)), ttl_s_(ttl_s) {
  writer_ = std::thread([this] {
    LowerThreadPriority();  // batched SQLite writes are never on a request's path
    WriterLoop();
  });
}

ResponseCache::~ResponseCache() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();
  [[maybe_unused]] Status s = Flush();
  sqlite3_close(db_);
}

std::optional<HttpResponse> ResponseCache::ToResponse(const Entry& e) const {
  if (ttl_s_ > 0 && UnixNow() - e.created > ttl_s_) return std::nullopt;
  HttpResponse resp;
  resp.status = e.status;
  resp.body = e.body;
  nlohmann::json headers = nlohmann::json::parse(e.headers_json, nullptr, false);
  if (headers.is_array()) {
    for (const auto& pair : headers) {
      if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string()) {
        resp.headers.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
      }
    }
  }
  return resp;
}

std::optional<HttpResponse> ResponseCache::Lookup(const HttpRequest& req, int sample) {
  const std::string key = Key(req, sample);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const Batch* batch : {&pending_, &writing_}) {
      auto it = batch->find(key);
      if (it != batch->end()) return ToResponse(it->second);
    }
  }
  Statement q(db_, "SELECT created, status, headers, body FROM responses WHERE key = ?");
  if (!q) return std::nullopt;
  sqlite3_bind_text(q.get(), 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(q.get()) != SQLITE_ROW) return std::nullopt;
  Entry e;
  e.created = sqlite3_column_double(q.get(), 0);
  e.status = sqlite3_column_int(q.get(), 1);
  const auto* h = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 2));
  e.headers_json = h != nullptr ? h : "[]";
  const auto* b = static_cast<const char*>(sqlite3_column_blob(q.get(), 3));
  e.body.assign(b != nullptr ? b : "", static_cast<std::size_t>(sqlite3_column_bytes(q.get(), 3)));
  return ToResponse(e);
}

void ResponseCache::Store(const HttpRequest& req, int sample, const HttpResponse& resp) {
  if (!resp.error_class.empty() || resp.status < 200 || resp.status >= 300) return;
  Entry e;
  e.created = UnixNow();
  e.status = resp.status;
  e.body = resp.body;
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [k, v] : resp.headers) {
    if (k != "set-cookie") headers.push_back({k, v});
  }
  e.headers_json = headers.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string key = Key(req, sample);
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_[std::move(key)] = std::move(e);
    wake = pending_.size() >= kBatchSize;
  }
  if (wake) cv_.notify_all();
}

Status ResponseCache::WriteBatch(const Batch& batch) {
  if (batch.empty()) return Status::Ok();
  auto fail = [&](const char* what) {
    Error err = IoError("response cache " + path_.string() + ": " + what + ": " +
                        sqlite3_errmsg(db_));
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return err;
  };
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return IoError("response cache " + path_.string() + ": cannot write: " + sqlite3_errmsg(db_));
  }
  {
    Statement ins(db_,
                  "INSERT OR REPLACE INTO responses (key, created, status, headers, body) "
                  "VALUES (?, ?, ?, ?, ?)");
    if (!ins) return fail("cannot write");
    for (const auto& [key, e] : batch) {
      sqlite3_reset(ins.get());
      sqlite3_bind_text(ins.get(), 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
      sqlite3_bind_double(ins.get(), 2, e.created);
      sqlite3_bind_int(ins.get(), 3, e.status);
      sqlite3_bind_text(ins.get(), 4, e.headers_json.data(),
                        static_cast<int>(e.headers_json.size()), SQLITE_STATIC);
      sqlite3_bind_blob(ins.get(), 5, e.body.data(), static_cast<int>(e.body.size()),
                        SQLITE_STATIC);
      if (sqlite3_step(ins.get()) != SQLITE_DONE) return fail("cannot write");
    }
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("cannot commit");
  }
  return Status::Ok();
}

void ResponseCache::WriterLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, kWriteInterval, [this] { return stop_ || pending_.size() >= kBatchSize; });
    if (pending_.empty()) continue;
    lock.unlock();
    WritePending();  // an error is kept for the next Flush() caller
    lock.lock();
  }
}

void ResponseCache::WritePending() {
  std::lock_guard<std::mutex> write_lock(write_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    writing_.swap(pending_);
  }
  Status s = WriteBatch(writing_);  // a failed batch is dropped: the cache is best-effort
  std::lock_guard<std::mutex> lock(mu_);
  writing_.clear();
  if (!s.ok() && !error_) error_ = s.error();
}

Status ResponseCache::Flush() {
  WritePending();
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<Error> err = std::move(error_);
  error_.reset();
  return err ? Status(*err) : Status::Ok();
}

}  // namespace comply
