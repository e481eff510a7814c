// MaskBench agreement: compiles every schema of the corpus with comply's validator and compares
// its verdict on each labelled instance with the label (the corpus README gives the
// reference figures of ajv and stock valijson). Prints agreement over the instances of loaded
// schemas and over all instances, the refused schemas with reasons, and (with --verbose) every
// disagreement. A schema that takes longer than --time-bound seconds (compile + all its
// instances) stops the bench with its id: a hang is reported, never waited out.
//
//   maskbench_bench [--corpus DIR] [--time-bound S] [--verbose] [--refused FILE]
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "evaluator/schema.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Kills the process when one schema runs past the bound.
class Watchdog {
 public:
  explicit Watchdog(double seconds) : bound_(seconds), thread_([this] { Loop(); }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Start(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    id_ = id;
    start_ = std::chrono::steady_clock::now();
    armed_ = true;
  }
  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = false;
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(100));
      if (armed_ && std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() > bound_) {
        std::fprintf(stderr, "maskbench: schema %s exceeded the %.1f s time bound\n", id_.c_str(), bound_);
        std::fflush(stderr);
        _exit(3);
      }
    }
  }
  double bound_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false, armed_ = false;
  std::string id_;
  std::chrono::steady_clock::time_point start_;
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  fs::path corpus = "/work/shared/corpora/maskbench";
  double bound = 10.0;
  bool verbose = false;
  std::string refused_file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--corpus" && i + 1 < argc) {
      corpus = argv[++i];
    } else if (a == "--time-bound" && i + 1 < argc) {
      bound = std::atof(argv[++i]);
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a == "--refused" && i + 1 < argc) {
      refused_file = argv[++i];
    } else {
      std::cerr << "usage: maskbench_bench [--corpus DIR] [--time-bound S] [--verbose] [--refused FILE]\n";
      return 2;
    }
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(corpus)) {
    if (e.path().extension() == ".jsonl") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "maskbench: no .jsonl files in " << corpus << "\n";
    return 2;
  }
  // Refs to files resolve inside an empty folder: MaskBench schemas are single documents.
  fs::path empty_dir = fs::temp_directory_path() / ("comply-maskbench-" + std::to_string(getpid()));
  fs::create_directories(empty_dir);
  Watchdog watchdog(bound);
  long schemas = 0, loaded = 0, instances = 0, loaded_instances = 0, agree = 0;
  long false_valid = 0, false_invalid = 0;
  long closed_violations = 0, closed_schema_instances = 0;
  std::map<std::string, long> refused_by_reason;
  std::vector<std::string> refused;
  double compile_s = 0, validate_s = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      json row = json::parse(line, nullptr, false);
      if (row.is_discarded()) continue;
      const std::string id = file.stem().string() + "/" + row.value("id", std::string("?"));
      const json& tests = row.contains("tests") ? row["tests"] : json::array();
      ++schemas;
      instances += static_cast<long>(tests.size());
      watchdog.Start(id);
      auto t0 = std::chrono::steady_clock::now();
      auto compiled = comply::CompiledSchema::Compile(row["schema"], empty_dir, id);
      auto t1 = std::chrono::steady_clock::now();
      compile_s += std::chrono::duration<double>(t1 - t0).count();
      if (!compiled.ok()) {
        watchdog.Stop();
        refused.push_back(compiled.error().message + " [" + std::to_string(tests.size()) + " instances]");
        std::string reason = compiled.error().message.substr(id.size() + 2);
        reason = reason.substr(0, reason.find(" at "));
        refused_by_reason[reason.substr(0, 60)]++;
        continue;
      }
      ++loaded;
      for (const json& t : tests) {
        std::vector<comply::SchemaError> errors;
        bool valid = (*compiled)->Validate(t["data"], &errors);
        std::vector<std::string> extra;
        (*compiled)->FindHallucinatedFields(t["data"], &extra);
        // The check skips the walk for valid instances of closed schemas: it must find nothing.
        if (valid && !extra.empty() && (*compiled)->ValidMeansNoHallucinatedFields()) {
          ++closed_violations;
          std::cout << "CLOSED SCHEMA WITH HALLUCINATED FIELDS " << id << " " << extra[0] << "\n";
        }
        closed_schema_instances += (*compiled)->ValidMeansNoHallucinatedFields() ? 1 : 0;
        bool expected = t["valid"].get<bool>();
        ++loaded_instances;
        if (valid == expected) {
          ++agree;
        } else {
          (valid ? false_valid : false_invalid)++;
          if (verbose) {
            std::cout << "DISAGREE " << id << " | " << t.value("description", std::string()) << " | label "
                      << (expected ? "valid" : "invalid") << " | comply "
                      << (valid ? "valid" : "invalid: " + (errors.empty() ? std::string("?") : errors[0].path + " " + errors[0].keyword + " " + errors[0].message))
                      << "\n";
          }
        }
      }
      validate_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
      watchdog.Stop();
    }
  }
  fs::remove_all(empty_dir);
  std::printf("schemas: %ld, loaded %ld, refused %ld (%.2f%%)\n", schemas, loaded, schemas - loaded,
              100.0 * static_cast<double>(schemas - loaded) / static_cast<double>(schemas));
  std::printf("instances: %ld, of loaded schemas %ld\n", instances, loaded_instances);
  std::printf("instances of closed schemas (walk skipped when valid): %ld; valid ones with hallucinated fields: %ld\n",
              closed_schema_instances, closed_violations);
  std::printf("agreement over loaded schemas: %ld/%ld = %.3f%% (valid where labelled invalid: %ld, invalid where labelled valid: %ld)\n",
              agree, loaded_instances, 100.0 * static_cast<double>(agree) / static_cast<double>(loaded_instances),
              false_valid, false_invalid);
  std::printf("agreement over all instances (refused count as misses): %ld/%ld = %.3f%%\n", agree, instances,
              100.0 * static_cast<double>(agree) / static_cast<double>(instances));
  std::printf("time: compile %.2f s, validate + walk %.2f s\n", compile_s, validate_s);
  std::printf("refused by reason:\n");
  for (const auto& [reason, n] : refused_by_reason) std::printf("  %5ld  %s\n", n, reason.c_str());
  if (!refused_file.empty()) {
    std::ofstream out(refused_file);
    for (const std::string& r : refused) out << r << "\n";
  } else {
    std::printf("refused schemas:\n");
    for (const std::string& r : refused) std::printf("  %s\n", r.c_str());
  }
  return 0;
}
