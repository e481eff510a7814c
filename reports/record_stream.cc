#include "reports/record_stream.h"

#include <exception>
#include <optional>
#include <string>

#include "evaluator/line_reader.h"

namespace comply {

Status ForEachRecord(const std::filesystem::path& results,
                     const std::function<Status(const Record&)>& fn) {
  auto reader = LineReader::Open(results);
  if (!reader.ok()) return reader.error();
  std::string line;
  while ((*reader)->Next(&line)) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    const std::string where = results.string() + ":" + std::to_string((*reader)->line_number());
    if (j.is_discarded()) {
      if ((*reader)->last_line_unterminated()) break;  // torn last write of a killed run
      return InvalidInput(where + ": not valid JSON");
    }
    std::optional<Result<Record>> r;
    try {
      r.emplace(Record::FromJson(j));
    } catch (const std::exception& e) {  // FromJson should not throw; keep it contained
      return InvalidInput(where + ": " + e.what());
    }
    if (!r->ok()) return InvalidInput(where + ": " + r->error().message);
    if (Status s = fn(r->value()); !s.ok()) return s;
  }
  return (*reader)->status();
}

}  // namespace comply
