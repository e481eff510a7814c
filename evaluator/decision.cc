#include "evaluator/decision.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <queue>
#include <tuple>
#include <set>
#include <unordered_map>

#include "evaluator/decision_fit.h"
#include "evaluator/hash.h"
#include "evaluator/prompt.h"
#include "evaluator/run_dir.h"
#include "evaluator/run_reader.h"
#include "evaluator/spill.h"
#include "evaluator/stats.h"

namespace comply {

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

json NumOrNull(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

const json& Get(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

double Num(const json& j, double fallback = NAN) { return j.is_number() ? j.get<double>() : fallback; }

struct CaseInfo {
  float user_chars = 0;
  std::uint32_t first_tag = 0;  // index into State::tags (0 = none)
};

std::uint64_t CaseKey(std::string_view suite, std::string_view case_id) {
  return Fnv1a64(case_id, Fnv1a64("\x1f", Fnv1a64(suite)));
}

// Where the parser is inside resolved.json: the keys and array levels from the root.
class JsonPath {
 public:
  void Event(nlohmann::json::parse_event_t e, const nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    switch (e) {
      case E::object_start:
      case E::array_start:
        stack_.push_back(pending_);
        pending_.clear();
        break;
      case E::object_end:
      case E::array_end:
        if (!stack_.empty()) stack_.pop_back();
        break;
      case E::key:
        pending_ = parsed.is_string() ? parsed.get<std::string>() : std::string();
        break;
      case E::value:
        pending_.clear();
        break;
    }
  }
  // True when the object just closed was an element of root.suites[i].cases.
  bool InCaseList(nlohmann::json::parse_event_t e) const {
    return e == nlohmann::json::parse_event_t::object_end && stack_.size() == 5 &&
           stack_[1] == "suites" && stack_[3] == "cases";
  }
  // True when the array just closed was root.suites[i].cases.
  bool ClosedCaseList(nlohmann::json::parse_event_t e) const {
    return e == nlohmann::json::parse_event_t::array_end && stack_.size() == 4 &&
           stack_[1] == "suites" && stack_[3] == "cases";
  }

 private:
  std::vector<std::string> stack_;  // the key that opened each level ("" for array elements)
  std::string pending_;
};

struct CaseCount {
  std::uint32_t answered = 0, passed = 0;
};

// Records per hash partition when Finish joins the records with the cases: bounds the
// per-case tables held at once (under 2 MB). Up to kMaxPartitions partitions, each with
// 16 KiB buffers; past 4 million records the partitions grow instead.
constexpr std::uint64_t kPartitionRecords = 1 << 14;
constexpr std::uint64_t kMaxPartitions = 256;
constexpr std::size_t kPartitionBufferBytes = 16 * 1024;

struct Group {  // one endpoint × (suite, first tag)
  // Per answered-sample count: compliant samples summed and cases, folded in one partition
  // of cases at a time (a case's records are all in one partition).
  std::map<std::uint32_t, std::pair<std::uint64_t, std::uint64_t>> by_answered;  // passed, n
  std::size_t answered_cases = 0;
  double cost = 0;
  std::size_t answered = 0;
  // The mean of the per-case pass rates, summed per distinct sample count so the result
  // does not depend on the order the cases are visited in.
  double Rate() const {
    double sum = 0;
    std::uint64_t n = 0;
    for (const auto& [answered, pn] : by_answered) {
      sum += static_cast<double>(pn.first) / answered;
      n += pn.second;
    }
    return n ? sum / static_cast<double>(n) : NAN;
  }
  std::size_t AnsweredCases() const { return answered_cases; }
  double CostPerRequest() const { return answered ? cost / static_cast<double>(answered) : NAN; }
};

// Spilled tuples. A case of resolved.json: (key, suite, user-message length, first tag).
struct CaseTuple {
  std::uint64_t key;
  std::uint32_t suite;
  float user_chars;
  std::uint32_t first_tag;
};
// A record: (case key, case-id hash, endpoint, suite, its own first tag, outcome, usage).
struct RecordTuple {
  std::uint64_t key, id_hash;
  std::uint32_t endpoint, suite, tag;
  std::uint32_t flags;  // kOk | kCompliant | kCached
  std::int64_t input_tokens;
  double cost;
};
constexpr std::uint32_t kOk = 1, kCompliant = 2, kCached = 4;

using decision_internal::FitJson;
using decision_internal::FitSpilled;
using decision_internal::PointTuple;
using decision_internal::SpilledFit;

}  // namespace

struct DecisionAccumulator::State {
  // Cases of resolved.json (CaseTuple) and records (RecordTuple), spilled: joined by case
  // key at Finish, one hash partition at a time. Per suite the number of labelled cases;
  // system prompts per (endpoint, suite).
  SpillFile cases, records;
  std::uint64_t case_tuples = 0, record_tuples = 0;
  std::vector<std::string> tags{""};
  std::unordered_map<std::string, std::uint32_t> tag_index{{"", 0}};
  std::vector<std::string> suites, endpoints;  // interned names of spilled tuples
  std::unordered_map<std::string, std::uint32_t> suite_index, endpoint_index;
  std::map<std::string, std::size_t> case_count;
  std::map<std::string, std::size_t> labelled;
  std::map<std::string, json> suite_json;  // suite fields without their cases
  std::vector<std::pair<std::string, std::string>> case_suites;  // name, prompt: AddCase's index
  std::map<std::string, std::string> system_prompt_of;  // "endpoint\x1fsuite" -> text
  std::map<std::string, std::string> endpoint_label;
  std::map<std::string, std::map<std::pair<std::string, std::string>, Group>> groups;

  static std::uint32_t Intern(const std::string& name, std::vector<std::string>* names,
                              std::unordered_map<std::string, std::uint32_t>* index) {
    auto [it, added] = index->try_emplace(name, static_cast<std::uint32_t>(names->size()));
    if (added) names->push_back(name);
    return it->second;
  }

  // Joins records and cases (see Finish): fills case_count, groups and the regression points.
  void Join(SpillFile* points, std::vector<std::pair<std::uint32_t, std::uint32_t>>* fit_keys);

  // One partition's join. Its records carry their position (u64 before each RecordTuple)
  // when `joined` is set: the per-record outcome then goes there, to be applied in record
  // order after every partition (Apply); without it, it is applied at once.
  struct JoinState {
    SpillFile* points = nullptr;
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> fit_ids;
    std::vector<std::pair<std::uint32_t, std::uint32_t>>* fit_keys = nullptr;
    std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, std::uint32_t> group_ids;
    std::vector<Group*> group_list;
  };
  void JoinPartition(const SpillFile& part_cases, const SpillFile& part_records, JoinState* js,
                     SpillFile* joined);
  // A record's outcome once joined with its case: summed into its group in record order.
  struct Joined {
    std::uint64_t seq;
    std::uint32_t group, fit;  // fit: UINT32_MAX when the record is no regression point
    float x;
    std::uint32_t flags;
    double cost, y;
  };
  static void Apply(const Joined& j, JoinState* js);

  // Prepare's results: the (endpoint, suite) of each regression and its fit.
  bool prepared = false;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> fit_keys;
  std::vector<SpilledFit> fitted;
};

DecisionAccumulator::DecisionAccumulator(std::unique_ptr<State> state) : state_(std::move(state)) {}
DecisionAccumulator::~DecisionAccumulator() = default;

Result<std::unique_ptr<DecisionAccumulator>> DecisionAccumulator::Open(
    const std::filesystem::path& run_dir) {
  // resolved.json holds every case (32 MB at 100,000 cases): it is read twice with a parser
  // callback that drops each case once seen, so only one case is in memory at a time. The
  // first pass keeps the suites' other fields (their prompt comes after "cases" in the
  // file); the second measures each case's rendered user message and spills it.
  const fs::path path = run_dir / "inputs" / "resolved.json";
  auto parse = [&](const nlohmann::json::parser_callback_t& cb) -> Result<json> {
    std::ifstream in(path, std::ios::binary);  // streamed: the file is never held whole
    if (!in) return IoError("cannot read " + path.string() + ": " + std::strerror(errno));
    json root = json::parse(in, cb, /*allow_exceptions=*/false);
    if (root.is_discarded() || !root.is_object()) {
      return InvalidInput(path.string() + ": not a valid resolved configuration");
    }
    return root;
  };
  JsonPath where;
  auto skeleton = parse([&](int, json::parse_event_t e, json& parsed) {
    const bool drop = where.InCaseList(e);
    where.Event(e, parsed);
    return !drop;
  });
  if (!skeleton.ok()) return skeleton.error();
  std::unique_ptr<DecisionAccumulator> acc = Begin(*skeleton);
  std::size_t suite_index = 0;
  JsonPath where2;
  auto counted = parse([&](int, json::parse_event_t e, json& parsed) {
    const bool is_case = where2.InCaseList(e);
    const bool end_of_cases = where2.ClosedCaseList(e);
    where2.Event(e, parsed);
    if (end_of_cases) ++suite_index;
    if (is_case) acc->AddCase(suite_index, parsed);
    return !is_case;
  });
  if (!counted.ok()) return counted.error();
  return acc;
}

std::unique_ptr<DecisionAccumulator> DecisionAccumulator::Begin(const nlohmann::json& without_cases) {
  auto st = std::make_unique<State>();
  for (const json& s : Get(without_cases, "suites")) {
    const std::string name = s.value("name", "");
    st->suite_json[name] = s;
    st->case_suites.emplace_back(name, s.value("prompt", ""));
  }
  for (const json& e : Get(without_cases, "endpoints")) {
    const std::string name = e.value("name", ""), label = e.value("label", "");
    st->endpoint_label[name] = label;
    for (const auto& [sname, s] : st->suite_json) {
      const json& sp = Get(s, "system_prompts");
      st->system_prompt_of[name + '\x1f' + sname] =
          sp.is_object() && sp.contains(label) && sp[label].is_string()
              ? sp[label].get<std::string>()
              : e.value("system_prompt", "");
    }
  }
  return std::unique_ptr<DecisionAccumulator>(new DecisionAccumulator(std::move(st)));
}

void DecisionAccumulator::AddCase(std::size_t suite_index, const nlohmann::json& c) {
  State& st = *state_;
  if (suite_index >= st.case_suites.size() || !c.is_object()) return;
  const auto& [name, prompt] = st.case_suites[suite_index];
  CaseTuple t{};
  const auto vars = c.find("vars");
  t.user_chars = static_cast<float>(
      RenderPrompt(prompt, vars != c.end() ? *vars : json::object()).size());
  const json& tags = Get(c, "tags");
  if (tags.is_array() && !tags.empty() && tags[0].is_string()) {
    t.first_tag = State::Intern(tags[0].get_ref<const std::string&>(), &st.tags, &st.tag_index);
  }
  st.labelled[name] += c.contains("expected") ? 1 : 0;
  st.case_count.try_emplace(name, 0);
  t.key = CaseKey(name, c.value("id", ""));
  t.suite = State::Intern(name, &st.suites, &st.suite_index);
  st.cases.Put(t);
  ++st.case_tuples;
}

void DecisionAccumulator::Add(const Record& r) {
  State& st = *state_;
  RecordTuple t{};
  t.key = CaseKey(r.suite, r.case_id);
  t.id_hash = Fnv1a64(r.case_id);
  t.endpoint = State::Intern(r.endpoint, &st.endpoints, &st.endpoint_index);
  t.suite = State::Intern(r.suite, &st.suites, &st.suite_index);
  t.tag = r.tags.empty() ? 0 : State::Intern(r.tags[0], &st.tags, &st.tag_index);
  t.flags = (r.ok() ? kOk : 0) | (r.compliant ? kCompliant : 0) | (r.cached ? kCached : 0);
  t.input_tokens = r.input_tokens;
  t.cost = r.cost_usd;
  st.records.Put(t);
  ++st.record_tuples;
}

void DecisionAccumulator::State::Apply(const Joined& j, JoinState* js) {
  if (!(j.flags & kOk)) return;
  Group* g = js->group_list[j.group];
  g->cost += j.cost;
  ++g->answered;
  if (j.fit != UINT32_MAX) js->points->Put(PointTuple{j.fit, j.x, j.y});
}

void DecisionAccumulator::State::JoinPartition(const SpillFile& part_cases,
                                               const SpillFile& part_records, JoinState* js,
                                               SpillFile* joined) {
  // The partition's cases: the first entry of a key wins, as a case is counted once.
  std::unordered_map<std::uint64_t, CaseInfo> info_of;
  for (SpillReader in(part_cases); !in.done();) {
    const auto c = in.Get<CaseTuple>();
    if (info_of.emplace(c.key, CaseInfo{c.user_chars, c.first_tag}).second) {
      ++case_count[suites[c.suite]];
    }
  }
  // Per (group, case) counts of this partition, folded into the groups at the end.
  std::unordered_map<std::uint32_t, std::unordered_map<std::uint64_t, CaseCount>> case_counts;
  std::uint64_t seq = 0;
  for (SpillReader in(part_records); !in.done(); ++seq) {
    if (joined != nullptr) seq = in.Get<std::uint64_t>();
    const auto r = in.Get<RecordTuple>();
    auto it = info_of.find(r.key);
    const CaseInfo* info = it == info_of.end() ? nullptr : &it->second;
    const std::uint32_t tag = info ? info->first_tag : r.tag;
    auto [git, added] = js->group_ids.try_emplace({r.endpoint, r.suite, tag},
                                                  static_cast<std::uint32_t>(js->group_list.size()));
    if (added) js->group_list.push_back(&groups[endpoints[r.endpoint]][{suites[r.suite], tags[tag]}]);
    Joined j{seq, git->second, UINT32_MAX, 0, r.flags, r.cost, 0};
    CaseCount& cc = case_counts[j.group][r.id_hash];
    if (r.flags & kOk) {
      ++cc.answered;
      cc.passed += (r.flags & kCompliant) ? 1 : 0;
      if (info && !(r.flags & kCached) && r.input_tokens > 0) {
        auto [fit, new_fit] = js->fit_ids.try_emplace(
            {r.endpoint, r.suite}, static_cast<std::uint32_t>(js->fit_keys->size()));
        if (new_fit) js->fit_keys->push_back({r.endpoint, r.suite});
        j.fit = fit->second;
        j.x = info->user_chars;
        j.y = static_cast<double>(r.input_tokens);
      }
    }
    if (joined != nullptr) {
      joined->Put(j);
    } else {
      Apply(j, js);
    }
  }
  for (auto& [g, counts] : case_counts) {
    Group* group = js->group_list[g];
    for (const auto& [id, c] : counts) {
      if (c.answered == 0) continue;
      auto& [passed, n] = group->by_answered[c.answered];
      passed += c.passed;
      ++n;
      ++group->answered_cases;
    }
  }
}

void DecisionAccumulator::State::Join(
    SpillFile* points, std::vector<std::pair<std::uint32_t, std::uint32_t>>* fit_keys) {
  JoinState js;
  js.points = points;
  js.fit_keys = fit_keys;
  const std::uint64_t n = std::max(case_tuples, record_tuples);
  const std::uint64_t parts =
      std::min<std::uint64_t>(kMaxPartitions, (n + kPartitionRecords - 1) / kPartitionRecords);
  if (parts <= 1) {
    JoinPartition(cases, records, &js, nullptr);
    return;
  }
  // Hash partitions by case key: a case and all its records meet in one; order is kept and
  // each record carries its position.
  std::vector<SpillFile> part_cases, part_records, joined;
  for (std::uint64_t p = 0; p < parts; ++p) {
    part_cases.emplace_back(SpillFile({}, kPartitionBufferBytes));
    part_records.emplace_back(SpillFile({}, kPartitionBufferBytes));
  }
  for (SpillReader in(cases); !in.done();) {
    const auto c = in.Get<CaseTuple>();
    part_cases[c.key % parts].Put(c);
  }
  std::uint64_t seq = 0;
  for (SpillReader in(records); !in.done(); ++seq) {
    const auto r = in.Get<RecordTuple>();
    part_records[r.key % parts].Put(seq);
    part_records[r.key % parts].Put(r);
  }
  joined.reserve(parts);
  for (std::uint64_t p = 0; p < parts; ++p) {
    joined.emplace_back(SpillFile({}, kPartitionBufferBytes));
    JoinPartition(part_cases[p], part_records[p], &js, &joined.back());
    part_cases[p] = SpillFile();
    part_records[p] = SpillFile();
  }
  // Apply the joined records in record order (sums of costs and the regression's points
  // come out as when the records were joined one by one as added).
  std::vector<SpillReader> readers;
  readers.reserve(parts);
  for (const SpillFile& f : joined) readers.emplace_back(f);
  std::vector<Joined> heads(parts);
  using Item = std::pair<std::uint64_t, std::size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  for (std::size_t p = 0; p < parts; ++p) {
    if (readers[p].done()) continue;
    heads[p] = readers[p].Get<Joined>();
    queue.push({heads[p].seq, p});
  }
  while (!queue.empty()) {
    const std::size_t p = queue.top().second;
    queue.pop();
    Apply(heads[p], &js);
    if (readers[p].done()) continue;
    heads[p] = readers[p].Get<Joined>();
    queue.push({heads[p].seq, p});
  }
}

Result<json> ComputeDecision(const std::filesystem::path& run_dir, const json& summary,
                             double qpd) {
  auto acc = DecisionAccumulator::Open(run_dir);
  if (!acc.ok()) return acc.error();
  Status s = ReadRunResults(run_dir, [&](Record&& r) { (*acc)->Add(r); });
  if (!s.ok()) return s.error();
  return (*acc)->Finish(summary, qpd);
}

void DecisionAccumulator::Prepare() {
  if (state_->prepared) return;
  // Join records with cases; regression points go to a spill, then two passes per the
  // least-squares fit (FitLine's arithmetic, in the same order, without holding the points).
  SpillFile points;
  state_->Join(&points, &state_->fit_keys);
  state_->fitted = FitSpilled(points, state_->fit_keys.size());
  state_->prepared = true;
}

json DecisionAccumulator::Finish(const json& summary, double qpd) {
  auto& case_count = state_->case_count;
  auto& labelled = state_->labelled;
  auto& suite_json = state_->suite_json;
  auto& system_prompt_of = state_->system_prompt_of;
  auto& endpoint_label = state_->endpoint_label;
  auto& groups = state_->groups;
  Prepare();
  const auto& fit_keys = state_->fit_keys;
  const std::vector<SpilledFit>& fitted = state_->fitted;

  std::vector<std::string> order;
  for (const json& e : Get(summary, "endpoint_order")) order.push_back(e.get<std::string>());
  const json& sum_eps = Get(summary, "endpoints");

  json out;
  out["decision_version"] = 1;
  out["queries_per_day"] = qpd > 0 ? json(qpd) : json(nullptr);

  // Per (endpoint, suite) system-prompt estimates.
  std::map<std::pair<std::string, std::string>, json> suite_fit;
  for (std::size_t k = 0; k < fit_keys.size(); ++k) {
    suite_fit[{state_->endpoints[fit_keys[k].first], state_->suites[fit_keys[k].second]}] =
        FitJson(fitted[k].fit, fitted[k].fit.n, fitted[k].distinct_x);
  }

  json endpoints = json::object();
  for (const std::string& name : order) {
    const json& m = Get(sum_eps, name.c_str());
    json e;
    e["label"] = endpoint_label.count(name) ? json(endpoint_label[name]) : Get(m, "label");
    // The system prompt's size: characters as configured (per suite it may differ; the mean).
    double chars = 0, n_s = 0, tok_sum = 0, tok_w = 0;
    for (const auto& [sname, sj] : suite_json) {
      chars += static_cast<double>(system_prompt_of[name + '\x1f' + sname].size());
      ++n_s;
      auto it = suite_fit.find({name, sname});
      if (it != suite_fit.end() && !it->second.is_null()) {
        const double w = it->second["samples"].get<double>();
        tok_sum += it->second["estimate"].get<double>() * w;
        tok_w += w;
      }
    }
    e["system_prompt_chars"] = n_s ? chars / n_s : 0;
    if (tok_w > 0) {
      e["system_prompt_tokens"] = {
          {"estimate", tok_sum / tok_w},
          {"method",
           "estimate: per suite, the intercept of input tokens regressed (least squares) on the "
           "user message's length in characters over answered non-cached responses; averaged "
           "over suites weighted by responses"},
          {"samples", tok_w}};
    } else {
      e["system_prompt_tokens"] = nullptr;
    }
    const json& cl = Get(m, "case_level");
    const double c = Num(Get(cl, "compliance_rate"), Num(Get(m, "compliance_rate")));
    e["compliance_rate"] = NumOrNull(c);
    e["compliance_ci"] = Get(cl, "compliance_ci").is_array() ? Get(cl, "compliance_ci") : Get(m, "compliance_ci");
    const double answered = Num(Get(m, "answered"), 0);
    const double cpr = answered > 0 ? Num(Get(m, "cost_usd"), 0) / answered : NAN;
    e["cost_per_request"] = NumOrNull(cpr);
    if (qpd > 0 && std::isfinite(cpr)) {
      const double daily = qpd * cpr;
      e["daily_cost"] = daily;
      e["monthly_cost"] = daily * 30;
      e["noncompliant_daily_cost"] = std::isfinite(c) ? json(daily * (1 - c)) : json(nullptr);
      e["retry_daily_cost"] = std::isfinite(c) && c > 0 ? json(daily * (1 - c) / c) : json(nullptr);
    } else {
      e["daily_cost"] = e["monthly_cost"] = e["noncompliant_daily_cost"] = e["retry_daily_cost"] = nullptr;
    }
    endpoints[name] = e;
  }
  out["endpoints"] = endpoints;

  // Hybrid routing simulation.
  if (order.size() >= 2) {
    std::set<std::pair<std::string, std::string>> keys;
    for (const auto& [ep, gs] : groups) {
      for (const auto& [k, g] : gs) keys.insert(k);
    }
    json routes = json::array();
    double w_cases = 0, w_pass = 0, w_cost = 0;
    for (const auto& key : keys) {
      const std::string* best = nullptr;
      double best_rate = -1, best_cost = 0;
      std::size_t best_cases = 0;
      for (const std::string& ep : order) {
        auto git = groups.find(ep);
        if (git == groups.end()) continue;
        auto it = git->second.find(key);
        if (it == git->second.end() || it->second.AnsweredCases() == 0) continue;
        const double rate = it->second.Rate();
        const double cost = it->second.CostPerRequest();
        const double cost_cmp = std::isfinite(cost) ? cost : 0;
        if (best == nullptr || rate > best_rate + 1e-12 ||
            (std::abs(rate - best_rate) <= 1e-12 && cost_cmp < best_cost)) {
          best = &ep;
          best_rate = rate;
          best_cost = cost_cmp;
          best_cases = it->second.AnsweredCases();
        }
      }
      if (best == nullptr) continue;
      routes.push_back({{"suite", key.first}, {"tag", key.second}, {"cases", best_cases},
                        {"endpoint", *best}, {"compliance_rate", best_rate},
                        {"cost_per_request", best_cost}});
      w_cases += static_cast<double>(best_cases);
      w_pass += best_rate * static_cast<double>(best_cases);
      w_cost += best_cost * static_cast<double>(best_cases);
    }
    json h;
    h["simulation"] = true;
    h["note"] = "simulated over the measured results: each (suite, first tag) group is routed to "
                "the endpoint with the best case-level compliance there, then the lower cost; "
                "no request was sent this way";
    h["route_by"] = "suite and first tag";
    h["routes"] = routes;
    h["cases"] = w_cases;
    if (w_cases > 0) {
      const double rate = w_pass / w_cases, cpr = w_cost / w_cases;
      const Interval ci = WilsonInterval(w_pass, w_cases);
      h["compliance_rate"] = rate;
      h["compliance_ci"] = {ci.lo, ci.hi};
      h["cost_per_request"] = cpr;
      h["cost_per_1k_requests"] = cpr * 1000;
      h["daily_cost"] = qpd > 0 ? json(qpd * cpr) : json(nullptr);
      h["monthly_cost"] = qpd > 0 ? json(qpd * cpr * 30) : json(nullptr);
    }
    out["hybrid"] = h;
  } else {
    out["hybrid"] = nullptr;
  }

  // Readiness per suite. Endpoint a = the prompted one (or the first), b = the other.
  std::string a = order.empty() ? "" : order[0], b = order.size() > 1 ? order[1] : "";
  for (const std::string& ep : order) {
    if (endpoint_label[ep] == "prompted") a = ep;
  }
  for (const std::string& ep : order) {
    if (ep != a && (endpoint_label[ep] == "fine-tuned" || b.empty() || b == a)) {
      b = ep;
      if (endpoint_label[ep] == "fine-tuned") break;
    }
  }
  json readiness = json::array();
  for (const auto& [sname, sj] : suite_json) {
    json r;
    r["suite"] = sname;
    r["cases"] = case_count[sname];
    r["labelled_cases"] = labelled[sname];
    json tokens = json::object(), comp = json::object();
    for (const std::string& ep : order) {
      auto it = suite_fit.find({ep, sname});
      tokens[ep] = it != suite_fit.end() && !it->second.is_null() ? it->second["estimate"] : json(nullptr);
      const json& sm = Get(Get(Get(sum_eps, ep.c_str()), "suites"), sname.c_str());
      const json& cl = Get(sm, "case_level");
      comp[ep] = NumOrNull(Num(Get(cl, "compliance_rate"), Num(Get(sm, "compliance_rate"))));
    }
    r["system_prompt_tokens"] = tokens;
    r["compliance"] = comp;
    r["gap"] = nullptr;
    r["projected_daily_cost_difference"] = nullptr;
    if (!b.empty() && b != a) {
      auto level = [&](const std::string& ep) -> const json& {
        const json& sm = Get(Get(Get(sum_eps, ep.c_str()), "suites"), sname.c_str());
        return Get(sm, "case_level").is_object() ? Get(sm, "case_level") : sm;
      };
      const json& la = level(a);
      const json& lb = level(b);
      const double pa = Num(Get(la, "compliance_rate")), pb = Num(Get(lb, "compliance_rate"));
      const json& ca = Get(la, "compliance_ci");
      const json& cb = Get(lb, "compliance_ci");
      if (std::isfinite(pa) && std::isfinite(pb) && ca.is_array() && cb.is_array() &&
          ca[0].is_number() && cb[0].is_number()) {
        DiffInterval d = NewcombeDifference(pa, ca[0], ca[1], pb, cb[0], cb[1]);
        r["gap"] = {{"a", a}, {"b", b}, {"delta", pb - pa}, {"ci", {d.lo, d.hi}}};
      }
      auto cost_of = [&](const std::string& ep) {
        const json& sm = Get(Get(Get(sum_eps, ep.c_str()), "suites"), sname.c_str());
        return Num(Get(sm, "cost_per_1k_requests")) / 1000.0;
      };
      const double diff = cost_of(b) - cost_of(a);
      if (qpd > 0 && std::isfinite(diff)) r["projected_daily_cost_difference"] = diff * qpd;
    }
    readiness.push_back(r);
  }
  out["readiness"] = readiness;
  return out;
}

}  // namespace comply
