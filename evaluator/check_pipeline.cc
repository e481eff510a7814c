#include "evaluator/check_pipeline.h"

#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>

#include "evaluator/json_depth.h"
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

Record BadInput(Record r, const std::string& line, std::string why) {
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
  std::vector<std::string> out;
};

}  // namespace

Record ParseResponseLine(const std::string& line, std::size_t line_no, const CheckInput& in) {
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
                b->out.resize(b->lines.size());
                for (std::size_t i = 0; i < b->lines.size(); ++i) {
                  Record& r = b->records[i];
                  r = ParseResponseLine(b->lines[i], b->first_line + i, in);
                  std::string().swap(b->lines[i]);  // the record owns the text now
                  r.suite = checker.suite().name;
                  const Case* c = nullptr;
                  if (auto it = cases.find(r.case_id); it != cases.end()) {
                    c = it->second;
                    if (r.tags.empty()) r.tags = c->tags;
                  }
                  checker.Check(c, &r);
                  b->out[i] = RecordLine(r);
                }
                return b;
              }) &
          tbb::make_filter<std::shared_ptr<Batch>, void>(
              tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Batch> b) {
                for (std::size_t i = 0; i < b->records.size(); ++i) {
                  const Record& r = b->records[i];
                  if (write_status.ok()) write_status = out->Append(b->out[i]);
                  ++stats.lines;
                  if (r.status == "bad_input") ++stats.bad_input;
                  if (r.compliant) ++stats.compliant;
                  if (on_record) on_record(r);
                }
              }));

  if (!lr.status().ok()) return lr.status().error();
  if (write_status.ok()) write_status = out->Flush();
  if (!write_status.ok()) return write_status.error();
  return stats;
}

}  // namespace comply
