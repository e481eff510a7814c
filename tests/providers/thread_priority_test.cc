#include "providers/thread_priority.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>

namespace comply {
namespace {

int ThreadNice() { return getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid))); }

TEST_CASE("LowerThreadPriority raises only the calling thread's nice value", "[thread_priority]") {
  const int before = ThreadNice();
  int in_thread = 0, child_of_lowered = 0, sibling = 0;
  bool ok = false;
  std::thread lowered([&] {
    ok = LowerThreadPriority();
    in_thread = ThreadNice();
    std::thread child([&] { child_of_lowered = ThreadNice(); });  // inherits the lowered value
    child.join();
  });
  lowered.join();
  std::thread other([&] { sibling = ThreadNice(); });
  other.join();

  CHECK(ok);
  CHECK(in_thread == std::min(19, before + kBackgroundNiceIncrement));
  CHECK(child_of_lowered == in_thread);
  CHECK(sibling == before);       // threads made by the caller's thread are untouched
  CHECK(ThreadNice() == before);  // and so is the caller's thread
}

TEST_CASE("LowerThreadPriority stops at nice 19", "[thread_priority]") {
  int first = 0, second = 0;
  bool ok = false;
  std::thread t([&] {
    for (int i = 0; i < 4; ++i) LowerThreadPriority();  // 4 x 10 covers any start, even -20
    first = ThreadNice();
    ok = LowerThreadPriority();
    second = ThreadNice();
  });
  t.join();
  CHECK(ok);
  CHECK(first == 19);
  CHECK(second == 19);
}

int ThreadPolicy() {
  int policy = -1;
  sched_param param{};
  pthread_getschedparam(pthread_self(), &policy, &param);
  return policy;
}

TEST_CASE("IdleThreadPriority puts only the calling thread in the idle class", "[thread_priority]") {
  const int before = ThreadPolicy();
  int in_thread = -1, child_of_idle = -1, sibling = -1;
  bool ok = false;
  std::thread idle([&] {
    ok = IdleThreadPriority();
    in_thread = ThreadPolicy();
    std::thread child([&] { child_of_idle = ThreadPolicy(); });
    child.join();
  });
  idle.join();
  std::thread other([&] { sibling = ThreadPolicy(); });
  other.join();

  CHECK(ok);
  CHECK(in_thread == SCHED_IDLE);
  CHECK(child_of_idle == SCHED_IDLE);
  CHECK(sibling == before);
  CHECK(ThreadPolicy() == before);
}

}  // namespace
}  // namespace comply
