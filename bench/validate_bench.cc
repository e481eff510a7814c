// Validation speed: parse + Validate + FindHallucinatedFields per response, one thread, on the
// corpus of /work/shared/bench/gen_suite.py (`schema` and `responses --n N`).
//
//   validate_bench SCHEMA.json RESPONSES.jsonl [--passes N]
// Prints µs per response for: nlohmann parse (reference), JsonDoc parse (what comply uses),
// validate (errors collected for invalid ones), walk (hallucinated fields), best of N passes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/json_doc.h"
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
  // Best of `passes` for each measurement.
  auto best_of = [&](auto&& body) {
    double best = 1e9;
    for (int p = 0; p < passes; ++p) {
      auto t0 = Clock::now();
      body();
      best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return best;
  };
  size_t parsed = 0, valid_count = 0, error_count = 0, extra_count = 0;
  const double nlohmann_s = best_of([&] {
    for (const std::string& l : lines) {
      json j = json::parse(l, nullptr, false);
      parsed += j.is_discarded() ? 0 : 1;
    }
  });
  comply::JsonDoc doc;  // reused, as each check thread does
  const double parse_s = best_of([&] {
    for (const std::string& l : lines) doc.Parse(l);
  });
  std::vector<comply::SchemaError> errors;
  std::vector<std::string> extra;
  const double validate_s = best_of([&] {
    valid_count = error_count = 0;
    for (const std::string& l : lines) {
      if (!doc.Parse(l)) continue;
      errors.clear();
      if ((*compiled)->Validate(doc.root(), &errors)) ++valid_count;
      error_count += errors.size();
    }
  }) - parse_s;
  const double walk_s = best_of([&] {
    extra_count = 0;
    for (const std::string& l : lines) {
      if (!doc.Parse(l)) continue;
      extra.clear();
      (*compiled)->FindHallucinatedFields(doc.root(), &extra);
      extra_count += extra.size();
    }
  }) - parse_s;
  const double n = static_cast<double>(lines.size());
  std::printf("lines %zu, parsed %zu, schema-valid %zu, errors %zu, hallucinated fields %zu\n", lines.size(),
              parsed / static_cast<size_t>(passes), valid_count, error_count, extra_count);
  std::printf("parse (nlohmann DOM, reference): %.2f us/response\n", nlohmann_s * 1e6 / n);
  std::printf("parse (JsonDoc):                 %.2f us/response (%.0f /s)\n", parse_s * 1e6 / n, n / parse_s);
  std::printf("validate (errors collected for invalid): %.2f us/response\n", validate_s * 1e6 / n);
  std::printf("walk (hallucinated fields):       %.2f us/response\n", walk_s * 1e6 / n);
  std::printf("parse + validate + walk: %.0f responses/s on one thread (best of %d passes)\n",
              n / (parse_s + validate_s + walk_s), passes);
  return 0;
}
