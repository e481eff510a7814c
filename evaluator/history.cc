#include "evaluator/history.h"

#include <sqlite3.h>

#include <algorithm>

namespace comply {

namespace {

sqlite3* Db(void* p) { return static_cast<sqlite3*>(p); }

std::string Message(sqlite3* db, const std::string& what) {
  return what + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
}

// A prepared statement owned for one scope.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { ok_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) == SQLITE_OK; }
  ~Stmt() { sqlite3_finalize(s_); }
  bool ok() const { return ok_; }
  sqlite3_stmt* get() { return s_; }
  void Bind(int i, const std::string& v) { sqlite3_bind_text(s_, i, v.c_str(), -1, SQLITE_TRANSIENT); }
  void Bind(int i, double v) { sqlite3_bind_double(s_, i, v); }
  void BindInt(int i, long long v) { sqlite3_bind_int64(s_, i, v); }
  void BindNull(int i) { sqlite3_bind_null(s_, i); }

 private:
  sqlite3_stmt* s_ = nullptr;
  bool ok_ = false;
};

void BindOptionalDouble(Stmt& st, int i, const nlohmann::json& m, const char* key) {
  auto it = m.find(key);
  if (it != m.end() && it->is_number()) {
    st.Bind(i, it->get<double>());
  } else {
    st.BindNull(i);
  }
}

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY, run_dir TEXT NOT NULL, started_at TEXT, finished_at TEXT,
  config_path TEXT, config_hash TEXT, complete INTEGER, sharded INTEGER, merged INTEGER,
  gate_passed INTEGER);
CREATE TABLE IF NOT EXISTS summary_rows (
  run_id TEXT NOT NULL, endpoint TEXT NOT NULL, suite TEXT NOT NULL, tag TEXT NOT NULL,
  total INTEGER, errors INTEGER, compliant INTEGER, compliance_rate REAL, ci_low REAL,
  ci_high REAL, hallucination_rate REAL, error_rate REAL, cost_per_1k_requests REAL,
  latency_p50 REAL, latency_p95 REAL,
  PRIMARY KEY (run_id, endpoint, suite, tag));
CREATE INDEX IF NOT EXISTS runs_by_config ON runs (config_hash, finished_at);
)sql";

}  // namespace

History::~History() { sqlite3_close(Db(db_)); }

Result<std::unique_ptr<History>> History::Open(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::string m = Message(db, "cannot open history " + path.string());
    sqlite3_close(db);
    return IoError(m);
  }
  sqlite3_busy_timeout(db, 30000);
  char* err = nullptr;
  // WAL lets readers work while another run writes; the busy timeout serialises writers.
  if (sqlite3_exec(db, "PRAGMA journal_mode=WAL;", nullptr, nullptr, &err) != SQLITE_OK ||
      sqlite3_exec(db, kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = "cannot initialise history " + path.string() + ": " + (err ? err : "?");
    sqlite3_free(err);
    sqlite3_close(db);
    return IoError(m);
  }
  return std::unique_ptr<History>(new History(db));
}

Status History::RecordRun(const HistoryEntry& e, const nlohmann::json& summary) {
  sqlite3* db = Db(db_);
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return IoError(Message(db, "history: cannot start a transaction"));
  }
  auto fail = [&](const std::string& what) {
    std::string m = Message(db, what);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return Status(IoError(m));
  };
  {
    Stmt del(db, "DELETE FROM summary_rows WHERE run_id = ?");
    if (!del.ok()) return fail("history");
    del.Bind(1, e.run_id);
    if (sqlite3_step(del.get()) != SQLITE_DONE) return fail("history: delete");
  }
  {
    Stmt st(db, "INSERT OR REPLACE INTO runs VALUES (?,?,?,?,?,?,?,?,?,?)");
    if (!st.ok()) return fail("history");
    st.Bind(1, e.run_id);
    st.Bind(2, e.run_dir);
    st.Bind(3, e.started_at);
    st.Bind(4, e.finished_at);
    st.Bind(5, e.config_path);
    st.Bind(6, e.config_hash);
    st.BindInt(7, e.complete);
    st.BindInt(8, e.sharded);
    st.BindInt(9, e.merged);
    if (e.gate_passed) {
      st.BindInt(10, *e.gate_passed);
    } else {
      st.BindNull(10);
    }
    if (sqlite3_step(st.get()) != SQLITE_DONE) return fail("history: insert run");
  }
  Stmt row(db, "INSERT INTO summary_rows VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!row.ok()) return fail("history");
  auto add = [&](const std::string& endpoint, const std::string& suite, const std::string& tag,
                 const nlohmann::json& m) -> bool {
    sqlite3_reset(row.get());
    row.Bind(1, e.run_id);
    row.Bind(2, endpoint);
    row.Bind(3, suite);
    row.Bind(4, tag);
    row.BindInt(5, m.value("total", 0));
    row.BindInt(6, m.value("errors", 0));
    row.BindInt(7, m.value("compliant", 0));
    BindOptionalDouble(row, 8, m, "compliance_rate");
    const auto& ci = m.contains("compliance_ci") ? m["compliance_ci"] : nlohmann::json();
    if (ci.is_array() && ci.size() == 2 && ci[0].is_number()) {
      row.Bind(9, ci[0].get<double>());
      row.Bind(10, ci[1].get<double>());
    } else {
      row.BindNull(9);
      row.BindNull(10);
    }
    BindOptionalDouble(row, 11, m, "hallucination_rate");
    BindOptionalDouble(row, 12, m, "error_rate");
    BindOptionalDouble(row, 13, m, "cost_per_1k_requests");
    const auto lat = m.contains("latency_ms") ? m["latency_ms"] : nlohmann::json::object();
    BindOptionalDouble(row, 14, lat, "p50");
    BindOptionalDouble(row, 15, lat, "p95");
    return sqlite3_step(row.get()) == SQLITE_DONE;
  };
  if (summary.contains("endpoints") && summary["endpoints"].is_object()) {
    for (const auto& [name, m] : summary["endpoints"].items()) {
      if (!add(name, "", "", m)) return fail("history: insert summary");
      if (m.contains("suites")) {
        for (const auto& [suite, sm] : m["suites"].items()) {
          if (!add(name, suite, "", sm)) return fail("history: insert summary");
        }
      }
      if (m.contains("tags")) {
        for (const auto& [tag, tm] : m["tags"].items()) {
          if (!add(name, "", tag, tm)) return fail("history: insert summary");
        }
      }
    }
  }
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("history: commit");
  }
  return Status::Ok();
}

Result<std::optional<std::string>> History::LatestComplete(const std::string& config_hash,
                                                           const std::string& exclude) const {
  sqlite3* db = Db(db_);
  Stmt st(db,
          "SELECT run_dir FROM runs WHERE config_hash = ? AND run_id != ? AND complete = 1 "
          "AND (sharded = 0 OR merged = 1) ORDER BY finished_at DESC, run_id DESC LIMIT 1");
  if (!st.ok()) return IoError(Message(db, "history"));
  st.Bind(1, config_hash);
  st.Bind(2, exclude);
  int rc = sqlite3_step(st.get());
  if (rc == SQLITE_ROW) {
    return std::optional<std::string>(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)));
  }
  if (rc != SQLITE_DONE) return IoError(Message(db, "history: query"));
  return std::optional<std::string>();
}

Result<nlohmann::json> History::Query(const std::string& where, const std::string& order,
                                      int limit, const std::vector<std::string>& args) const {
  sqlite3* db = Db(db_);
  const std::string sql =
      "SELECT run_id, run_dir, started_at, finished_at, config_path, config_hash, complete, "
      "sharded, merged, gate_passed FROM runs " + where + " ORDER BY " + order + " LIMIT ?";
  Stmt st(db, sql.c_str());
  if (!st.ok()) return IoError(Message(db, "history"));
  int i = 1;
  for (const auto& a : args) st.Bind(i++, a);
  st.BindInt(i, limit);
  nlohmann::json runs = nlohmann::json::array();
  auto text = [&](int col) {
    const unsigned char* t = sqlite3_column_text(st.get(), col);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    nlohmann::json r;
    r["run_id"] = text(0);
    r["run_dir"] = text(1);
    r["started_at"] = text(2);
    r["finished_at"] = text(3);
    r["config_path"] = text(4);
    r["config_hash"] = text(5);
    r["complete"] = sqlite3_column_int(st.get(), 6) != 0;
    r["sharded"] = sqlite3_column_int(st.get(), 7) != 0;
    r["merged"] = sqlite3_column_int(st.get(), 8) != 0;
    if (sqlite3_column_type(st.get(), 9) == SQLITE_NULL) {
      r["gate_passed"] = nullptr;
    } else {
      r["gate_passed"] = sqlite3_column_int(st.get(), 9) != 0;
    }
    r["endpoints"] = nlohmann::json::object();
    runs.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return IoError(Message(db, "history: query"));
  Stmt rows(db,
            "SELECT endpoint, total, compliance_rate, ci_low, ci_high, hallucination_rate, "
            "error_rate, cost_per_1k_requests FROM summary_rows "
            "WHERE run_id = ? AND suite = '' AND tag = ''");
  if (!rows.ok()) return IoError(Message(db, "history"));
  auto num = [&](int col) -> nlohmann::json {
    if (sqlite3_column_type(rows.get(), col) == SQLITE_NULL) return nullptr;
    return sqlite3_column_double(rows.get(), col);
  };
  for (auto& r : runs) {
    sqlite3_reset(rows.get());
    rows.Bind(1, r["run_id"].get<std::string>());
    while (sqlite3_step(rows.get()) == SQLITE_ROW) {
      nlohmann::json m;
      m["total"] = sqlite3_column_int64(rows.get(), 1);
      m["compliance_rate"] = num(2);
      m["compliance_ci"] = nlohmann::json::array({num(3), num(4)});
      m["hallucination_rate"] = num(5);
      m["error_rate"] = num(6);
      m["cost_per_1k_requests"] = num(7);
      r["endpoints"][reinterpret_cast<const char*>(sqlite3_column_text(rows.get(), 0))] = m;
    }
  }
  return runs;
}

Result<nlohmann::json> History::List(int limit) const {
  return Query("", "finished_at DESC, run_id DESC", limit, {});
}

Result<nlohmann::json> History::Trend(const std::string& config_hash, int limit) const {
  auto runs = Query("WHERE config_hash = ? AND complete = 1 AND (sharded = 0 OR merged = 1)",
                    "finished_at DESC, run_id DESC", limit, {config_hash});
  if (!runs.ok()) return runs;
  std::reverse(runs->begin(), runs->end());
  return runs;
}

}  // namespace comply
