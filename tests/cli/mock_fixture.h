#pragma once
// A `comply mock-endpoint` child process for the black-box CLI tests: started on a free port
// (--port 0 --port-file), waited for, and stopped with a directed SIGTERM when the object dies.
//
//   comply::testing::TempDir dir;
//   comply::testing::MockProcess mock(dir.path(), "--config " + config.string());
//   REQUIRE(mock.port() > 0);
//   std::string url = mock.url();          // "http://127.0.0.1:PORT"
//   nlohmann::json stats = mock.Stats();   // GET /stats

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/test_util.h"

namespace comply::testing {

class MockProcess {
 public:
  // Starts `comply mock-endpoint --port 0 --port-file WORK/mock.port EXTRA_ARGS` (EXTRA_ARGS is
  // split by the shell) and waits up to ~20 s for the port file. port() is -1 on failure.
  MockProcess(const std::filesystem::path& work, const std::string& extra_args) {
    std::filesystem::path port_file = work / "mock.port";
    std::filesystem::remove(port_file);
    std::string cmd = "exec '" + ComplyBinary().string() + "' mock-endpoint --port 0 --port-file '" +
                      port_file.string() + "' " + extra_args + " >'" + (work / "mock.log").string() +
                      "' 2>&1";
    pid_ = fork();
    if (pid_ == 0) {
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 2000 && pid_ > 0; ++i) {
      if (std::filesystem::exists(port_file)) {
        std::string text = ReadFile(port_file);
        if (!text.empty()) {
          port_ = std::stoi(text);
          break;
        }
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {  // died early (bad arguments)
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~MockProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  MockProcess(const MockProcess&) = delete;
  MockProcess& operator=(const MockProcess&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // The body of GET /stats (null when the mock does not answer).
  nlohmann::json Stats() const {
    httplib::Client client("127.0.0.1", port_);
    auto response = client.Get("/stats");
    if (!response || response->status != 200) return nullptr;
    return nlohmann::json::parse(response->body, nullptr, false);
  }

 private:
  pid_t pid_ = -1;
  int port_ = -1;
};

}  // namespace comply::testing
