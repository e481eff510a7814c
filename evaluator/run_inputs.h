#pragma once
// The parts of the run directory that list every case (manifest.json's config hash and case
// counts, inputs/resolved.json), computed for a config whose suites stream their cases_file
// (evaluator/case_source.h) with constant memory: one case at a time.
//
//   SetStreamCasesFiles(true);
//   Config cfg = *LoadConfig("comply.yaml");
//   Result<std::string> hash = StreamedConfigHash(cfg);            // == ConfigHash(fully loaded)
//   Status s = WriteStreamedInputs(run_dir, cfg);                    // == WriteInputs(fully loaded)
//   PatchManifestCases(cfg, *hash, &manifest);                       // after BuildManifest
//
// Each result is byte-for-byte what evaluator/manifest.h gives for the same config loaded with
// every case in SuiteSpec::cases (tests/evaluator/run_inputs_test.cc holds them equal), so runs,
// history and `--baseline latest` agree whichever way the cases were loaded.
// Thread-compatible; never throws.

#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "evaluator/config.h"
#include "evaluator/decision.h"
#include "providers/result.h"

namespace comply {

// True when any suite streams its cases (nothing here is needed otherwise).
bool HasStreamedCases(const Config& config);

// ConfigHash(config) as if every case were loaded. Fails when a case cannot be read again.
Result<std::string> StreamedConfigHash(const Config& config);

// WriteInputs(run_dir, config) for a config with streamed cases.
Status WriteStreamedInputs(const std::filesystem::path& run_dir, const Config& config);

// Both of the above in one read of the cases (each case is parsed once, not twice): writes
// what WriteStreamedInputs writes and returns StreamedConfigHash(config).
// With `decision`, also builds decision support from the cases as they are written (what
// DecisionAccumulator::Open(run_dir) would read back); left null on failure.
Result<std::string> WriteStreamedInputsWithHash(const std::filesystem::path& run_dir, const Config& config,
                                                std::unique_ptr<DecisionAccumulator>* decision = nullptr);

// WriteStreamedInputsWithHash in steps, so that the work can pass from one thread to another
// between cases: in `comply run` a background thread steps while the requests go out, and when
// the run is over the main thread finishes what is left at its own priority. Not thread-safe:
// the threads take turns (the caller serialises the calls).
//
//   auto w = StreamedInputsWriter::Begin(run_dir, cfg, &decision);  // copies the inputs
//   while (!hurry && (*w)->Step()) {}                              // any thread, any time
//   Result<std::string> hash = (*w)->Finish();                      // the rest; the hash
class StreamedInputsWriter {
 public:
  // CopyInputs, then starts inputs/resolved.json; `decision` as WriteStreamedInputsWithHash.
  static Result<std::unique_ptr<StreamedInputsWriter>> Begin(const std::filesystem::path& run_dir,
                                                            const Config& config,
                                                            std::unique_ptr<DecisionAccumulator>* decision);
  // resolved.json alone (no copies); Finish then returns an empty hash.
  static Result<std::unique_ptr<StreamedInputsWriter>> Open(const std::filesystem::path& run_dir,
                                                           const Config& config, bool with_hash,
                                                           std::unique_ptr<DecisionAccumulator>* decision);
  ~StreamedInputsWriter();
  StreamedInputsWriter(const StreamedInputsWriter&) = delete;
  StreamedInputsWriter& operator=(const StreamedInputsWriter&) = delete;

  // Writes one more case (or a suite's start or end); false once nothing is left, or when a
  // case could not be read again (Finish returns that error).
  bool Step();
  // The remaining steps, the end of the file and its rename; returns the config hash. On
  // failure `decision` is reset and resolved.json is not written (its .tmp may remain).
  Result<std::string> Finish();

 private:
  struct State;
  explicit StreamedInputsWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// inputs/resolved.json alone (WriteInputs is CopyInputs and this): every case, inline or
// streamed, read once. Fails when a case cannot be read again or the file cannot be written.
Status WriteResolvedJson(const std::filesystem::path& run_dir, const Config& config);

// Sets manifest["config"]["hash"] to `config_hash` and each manifest["suites"][i]["cases"] to
// the suite's CaseCount (BuildManifest counts only SuiteSpec::cases).
void PatchManifestCases(const Config& config, const std::string& config_hash, nlohmann::json* manifest);

}  // namespace comply
