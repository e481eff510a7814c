// `comply mock-endpoint`: in process (through CLI11, stopped with a directed SIGTERM) and,
// once the command is wired into the binary, black-box.
#include "evaluator/cli/mock_endpoint_command.h"

#include <pthread.h>
#include <signal.h>

#include <httplib.h>

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/test_util.h"

namespace comply::cli {
namespace {

using json = nlohmann::json;
using testing::TempDir;
using testing::WriteFile;

// A config with one suite: prompt "Classify: {{text}}", two cases with expected answers.
void WriteConfig(const TempDir& dir) {
  WriteFile(dir / "suite.yaml",
            "name: mini\n"
            "schema: {type: object, properties: {label: {type: string}}}\n"
            "prompt: 'Classify: {{text}}'\n"
            "cases:\n"
            "  - {id: c1, vars: {text: refund please}, expected: {label: BILLING}}\n"
            "  - {id: c2, vars: {text: app crashes}, expected: {label: BUG}}\n");
  WriteFile(dir / "comply.yaml",
            "suites: [suite.yaml]\n"
            "endpoints:\n"
            "  - {name: ft, provider: openai, base_url: 'http://127.0.0.1:1/v1', "
            "model: small-finetuned}\n");
}

int WaitForPort(const std::filesystem::path& port_file) {
  for (int i = 0; i < 2000; ++i) {  // up to ~20 s on a loaded machine
    if (std::filesystem::exists(port_file)) return std::stoi(testing::ReadFile(port_file));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

json Ask(int port, const std::string& model, const std::string& prompt) {
  httplib::Client c("127.0.0.1", port);
  json body = {{"model", model},
               {"messages", json::array({{{"role", "user"}, {"content", prompt}}})}};
  auto r = c.Post("/v1/chat/completions", body.dump(), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return json::parse(json::parse(r->body)["choices"][0]["message"]["content"].get<std::string>());
}

TEST_CASE("mock-endpoint: serves the config's gold answers until SIGTERM", "[mock]") {
  TempDir dir;
  WriteConfig(dir);
  WriteFile(dir / "profiles.yaml",
            "profiles:\n"
            "  - {name: exact, latency_ms: 0}\n"
            "  - {name: fenced, latency_ms: 0, code_fence: 1}\n");
  int exit_code = -1;
  std::thread server([&] {
    CLI::App app;
    AddMockEndpointCommand(app, &exit_code);
    std::vector<std::string> args = {"comply", "mock-endpoint", "--config",
                                     (dir / "comply.yaml").string(), "--port-file",
                                     (dir / "port").string(), "--profiles",
                                     (dir / "profiles.yaml").string(), "--threads", "4"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    app.parse(static_cast<int>(argv.size()), argv.data());
  });
  int port = WaitForPort(dir / "port");
  REQUIRE(port > 0);
  CHECK(Ask(port, "exact", "Classify: refund please") == json{{"label", "BILLING"}});
  CHECK(Ask(port, "exact", "Classify: app crashes") == json{{"label", "BUG"}});
  CHECK(Ask(port, "exact", "something else")["label"] == "other");

  httplib::Client c("127.0.0.1", port);
  json body = {{"model", "fenced"},
               {"messages", json::array({{{"role", "user"}, {"content", "Classify: app crashes"}}})}};
  auto r = c.Post("/v1/chat/completions", body.dump(), "application/json");
  REQUIRE(r);
  CHECK(json::parse(r->body)["choices"][0]["message"]["content"] ==
        "```json\n{\"label\":\"BUG\"}\n```");

  // The command blocks SIGTERM in its thread and sigwaits for it.
  pthread_kill(server.native_handle(), SIGTERM);
  server.join();
  CHECK(exit_code == 0);
}

TEST_CASE("mock-endpoint: a bad profile file is exit 2 with the place named", "[mock]") {
  TempDir dir;
  WriteFile(dir / "p.json", R"({"profiles":[{"name":"x","prose":3}]})");
  int exit_code = -1;
  CLI::App app;
  AddMockEndpointCommand(app, &exit_code);
  std::vector<std::string> args = {"comply", "mock-endpoint", "--profiles",
                                   (dir / "p.json").string()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  app.parse(static_cast<int>(argv.size()), argv.data());
  CHECK(exit_code == 2);
}

TEST_CASE("mock-endpoint: the comply binary serves the demo profiles", "[mock]") {
  testing::CommandResult help = testing::Run(testing::ComplyBinary().string() + " --help");
  if (help.out.find("mock-endpoint") == std::string::npos) {
    WARN("mock-endpoint is not wired into the comply binary yet: black-box test skipped");
    return;
  }
  TempDir dir;
  WriteConfig(dir);
  std::string cmd = testing::ComplyBinary().string() + " mock-endpoint --config " +
                    (dir / "comply.yaml").string() + " --port-file " + (dir / "port").string() +
                    " > " + (dir / "out.txt").string() + " 2>&1 & echo $!";
  testing::CommandResult started = testing::Run(cmd);
  int pid = std::stoi(started.out);
  int port = WaitForPort(dir / "port");
  REQUIRE(port > 0);
  json answer = Ask(port, "small-finetuned", "Classify: refund please");
  CHECK(answer.is_object());
  kill(pid, SIGTERM);
  for (int i = 0; i < 500 && kill(pid, 0) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(testing::ReadFile(dir / "out.txt") ==
        "mock-endpoint listening on http://127.0.0.1:" + std::to_string(port) +
            " (profiles: large-prompted, small-finetuned)\n");
}

}  // namespace
}  // namespace comply::cli
