#include "evaluator/background_inputs.h"

#include <atomic>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "providers/thread_priority.h"

namespace comply {

// Shared by the caller and the background thread, which may outlive the BackgroundInputs: it
// is detached, and once Complete() has run it only looks at `hurry` and returns.
struct BackgroundInputs::Shared {
  std::mutex mu;  // one of the two threads steps the writer at a time
  std::unique_ptr<StreamedInputsWriter> writer;  // null once finished
  OnFinished on_finished;
  std::promise<Result<std::string>> promise;
  std::atomic<bool> hurry{false};
  bool finished = false;

  // Under `mu` (or before the thread exists). `failed`: the writer could not begin.
  void FinishLocked(std::optional<Error> failed = std::nullopt) {
    if (finished) return;
    finished = true;
    Result<std::string> hash = failed ? Result<std::string>(*failed) : writer->Finish();
    writer.reset();
    promise.set_value(on_finished ? on_finished(std::move(hash)) : std::move(hash));
  }
};

std::unique_ptr<BackgroundInputs> BackgroundInputs::Start(Result<std::unique_ptr<StreamedInputsWriter>> writer,
                                                          OnFinished on_finished) {
  auto shared = std::make_shared<Shared>();
  shared->on_finished = std::move(on_finished);
  std::unique_ptr<BackgroundInputs> self(new BackgroundInputs(shared));
  if (!writer.ok()) {
    shared->FinishLocked(writer.error());
    return self;
  }
  shared->writer = std::move(*writer);
  try {
    std::thread([shared] {
      IdleThreadPriority();  // the first requests go out meanwhile
      for (;;) {
        std::lock_guard<std::mutex> lock(shared->mu);
        if (shared->hurry.load() || shared->finished) return;
        if (!shared->writer->Step()) {
          shared->FinishLocked();
          return;
        }
      }
    }).detach();  // Complete() never waits for it to be scheduled again: see Shared
  } catch (const std::system_error&) {  // no thread: write them here
    self->Complete();
  }
  return self;
}

BackgroundInputs::BackgroundInputs(std::shared_ptr<Shared> shared)
    : shared_(std::move(shared)), written_(shared_->promise.get_future().share()) {}

BackgroundInputs::~BackgroundInputs() { Complete(); }

const Result<std::string>& BackgroundInputs::Complete() {
  shared_->hurry.store(true);
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->FinishLocked();
  }
  return written_.get();
}

}  // namespace comply
