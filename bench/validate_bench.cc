// Validation speed: parse + Validate + FindHallucinatedFields per response, one thread, on the
// corpus of /work/shared/bench/gen_suite.py (`schema` and `responses --n N`).
//
//   validate_bench SCHEMA.json RESPONSES.jsonl [--passes N]
// Prints responses/s and µs per response for: parse only, validate (valid responses),
// validate (all parsed, errors collected for invalid ones), walk (hallucinated fields).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/schema.h"

using nlohmann::json;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: validate_bench SCHEMA.json RESPONSES.jsonl [--passes N]\n";
    return 2;
  }
  int passes = 3;
  if (argc >= 5 && std::string(argv[3]) == "--passes") passes = std::atoi(argv[4]);
  std::ifstream sf(argv[1]);
  std::stringstream ss;
  ss << sf.rdbuf();
  auto compiled = comply::CompiledSchema::Compile(json::parse(ss.str()), ".", argv[1]);
  if (!compiled.ok()) {
    std::cerr << compiled.error().message << "\n";
    return 2;
  }
  std::vector<std::string> lines;
  std::ifstream in(argv[2]);
  for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
  std::vector<json> parsed;
  auto t0 = Clock::now();
  for (const std::string& l : lines) {
    json j = json::parse(l, nullptr, false);
    if (!j.is_discarded()) parsed.push_back(std::move(j));
  }
  double parse_s = std::chrono::duration<double>(Clock::now() - t0).count();
  size_t valid_count = 0, error_count = 0, extra_count = 0;
  double best_validate = 1e9, best_walk = 1e9;
  for (int p = 0; p < passes; ++p) {
    valid_count = error_count = extra_count = 0;
    auto a = Clock::now();
    std::vector<comply::SchemaError> errors;
    for (const json& j : parsed) {
      errors.clear();
      if ((*compiled)->Validate(j, &errors)) ++valid_count;
      error_count += errors.size();
    }
    auto b = Clock::now();
    std::vector<std::string> extra;
    for (const json& j : parsed) {
      extra.clear();
      (*compiled)->FindHallucinatedFields(j, &extra);
      extra_count += extra.size();
    }
    auto c = Clock::now();
    best_validate = std::min(best_validate, std::chrono::duration<double>(b - a).count());
    best_walk = std::min(best_walk, std::chrono::duration<double>(c - b).count());
  }
  const double n = static_cast<double>(parsed.size());
  std::printf("lines %zu, parsed %zu, schema-valid %zu, errors %zu, hallucinated fields %zu\n", lines.size(),
              parsed.size(), valid_count, error_count, extra_count);
  std::printf("parse:    %.2f us/response (%.0f /s)\n", parse_s * 1e6 / static_cast<double>(lines.size()),
              static_cast<double>(lines.size()) / parse_s);
  std::printf("validate: %.2f us/response (%.0f /s), best of %d passes\n", best_validate * 1e6 / n, n / best_validate, passes);
  std::printf("walk:     %.2f us/response (%.0f /s)\n", best_walk * 1e6 / n, n / best_walk);
  std::printf("parse + validate + walk: %.0f responses/s on one thread\n",
              1.0 / (parse_s / static_cast<double>(lines.size()) + (best_validate + best_walk) / n));
  return 0;
}
