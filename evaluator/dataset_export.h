#pragma once
// `comply export-dataset`: a run's compliant answers as chat fine-tuning data
// ({"messages": [system, user, assistant]} lines, the OpenAI fine-tuning format) — the
// "prompt first, collect real outputs, curate the best into a dataset" path.
//
//   ExportOptions o; o.run_dir = "runs/x"; o.endpoint = "large-prompted"; o.out = "train.jsonl";
//   auto stats = ExportDataset(o);      // stats->per_suite["invoice"] == pairs written
//
// Works from the run directory alone (inputs/resolved.json + results.jsonl).

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>

#include "providers/result.h"

namespace comply {

// Below this many pairs per task, fine-tuning is premature (reported, not enforced).
inline constexpr std::size_t kMinPairsForFineTuning = 500;

struct ExportOptions {
  std::filesystem::path run_dir;
  std::string endpoint;            // whose answers are exported
  std::filesystem::path out;
  int min_agreement = 1;           // identical compliant answers needed among a case's samples
  std::string system_prompt_from;  // endpoint whose system prompt goes into the data ("" = own)
  bool include_noncompliant = false;
};

struct ExportStats {
  std::size_t cases_seen = 0;
  std::size_t written = 0;
  std::size_t duplicates = 0;       // identical (system, user, assistant) lines dropped
  std::size_t below_agreement = 0;  // cases without min_agreement identical compliant answers
  std::map<std::string, std::size_t> per_suite;  // pairs written per suite
};

// The assistant message is the answer shared by the most samples: for JSON suites the
// extracted value re-serialised compactly (no fences or prose), for text suites the raw text.
// Fails with kInvalidInput for an unknown endpoint ("did you mean"), kIo for files.
Result<ExportStats> ExportDataset(const ExportOptions& options);

}  // namespace comply
