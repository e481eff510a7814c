#include "evaluator/check_pipeline.h"

#include <limits>
#include <memory>
#include <type_traits>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>

#include "evaluator/json_depth.h"
#include "evaluator/json_text.h"
#include "evaluator/line_reader.h"

namespace comply {

namespace {

constexpr std::size_t kBatchLines = 512;
constexpr std::size_t kBatchBytes = 4 << 20;

bool KnownStatus(std::string_view s) {
  for (std::string_view k : {"ok", "timeout", "http_4xx", "http_5xx", "rate_limited",
                             "connection", "bad_envelope", "bad_input"}) {
    if (s == k) return true;
  }
  return false;
}

Record BadInput(Record r, std::string_view line, std::string why) {
  r.status = "bad_input";
  r.error = std::move(why);
  r.output = line;
  return r;
}

// Copies an optional recorded field when present with the right type.
template <typename T>
void Optional(const nlohmann::json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  if constexpr (std::is_same_v<T, std::string>) {
    if (it->is_string()) *out = it->template get<std::string>();
  } else if constexpr (std::is_same_v<T, double>) {
    if (it->is_number()) *out = it->template get<double>();
  } else {
    if (it->is_number_integer()) *out = it->template get<T>();
  }
}

struct Batch {
  std::size_t first_line = 0;
  std::vector<std::string> lines;
  std::vector<Record> records;
  std::string out;  // the batch's result lines, each ending in a newline
};

}  // namespace

namespace {

// The common line — an object whose members have the expected types, no duplicate keys, no
// escapes in keys — read without a DOM. Returns false (and *r is to be discarded) on anything
// else; the DOM path then gives the same record or the precise bad_input error.
bool FastResponseLine(std::string_view line, std::size_t line_no, Record* r, std::string_view* output_literal) {
  JsonReader in(line);
  if (!in.BeginObject()) return false;
  enum : unsigned {
    kCaseId = 1, kEndpoint = 2, kSample = 4, kStatus = 8, kFinish = 16, kModel = 32,
    kRequestId = 64, kLatency = 128, kInput = 256, kCachedInput = 512, kOutputTokens = 1024,
    kCost = 2048, kHttp = 4096, kAttempts = 8192, kTags = 16384, kOutput = 32768,
  };
  unsigned seen = 0;
  auto once = [&](unsigned bit) {
    if (seen & bit) return false;  // a duplicate key: the DOM path keeps the last one
    seen |= bit;
    return true;
  };
  // Optional metadata: null keeps the default; a value of another type is ignored (as
  // check_pipeline's DOM path does).
  auto null_or = [&](char want) {
    const char t = in.PeekType();
    if (t == 'z') return in.ReadNull() ? 0 : -1;
    if (t == want || (want == 't' && t == 'f')) return 1;
    return in.Skip() ? 0 : -1;
  };
  auto opt_string = [&](unsigned bit, std::string* out) {
    if (!once(bit)) return false;
    const int k = null_or('"');
    return k < 0 ? false : k == 0 || in.ReadString(out);
  };
  auto opt_int = [&](unsigned bit, auto* out) {
    if (!once(bit)) return false;
    const int k = null_or('n');
    if (k <= 0) return k == 0;
    std::int64_t v = 0;
    if (!in.ReadInt64(&v)) return false;
    using T = std::remove_pointer_t<decltype(out)>;
    if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) return false;
    *out = static_cast<T>(v);
    return true;
  };
  auto opt_double = [&](unsigned bit, double* out) {
    if (!once(bit)) return false;
    const int k = null_or('n');
    return k < 0 ? false : k == 0 || in.ReadDouble(out);
  };
  std::string_view key;
  while (in.NextKey(&key)) {
    bool ok = true;
    if (key == "output") {
      bool canonical = false;
      ok = once(kOutput) && in.PeekType() == '"' && in.ReadStringLiteral(&r->output, output_literal, &canonical);
      if (!canonical) *output_literal = {};
    } else if (key == "case_id") {
      ok = once(kCaseId) && in.PeekType() == '"' && in.ReadString(&r->case_id);
    } else if (key == "endpoint") {
      ok = once(kEndpoint) && in.PeekType() == '"' && in.ReadString(&r->endpoint);
    } else if (key == "status") {
      ok = once(kStatus) && in.PeekType() == '"' && in.ReadString(&r->status) &&
           KnownStatus(r->status);
    } else if (key == "sample") {
      ok = opt_int(kSample, &r->sample);
    } else if (key == "finish_reason") {
      ok = opt_string(kFinish, &r->finish_reason);
    } else if (key == "model") {
      ok = opt_string(kModel, &r->model);
    } else if (key == "request_id") {
      ok = opt_string(kRequestId, &r->request_id);
    } else if (key == "latency_ms") {
      ok = opt_double(kLatency, &r->latency_ms);
    } else if (key == "cost_usd") {
      ok = opt_double(kCost, &r->cost_usd);
    } else if (key == "input_tokens") {
      ok = opt_int(kInput, &r->input_tokens);
    } else if (key == "cached_input_tokens") {
      ok = opt_int(kCachedInput, &r->cached_input_tokens);
    } else if (key == "output_tokens") {
      ok = opt_int(kOutputTokens, &r->output_tokens);
    } else if (key == "http_status") {
      ok = opt_int(kHttp, &r->http_status);
    } else if (key == "attempts") {
      ok = opt_int(kAttempts, &r->attempts);
    } else if (key == "tags") {
      ok = once(kTags) && in.PeekType() == '[' && in.BeginArray();
      std::string tag;
      while (ok && in.NextElement()) {
        ok = in.PeekType() == '"' && in.ReadString(&tag);
        if (ok) r->tags.push_back(tag);
      }
      ok = ok && in.ok();
    } else {
      ok = in.Skip();
    }
    if (!ok) return false;
  }
  if (!(seen & kCaseId)) r->case_id = std::to_string(line_no);
  // Without an output only the DOM path knows what to say.
  return in.ok() && in.AtEnd() && (seen & kOutput) != 0;
}

Record ParseResponseLineDom(std::string_view line, std::size_t line_no, const CheckInput& in) {
  Record r;
  r.case_id = std::to_string(line_no);
  r.endpoint = in.default_endpoint;
  const std::string where = in.path.filename().string() + ":" + std::to_string(line_no);
  // Deep nesting in the wrapper line would recurse in nlohmann's destructor: refuse it first.
  if (JsonDepthExceeds(line, 64)) {
    return BadInput(std::move(r), line, where + ": the line nests deeper than 64 levels; "
                                                "each line must be {\"output\": \"<text>\", ...}");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return BadInput(std::move(r), line, where + ": not valid JSON: " + what);
  }
  if (!j.is_object()) {
    return BadInput(std::move(r), line,
                    where + ": expected an object like {\"output\": \"<text>\"}, got " +
                        std::string(j.type_name()));
  }
  if (auto it = j.find("case_id"); it != j.end()) {
    if (it->is_string()) {
      r.case_id = it->get<std::string>();
    } else if (it->is_number_integer()) {
      r.case_id = std::to_string(it->get<long long>());
    }
  }
  if (auto it = j.find("endpoint"); it != j.end() && it->is_string()) r.endpoint = *it;
  if (auto it = j.find("sample"); it != j.end() && it->is_number_integer()) r.sample = *it;
  if (auto it = j.find("status"); it != j.end()) {
    if (!it->is_string() || !KnownStatus(it->get<std::string>())) {
      return BadInput(std::move(r), line,
                      where + ": \"status\" must be one of ok, timeout, http_4xx, http_5xx, "
                              "rate_limited, connection, bad_envelope, bad_input");
    }
    r.status = it->get<std::string>();
  }
  Optional(j, "finish_reason", &r.finish_reason);
  Optional(j, "model", &r.model);
  Optional(j, "request_id", &r.request_id);
  Optional(j, "latency_ms", &r.latency_ms);
  Optional(j, "input_tokens", &r.input_tokens);
  Optional(j, "cached_input_tokens", &r.cached_input_tokens);
  Optional(j, "output_tokens", &r.output_tokens);
  Optional(j, "cost_usd", &r.cost_usd);
  Optional(j, "http_status", &r.http_status);
  Optional(j, "attempts", &r.attempts);
  if (auto it = j.find("tags"); it != j.end() && it->is_array()) {
    for (const auto& t : *it) {
      if (t.is_string()) r.tags.push_back(t.get<std::string>());
    }
  }
  auto out = j.find("output");
  if (out == j.end()) {
    if (r.status != "ok") return r;  // a recorded error has no output
    return BadInput(std::move(r), line, where + ": missing \"output\" (the response text)");
  }
  if (!out->is_string()) {
    if (out->is_null() && r.status != "ok") return r;
    return BadInput(std::move(r), line,
                    where + ": \"output\" must be a string (the raw response text), got " +
                        std::string(out->type_name()));
  }
  r.output = std::move(out->get_ref<std::string&>());
  return r;
}

}  // namespace

Record ParseResponseLine(std::string_view line, std::size_t line_no, const CheckInput& in) {
  std::string_view literal;
  return ParseResponseLine(line, line_no, in, &literal);
}

Record ParseResponseLine(std::string_view line, std::size_t line_no, const CheckInput& in,
                         std::string_view* output_literal) {
  *output_literal = {};
  {
    Record r;
    r.endpoint = in.default_endpoint;
    if (FastResponseLine(line, line_no, &r, output_literal)) return r;
  }
  *output_literal = {};
  return ParseResponseLineDom(line, line_no, in);
}

Result<CheckStats> RunCheckPipeline(const SuiteChecker& checker, const CheckInput& in,
                                    ResultsWriter* out,
                                    const std::function<void(const Record&)>& on_record) {
  auto reader = LineReader::Open(in.path);
  if (!reader.ok()) return reader.error();
  LineReader& lr = **reader;

  // Gold and tags come from the suite's cases, looked up by case id.
  std::unordered_map<std::string, const Case*> cases;
  for (const Case& c : checker.suite().cases) cases.emplace(c.id, &c);

  CheckStats stats;
  Status write_status;
  bool done = false;
  const std::size_t tokens = 2 * static_cast<std::size_t>(tbb::info::default_concurrency()) + 2;

  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, std::shared_ptr<Batch>>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> std::shared_ptr<Batch> {
            if (done) {
              fc.stop();
              return nullptr;
            }
            auto b = std::make_shared<Batch>();
            b->first_line = lr.line_number() + 1;
            std::size_t bytes = 0;
            std::string line;
            while (b->lines.size() < kBatchLines && bytes < kBatchBytes) {
              if (!lr.Next(&line)) {
                done = true;
                break;
              }
              bytes += line.size();
              b->lines.push_back(std::move(line));
            }
            if (b->lines.empty()) {
              fc.stop();
              return nullptr;
            }
            return b;
          }) &
          tbb::make_filter<std::shared_ptr<Batch>, std::shared_ptr<Batch>>(
              tbb::filter_mode::parallel,
              [&](std::shared_ptr<Batch> b) {
                b->records.resize(b->lines.size());
                // A record line is about the response twice (output, parsed) plus ~500 bytes.
                std::size_t bytes = 0;
                for (const std::string& l : b->lines) bytes += l.size();
                b->out.reserve(2 * bytes + 600 * b->lines.size());
                for (std::size_t i = 0; i < b->lines.size(); ++i) {
                  Record& r = b->records[i];
                  std::string_view literal;  // into b->lines[i]
                  r = ParseResponseLine(b->lines[i], b->first_line + i, in, &literal);
                  r.suite = checker.suite().name;
                  const Case* c = nullptr;
                  if (auto it = cases.find(r.case_id); it != cases.end()) {
                    c = it->second;
                    if (r.tags.empty()) r.tags = c->tags;
                  }
                  checker.CheckLean(c, &r);
                  AppendRecordLine(r, &b->out, literal);
                  b->out.push_back('\n');
                  std::string().swap(b->lines[i]);  // the record owns the text now
                  // Free the bulky parts here, on the thread that allocated them (glibc's
                  // per-thread caches hand the memory straight back to the next record).
                  // on_record's summary needs neither the text nor the tree, except the tree
                  // for the wildcards of hallucinated fields; `true` keeps "a value was parsed".
                  std::string().swap(r.output);
                  if (!r.parsed.is_null() && r.hallucinated_fields.empty()) r.parsed = true;
                }
                return b;
              }) &
          tbb::make_filter<std::shared_ptr<Batch>, std::shared_ptr<Batch>>(
              tbb::filter_mode::serial_in_order,
              [&](std::shared_ptr<Batch> b) {
                if (write_status.ok()) write_status = out->AppendLines(b->out);
                for (const Record& r : b->records) {
                  ++stats.lines;
                  if (r.status == "bad_input") ++stats.bad_input;
                  if (r.compliant) ++stats.compliant;
                  if (on_record) on_record(r);
                }
                return b;
              }) &
          // Freeing a batch (its records' trees and texts) is a tenth of the work: keep it
          // off the serial writer stage. (Measured: recycling batches and their buffers
          // instead was 15% slower in CPU time — glibc reuses fresh per-batch memory better.)
          tbb::make_filter<std::shared_ptr<Batch>, void>(
              tbb::filter_mode::parallel, [](std::shared_ptr<Batch> b) { b.reset(); }));

  if (!lr.status().ok()) return lr.status().error();
  if (write_status.ok()) write_status = out->Flush();
  if (!write_status.ok()) return write_status.error();
  return stats;
}

}  // namespace comply
