#pragma once
// Streams a run directory's results.jsonl record by record, for the writers that need every
// record (CSV, JUnit, HTML) without holding them all.
//
//   Status s = ForEachRecord(run_dir / "results.jsonl", [&](const Record& r) {
//     Emit(r);
//     return Status::Ok();                 // an error stops the walk and is returned
//   });
//
// Not thread-safe (one walk per call); `fn` runs on the calling thread.

#include <filesystem>
#include <functional>

#include "evaluator/record.h"
#include "providers/result.h"

namespace comply {

// Calls `fn` for each record, in file order. Blank lines are skipped; a last line without a
// newline that is not valid JSON is a torn write and is skipped. Fails with kIo when the file
// cannot be read ("cannot read <path>: ..."), with kInvalidInput "<path>:<line>: <why>" for a
// line that is not a record, or with the first error `fn` returns.
Status ForEachRecord(const std::filesystem::path& results,
                     const std::function<Status(const Record&)>& fn);

}  // namespace comply
