#include "evaluator/schema_walker.h"

#include <unordered_map>

#include <re2/re2.h>

#include "evaluator/schema_uri.h"

namespace comply::schema_internal {
namespace {

using nlohmann::json;

// A child reference: a node index, or one of these.
constexpr int kTrue = -1;
constexpr int kFalse = -2;
constexpr int kAbsent = -3;

// Lookups by std::string_view (instance keys live in the JsonDoc).
struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct WalkNode {
  std::unordered_map<std::string, int, KeyHash, std::equal_to<>> props;
  std::vector<std::pair<const RE2*, int>> patterns;
  int additional = kAbsent;
  int unevaluated = kAbsent;
  bool names_members = false;  // has properties or patternProperties
  bool typed_map = false;      // additional/unevaluatedProperties is a schema with an assertion
  int ref = kAbsent;
  std::vector<int> all_of, any_of, one_of;
  int if_ = kAbsent, then_ = kAbsent, else_ = kAbsent;
  std::vector<std::pair<std::string, int>> dependent;
  int items = kAbsent;
  std::vector<int> tuple;
  int additional_items = kAbsent;
};

int ChildId(const json& child) {
  if (child.is_boolean()) return child.get<bool>() ? kTrue : kFalse;
  auto r = child.find("$ref");
  if (r == child.end() || !r->is_string()) return kAbsent;
  return std::stoi(r->get<std::string>().substr(std::string("#/$comply/n").size()));
}

// pointer += "/" + the escaped key, without a temporary for the common key.
void AppendToken(std::string* pointer, std::string_view key) {
  pointer->push_back('/');
  if (key.find_first_of("~/") == std::string_view::npos) {
    pointer->append(key);
  } else {
    pointer->append(EscapePointerToken(key));
  }
}

std::string Child(std::string_view pointer, std::string_view key) {
  std::string p(pointer);
  p += '/';
  p += EscapePointerToken(key);
  return p;
}

}  // namespace

struct SchemaWalker::Impl {
  std::vector<WalkNode> nodes;
  std::unordered_map<std::string, std::unique_ptr<RE2>> regex;
  bool has_unevaluated = false;
  bool valid_means_declared = false;

  // True when every node reachable from the root through member and item schemas (and
  // $ref / allOf) is "plain" — no anyOf / oneOf / if / dependencies / unevaluatedProperties,
  // so the walker's set at a location is the node with its $ref / allOf closure, exactly the
  // schemas valijson validated there — and every such node that names members either closes the
  // object (additionalProperties false) or is a typed map. Then an instance valid against
  // the schema has no member the walker would report.
  bool ComputeValidMeansDeclared() const {
    std::vector<char> seen(nodes.size(), 0);
    std::vector<int> stack{0};
    while (!stack.empty()) {
      const int id = stack.back();
      stack.pop_back();
      if (id < 0 || seen[static_cast<size_t>(id)]) continue;
      seen[static_cast<size_t>(id)] = 1;
      const WalkNode& w = nodes[static_cast<size_t>(id)];
      if (!w.any_of.empty() || !w.one_of.empty() || w.if_ != kAbsent ||
          !w.dependent.empty() || w.unevaluated != kAbsent) {
        return false;
      }
      if (w.names_members && !w.typed_map && w.additional != kFalse) return false;
      stack.push_back(w.ref);
      for (int c : w.all_of) stack.push_back(c);
      for (const auto& [key, c] : w.props) stack.push_back(c);
      for (const auto& [re, c] : w.patterns) stack.push_back(c);
      stack.push_back(w.additional);
      stack.push_back(w.items);
      for (int c : w.tuple) stack.push_back(c);
      stack.push_back(w.additional_items);
    }
    return true;
  }

  enum class Mode { kDeclared, kEvaluated };

  bool Matches(int id, JsonRef inst, const ValijsonSchema& v) const {
    if (id == kTrue || id == kAbsent) return true;
    if (id == kFalse) return false;
    return v.Validate(static_cast<size_t>(id), inst, nullptr, "");
  }

  // Adds `id` and every subschema applying in place at `inst` to *out (each once).
  void Expand(int id, JsonRef inst, Mode mode, const ValijsonSchema& v, std::vector<int>* out) const {
    std::vector<int> stack{id};
    while (!stack.empty()) {
      int n = stack.back();
      stack.pop_back();
      if (n < 0) continue;
      bool seen = false;
      for (int x : *out) seen = seen || x == n;
      if (seen) continue;
      out->push_back(n);
      const WalkNode& w = nodes[static_cast<size_t>(n)];
      if (w.ref != kAbsent) stack.push_back(w.ref);
      for (int c : w.all_of) stack.push_back(c);
      for (const auto* list : {&w.any_of, &w.one_of}) {
        if (list->empty()) continue;
        bool any = false;
        for (int c : *list) {
          if (Matches(c, inst, v)) {
            stack.push_back(c);
            any = true;
          }
        }
        if (!any && mode == Mode::kDeclared) {
          for (int c : *list) stack.push_back(c);
        }
      }
      if (w.if_ != kAbsent) {
        if (Matches(w.if_, inst, v)) {
          stack.push_back(w.if_);
          if (w.then_ != kAbsent) stack.push_back(w.then_);
        } else if (w.else_ != kAbsent) {
          stack.push_back(w.else_);
        }
      }
      if (inst.is_object()) {
        for (const auto& [key, c] : w.dependent) {
          if (inst.find(key).valid()) stack.push_back(c);
        }
      }
    }
  }

  // The subschemas that apply to member `key` of an object under the nodes `set`.
  void MemberSchemas(const std::vector<int>& set, std::string_view key, std::vector<int>* out) const {
    for (int n : set) {
      const WalkNode& w = nodes[static_cast<size_t>(n)];
      bool named = false;
      auto p = w.props.find(key);
      if (p != w.props.end()) {
        named = true;
        out->push_back(p->second);
      }
      for (const auto& [re, c] : w.patterns) {
        if (re != nullptr && RE2::PartialMatch(re2::StringPiece(key.data(), key.size()), *re)) {
          named = true;
          out->push_back(c);
        }
      }
      if (named) continue;
      if (w.additional != kAbsent) {
        out->push_back(w.additional);
      } else if (w.unevaluated != kAbsent) {
        out->push_back(w.unevaluated);
      }
    }
  }

  void ItemSchemas(const std::vector<int>& set, size_t index, std::vector<int>* out) const {
    for (int n : set) {
      const WalkNode& w = nodes[static_cast<size_t>(n)];
      if (!w.tuple.empty()) {
        out->push_back(index < w.tuple.size() ? w.tuple[index] : w.additional_items);
      } else if (w.items != kAbsent) {
        out->push_back(w.items);
      }
    }
  }

  bool Names(const WalkNode& w, std::string_view key) const {
    if (w.props.find(key) != w.props.end()) return true;
    for (const auto& [re, c] : w.patterns) {
      if (re != nullptr && RE2::PartialMatch(re2::StringPiece(key.data(), key.size()), *re)) return true;
    }
    return false;
  }

  void Hallucinated(JsonRef inst, const std::vector<int>& incoming, std::string& pointer, int depth,
                    const ValijsonSchema& v, std::vector<std::string>* out) const {
    if (depth > kMaxWalkDepth || (!inst.is_object() && !inst.is_array())) return;
    std::vector<int> set;
    for (int id : incoming) Expand(id, inst, Mode::kDeclared, v, &set);
    const size_t keep = pointer.size();
    std::vector<int> child;
    if (inst.is_array()) {
      for (size_t i = 0; i < inst.size(); ++i) {
        const JsonRef item = inst.at(i);
        if (!item.is_object() && !item.is_array()) continue;
        child.clear();
        ItemSchemas(set, i, &child);
        pointer += '/';
        pointer += std::to_string(i);
        Hallucinated(item, child, pointer, depth + 1, v, out);
        pointer.resize(keep);
      }
      return;
    }
    bool named_anywhere = false, typed = false;
    for (int n : set) {
      named_anywhere = named_anywhere || nodes[static_cast<size_t>(n)].names_members;
      typed = typed || nodes[static_cast<size_t>(n)].typed_map;
    }
    const bool free_form = !named_anywhere || typed;
    for (size_t m = 0; m < inst.size(); ++m) {
      const std::string_view key = inst.key(m);
      const JsonRef value = inst.value(m);
      bool declared = free_form;
      for (size_t i = 0; i < set.size() && !declared; ++i) declared = Names(nodes[static_cast<size_t>(set[i])], key);
      AppendToken(&pointer, key);
      if (!declared) out->push_back(pointer);
      if (value.is_object() || value.is_array()) {
        child.clear();
        MemberSchemas(set, key, &child);
        Hallucinated(value, child, pointer, depth + 1, v, out);
      }
      pointer.resize(keep);
    }
  }

  // Keys evaluated by node `n` and its in-place subschemas; *all when every key is.
  void Evaluated(int n, JsonRef inst, const ValijsonSchema& v, std::vector<size_t>* keys, bool* all) const {
    std::vector<int> closure;
    Expand(n, inst, Mode::kEvaluated, v, &closure);
    *all = false;
    for (int c : closure) {
      const WalkNode& w = nodes[static_cast<size_t>(c)];
      if (w.additional != kAbsent || (c != n && w.unevaluated != kAbsent)) *all = true;
    }
    if (*all) return;
    for (size_t m = 0; m < inst.size(); ++m) {
      for (int c : closure) {
        if (Names(nodes[static_cast<size_t>(c)], inst.key(m))) {
          keys->push_back(m);
          break;
        }
      }
    }
  }

  bool Unevaluated(JsonRef inst, const std::vector<int>& incoming, std::string& pointer, int depth,
                   const ValijsonSchema& v, std::vector<SchemaError>* errors) const {
    if (depth > kMaxWalkDepth || (!inst.is_object() && !inst.is_array())) return true;
    std::vector<int> set;
    for (int id : incoming) Expand(id, inst, Mode::kEvaluated, v, &set);
    bool ok = true;
    const size_t keep = pointer.size();
    std::vector<int> child;
    if (inst.is_array()) {
      for (size_t i = 0; i < inst.size(); ++i) {
        child.clear();
        ItemSchemas(set, i, &child);
        pointer += '/';
        pointer += std::to_string(i);
        ok = Unevaluated(inst.at(i), child, pointer, depth + 1, v, errors) && ok;
        pointer.resize(keep);
        if (!ok && errors == nullptr) return false;
      }
      return ok;
    }
    for (int n : set) {
      const WalkNode& w = nodes[static_cast<size_t>(n)];
      if (w.unevaluated == kAbsent || w.unevaluated == kTrue) continue;
      std::vector<size_t> keys;
      bool all = false;
      Evaluated(n, inst, v, &keys, &all);
      if (all) continue;
      for (size_t m = 0; m < inst.size(); ++m) {
        bool evaluated = false;
        for (size_t k : keys) evaluated = evaluated || k == m;
        if (evaluated) continue;
        const std::string key(inst.key(m));
        std::string member = Child(pointer, key);
        if (w.unevaluated == kFalse) {
          ok = false;
          if (errors == nullptr) return false;
          errors->push_back({member, "unevaluatedProperties", "property \"" + key + "\" is not allowed (unevaluatedProperties is false)"});
        } else if (!v.Validate(static_cast<size_t>(w.unevaluated), inst.value(m), errors, member)) {
          ok = false;
          if (errors == nullptr) return false;
        }
      }
    }
    for (size_t m = 0; m < inst.size(); ++m) {
      const JsonRef value = inst.value(m);
      if (!value.is_object() && !value.is_array()) continue;
      child.clear();
      MemberSchemas(set, inst.key(m), &child);
      AppendToken(&pointer, inst.key(m));
      ok = Unevaluated(value, child, pointer, depth + 1, v, errors) && ok;
      pointer.resize(keep);
      if (!ok && errors == nullptr) return false;
    }
    return ok;
  }
};

SchemaWalker::SchemaWalker() : impl_(std::make_unique<Impl>()) {}
SchemaWalker::~SchemaWalker() = default;

Result<std::unique_ptr<SchemaWalker>> SchemaWalker::Build(const Prepassed& p, std::string_view source) {
  std::unique_ptr<SchemaWalker> walker(new SchemaWalker());
  Impl& m = *walker->impl_;
  for (const auto& [ecma, text] : p.patterns) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(64 << 20);
    auto re = std::make_unique<RE2>(text, options);
    if (!re->ok()) {
      return InvalidInput(std::string(source) + ": pattern \"" + ecma + "\" is not supported by RE2: " + re->error());
    }
    m.regex.emplace(ecma, std::move(re));
  }
  auto regex = [&](const std::string& ecma) -> const RE2* {
    auto it = m.regex.find(ecma);
    return it == m.regex.end() ? nullptr : it->second.get();
  };
  auto has_assertion = [&](int id) { return id >= 0 && !p.nodes[static_cast<size_t>(id)].empty(); };
  m.nodes.resize(p.nodes.size());
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    const json& n = p.nodes[i];
    WalkNode& w = m.nodes[i];
    if (!n.is_object()) continue;
    if (auto it = n.find("properties"); it != n.end()) {
      w.names_members = true;
      for (auto c = it->begin(); c != it->end(); ++c) w.props.emplace(c.key(), ChildId(c.value()));
    }
    if (auto it = n.find("patternProperties"); it != n.end()) {
      w.names_members = true;
      for (auto c = it->begin(); c != it->end(); ++c) w.patterns.emplace_back(regex(c.key()), ChildId(c.value()));
    }
    if (auto it = n.find("additionalProperties"); it != n.end()) w.additional = ChildId(*it);
    if (auto it = n.find(kUnevaluatedKey); it != n.end()) {
      w.unevaluated = ChildId(*it);
      m.has_unevaluated = true;
    }
    w.typed_map = has_assertion(w.additional) || has_assertion(w.unevaluated);
    if (auto it = n.find("$ref"); it != n.end()) w.ref = ChildId(n);
    for (const char* k : {"allOf", "anyOf", "oneOf"}) {
      auto it = n.find(k);
      if (it == n.end()) continue;
      std::vector<int>& list = k[1] == 'l' ? w.all_of : (k[1] == 'n' ? w.any_of : w.one_of);
      for (const json& c : *it) list.push_back(ChildId(c));
    }
    if (auto it = n.find("if"); it != n.end()) {
      w.if_ = ChildId(*it);
      if (auto t = n.find("then"); t != n.end()) w.then_ = ChildId(*t);
      if (auto e = n.find("else"); e != n.end()) w.else_ = ChildId(*e);
    }
    if (auto it = n.find("dependencies"); it != n.end()) {
      for (auto c = it->begin(); c != it->end(); ++c) {
        if (!c.value().is_array()) w.dependent.emplace_back(c.key(), ChildId(c.value()));
      }
    }
    if (auto it = n.find("items"); it != n.end()) {
      if (it->is_array()) {
        for (const json& c : *it) w.tuple.push_back(ChildId(c));
        if (auto a = n.find("additionalItems"); a != n.end()) w.additional_items = ChildId(*a);
      } else {
        w.items = ChildId(*it);
      }
    }
  }
  m.valid_means_declared = m.ComputeValidMeansDeclared();
  return walker;
}

bool SchemaWalker::ValidMeansDeclared() const { return impl_->valid_means_declared; }

std::vector<size_t> SchemaWalker::Probes() const {
  std::vector<size_t> probes{0};
  auto add = [&](int id) {
    if (id < 0) return;
    for (size_t p : probes) {
      if (p == static_cast<size_t>(id)) return;
    }
    probes.push_back(static_cast<size_t>(id));
  };
  for (const WalkNode& w : impl_->nodes) {
    for (int c : w.any_of) add(c);
    for (int c : w.one_of) add(c);
    add(w.if_);
    add(w.unevaluated);
  }
  return probes;
}

bool SchemaWalker::has_unevaluated() const { return impl_->has_unevaluated; }

void SchemaWalker::FindHallucinated(JsonRef instance, const ValijsonSchema& v,
                                    std::vector<std::string>* pointers) const {
  std::string pointer;
  impl_->Hallucinated(instance, {0}, pointer, 0, v, pointers);
}

bool SchemaWalker::CheckUnevaluated(JsonRef instance, const ValijsonSchema& v,
                                    std::vector<SchemaError>* errors) const {
  std::string pointer;
  return impl_->Unevaluated(instance, {0}, pointer, 0, v, errors);
}

}  // namespace comply::schema_internal
