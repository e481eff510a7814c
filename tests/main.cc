// The Catch2 (v2) test runner for comply_tests; Catch2WithMain is not used (PLATFORM.md).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

int main(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }
