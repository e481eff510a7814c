#include "providers/mock_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace comply::mock {

namespace {

// Port and printable address of a socket address; false for non-IP families.
bool Describe(const sockaddr_storage& sa, int* port, std::string* addr) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(sa);
    *port = ntohs(in.sin_port);
    inet_ntop(AF_INET, &in.sin_addr, buf, sizeof buf);
  } else if (sa.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(sa);
    *port = ntohs(in6.sin6_port);
    inet_ntop(AF_INET6, &in6.sin6_addr, buf, sizeof buf);
  } else {
    return false;
  }
  *addr = buf;
  return true;
}

}  // namespace

int FindConnection(int local_port, const std::string& remote_addr, int remote_port) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    const std::string name = entry.path().filename().string();
    char* end = nullptr;
    long fd = std::strtol(name.c_str(), &end, 10);
    if (end == name.c_str() || *end != '\0') continue;
    sockaddr_storage local{}, peer{};
    socklen_t len = sizeof local;
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &len) != 0) continue;
    int port = 0;
    std::string addr;
    if (!Describe(local, &port, &addr) || port != local_port) continue;
    len = sizeof peer;
    if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &len) != 0) continue;
    if (!Describe(peer, &port, &addr) || port != remote_port) continue;
    // httplib prints IPv4-mapped peers either way; compare loosely on the tail.
    if (addr == remote_addr || addr.ends_with(":" + remote_addr) ||
        remote_addr.ends_with(":" + addr)) {
      return static_cast<int>(fd);
    }
  }
  return -1;
}

bool ResetConnection(int fd) {
  // connect(AF_UNSPEC) on an established TCP socket runs tcp_disconnect(), which sends an RST
  // at once; closing with SO_LINGER 0 would race with httplib's own shutdown() and FIN.
  sockaddr sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_family = AF_UNSPEC;
  return connect(fd, &sa, sizeof sa) == 0;
}

void IgnoreSigpipe() {
  struct sigaction current;
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    signal(SIGPIPE, SIG_IGN);
  }
}

}  // namespace comply::mock
