// curl's callbacks into the transport (socket, close, timer, body, headers) and the epoll
// registrations they drive; see providers/curl_transport_impl.h.
#include <unistd.h>

#include <cerrno>

#include "providers/curl_transport_impl.h"

namespace comply::curl_internal {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

void CurlTransport::WatchSocket(Multi* m, curl_socket_t s, int what) {
  if (s < 0) return;
  const auto fd = static_cast<std::size_t>(s);
  if (fd >= fd_state_.size()) {
    fd_state_.resize(fd + 1024, FdState::kNone);
    fd_mask_.resize(fd + 1024, 0);
    fd_multi_.resize(fd + 1024, 0);
  }
  if (what == CURL_POLL_REMOVE) {
    if (fd_state_[fd] == FdState::kActive) fd_state_[fd] = FdState::kParked;
    return;
  }
  const std::uint32_t mask =
      ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
  epoll_event ev{};
  ev.events = mask;
  ev.data.fd = s;
  switch (fd_state_[fd]) {
    case FdState::kActive:
      if (fd_mask_[fd] != mask) epoll_ctl(epfd_, EPOLL_CTL_MOD, s, &ev);
      break;
    case FdState::kParked:
      // Still registered (a close would have gone through CloseSocketCb): a keep-alive
      // connection taken up again with the same events costs no syscall, one a request.
      if (fd_mask_[fd] != mask && epoll_ctl(epfd_, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT) {
        epoll_ctl(epfd_, EPOLL_CTL_ADD, s, &ev);
      }
      break;
    case FdState::kNone:
      if (epoll_ctl(epfd_, EPOLL_CTL_ADD, s, &ev) != 0 && errno == EEXIST) {
        epoll_ctl(epfd_, EPOLL_CTL_MOD, s, &ev);
      }
      break;
  }
  fd_state_[fd] = FdState::kActive;
  fd_mask_[fd] = mask;
  fd_multi_[fd] = m->index;
}

// An event on a parked socket (the server closed an idle connection, say) is not curl's to
// see: the registration is dropped so it does not fire again. Returns true when `fd` was parked.
bool CurlTransport::DropParked(int fd) {
  const auto i = static_cast<std::size_t>(fd);
  if (i >= fd_state_.size() || fd_state_[i] != FdState::kParked) return false;
  epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
  fd_state_[i] = FdState::kNone;
  return true;
}

int CurlTransport::SocketCb(CURL*, curl_socket_t s, int what, void* userp, void*) {
  auto* m = static_cast<Multi*>(userp);
  m->owner->WatchSocket(m, s, what);
  return 0;
}

int CurlTransport::CloseSocketCb(void* clientp, curl_socket_t s) {
  auto* self = static_cast<CurlTransport*>(clientp);
  const auto fd = static_cast<std::size_t>(s);
  if (s >= 0 && fd < self->fd_state_.size()) self->fd_state_[fd] = FdState::kNone;
  return close(s);
}

int CurlTransport::TimerCb(CURLM*, long timeout_ms, void* userp) {
  auto* m = static_cast<Multi*>(userp);
  m->timer_deadline_s = timeout_ms < 0 ? -1 : NowS() + static_cast<double>(timeout_ms) / 1000;
  return 0;
}

std::size_t CurlTransport::WriteCb(char* data, std::size_t size, std::size_t n, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  std::size_t bytes = size * n;
  if (t->resp.body.size() + bytes > kMaxBodyBytes) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->resp.body.append(data, bytes);
  return bytes;
}

std::size_t CurlTransport::HeaderCb(char* data, std::size_t size, std::size_t n, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->resp.headers.clear();  // a new response (interim 1xx before the final one)
    return size * n;
  }
  std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    t->resp.headers.emplace_back(Lower(Trim(line.substr(0, colon))),
                                 std::string(Trim(line.substr(colon + 1))));
  }
  return size * n;
}

}  // namespace comply::curl_internal
