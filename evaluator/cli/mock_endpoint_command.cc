#include "evaluator/cli/mock_endpoint_command.h"

#include <pthread.h>
#include <signal.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <unordered_map>

#include "evaluator/cli/commands.h"
#include "evaluator/config_loader.h"
#include "evaluator/prompt.h"
#include "evaluator/yaml_util.h"
#include "providers/mock_server.h"

namespace comply::cli {

namespace {

struct MockEndpointArgs {
  std::string config;
  std::string host = "127.0.0.1";
  int port = 0;
  std::string port_file;
  std::string profiles;
  std::uint64_t seed = 1;
  int threads = 64;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Rendered prompt (trimmed) -> expected answer, over every suite of the config. The first case
// wins when two render the same prompt.
using Book = std::unordered_map<std::string, nlohmann::json>;

Result<std::shared_ptr<const Book>> LoadBook(const std::string& config_file) {
  auto book = std::make_shared<Book>();
  if (config_file.empty()) return std::shared_ptr<const Book>(book);
  Result<Config> config = LoadConfig(config_file);
  if (!config.ok()) return config.error();
  for (const SuiteSpec& suite : config->suites) {
    for (const Case& c : suite.cases) {
      if (!c.expected) continue;
      book->emplace(std::string(Trim(RenderPrompt(suite.prompt, c.vars))), *c.expected);
    }
  }
  return std::shared_ptr<const Book>(book);
}

Result<std::vector<MockProfile>> LoadProfiles(const std::string& file) {
  if (file.empty()) return DefaultMockProfiles();
  std::filesystem::path path(file);
  std::string ext = path.extension().string();
  if (ext != ".yaml" && ext != ".yml") return LoadMockProfiles(path);
  std::vector<Diagnostic> problems;
  YamlDoc doc = ParseYamlFile(path, file, ParseOptions{}, &problems);
  if (!problems.empty()) return InvalidInput(JoinDiagnostics(problems));
  return ParseMockProfiles(doc.value, file);
}

Status WritePortFile(const std::string& file, int port) {
  std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out) return IoError(tmp + ": cannot write the port file");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);  // atomic: a reader never sees a partial port
  if (ec) return IoError(file + ": cannot write the port file: " + ec.message());
  return Status::Ok();
}

int Fail(const Error& e) {
  std::cerr << "comply: error: " << e.message << "\n";
  return e.code == ErrorCode::kInvalidInput ? kExitBadInput : kExitRunFailed;
}

int RunMockEndpoint(const MockEndpointArgs& args) {
  Result<std::shared_ptr<const Book>> book = LoadBook(args.config);
  if (!book.ok()) return Fail(book.error());
  Result<std::vector<MockProfile>> profiles = LoadProfiles(args.profiles);
  if (!profiles.ok()) return Fail(profiles.error());

  // Block SIGINT/SIGTERM before the server's threads start (they inherit the mask), so that
  // only sigwait() below receives them.
  sigset_t stop_signals, previous;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);

  MockOptions options;
  options.host = args.host;
  options.port = args.port;
  options.profiles = std::move(*profiles);
  options.seed = args.seed;
  options.threads = args.threads;
  std::shared_ptr<const Book> answers = *book;
  options.answers = [answers](std::string_view prompt) -> std::optional<nlohmann::json> {
    auto it = answers->find(std::string(Trim(prompt)));
    if (it == answers->end()) return std::nullopt;
    return it->second;
  };
  std::string names;
  for (const MockProfile& p : options.profiles) names += (names.empty() ? "" : ", ") + p.name;
  Result<std::unique_ptr<MockServer>> server = MockServer::Start(std::move(options));
  if (!server.ok()) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return Fail(server.error());
  }
  int rc = kExitOk;
  Status written = args.port_file.empty() ? Status::Ok()
                                          : WritePortFile(args.port_file, (*server)->port());
  if (!written.ok()) {
    rc = Fail(written.error());
  } else {
    std::cout << "mock-endpoint listening on http://" << args.host << ":" << (*server)->port()
              << " (profiles: " << names << ")" << std::endl;
    int sig = 0;
    sigwait(&stop_signals, &sig);
  }
  (*server)->Stop();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return rc;
}

}  // namespace

void AddMockEndpointCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<MockEndpointArgs>();
  CLI::App* sub = app.add_subcommand(
      "mock-endpoint",
      "Serve simulated OpenAI- and Anthropic-compatible endpoints with injected defects and "
      "faults (for the demo, tests and benchmarks), until SIGINT/SIGTERM");
  sub->add_option("--config", args->config,
                  "Config whose suites' expected answers are served (default: generic answers)")
      ->check(CLI::ExistingFile);
  sub->add_option("--host", args->host, "Address to listen on")->capture_default_str();
  sub->add_option("--port", args->port, "Port to listen on (0 = any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  sub->add_option("--port-file", args->port_file, "Write the chosen port to this file");
  sub->add_option("--profiles", args->profiles,
                  "Model profiles, JSON or YAML (default: large-prompted, small-finetuned)")
      ->check(CLI::ExistingFile);
  sub->add_option("--seed", args->seed, "Seed for the defect and fault draws")
      ->capture_default_str();
  sub->add_option("--threads", args->threads,
                  "Worker threads (one per keep-alive connection: at least the clients' "
                  "total concurrency)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  sub->callback([args, exit_code] { *exit_code = RunMockEndpoint(*args); });
}

}  // namespace comply::cli
