#include "evaluator/run_reader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "evaluator/json_depth.h"
#include "evaluator/line_reader.h"

namespace comply {

namespace fs = std::filesystem;

namespace {

// Records hold `parsed`, itself capped at 512 levels by extraction; a little room above that.
constexpr int kMaxRecordDepth = 640;

// Parses one line; on failure returns false and sets *why ("not valid JSON at byte 12").
bool ParseLine(const std::string& line, nlohmann::json* out, std::string* why) {
  if (JsonDepthExceeds(line, kMaxRecordDepth)) {
    *why = "nested deeper than " + std::to_string(kMaxRecordDepth) + " levels";
    return false;
  }
  try {
    *out = nlohmann::json::parse(line);
    return true;
  } catch (const nlohmann::json::parse_error& e) {
    *why = "not valid JSON at byte " + std::to_string(e.byte);
  } catch (const std::exception& e) {
    *why = std::string("not valid JSON: ") + e.what();
  }
  return false;
}

Result<nlohmann::json> ReadJsonObject(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path.string() + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError("cannot read " + path.string());
  const std::string text = ss.str();
  nlohmann::json j;
  std::string why;
  if (!ParseLine(text, &j, &why)) return InvalidInput(path.string() + ": " + why);
  if (!j.is_object()) return InvalidInput(path.string() + ": expected a JSON object");
  return j;
}

}  // namespace

Status ReadResultsFile(const fs::path& path, const std::function<void(Record&&)>& on_record,
                       const RunReadOptions& options, RunReadStats* stats) {
  RunReadStats local;
  RunReadStats& st = stats != nullptr ? *stats : local;
  st = RunReadStats{};
  auto reader = LineReader::Open(path);
  if (!reader.ok()) return reader.error();
  LineReader& lines = **reader;
  std::string line;
  Record fast;
  std::size_t unlisted = 0;
  auto warn = [&](std::string message) {
    if (st.warnings.size() < options.max_warnings) {
      st.warnings.push_back(std::move(message));
    } else {
      ++unlisted;
    }
  };
  while (lines.Next(&line)) {
    ++st.lines;
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    // Lines as comply writes them are read without a DOM; anything else takes the full path.
    if (RecordFromLine(line, &fast)) {
      ++st.records;
      on_record(std::move(fast));
      continue;
    }
    const std::string where = path.string() + ":" + std::to_string(lines.line_number());
    nlohmann::json j;
    std::string why;
    if (!ParseLine(line, &j, &why)) {
      if (lines.last_line_unterminated()) {
        // The writer appends whole lines: an unterminated unparsable tail is a torn write.
        st.torn_last_line = true;
        st.warnings.push_back(where + ": torn last line skipped (no newline, not valid JSON)");
        break;
      }
      ++st.bad_lines;
      if (options.strict) return InvalidInput(where + ": " + why);
      warn(where + ": " + why);
      continue;
    }
    Result<Record> r = Record::FromJson(j);
    if (!r.ok()) {
      ++st.bad_lines;
      if (options.strict) return InvalidInput(where + ": not a record: " + r.error().message);
      warn(where + ": not a record: " + r.error().message);
      continue;
    }
    ++st.records;
    on_record(std::move(r).value());
  }
  if (unlisted > 0) {
    st.warnings.push_back(path.string() + ": and " + std::to_string(unlisted) + " more bad lines");
  }
  if (!lines.status().ok()) return lines.status();
  return Status::Ok();
}

Status ReadRunResults(const fs::path& run_dir, const std::function<void(Record&&)>& on_record,
                      const RunReadOptions& options, RunReadStats* stats) {
  return ReadResultsFile(run_dir / "results.jsonl", on_record, options, stats);
}

Result<nlohmann::json> ReadRunSummary(const fs::path& run_dir) {
  return ReadJsonObject(run_dir / "summary.json");
}

Result<nlohmann::json> ReadRunManifest(const fs::path& run_dir) {
  return ReadJsonObject(run_dir / "manifest.json");
}

}  // namespace comply
