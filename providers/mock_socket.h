#pragma once
// Private to the mock server: reaching the TCP connection under a cpp-httplib handler, to
// reset it (httplib has no API for that, PLATFORM.md).

#include <string>

namespace comply::mock {

// The file descriptor of this process's TCP socket whose local port is `local_port` and whose
// peer is `remote_addr`:`remote_port`, or -1. Scans /proc/self/fd.
int FindConnection(int local_port, const std::string& remote_addr, int remote_port);

// Disconnects the socket so the kernel sends an RST (connect() with AF_UNSPEC); the descriptor
// stays open and owned by its owner. Returns false when the kernel refused.
bool ResetConnection(int fd);

// Makes SIGPIPE ignored when it is at its default disposition.
void IgnoreSigpipe();

}  // namespace comply::mock
