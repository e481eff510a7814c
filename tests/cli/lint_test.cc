// Black-box tests of `comply lint`: every bundled suite and the demo config pass; a broken
// suite fails with file:line:col and a suggestion.
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "tests/test_util.h"

namespace comply::testing {
namespace {

TEST_CASE("lint: the demo config and every bundled suite pass", "[e2e]") {
  std::vector<std::filesystem::path> files = {SourceDir() / "suites" / "demo.yaml"};
  for (const auto& entry : std::filesystem::directory_iterator(SourceDir() / "suites")) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "suite.yaml")) {
      files.push_back(entry.path() / "suite.yaml");
    }
  }
  REQUIRE(files.size() >= 5);
  for (const auto& file : files) {
    CommandResult r = Run("'" + ComplyBinary().string() + "' lint '" + file.string() + "'");
    INFO(file.string() << "\n" << r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("lint: ok: ", 0) == 0);
  }
}

TEST_CASE("lint: an unknown key fails with file:line:col and did-you-mean", "[e2e]") {
  TempDir dir;
  WriteFile(dir / "bs.yaml",
            "name: x\n"
            "schema: {type: object}\n"
            "prompt: \"hi {{a}}\"\n"
            "extracton: strict\n"
            "cases:\n"
            "  - {id: c1, vars: {a: b}}\n");
  CommandResult r =
      Run("cd '" + dir.path().string() + "' && '" + ComplyBinary().string() + "' lint bs.yaml");
  CHECK(r.exit_code == 2);
  CHECK(r.out + r.err ==
        "bs.yaml:4:1: error: unknown key \"extracton\" in suite; did you mean \"extraction\"?\n"
        "comply: lint: 1 problem in bs.yaml\n");
}

}  // namespace
}  // namespace comply::testing
