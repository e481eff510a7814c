// The test helpers themselves (they live in this file so every test binary links them).
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include <catch2/catch.hpp>

#include "tests/test_util.h"

namespace comply::testing {

TempDir::TempDir() {
  std::random_device rd;
  for (;;) {
    path_ = std::filesystem::temp_directory_path() / ("comply-test-" + std::to_string(rd()));
    if (std::filesystem::create_directory(path_)) break;
  }
}
TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void WriteFile(const std::filesystem::path& path, const std::string& content) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CommandResult Run(const std::string& command_line) {
  TempDir tmp;
  const auto out_path = tmp / "out";
  const auto err_path = tmp / "err";
  const std::string full =
      command_line + " >'" + out_path.string() + "' 2>'" + err_path.string() + "' </dev/null";
  int rc = std::system(full.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : 128 + WTERMSIG(rc);
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  return r;
}

}  // namespace comply::testing

TEST_CASE("TempDir creates and removes a folder", "[util]") {
  std::filesystem::path p;
  {
    comply::testing::TempDir d;
    p = d.path();
    comply::testing::WriteFile(d / "a/b.txt", "x");
    REQUIRE(comply::testing::ReadFile(d / "a/b.txt") == "x");
  }
  REQUIRE_FALSE(std::filesystem::exists(p));
}
