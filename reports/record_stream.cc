#include "reports/record_stream.h"

#include <utility>

#include "evaluator/run_reader.h"

namespace comply {

Status ForEachRecord(const std::filesystem::path& results,
                     const std::function<Status(const Record&)>& fn) {
  RunReadOptions strict;
  strict.strict = true;
  Status stopped;  // the first error `fn` returned; later records are read but not handed on
  Status s = ReadResultsFile(results, [&](Record&& r) {
    if (stopped.ok()) stopped = fn(r);
  }, strict);
  if (!stopped.ok()) return stopped;  // it came first
  return s;
}

}  // namespace comply
