// RenderCompareText (compare.h): the plain-text view of a comparison.
#include <cmath>
#include <cstdio>
#include <string>

#include "evaluator/compare.h"

namespace comply {

namespace {

using nlohmann::json;

constexpr const char* kMetricOrder[] = {
    "compliance_rate",    "case_compliance_rate", "error_rate",           "parse_rate",
    "schema_valid_rate",  "hallucination_rate",   "field_accuracy",       "latency_p50_ms",
    "latency_p95_ms",     "latency_p99_ms",       "cost_per_1k_requests", "cached_share",
    "template_drift_mean"};

std::string Fixed(const json& v, int decimals = 3) {
  if (!v.is_number()) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v.get<double>());
  return buf;
}

std::string Signed(const json& v, int decimals = 3) {
  if (!v.is_number()) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.*f", decimals, v.get<double>());
  return buf;
}

std::string PValue(const json& v) {
  if (!v.is_number()) return "n/a";
  const double p = v.get<double>();
  char buf[64];
  if (p < 0.001) {
    std::snprintf(buf, sizeof buf, "%.1e", p);
  } else {
    std::snprintf(buf, sizeof buf, "%.3f", p);
  }
  return buf;
}

std::string Count(const json& v) {
  return v.is_number() ? std::to_string(v.get<long long>()) : "0";
}

std::string Side(const json& side) {
  std::string out = side.value("dir", std::string());
  if (out.empty()) out = side.value("run_id", std::string("(in memory)"));
  out += " (" + Count(side.value("records", json(0))) + " records";
  if (side.value("torn_last_line", false)) out += ", torn last line skipped";
  const long long bad = side.value("bad_lines", 0LL);
  if (bad > 0) out += ", " + std::to_string(bad) + " bad lines skipped";
  return out + ")";
}

void CaseLine(std::string* out, const char* title, const json& e, const char* count_key,
              const char* list_key) {
  const long long n = e.value(count_key, 0LL);
  if (n == 0) return;
  *out += "  " + std::string(title) + " (" + std::to_string(n) + "):";
  std::size_t width = out->size() - out->rfind('\n');
  bool first = true;
  for (const json& c : e.value(list_key, json::array())) {
    const std::string item =
        c.value("suite", std::string()) + "/" + c.value("case_id", std::string());
    if (width + item.size() + 2 > 98) {
      *out += "\n   ";
      width = 3;
    }
    *out += (first ? " " : ", ") + item;
    width += item.size() + 2;
    first = false;
  }
  if (static_cast<long long>(e.value(list_key, json::array()).size()) < n) *out += ", …";
  *out += "\n";
}

void Endpoint(std::string* out, const std::string& name, const json& e) {
  const std::string status = e.value("status", std::string());
  *out += "\n" + name;
  if (status == "added") *out += " (new in the current run)";
  if (status == "removed") *out += " (only in the baseline)";
  *out += "\n";
  if (e.contains("paired")) {
    const json& p = e["paired"];
    *out += "  cases: " + Count(p["shared_cases"]) + " shared, " + Count(e["added_count"]) +
            " added, " + Count(e["removed_count"]) + " removed";
    if (p.value("unanswered_cases", 0LL) > 0) {
      *out += ", " + Count(p["unanswered_cases"]) + " unanswered in one run";
    }
    *out += "\n  compliance on shared cases: " + Fixed(p["baseline_rate"]) + " -> " +
            Fixed(p["current_rate"]) + " (" + Signed(p["delta"]) +
            "), McNemar p = " + PValue(p["p_value"]) +
            (p.value("significant", false) ? ", significant" : "") + "\n";
    *out += "    new failures " + Count(p["new_failures"]) + ", fixed " + Count(p["fixed"]) +
            "; detectable change (alpha 0.05, power 0.8): " + Fixed(p["mde"]) + "\n";
    if (p.contains("unpaired")) {
      const json& u = p["unpaired"];
      *out += "    all answered cases: " + Count(u["a_compliant"]) + "/" + Count(u["a_cases"]) +
              " -> " + Count(u["b_compliant"]) + "/" + Count(u["b_cases"]) + ", " +
              u.value("test", std::string()) + " p = " + PValue(u["p_value"]) + "\n";
    }
  }
  char row[160];
  std::snprintf(row, sizeof row, "  %-24s %12s %12s %12s\n", "metric", "baseline", "current",
                "delta");
  *out += row;
  const json metrics = e.value("metrics", json::object());
  for (const char* metric_name : kMetricOrder) {
    const std::string metric = metric_name;
    if (!metrics.contains(metric)) continue;
    const json& v = metrics[metric];
    if (!v["baseline"].is_number() && !v["current"].is_number()) continue;
    const int d = metric.find("_ms") != std::string::npos ? 1 : metric.find("cost") == 0 ? 4 : 3;
    std::snprintf(row, sizeof row, "  %-24s %12s %12s %12s\n", metric.c_str(),
                  Fixed(v["baseline"], d).c_str(), Fixed(v["current"], d).c_str(),
                  Signed(v["delta"], d).c_str());
    *out += row;
  }
  std::string drift;
  const json drift_counts = e.value("drift", json::object());  // items() must not outlive it
  for (const auto& [cat, v] : drift_counts.items()) {
    if (v.value("baseline", 0LL) == 0 && v.value("current", 0LL) == 0) continue;
    drift += "\n    " + cat + " " + Fixed(v["baseline_share"]) + " -> " +
             Fixed(v["current_share"]) + " (" + Signed(v["delta_share"]) + ")";
  }
  if (!drift.empty()) *out += "  drift (share of answered responses):" + drift + "\n";
  CaseLine(out, "new failures", e, "new_failures_count", "new_failures");
  CaseLine(out, "fixed", e, "fixed_count", "fixed_cases");
  CaseLine(out, "added cases", e, "added_count", "added_cases");
  CaseLine(out, "removed cases", e, "removed_count", "removed_cases");
}

}  // namespace

std::string RenderCompareText(const json& comparison) {
  try {
    if (!comparison.is_object()) return "comply compare: no comparison\n";
    if (comparison.contains("error")) {
      return "comply compare: " + comparison.value("error", std::string()) + "\n";
    }
    std::string out = "baseline: " + Side(comparison.value("baseline", json::object())) + "\n";
    out += "current:  " + Side(comparison.value("current", json::object())) + "\n";
    out += "verdict per case: majority of answered samples; paired test: McNemar (exact)\n";
    const json& endpoints = comparison.value("endpoints", json::object());
    for (const json& name : comparison.value("endpoint_order", json::array())) {
      const std::string n = name.get<std::string>();
      if (endpoints.contains(n)) Endpoint(&out, n, endpoints[n]);
    }
    if (endpoints.empty()) out += "\nno endpoint has records in either run\n";
    return out;
  } catch (const std::exception& e) {
    return std::string("comply compare: cannot render the comparison: ") + e.what() + "\n";
  }
}

}  // namespace comply
