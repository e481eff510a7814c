#pragma once
// report.html: one self-contained file (inline CSS, inline SVG charts made in C++, a small
// inline script; no network, no external asset; a Content-Security-Policy that forbids every
// fetch). Streams results.jsonl into a compact embedded record list (html_records.h) so a
// 100,000-record run is written without holding the records.
//
//   Status s = WriteHtmlReport(inputs);   // in.run_dir / "report.html"
//
// Thread-compatible; never throws.

#include "providers/result.h"
#include "reports/report.h"

namespace comply {

// Writes in.run_dir/report.html atomically. Fails with kIo naming the file, or with
// record_stream.h's errors for an unreadable results.jsonl.
Status WriteHtmlReport(const ReportInputs& in);

}  // namespace comply
