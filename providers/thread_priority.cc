#include "providers/thread_priority.h"

#include <algorithm>
#include <cerrno>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace comply {

bool LowerThreadPriority() {
#if defined(__linux__)
  // On Linux PRIO_PROCESS with a thread id sets that thread's nice value alone (a
  // documented departure from POSIX, which applies it to the whole process).
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, tid);
  if (current == -1 && errno != 0) return false;
  const int target = std::min(19, current + kBackgroundNiceIncrement);
  if (target == current) return true;
  return setpriority(PRIO_PROCESS, tid, target) == 0;
#else
  return false;
#endif
}

bool IdleThreadPriority() {
#if defined(__linux__) && defined(SCHED_IDLE)
  sched_param param{};
  param.sched_priority = 0;  // the only priority SCHED_IDLE takes
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &param) == 0) return true;
#endif
  return LowerThreadPriority();
}

}  // namespace comply
