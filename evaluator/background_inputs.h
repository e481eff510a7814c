#pragma once
// inputs/ and the config hash of a `comply run` with streamed cases, written by a background
// thread while the requests go out, and finished by the thread that needs them when the run is
// over.
//
//   auto writer = StreamedInputsWriter::Begin(run_dir, cfg, &decision);
//   auto inputs = BackgroundInputs::Start(std::move(writer), [](Result<std::string> hash) {
//     ... write manifest.json with the hash ...
//     return hash;
//   });
//   ... the run; FinalizeFeed may wait on inputs->written() from another thread ...
//   const Result<std::string>& hash = inputs->Complete();
//
// The background thread runs in the idle scheduling class (providers/thread_priority.h): while
// the run sends, it takes only CPU that nobody else wants. On a machine kept busy by other
// processes such a thread may get a core only every few seconds, so the end of the run does not
// wait for it to finish: Complete() stops it after the case it is writing and writes the rest
// on the calling thread, at that thread's priority.
// Thread-safe: Complete() and written() may be called from any thread.

#include <functional>
#include <future>
#include <memory>
#include <string>

#include "evaluator/run_inputs.h"
#include "providers/result.h"

namespace comply {

class BackgroundInputs {
 public:
  // Runs once, on whichever thread finishes the writer, with Finish()'s result; what it returns
  // is the result of written() and Complete().
  using OnFinished = std::function<Result<std::string>(Result<std::string>)>;

  // Starts the background thread; when no thread can be made, everything is written now, on
  // the calling thread. A writer that could not begin (StreamedInputsWriter::Begin's error) is
  // finished at once with that error: no thread, OnFinished called here.
  static std::unique_ptr<BackgroundInputs> Start(Result<std::unique_ptr<StreamedInputsWriter>> writer,
                                                 OnFinished on_finished);
  // Complete() (a run that ends early still leaves inputs/ complete).
  ~BackgroundInputs();
  BackgroundInputs(const BackgroundInputs&) = delete;
  BackgroundInputs& operator=(const BackgroundInputs&) = delete;

  // Ready once the inputs are finished, by either thread.
  std::shared_future<Result<std::string>> written() const { return written_; }
  // Stops the background thread after its current case, finishes the rest here; returns what
  // OnFinished returned. Idempotent.
  const Result<std::string>& Complete();

 private:
  struct Shared;
  explicit BackgroundInputs(std::shared_ptr<Shared> shared);
  std::shared_ptr<Shared> shared_;
  std::shared_future<Result<std::string>> written_;
};

}  // namespace comply
