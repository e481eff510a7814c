#include "evaluator/cli/common.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <sstream>

namespace comply::cli {

const char* const kAllFormats = "html,csv,json,junit,md";

namespace {
std::vector<std::string>& Argv() {
  static std::vector<std::string> argv;
  return argv;
}
}  // namespace

void SetCommandLine(int argc, char** argv) { Argv().assign(argv, argv + argc); }
const std::vector<std::string>& CommandLine() { return Argv(); }

int ExitCodeFor(const Error& e) {
  switch (e.code) {
    case ErrorCode::kInvalidInput:
      return 2;
    case ErrorCode::kInterrupted:
      return 130;
    case ErrorCode::kIo:
    case ErrorCode::kRunFailed:
    case ErrorCode::kInternal:
      return 3;
  }
  return 3;
}

void PrintError(const std::string& message) {
  std::istringstream lines(message);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    std::cerr << (first ? "comply: error: " : "  ") << line << "\n";
    first = false;
  }
  if (first) std::cerr << "comply: error\n";
}

void PrintError(const Error& e) { PrintError(e.message); }

void PrintWarning(const std::string& message) { std::cerr << "comply: warning: " << message << "\n"; }

std::vector<std::string> SplitFormats(const std::string& list) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(list.empty() ? kAllFormats : list);
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

namespace {

std::string Pct(const nlohmann::json& v) {
  if (!v.is_number()) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", v.get<double>() * 100);
  return buf;
}

std::string Num(const nlohmann::json& v, const char* fmt) {
  if (!v.is_number()) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v.get<double>());
  return buf;
}

const nlohmann::json& Get(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

}  // namespace

void PrintSummaryTable(const nlohmann::json& summary, std::ostream& out) {
  std::vector<std::string> order;
  for (const auto& e : Get(summary, "endpoint_order")) order.push_back(e.get<std::string>());
  char line[512];
  std::snprintf(line, sizeof line, "%-22s %-11s %8s %-24s %7s %7s %7s %7s %9s %9s\n", "endpoint",
                "label", "answered", "compliance (95% CI)", "parse", "valid", "halluc", "errors",
                "p50 ms", "$/1k req");
  out << line;
  for (const std::string& name : order) {
    const nlohmann::json& m = Get(Get(summary, "endpoints"), name.c_str());
    const nlohmann::json& ci = Get(m, "compliance_ci");
    std::string comp = Pct(Get(m, "compliance_rate"));
    if (ci.is_array() && ci.size() == 2 && ci[0].is_number()) {
      comp += " [" + Pct(ci[0]) + ", " + Pct(ci[1]) + "]";
    }
    std::string answered = std::to_string(Get(m, "answered").is_number() ? Get(m, "answered").get<long long>() : 0) +
                           "/" + std::to_string(Get(m, "total").is_number() ? Get(m, "total").get<long long>() : 0);
    const nlohmann::json& label = Get(m, "label");
    std::snprintf(line, sizeof line, "%-22s %-11s %8s %-24s %7s %7s %7s %7s %9s %9s\n",
                  name.c_str(), label.is_string() ? label.get<std::string>().c_str() : "",
                  answered.c_str(), comp.c_str(), Pct(Get(m, "parse_rate")).c_str(),
                  Pct(Get(m, "schema_valid_rate")).c_str(), Pct(Get(m, "hallucination_rate")).c_str(),
                  Pct(Get(m, "error_rate")).c_str(), Num(Get(Get(m, "latency_ms"), "p50"), "%.0f").c_str(),
                  Num(Get(m, "cost_per_1k_requests"), "%.4f").c_str());
    out << line;
  }
}

std::string HeadlineComparison(const nlohmann::json& summary) {
  const nlohmann::json& pairs = Get(Get(summary, "comparison"), "pairs");
  if (!pairs.is_array() || pairs.empty()) return "";
  const nlohmann::json& p = pairs[0];
  if (!Get(p, "delta").is_number() || Get(p, "shared_cases").get<long long>() == 0) return "";
  const double delta = p["delta"].get<double>();
  const std::string a = p["a"], b = p["b"];
  const std::string better = delta >= 0 ? b : a, worse = delta >= 0 ? a : b;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "%s vs %s on %lld shared cases: %s is more compliant by %.1f points (%s %.1f%% vs "
                "%.1f%%; McNemar p = %s, %s; minimum detectable effect %s points)",
                a.c_str(), b.c_str(), p["shared_cases"].get<long long>(), better.c_str(),
                std::abs(delta) * 100, b.c_str(), p["b_rate"].get<double>() * 100,
                p["a_rate"].get<double>() * 100, Num(Get(p, "p_value"), "%.3g").c_str(),
                Get(p, "significant").is_boolean() && p["significant"].get<bool>() ? "significant"
                                                                                   : "not significant",
                Get(p, "mde").is_number() ? Num(nlohmann::json(p["mde"].get<double>() * 100), "%.1f").c_str() : "–");
  if (delta == 0) {
    std::snprintf(buf, sizeof buf, "%s and %s are equally compliant on %lld shared cases (%.1f%%)",
                  a.c_str(), b.c_str(), p["shared_cases"].get<long long>(), p["a_rate"].get<double>() * 100);
  }
  (void)worse;
  return buf;
}

std::filesystem::path HistoryPathFor(const std::filesystem::path& run_dir,
                                     const std::string& history_flag) {
  if (!history_flag.empty()) return history_flag;
  std::filesystem::path abs = std::filesystem::absolute(run_dir).lexically_normal();
  if (!abs.has_filename()) abs = abs.parent_path();
  return abs.parent_path() / "history.sqlite";
}

}  // namespace comply::cli
