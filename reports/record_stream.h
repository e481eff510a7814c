#pragma once
// Streams a run directory's results.jsonl record by record, for the writers that need every
// record (CSV, JUnit, HTML) without holding them all.
//
//   Status s = ForEachRecord(run_dir / "results.jsonl", [&](const Record& r) {
//     Emit(r);
//     return Status::Ok();                 // an error stops the walk and is returned
//   });
//
// Reads through evaluator/run_reader.h ReadResultsFile in strict mode, so it decodes records
// exactly as the summary does. Not thread-safe (one walk per call); `fn` runs on the calling
// thread.

#include <filesystem>
#include <functional>

#include "evaluator/record.h"
#include "providers/result.h"

namespace comply {

// Calls `fn` for each record, in file order. Blank lines are skipped; a last line without a
// newline that is not valid JSON is a torn write and is skipped. Fails with kIo when the file
// cannot be read ("cannot read <path>: ..."), with kInvalidInput for a bad line
// ("<path>:<line>: not valid JSON at byte 12", "<path>:<line>: not a record: attempts: ..."),
// or with the first error `fn` returns (after which the rest of the file is read but no
// longer handed to `fn`).
Status ForEachRecord(const std::filesystem::path& results,
                     const std::function<Status(const Record&)>& fn);

}  // namespace comply
