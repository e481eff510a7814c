#include "evaluator/summary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <queue>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "evaluator/hash.h"
#include "evaluator/spill.h"
#include "evaluator/spill_percentile.h"
#include "evaluator/stats.h"
#include "evaluator/summary_metrics.h"

namespace comply {

namespace {

using nlohmann::json;

using summary_internal::CaseLevel;
using summary_internal::CountMap;
using summary_internal::Metrics;
using summary_internal::MetricsJson;
using summary_internal::Num;
using summary_internal::UnpairedJson;
using summary_internal::Wildcard;

struct CaseCount {
  std::uint32_t samples = 0, answered = 0, passed = 0;
};

bool MajorityPass(const CaseCount& c) { return 2ULL * c.passed > c.answered; }

std::uint32_t Saturating(std::uint32_t v) { return v == UINT32_MAX ? v : v + 1; }

// Records per partition of the case spill at Finish: bounds the per-case table held at once
// (~100 bytes a case, so under 2 MB). Up to kMaxPartitions partitions, each with a 16 KiB
// buffer (4 MiB at most); past 4 million records the partitions grow instead.
constexpr std::uint64_t kPartitionRecords = 1 << 14;
constexpr std::uint64_t kMaxPartitions = 256;
constexpr std::size_t kPartitionBufferBytes = 16 * 1024;

// The `cap` first entries by (suite, case_id) among those offered, in bounded memory.
class FirstByName {
 public:
  struct Entry {
    std::string suite, id;
    std::uint32_t x = 0, y = 0;
  };
  explicit FirstByName(std::size_t cap) : cap_(cap) {}
  void Offer(std::string_view suite, std::string_view id, std::uint32_t x, std::uint32_t y) {
    if (cap_ == 0) return;
    if (heap_.size() == cap_ && !Less(suite, id, heap_.front())) return;
    if (heap_.size() == cap_) {
      std::pop_heap(heap_.begin(), heap_.end(), Cmp);
      heap_.pop_back();
    }
    heap_.push_back({std::string(suite), std::string(id), x, y});
    std::push_heap(heap_.begin(), heap_.end(), Cmp);
  }
  std::vector<Entry> Sorted() const {
    std::vector<Entry> out = heap_;
    std::sort(out.begin(), out.end(), Cmp);
    return out;
  }

 private:
  static bool Less(std::string_view suite, std::string_view id, const Entry& e) {
    return suite != e.suite ? suite < e.suite : id < e.id;
  }
  static bool Cmp(const Entry& a, const Entry& b) { return Less(a.suite, a.id, b); }
  std::size_t cap_;
  std::vector<Entry> heap_;  // max-heap by name: the front is the first to drop
};

struct CaseStats;

// One distinct case as the Finish-time aggregation sees it.
struct CaseRow {
  std::string_view suite, id;
  std::uint32_t tagset = 0;
  const CaseCount* counts = nullptr;  // one per endpoint index
};

}  // namespace

struct SummaryBuilder::Impl {
  SummaryContext ctx;
  std::size_t records = 0;
  std::uint32_t scopes = 0;  // Metrics numbered for the latency spill

  std::vector<std::string> suite_names;  // interned suite names
  std::unordered_map<std::string, std::uint32_t> suite_ids;
  std::vector<std::vector<std::string>> tagsets;  // interned tag lists
  std::unordered_map<std::string, std::uint32_t> tagset_ids;

  struct EndpointAcc {
    std::string name;
    Metrics all;
    std::map<std::string, Metrics> suites, tags;
    std::map<std::string, std::uint64_t> served_models;
  };
  std::vector<EndpointAcc> endpoints;
  std::unordered_map<std::string, std::size_t> endpoint_ids;

  // Per record: (case key, endpoint, suite, tag set, ok|compliant bits, case id). Aggregated
  // per distinct case at Finish, one hash partition at a time.
  SpillFile cases;
  // Per answered non-cached record and scope it counts in: (scope, latency).
  SpillFile latencies;

  explicit Impl(SummaryContext c)
      : ctx(std::move(c)), cases(ctx.spill_dir), latencies(ctx.spill_dir) {}

  std::size_t EndpointIndex(const std::string& name) {
    auto [it, inserted] = endpoint_ids.try_emplace(name, endpoints.size());
    if (inserted) {
      endpoints.emplace_back();
      endpoints.back().name = name;
    }
    return it->second;
  }

  // The last suite and tag set looked up: consecutive records mostly repeat them, which
  // saves building and hashing a key per record (comply check adds ~10^6 records).
  std::string last_suite;
  std::uint32_t last_suite_index = UINT32_MAX;
  std::vector<std::string> last_tags;
  std::uint32_t last_tagset = UINT32_MAX;

  std::uint32_t SuiteIndex(const std::string& name) {
    if (last_suite_index != UINT32_MAX && name == last_suite) return last_suite_index;
    last_suite = name;
    last_suite_index = SuiteIndexSlow(name);
    return last_suite_index;
  }
  std::uint32_t SuiteIndexSlow(const std::string& name) {
    auto [it, inserted] = suite_ids.try_emplace(name, static_cast<std::uint32_t>(suite_names.size()));
    if (inserted) suite_names.push_back(name);
    return it->second;
  }

  std::uint32_t TagsetIndex(const std::vector<std::string>& tags) {
    if (last_tagset != UINT32_MAX && tags == last_tags) return last_tagset;
    last_tags = tags;
    last_tagset = TagsetIndexSlow(tags);
    return last_tagset;
  }
  std::uint32_t TagsetIndexSlow(const std::vector<std::string>& tags) {
    std::string key;
    for (const std::string& t : tags) key.append(t).push_back('\0');
    auto [it, inserted] = tagset_ids.try_emplace(key, static_cast<std::uint32_t>(tagsets.size()));
    if (inserted) tagsets.push_back(tags);
    return it->second;
  }

  Metrics& Scoped(Metrics& m) {
    if (m.scope == UINT32_MAX) m.scope = scopes++;
    return m;
  }

  // Calls fn once per distinct (suite, case_id), partition by partition.
  void ForEachCase(const std::function<void(const CaseRow&)>& fn) const;
  CaseStats CollectCaseStats() const;
  json ComparisonJson(const std::vector<std::size_t>& order, CaseStats& cs) const;
  json EndpointJson(std::size_t index, const SummaryEndpointInfo* info, CaseStats& cs,
                    const std::vector<std::vector<double>>& pct) const;
};

namespace {

std::uint64_t CaseHash(std::string_view suite, std::string_view id) {
  return Fnv1a64(id, Fnv1a64(std::string_view("\0", 1), Fnv1a64(suite)));
}

// One case-spill tuple.
struct CaseTuple {
  std::uint64_t key = 0;
  std::uint32_t endpoint = 0, suite = 0, tagset = 0;
  std::uint8_t flags = 0;  // 1: ok, 2: compliant
  std::string_view id;
};
constexpr std::uint8_t kOk = 1, kCompliant = 2;

void PutCase(SpillFile* f, const CaseTuple& t) {
  struct __attribute__((packed)) {
    std::uint64_t key;
    std::uint32_t endpoint, suite, tagset;
    std::uint8_t flags;
  } fixed{t.key, t.endpoint, t.suite, t.tagset, t.flags};
  f->Write(&fixed, sizeof fixed);
  f->PutString(t.id);
}

CaseTuple GetCase(SpillReader* in) {
  CaseTuple t;
  t.key = in->Get<std::uint64_t>();
  t.endpoint = in->Get<std::uint32_t>();
  t.suite = in->Get<std::uint32_t>();
  t.tagset = in->Get<std::uint32_t>();
  t.flags = in->Get<std::uint8_t>();
  t.id = in->GetString();
  return t;
}

// Distinct cases of one partition: their first record's tag set, counts per endpoint.
class CaseTable {
 public:
  explicit CaseTable(std::size_t endpoints) : endpoints_(endpoints) {}
  // `seq`: the record's position in the order records were added.
  void Add(const CaseTuple& t, std::uint64_t seq) {
    std::uint64_t h = t.key;
    std::uint32_t idx;
    for (;;) {
      auto it = by_hash_.find(h);
      if (it == by_hash_.end()) {
        idx = static_cast<std::uint32_t>(entries_.size());
        entries_.push_back({seq, arena_.size(), static_cast<std::uint32_t>(t.id.size()), t.suite, t.tagset});
        arena_.append(t.id);
        counts_.resize(counts_.size() + endpoints_);
        by_hash_.emplace(h, idx);
        break;
      }
      const Entry& e = entries_[it->second];
      if (e.suite == t.suite && Id(e) == t.id) {
        idx = it->second;
        break;
      }
      ++h;  // a 64-bit collision between different names: probe the next value
    }
    if (t.endpoint >= endpoints_) return;
    CaseCount& cc = counts_[static_cast<std::size_t>(idx) * endpoints_ + t.endpoint];
    cc.samples = Saturating(cc.samples);
    if (t.flags & kOk) {
      cc.answered = Saturating(cc.answered);
      if (t.flags & kCompliant) cc.passed = Saturating(cc.passed);
    }
  }
  // The cases in the order first seen (entries are made in record order).
  void Emit(const std::vector<std::string>& suite_names,
            const std::function<void(const CaseRow&)>& fn) const {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      const Entry& e = entries_[i];
      fn(CaseRow{suite_names[e.suite], Id(e), e.tagset, &counts_[i * endpoints_]});
    }
  }
  // The same rows as spilled tuples (first_seq, suite, tagset, counts, id), for the merge.
  void Spill(SpillFile* out) const {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      const Entry& e = entries_[i];
      out->Put(e.first_seq);
      out->Put(e.suite);
      out->Put(e.tagset);
      out->Write(&counts_[i * endpoints_], sizeof(CaseCount) * endpoints_);
      out->PutString(Id(e));
    }
  }

 private:
  struct Entry {
    std::uint64_t first_seq;  // its first record's position
    std::size_t id_offset;
    std::uint32_t id_len, suite, tagset;
  };
  std::string_view Id(const Entry& e) const {
    return std::string_view(arena_).substr(e.id_offset, e.id_len);
  }
  std::size_t endpoints_;
  std::unordered_map<std::uint64_t, std::uint32_t> by_hash_;
  std::vector<Entry> entries_;
  std::string arena_;
  std::vector<CaseCount> counts_;
};

}  // namespace

void SummaryBuilder::Impl::ForEachCase(const std::function<void(const CaseRow&)>& fn) const {
  const std::size_t n_endpoints = endpoints.size();
  const std::uint64_t parts =
      std::min<std::uint64_t>(kMaxPartitions, (records + kPartitionRecords - 1) / kPartitionRecords);
  if (parts <= 1) {
    CaseTable table(n_endpoints);
    std::uint64_t seq = 0;
    for (SpillReader in(cases); !in.done(); ++seq) table.Add(GetCase(&in), seq);
    table.Emit(suite_names, fn);
    return;
  }
  // Hash partitions: every record of a case lands in the same one, in the original order
  // (so a case's first record, whose tags it keeps, is still first), with its position.
  std::vector<SpillFile> part;
  part.reserve(parts);
  for (std::uint64_t p = 0; p < parts; ++p) part.emplace_back(ctx.spill_dir, kPartitionBufferBytes);
  std::uint64_t seq = 0;
  for (SpillReader in(cases); !in.done(); ++seq) {
    const CaseTuple t = GetCase(&in);
    SpillFile& f = part[t.key % parts];
    f.Put(seq);
    PutCase(&f, t);
  }
  // Each partition's distinct cases, in the order first seen, to a file of rows.
  std::vector<SpillFile> rows;
  rows.reserve(parts);
  for (SpillFile& f : part) {
    CaseTable table(n_endpoints);
    for (SpillReader in(f); !in.done();) {
      const auto s = in.Get<std::uint64_t>();
      table.Add(GetCase(&in), s);
    }
    f = SpillFile();  // this partition's records are no longer needed
    rows.emplace_back(ctx.spill_dir, kPartitionBufferBytes);
    table.Spill(&rows.back());
  }
  // Merge the rows by first position: the cases come out in the order first seen overall,
  // as sums over cases (case-level rates) expect.
  struct Head {
    std::uint64_t seq = 0;
    std::uint32_t suite = 0, tagset = 0;
    std::vector<CaseCount> counts;
    std::string id;
  };
  std::vector<SpillReader> readers;
  readers.reserve(parts);
  for (const SpillFile& f : rows) readers.emplace_back(f);
  std::vector<Head> heads(parts);
  auto next = [&](std::size_t p) {
    if (readers[p].done()) return false;
    Head& h = heads[p];
    h.seq = readers[p].Get<std::uint64_t>();
    h.suite = readers[p].Get<std::uint32_t>();
    h.tagset = readers[p].Get<std::uint32_t>();
    h.counts.resize(n_endpoints);
    readers[p].Read(h.counts.data(), sizeof(CaseCount) * n_endpoints);
    h.id = readers[p].GetString();
    return true;
  };
  using Item = std::pair<std::uint64_t, std::size_t>;  // (first position, partition)
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  for (std::size_t p = 0; p < parts; ++p) {
    if (next(p)) queue.push({heads[p].seq, p});
  }
  while (!queue.empty()) {
    const std::size_t p = queue.top().second;
    queue.pop();
    const Head& h = heads[p];
    fn(CaseRow{suite_names[h.suite], h.id, h.tagset, h.counts.data()});
    if (next(p)) queue.push({heads[p].seq, p});
  }
}

namespace {

// Case-level figures of every endpoint and pair, from one pass over the distinct cases.
struct CaseStats {
  struct PerEndpoint {
    CaseLevel all;
    std::map<std::string, CaseLevel, std::less<>> by_suite, by_tag;
    FirstByName flaky;
    explicit PerEndpoint(std::size_t cap) : flaky(cap) {}
  };
  struct PerPair {
    std::uint64_t shared = 0, a_only_cases = 0, b_only_cases = 0;
    std::uint64_t both = 0, a_only = 0, b_only = 0, neither = 0;
    std::uint64_t a_cases = 0, a_pass = 0, b_cases = 0, b_pass = 0;
    FirstByName disagree;
    explicit PerPair(std::size_t cap) : disagree(cap) {}
  };
  std::uint64_t cases = 0;
  std::vector<PerEndpoint> endpoints;
  std::vector<PerPair> pairs;  // (x, y), x < y, in order
};

}  // namespace

CaseStats SummaryBuilder::Impl::CollectCaseStats() const {
  const std::size_t n = endpoints.size();
  CaseStats cs;
  for (std::size_t e = 0; e < n; ++e) cs.endpoints.emplace_back(ctx.list_cap);
  for (std::size_t x = 0; x < n; ++x) {
    for (std::size_t y = x + 1; y < n; ++y) cs.pairs.emplace_back(ctx.list_cap);
  }
  ForEachCase([&](const CaseRow& row) {
    ++cs.cases;
    for (std::size_t e = 0; e < n; ++e) {
      const CaseCount& c = row.counts[e];
      if (c.samples == 0) continue;
      CaseStats::PerEndpoint& pe = cs.endpoints[e];
      pe.all.Add(c.answered, c.passed);
      auto sit = pe.by_suite.find(row.suite);
      if (sit == pe.by_suite.end()) sit = pe.by_suite.emplace(std::string(row.suite), CaseLevel{}).first;
      sit->second.Add(c.answered, c.passed);
      for (const std::string& t : tagsets[row.tagset]) pe.by_tag[t].Add(c.answered, c.passed);
      if (c.passed > 0 && c.passed < c.answered) pe.flaky.Offer(row.suite, row.id, c.passed, c.answered);
    }
    std::size_t k = 0;
    for (std::size_t x = 0; x < n; ++x) {
      for (std::size_t y = x + 1; y < n; ++y, ++k) {
        CaseStats::PerPair& p = cs.pairs[k];
        const CaseCount& ca = row.counts[x];
        const CaseCount& cb = row.counts[y];
        const bool ha = ca.answered > 0, hb = cb.answered > 0;
        const bool pa = ha && MajorityPass(ca), pb = hb && MajorityPass(cb);
        p.a_cases += ha;
        p.a_pass += pa;
        p.b_cases += hb;
        p.b_pass += pb;
        if (ha && hb) {
          ++p.shared;
          if (pa && pb)
            ++p.both;
          else if (pa)
            ++p.a_only;
          else if (pb)
            ++p.b_only;
          else
            ++p.neither;
          if (pa != pb) p.disagree.Offer(row.suite, row.id, pa, pb);
        } else if (ha) {
          ++p.a_only_cases;
        } else if (hb) {
          ++p.b_only_cases;
        }
      }
    }
  });
  return cs;
}

SummaryBuilder::SummaryBuilder(SummaryContext context)
    : impl_(std::make_unique<Impl>(std::move(context))) {
  for (const SummaryEndpointInfo& e : impl_->ctx.endpoints) impl_->EndpointIndex(e.name);
}
void SummaryBuilder::SetContext(SummaryContext context) {
  impl_->ctx = std::move(context);
  for (const SummaryEndpointInfo& e : impl_->ctx.endpoints) impl_->EndpointIndex(e.name);
}

SummaryBuilder::~SummaryBuilder() = default;
SummaryBuilder::SummaryBuilder(SummaryBuilder&&) noexcept = default;
SummaryBuilder& SummaryBuilder::operator=(SummaryBuilder&&) noexcept = default;

void SummaryBuilder::Add(const Record& r) {
  Impl& s = *impl_;
  ++s.records;
  // Tags deduplicated, order kept: a record counts once per tag.
  std::vector<std::string> tags;
  for (const std::string& t : r.tags) {
    if (std::find(tags.begin(), tags.end(), t) == tags.end()) tags.push_back(t);
  }
  std::vector<std::string> wildcard;
  if (r.ok() && !r.parsed.is_null()) {
    wildcard.reserve(r.hallucinated_fields.size());
    for (const std::string& p : r.hallucinated_fields) wildcard.push_back(Wildcard(p, r.parsed));
  }
  const std::size_t ep = s.EndpointIndex(r.endpoint);
  Impl::EndpointAcc& acc = s.endpoints[ep];
  s.Scoped(acc.all).Add(r, wildcard, &s.latencies);
  s.Scoped(acc.suites[r.suite]).Add(r, wildcard, &s.latencies);
  for (const std::string& t : tags) s.Scoped(acc.tags[t]).Add(r, wildcard, &s.latencies);
  if (r.ok() && !r.model.empty()) ++acc.served_models[r.model];

  CaseTuple t;
  t.key = CaseHash(r.suite, r.case_id);
  t.endpoint = static_cast<std::uint32_t>(ep);
  t.suite = s.SuiteIndex(r.suite);
  t.tagset = s.TagsetIndex(tags);
  t.flags = static_cast<std::uint8_t>((r.ok() ? kOk : 0) | (r.ok() && r.compliant ? kCompliant : 0));
  t.id = r.case_id;
  PutCase(&s.cases, t);
}

json SummaryBuilder::Impl::EndpointJson(std::size_t index, const SummaryEndpointInfo* info,
                                        CaseStats& cs,
                                        const std::vector<std::vector<double>>& pct) const {
  const EndpointAcc& acc = endpoints[index];
  CaseStats::PerEndpoint& pe = cs.endpoints[index];
  json flaky_list = json::array();
  for (const FirstByName::Entry& f : pe.flaky.Sorted()) {
    flaky_list.push_back({{"suite", f.suite}, {"case_id", f.id}, {"passed", f.x}, {"samples", f.y}});
  }
  auto lat = [&](const Metrics& m) -> const std::vector<double>& {
    static const std::vector<double> kNone(3, NAN);
    return m.scope < pct.size() ? pct[m.scope] : kNone;
  };
  json j = MetricsJson(acc.all, pe.all, lat(acc.all));
  j["case_level"]["flaky_cases"] = std::move(flaky_list);
  j["endpoint"] = acc.name;
  j["label"] = info ? info->label : "";
  j["model"] = info ? info->model : "";
  j["provider"] = info ? info->provider : "";
  if (info && info->pricing.set) {
    const Pricing& p = info->pricing;
    j["pricing"] = {{"input_per_mtok", p.input_per_mtok},
                    {"cached_input_per_mtok",
                     p.cached_input_per_mtok < 0 ? p.input_per_mtok : p.cached_input_per_mtok},
                    {"output_per_mtok", p.output_per_mtok}};
  } else {
    j["pricing"] = nullptr;
  }
  j["served_models"] = CountMap(acc.served_models);
  json suites = json::object(), tags = json::object();
  for (const auto& [name, m] : acc.suites) suites[name] = MetricsJson(m, pe.by_suite[name], lat(m));
  for (const auto& [name, m] : acc.tags) tags[name] = MetricsJson(m, pe.by_tag[name], lat(m));
  j["suites"] = std::move(suites);
  j["tags"] = std::move(tags);
  return j;
}

json SummaryBuilder::Impl::ComparisonJson(const std::vector<std::size_t>& order,
                                          CaseStats& cs) const {
  json pairs = json::array();
  std::size_t k = 0;
  for (std::size_t x = 0; x < order.size(); ++x) {
    for (std::size_t y = x + 1; y < order.size(); ++y, ++k) {
      const EndpointAcc& a = endpoints[order[x]];
      const EndpointAcc& b = endpoints[order[y]];
      const CaseStats::PerPair& p = cs.pairs[k];
      const double n = static_cast<double>(p.shared);
      const double a_rate = p.shared ? static_cast<double>(p.both + p.a_only) / n : NAN;
      const double b_rate = p.shared ? static_cast<double>(p.both + p.b_only) / n : NAN;
      const double pv = p.shared ? McNemarExactP(p.a_only, p.b_only) : NAN;
      const double mde = MinimumDetectableEffectPaired(
          p.shared, p.shared ? static_cast<double>(p.a_only + p.b_only) / n : 0);
      json list = json::array();
      for (const FirstByName::Entry& d : p.disagree.Sorted()) {
        list.push_back({{"suite", d.suite},
                        {"case_id", d.id},
                        {"a_compliant", d.x != 0},
                        {"b_compliant", d.y != 0}});
      }
      json pair = {{"a", a.name},
                   {"b", b.name},
                   {"shared_cases", p.shared},
                   {"a_only_cases", p.a_only_cases},
                   {"b_only_cases", p.b_only_cases},
                   {"both_compliant", p.both},
                   {"a_only_compliant", p.a_only},
                   {"b_only_compliant", p.b_only},
                   {"neither_compliant", p.neither},
                   {"a_rate", Num(a_rate)},
                   {"b_rate", Num(b_rate)},
                   {"delta", Num(b_rate - a_rate)},
                   {"test", "mcnemar_exact"},
                   {"p_value", Num(pv)},
                   {"significant", !std::isnan(pv) && pv < 0.05},
                   {"mde", Num(mde)},
                   {"disagreements_count", p.a_only + p.b_only},
                   {"disagreements", std::move(list)}};
      if (p.a_only_cases + p.b_only_cases > 0)
        pair["unpaired"] = UnpairedJson(p.a_pass, p.a_cases, p.b_pass, p.b_cases);
      pairs.push_back(std::move(pair));
    }
  }
  return {{"unit", "case"}, {"verdict", "majority"}, {"pairs", std::move(pairs)}};
}

json SummaryBuilder::Finish() const {
  const Impl& s = *impl_;
  try {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < s.endpoints.size(); ++i) order.push_back(i);
    CaseStats cs = s.CollectCaseStats();
    // Latency percentiles of every scope from the spill.
    std::vector<std::uint64_t> counts(s.scopes, 0);
    for (const Impl::EndpointAcc& acc : s.endpoints) {
      if (acc.all.scope < s.scopes) counts[acc.all.scope] = acc.all.latency_count;
      for (const auto& [name, m] : acc.suites) {
        if (m.scope < s.scopes) counts[m.scope] = m.latency_count;
      }
      for (const auto& [name, m] : acc.tags) {
        if (m.scope < s.scopes) counts[m.scope] = m.latency_count;
      }
    }
    const auto pct = SpilledPercentiles(s.latencies, counts, {0.50, 0.95, 0.99});
    json endpoints = json::object(), names = json::array();
    for (std::size_t i : order) {
      const Impl::EndpointAcc& acc = s.endpoints[i];
      const SummaryEndpointInfo* info = nullptr;
      for (const SummaryEndpointInfo& e : s.ctx.endpoints) {
        if (e.name == acc.name) info = &e;
      }
      endpoints[acc.name] = s.EndpointJson(i, info, cs, pct);
      names.push_back(acc.name);
    }
    json out;
    out["summary_version"] = 1;
    out["run"] = {{"id", s.ctx.run_id},       {"config", s.ctx.config},
                  {"started", s.ctx.started}, {"finished", s.ctx.finished},
                  {"repeat", s.ctx.repeat},   {"shard", s.ctx.shard}};
    out["totals"] = {{"records", s.records}, {"cases", cs.cases}, {"endpoints", order.size()}};
    out["endpoint_order"] = std::move(names);
    out["endpoints"] = std::move(endpoints);
    out["comparison"] = s.ComparisonJson(order, cs);
    return out;
  } catch (const std::exception& e) {
    // Only allocation failure can get here; report it in the document rather than throw.
    return {{"summary_version", 1}, {"error", std::string("summary failed: ") + e.what()}};
  }
}

std::vector<SummaryBuilder::CaseCounts> SummaryBuilder::Cases(const std::string& endpoint) const {
  const Impl& s = *impl_;
  std::vector<CaseCounts> out;
  auto it = s.endpoint_ids.find(endpoint);
  if (it == s.endpoint_ids.end()) return out;
  const std::size_t e = it->second;
  s.ForEachCase([&](const CaseRow& row) {
    const CaseCount& c = row.counts[e];
    if (c.samples > 0)
      out.push_back({std::string(row.suite), std::string(row.id), c.samples, c.answered, c.passed});
  });
  std::sort(out.begin(), out.end(), [](const CaseCounts& a, const CaseCounts& b) {
    return a.suite != b.suite ? a.suite < b.suite : a.case_id < b.case_id;
  });
  return out;
}

std::vector<std::string> SummaryBuilder::Endpoints() const {
  std::vector<std::string> out;
  for (const auto& e : impl_->endpoints) out.push_back(e.name);
  return out;
}

std::size_t SummaryBuilder::records() const { return impl_->records; }

namespace {

// Map entries counted with an allowance for the node (pointers, colour, allocator header).
constexpr std::size_t kNodeBytes = 64;

template <typename Map>
std::size_t MapBytes(const Map& m) {
  std::size_t n = 0;
  for (const auto& [k, v] : m) n += kNodeBytes + k.size();
  return n;
}

std::size_t MetricsBytes(const Metrics& m) {
  return sizeof(Metrics) + MapBytes(m.errors_by_status) + MapBytes(m.hallucinated_fields) +
         MapBytes(m.rule_failures) + MapBytes(m.fields);
}

}  // namespace

std::size_t SummaryBuilder::memory_bytes() const {
  const Impl& s = *impl_;
  std::size_t n = sizeof(Impl) + s.cases.memory_bytes() + s.latencies.memory_bytes();
  for (const std::string& name : s.suite_names) n += 2 * (kNodeBytes + name.size());
  for (const auto& tags : s.tagsets) {
    n += 2 * kNodeBytes;
    for (const std::string& t : tags) n += 2 * (sizeof(std::string) + t.size());
  }
  for (const Impl::EndpointAcc& acc : s.endpoints) {
    n += sizeof(acc) + 2 * (kNodeBytes + acc.name.size()) + MetricsBytes(acc.all) +
         MapBytes(acc.served_models);
    for (const auto& [name, m] : acc.suites) n += kNodeBytes + name.size() + MetricsBytes(m);
    for (const auto& [name, m] : acc.tags) n += kNodeBytes + name.size() + MetricsBytes(m);
  }
  return n;
}

}  // namespace comply
