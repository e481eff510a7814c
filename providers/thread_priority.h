#pragma once
// Scheduling priority of comply's background threads.
//
//   std::thread worker([] {
//     LowerThreadPriority();  // checks and writes yield the CPU to the transport's I/O thread
//     ...
//   });
//
// On a busy machine (2 cores, 1,024 requests in flight, a local endpoint) the transport's I/O
// thread is the one whose delays lengthen every request: a response that waits for a core
// while a check worker runs is a connection that sits idle. Threads whose work can wait a few
// milliseconds without slowing the run (check workers, the cache writer) run with a higher nice
// value; the inputs writer, whose result is needed only at the end, runs in the idle class.
// When the cores are free they run exactly as fast as before.

namespace comply {

// How much a background thread's nice value is raised over the process's.
inline constexpr int kBackgroundNiceIncrement = 10;

// Raises the calling thread's nice value by kBackgroundNiceIncrement (at most to 19); affects
// only this thread and threads it creates later. Returns false when the platform has no
// per-thread priority or the call failed; the thread then runs at its old priority, which is
// only slower on a busy machine. Never throws; thread-safe.
bool LowerThreadPriority();

// Puts the calling thread in the idle scheduling class (Linux SCHED_IDLE): it runs on cores no
// other thread wants. Its guaranteed share is tiny: with other processes keeping the cores busy
// it may get a core only every few seconds. Use it only for work another thread can take over
// when the result is needed (evaluator/background_inputs.h does).
// Falls back to LowerThreadPriority() where there is no idle class or the call fails; returns
// what that returns. Affects only this thread and threads it creates later. Never throws.
bool IdleThreadPriority();

}  // namespace comply
