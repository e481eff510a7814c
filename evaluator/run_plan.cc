#include "evaluator/run_plan.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <sstream>

#include "evaluator/case_source.h"
#include "evaluator/hash.h"
#include "evaluator/prompt.h"

namespace comply {

namespace {

bool Selected(const std::vector<std::string>& filter, const std::string& name) {
  return filter.empty() || std::find(filter.begin(), filter.end(), name) != filter.end();
}

}  // namespace

Result<Shard> ParseShard(const std::string& text) {
  Shard s;
  const auto slash = text.find('/');
  auto parse = [](std::string_view v, int* out) {
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
    return ec == std::errc() && p == v.data() + v.size();
  };
  if (slash == std::string::npos || !parse(std::string_view(text).substr(0, slash), &s.index) ||
      !parse(std::string_view(text).substr(slash + 1), &s.count) || s.count < 1 || s.index < 1 ||
      s.index > s.count) {
    return InvalidInput("--shard \"" + text + "\": expected I/N with 1 <= I <= N, e.g. --shard 2/4");
  }
  return s;
}

bool InShardKey(const Shard& shard, std::uint64_t key) {
  if (shard.count <= 1) return true;
  return key % static_cast<std::uint64_t>(shard.count) == static_cast<std::uint64_t>(shard.index - 1);
}

bool InShard(const Shard& shard, const std::string& suite, const std::string& case_id) {
  return InShardKey(shard, Fnv1a64(suite + "/" + case_id));
}

PlanWalker::PlanWalker(const Config& config, const RunPlanOptions& options, bool load_cases)
    : config_(config), options_(options), load_(load_cases || !options.done.empty()) {
  for (const EndpointSpec& e : config.endpoints) endpoint_on_.push_back(Selected(options.endpoints, e.name));
}

// Moves to the next case that is selected, within --limit and in the shard.
bool PlanWalker::NextCase() {
  while (suite_ < static_cast<int>(config_.suites.size())) {
    const SuiteSpec& suite = config_.suites[suite_];
    if (Selected(options_.suites, suite.name)) {
      const std::size_t n = CaseCount(suite);
      while (next_case_ < n) {
        if (options_.limit && taken_ >= *options_.limit) break;
        const std::size_t c = next_case_++;
        ++taken_;  // --limit counts cases before sharding, so shards of a limited run agree
        if (!InShardKey(options_.shard, CaseShardKey(suite, c))) continue;
        item_.suite = suite_;
        item_.case_index = static_cast<int>(c);
        case_.reset();
        if (load_) {
          if (reader_suite_ != suite_) {
            reader_.emplace(suite);
            reader_suite_ = suite_;
          }
          auto loaded = reader_->At(c);
          if (!loaded.ok()) {
            status_ = loaded.error();
            return false;
          }
          case_ = std::move(loaded.value());
        }
        return true;
      }
    }
    ++suite_;
    next_case_ = 0;
    taken_ = 0;
  }
  return false;
}

bool PlanWalker::Next() {
  const int n_endpoints = static_cast<int>(config_.endpoints.size());
  while (status_.ok()) {
    if (!in_case_) {
      if (!NextCase()) {
        case_.reset();
        return false;
      }
      in_case_ = true;
      sample_ = 0;
      endpoint_ = 0;
    }
    for (; sample_ < options_.repeat; ++sample_, endpoint_ = 0) {
      while (endpoint_ < n_endpoints) {
        const int e = endpoint_++;
        if (!endpoint_on_[e]) continue;
        if (!options_.done.empty() &&
            options_.done.count({config_.suites[item_.suite].name, case_->id, config_.endpoints[e].name, sample_})) {
          continue;
        }
        item_.endpoint = e;
        item_.sample = sample_;
        return true;
      }
    }
    in_case_ = false;
  }
  return false;
}

std::vector<PlanItem> BuildPlan(const Config& config, const RunPlanOptions& options) {
  std::vector<PlanItem> plan;
  PlanWalker walk(config, options, false);
  while (walk.Next()) plan.push_back(walk.item());
  return plan;
}

Result<std::size_t> CountPlan(const Config& config, const RunPlanOptions& options) {
  std::size_t n = 0;
  PlanWalker walk(config, options, false);
  while (walk.Next()) ++n;
  if (!walk.status().ok()) return walk.status().error();
  return n;
}

Result<std::string> DescribePlan(const Config& config, const RunPlanOptions& options) {
  struct Row {
    std::size_t requests = 0;
    double in_tokens = 0, out_tokens = 0;
  };
  std::map<std::string, Row> per_endpoint;
  std::map<std::pair<std::string, std::string>, std::size_t> per_pair;
  std::size_t total_requests = 0;
  PlanWalker walk(config, options, true);
  std::size_t user_chars = 0;
  std::pair<int, int> rendered{-1, -1};  // (suite, case) whose prompt length is in user_chars
  while (walk.Next()) {
    const PlanItem& it = walk.item();
    const SuiteSpec& s = config.suites[it.suite];
    const EndpointSpec& e = config.endpoints[it.endpoint];
    if (rendered != std::make_pair(it.suite, it.case_index)) {
      rendered = {it.suite, it.case_index};
      user_chars = RenderPrompt(s.prompt, walk.kase()->vars).size();
    }
    ++total_requests;
    Row& row = per_endpoint[e.name];
    ++row.requests;
    row.in_tokens += static_cast<double>(SystemPromptFor(s, e).size() + user_chars) / 4.0;
    double out = 256;
    if (auto mt = e.params.find("max_tokens"); mt != e.params.end() && mt->is_number()) out = *mt;
    row.out_tokens += out;
    ++per_pair[{e.name, s.name}];
  }
  if (!walk.status().ok()) return walk.status().error();
  std::ostringstream os;
  os << "plan: " << total_requests << " requests\n";
  for (const auto& [pair, n] : per_pair) {
    os << "  " << pair.first << " × " << pair.second << ": " << n << "\n";
  }
  os << "cost estimate (tokens ≈ characters / 4; output = max_tokens or 256 a request; an upper "
        "bound for output):\n";
  double total = 0;
  for (const EndpointSpec& e : config.endpoints) {
    auto it = per_endpoint.find(e.name);
    if (it == per_endpoint.end()) continue;
    const Row& row = it->second;
    char buf[256];
    if (e.pricing.set) {
      const double usd = (row.in_tokens * e.pricing.input_per_mtok +
                          row.out_tokens * e.pricing.output_per_mtok) / 1e6;
      total += usd;
      std::snprintf(buf, sizeof buf, "  %s: %zu requests, ~%.0f input + ~%.0f output tokens, ~$%.4f\n",
                    e.name.c_str(), row.requests, row.in_tokens, row.out_tokens, usd);
    } else {
      std::snprintf(buf, sizeof buf, "  %s: %zu requests, ~%.0f input + ~%.0f output tokens (no pricing configured)\n",
                    e.name.c_str(), row.requests, row.in_tokens, row.out_tokens);
    }
    os << buf;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "  total: ~$%.4f\n", total);
  os << buf;
  return os.str();
}

}  // namespace comply
