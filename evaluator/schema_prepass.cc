#include "evaluator/schema_prepass.h"

#include <cstdint>
#include <deque>
#include <fstream>
#include <limits>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

#include "evaluator/schema_keywords.h"
#include "evaluator/schema_regex.h"
#include "evaluator/schema_uri.h"

namespace comply::schema_internal {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

enum class Dialect { kDraft4 = 4, kDraft6 = 6, kDraft7 = 7, k2019 = 2019, k2020 = 2020 };

std::optional<Dialect> DialectOf(const json& schema) {
  if (!schema.is_object()) return std::nullopt;
  auto it = schema.find("$schema");
  if (it == schema.end() || !it->is_string()) return std::nullopt;
  const std::string& s = it->get_ref<const std::string&>();
  if (s.find("draft-03") != std::string::npos || s.find("draft-04") != std::string::npos) {
    return Dialect::kDraft4;
  }
  if (s.find("draft-06") != std::string::npos) return Dialect::kDraft6;
  if (s.find("draft-07") != std::string::npos) return Dialect::kDraft7;
  if (s.find("2019-09") != std::string::npos) return Dialect::k2019;
  return Dialect::k2020;
}

struct Doc {
  const json* value = nullptr;
  std::string uri;     // absolute, without fragment
  std::string label;   // for messages: "" for the root document, else the file or URI
  Dialect dialect = Dialect::k2020;
};

struct Loc {
  size_t doc = 0;
  std::string pointer;
};

struct Task {
  Loc loc;
  std::string base;  // the base URI in effect inside this schema (after its own $id)
  Dialect dialect;
};

// Keywords whose value is one subschema / an array of them / a map of them.
const std::set<std::string, std::less<>> kSingle = {
    "additionalProperties", "unevaluatedProperties", "additionalItems", "unevaluatedItems",
    "contains", "propertyNames", "not", "if", "then", "else", "contentSchema"};
const std::set<std::string, std::less<>> kArray = {"allOf", "anyOf", "oneOf", "prefixItems"};
const std::set<std::string, std::less<>> kMap = {"properties", "patternProperties", "dependentSchemas",
                                                 "definitions", "$defs", "dependencies"};

bool IsSchemaValue(const json& v) { return v.is_object() || v.is_boolean(); }

// Calls fn(relative pointer, child) for each subschema position of `obj`.
template <typename Fn>
void ForEachChild(const json& obj, Fn&& fn) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    std::string base = "/" + EscapePointerToken(k);
    if (k == "items") {
      if (v.is_array()) {
        for (size_t i = 0; i < v.size(); ++i) fn(base + "/" + std::to_string(i), v[i]);
      } else if (IsSchemaValue(v)) {
        fn(base, v);
      }
    } else if (kSingle.count(k) != 0) {
      if (IsSchemaValue(v)) fn(base, v);
    } else if (kArray.count(k) != 0) {
      if (v.is_array()) {
        for (size_t i = 0; i < v.size(); ++i) fn(base + "/" + std::to_string(i), v[i]);
      }
    } else if (kMap.count(k) != 0) {
      if (v.is_object()) {
        for (auto c = v.begin(); c != v.end(); ++c) {
          if (IsSchemaValue(c.value())) fn(base + "/" + EscapePointerToken(c.key()), c.value());
        }
      }
    }
  }
}

// Numbers above INT64_MAX become doubles (valijson would read them as wrapped negatives);
// integral doubles in count keywords become integers.
json NormalizeNumber(const json& v) {
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return json(static_cast<double>(v.get<uint64_t>()));
  }
  return v;
}

// Counts beyond INT64_MAX (which valijson cannot read) become INT64_MAX: no instance is that
// long, so the verdict is the same.
json NormalizeCount(const json& v) {
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return json(INT64_MAX);
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d > 9.0e18) return json(INT64_MAX);
    if (d >= 0 && d == static_cast<double>(static_cast<int64_t>(d))) {
      return json(static_cast<int64_t>(d));
    }
  }
  return v;
}

// valijson copies pattern strings through c_str(): a NUL inside would cut them short, so the
// pattern text handed on spells it as the ECMA-262 escape \u0000 (same meaning).
std::string PatternKey(const std::string& pattern) {
  if (pattern.find('\0') == std::string::npos) return pattern;
  std::string out;
  for (char c : pattern) {
    if (c == '\0') {
      out += "\\u0000";
    } else {
      out += c;
    }
  }
  return out;
}

class Prepasser {
 public:
  Prepasser(const fs::path& base_dir, std::string_view source, const PrepassOptions& options)
      : base_dir_(base_dir), source_(source), options_(options) {}

  Result<Prepassed> Run(const json& root) {
    std::error_code ec;
    fs::path dir = fs::weakly_canonical(fs::absolute(base_dir_, ec), ec);
    folder_ = dir;
    std::string name = fs::path(std::string(source_)).filename().string();
    if (name.size() < 5 || name.substr(name.size() - 5) != ".json") name = "schema.json";
    Doc doc;
    doc.value = &root;
    doc.uri = "file://" + (dir / name).generic_string();
    doc.label = "";
    doc.dialect = DialectOf(root).value_or(Dialect::k2020);
    if (auto st = AddDoc(doc); !st.ok()) return st.error();
    NodeIndex(Loc{0, ""}, InnerBase(doc.uri, root, doc.dialect), doc.dialect);
    while (next_ < tasks_.size()) {
      if (synthetic_.count(next_) != 0) {
        ++next_;
        continue;
      }
      Task t = tasks_[next_];
      auto node = Normalize(t);
      if (!node.ok()) return node.error();
      out_.nodes[next_] = std::move(*node);
      ++next_;
    }
    if (auto st = CheckCycles(); !st.ok()) return st.error();
    return std::move(out_);
  }

 private:
  Error Fail(const std::string& what) { return InvalidInput(std::string(source_) + ": " + what); }

  std::string Where(const Loc& loc) const {
    std::string p = loc.pointer.empty() ? "/" : loc.pointer;
    if (loc.doc == 0) return p;
    return docs_[loc.doc].label + "#" + loc.pointer;
  }

  // The pointer of keyword `kw` in the schema at `loc`, for messages.
  std::string KeywordAt(const Loc& loc, const std::string& kw) const {
    std::string base = loc.doc == 0 ? loc.pointer : docs_[loc.doc].label + "#" + loc.pointer;
    return base + "/" + EscapePointerToken(kw);
  }

  const json* At(const Loc& loc) const {
    std::vector<std::string> tokens;
    SplitPointer(loc.pointer, &tokens);
    const json* v = docs_[loc.doc].value;
    for (const std::string& t : tokens) {
      if (v->is_object()) {
        auto it = v->find(t);
        if (it == v->end()) return nullptr;
        v = &*it;
      } else if (v->is_array()) {
        if (t.empty() || t.find_first_not_of("0123456789") != std::string::npos) return nullptr;
        size_t i = std::stoul(t);
        if (i >= v->size()) return nullptr;
        v = &(*v)[i];
      } else {
        return nullptr;
      }
    }
    return v;
  }

  // The base URI inside `obj` given the base outside it.
  static std::string InnerBase(const std::string& outer, const json& obj, Dialect d) {
    if (!obj.is_object()) return outer;
    if (d <= Dialect::kDraft7 && obj.contains("$ref")) return outer;  // $ref siblings ignored
    auto it = obj.find(d == Dialect::kDraft4 ? "id" : "$id");
    if (it == obj.end() || !it->is_string()) return outer;
    const std::string& id = it->get_ref<const std::string&>();
    if (!id.empty() && id[0] == '#') return outer;  // a plain-name anchor
    std::string frag;
    return SplitUriFragment(ResolveUri(outer, id), &frag);
  }

  static Dialect InnerDialect(Dialect outer, const json& obj) {
    if (obj.is_object() && (obj.contains("$id") || obj.contains("id"))) {
      if (auto d = DialectOf(obj)) return *d;
    }
    return outer;
  }

  // Registers the $id resources and anchors of one document.
  Status AddDoc(Doc doc) {
    docs_.push_back(doc);
    const size_t index = docs_.size() - 1;
    resources_.emplace(doc.uri, Loc{index, ""});
    struct Item {
      const json* v;
      std::string pointer;
      std::string base;
      Dialect d;
    };
    std::vector<Item> stack{{doc.value, "", doc.uri, doc.dialect}};
    while (!stack.empty()) {
      Item item = std::move(stack.back());
      stack.pop_back();
      if (!item.v->is_object()) continue;
      const json& obj = *item.v;
      Dialect d = item.pointer.empty() ? item.d : InnerDialect(item.d, obj);
      std::string base = InnerBase(item.base, obj, d);
      if (base != item.base) resources_.emplace(base, Loc{index, item.pointer});
      auto idit = obj.find(d == Dialect::kDraft4 ? "id" : "$id");
      if (idit != obj.end() && idit->is_string() && !(d <= Dialect::kDraft7 && obj.contains("$ref"))) {
        std::string frag;
        std::string id_uri = SplitUriFragment(ResolveUri(item.base, idit->get<std::string>()), &frag);
        if (!frag.empty() && frag[0] != '/') anchors_.emplace(id_uri + "#" + frag, Loc{index, item.pointer});
      }
      for (const char* key : {"$anchor", "$dynamicAnchor"}) {
        auto a = obj.find(key);
        if (a != obj.end() && a->is_string() && d >= Dialect::k2019) {
          anchors_.emplace(base + "#" + a->get<std::string>(), Loc{index, item.pointer});
        }
      }
      ForEachChild(obj, [&](const std::string& rel, const json& child) {
        stack.push_back({&child, item.pointer + rel, base, d});
      });
    }
    return Status::Ok();
  }

  // Loads a document for an absolute URI without fragment; false when not available.
  Status LoadDoc(const std::string& uri, const std::string& ref, const Loc& from, Dialect d) {
    std::unique_ptr<json> value;
    std::string label;
    if (uri.rfind("file://", 0) == 0) {
      fs::path path = fs::path(PercentDecode(uri.substr(7)));
      std::error_code ec;
      fs::path canon = fs::weakly_canonical(path, ec);
      std::string folder = folder_.generic_string();
      std::string file = canon.generic_string();
      if (ec || file.compare(0, folder.size(), folder) != 0 ||
          (file.size() > folder.size() && file[folder.size()] != '/')) {
        return Fail("$ref \"" + ref + "\" at " + KeywordAt(from, "$ref") + " resolves outside the suite folder");
      }
      std::ifstream in(canon);
      if (!in) {
        return Fail("$ref \"" + ref + "\" at " + KeywordAt(from, "$ref") + ": cannot read " + file);
      }
      std::stringstream ss;
      ss << in.rdbuf();
      value = std::make_unique<json>(json::parse(ss.str(), nullptr, false));
      if (value->is_discarded()) {
        return Fail("$ref \"" + ref + "\" at " + KeywordAt(from, "$ref") + ": " + file + " is not valid JSON");
      }
      label = fs::relative(canon, folder_, ec).generic_string();
      if (ec || label.empty()) label = file;
    } else {
      std::optional<json> fetched;
      if (options_.fetch_remote) fetched = options_.fetch_remote(uri);
      if (!fetched) {
        return Fail("remote $ref \"" + ref + "\" at " + KeywordAt(from, "$ref") +
                    " is not fetched (only files inside the suite folder resolve)");
      }
      value = std::make_unique<json>(std::move(*fetched));
      label = uri;
    }
    Doc doc;
    doc.value = value.get();
    owned_.push_back(std::move(value));
    doc.uri = uri;
    doc.label = label;
    doc.dialect = DialectOf(*doc.value).value_or(d);
    return AddDoc(doc);
  }

  // Resolves `ref` written at `from` (base `base`) to a location.
  Result<Loc> Resolve(const std::string& ref, const Loc& from, const std::string& base, Dialect d) {
    std::string frag;
    std::string uri = SplitUriFragment(ResolveUri(base, ref), &frag);
    frag = PercentDecode(frag);
    auto res = resources_.find(uri);
    if (res == resources_.end()) {
      if (auto st = LoadDoc(uri, ref, from, d); !st.ok()) return st.error();
      res = resources_.find(uri);
    }
    Loc target;
    if (frag.empty()) {
      target = res->second;
    } else if (frag[0] == '/') {
      target = Loc{res->second.doc, res->second.pointer + frag};
    } else {
      auto a = anchors_.find(uri + "#" + frag);
      if (a == anchors_.end()) {
        return Fail("$ref \"" + ref + "\" at " + KeywordAt(from, "$ref") + " does not resolve");
      }
      target = a->second;
    }
    if (At(target) == nullptr) {
      return Fail("$ref \"" + ref + "\" at " + KeywordAt(from, "$ref") + " does not resolve");
    }
    return target;
  }

  // The base URI and dialect inside the schema at `loc`, walking from its document root.
  std::pair<std::string, Dialect> ScopeAt(const Loc& loc) const {
    const Doc& doc = docs_[loc.doc];
    std::vector<std::string> tokens;
    SplitPointer(loc.pointer, &tokens);
    const json* v = doc.value;
    Dialect d = doc.dialect;
    std::string base = InnerBase(doc.uri, *v, d);
    for (const std::string& t : tokens) {
      if (v->is_object()) {
        auto it = v->find(t);
        if (it == v->end()) break;
        v = &*it;
      } else if (v->is_array()) {
        size_t i = std::strtoul(t.c_str(), nullptr, 10);
        if (i >= v->size()) break;
        v = &(*v)[i];
      } else {
        break;
      }
      d = InnerDialect(d, *v);
      base = InnerBase(base, *v, d);
    }
    return {base, d};
  }

  size_t NodeIndex(const Loc& loc, const std::string& base, Dialect d) {
    std::string key = std::to_string(loc.doc) + "#" + loc.pointer;
    auto it = index_.find(key);
    if (it != index_.end()) return it->second;
    size_t k = tasks_.size();
    index_.emplace(key, k);
    tasks_.push_back(Task{loc, base, d});
    out_.nodes.emplace_back();
    out_.where.push_back(Where(loc));
    return k;
  }

  json ChildRef(const Task& parent, const std::string& rel, const json& child) {
    if (child.is_boolean()) return child;
    Loc loc{parent.loc.doc, parent.loc.pointer + rel};
    Dialect d = InnerDialect(parent.dialect, child);
    size_t k = NodeIndex(loc, InnerBase(parent.base, child, d), d);
    return json{{"$ref", NodeRef(k)}};
  }

  Status AddPattern(const std::string& pattern, const std::string& where) {
    if (out_.patterns.count(pattern) != 0) return Status::Ok();
    std::string re2, problem;
    PatternStatus st = TranslateEcmaPattern(pattern, &re2, &problem);
    if (st == PatternStatus::kUnsupported) {
      return Fail("pattern at " + where + " uses " + problem + ", which RE2 cannot run");
    }
    if (st == PatternStatus::kSyntaxError) {
      return Fail("pattern at " + where + " is not a valid regular expression: " + problem);
    }
    out_.patterns.emplace(pattern, std::move(re2));
    return Status::Ok();
  }

  Result<json> Normalize(const Task& t) {
    const json* vp = At(t.loc);
    const json& v = *vp;
    const std::string here = t.loc.doc == 0 ? t.loc.pointer : Where(t.loc);
    auto kw = [&](const std::string& k) { return here + "/" + EscapePointerToken(k); };
    if (v.is_boolean()) return v;
    if (!v.is_object()) return Fail("the schema at " + Where(t.loc) + " is neither an object nor a boolean");
    const Dialect d = t.dialect;
    json out = json::object();
    json all_of_extra = json::array();
    if (d >= Dialect::k2019) {
      for (const char* k : {"$dynamicRef", "$recursiveRef", "minContains", "maxContains"}) {
        if (v.contains(k)) return Fail(std::string("unsupported keyword \"") + k + "\" at " + kw(k));
      }
      auto ui = v.find("unevaluatedItems");
      if (ui != v.end() && !(*ui == json(true) || *ui == json::object())) {
        return Fail("unsupported keyword \"unevaluatedItems\" at " + kw("unevaluatedItems"));
      }
    }
    auto ref = v.find("$ref");
    if (ref != v.end()) {
      if (!ref->is_string()) return Fail("$ref at " + kw("$ref") + " is not a string");
      auto target = Resolve(ref->get<std::string>(), t.loc, t.base, d);
      if (!target.ok()) return target.error();
      auto [tbase, tdialect] = ScopeAt(*target);
      json r = {{"$ref", NodeRef(NodeIndex(*target, tbase, tdialect))}};
      if (d <= Dialect::kDraft7) return r;  // draft 7 and before: siblings of $ref are ignored
      all_of_extra.push_back(std::move(r));
    }
    if (auto problem = CheckKeywordValues(v, static_cast<int>(d), here)) return Fail(*problem);
    json deps = json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& k = it.key();
      const json& val = it.value();
      const std::string rel = "/" + EscapePointerToken(k);
      if (k == "type" || k == "enum" || k == "uniqueItems" || (k == "const" && d >= Dialect::kDraft6)) {
        out[k] = val;
      } else if (k == "format") {
        if (val.is_string() && !val.get_ref<const std::string&>().empty()) out[k] = val;
      } else if (k == "required") {
        if (val.is_array()) out[k] = val;
      } else if (k == "maxLength" || k == "minLength" || k == "maxItems" || k == "minItems" ||
                 k == "maxProperties" || k == "minProperties") {
        out[k] = NormalizeCount(val);
      } else if (k == "multipleOf" || k == "maximum" || k == "minimum") {
        out[k] = NormalizeNumber(val);
      } else if (k == "exclusiveMaximum" || k == "exclusiveMinimum") {
        if (!val.is_boolean()) out[k] = NormalizeNumber(val);
      } else if (k == "pattern") {
        if (!val.is_string()) return Fail("pattern at " + kw(k) + " is not a string");
        const std::string key = PatternKey(val.get<std::string>());
        if (auto st = AddPattern(key, kw(k)); !st.ok()) return st.error();
        out[k] = key;
      } else if (k == "properties" || k == "patternProperties") {
        if (!val.is_object()) return Fail(k + " at " + kw(k) + " is not an object");
        json m = json::object();
        for (auto c = val.begin(); c != val.end(); ++c) {
          const std::string crel = rel + "/" + EscapePointerToken(c.key());
          if (!IsSchemaValue(c.value())) return Fail("the schema at " + here + crel + " is neither an object nor a boolean");
          std::string key = c.key();
          if (k == "patternProperties") {
            key = PatternKey(key);
            if (auto st = AddPattern(key, here + crel); !st.ok()) return st.error();
          }
          m[key] = ChildRef(t, crel, c.value());
        }
        out[k] = std::move(m);
      } else if (k == "dependencies" || (d >= Dialect::k2019 && (k == "dependentSchemas" || k == "dependentRequired"))) {
        if (!val.is_object()) return Fail(k + " at " + kw(k) + " is not an object");
        for (auto c = val.begin(); c != val.end(); ++c) {
          if (!c.value().is_array() && !IsSchemaValue(c.value())) continue;
          json entry = c.value().is_array() ? c.value() : ChildRef(t, rel + "/" + EscapePointerToken(c.key()), c.value());
          if (deps.contains(c.key())) {
            // Both a required list and a schema for one key: the second goes into allOf.
            all_of_extra.push_back(json{{"dependencies", json{{c.key(), entry}}}});
          } else {
            deps[c.key()] = std::move(entry);
          }
        }
      } else if (k == "additionalProperties" || k == "propertyNames" || k == "not" ||
                 (k == "contains") || (d >= Dialect::kDraft7 && (k == "if" || k == "then" || k == "else"))) {
        if (!IsSchemaValue(val)) return Fail(k + " at " + kw(k) + " is neither an object nor a boolean");
        if (k == "contains" && d == Dialect::kDraft4) continue;
        if (k == "propertyNames" && d == Dialect::kDraft4) continue;
        if (k == "propertyNames" && val == json(false)) {
          out["maxProperties"] = 0;  // no name is allowed: the same as no property at all
          continue;
        }
        out[k] = ChildRef(t, rel, val);
      } else if (k == "unevaluatedProperties" && d >= Dialect::k2019) {
        if (!IsSchemaValue(val)) return Fail(k + " at " + kw(k) + " is neither an object nor a boolean");
        out[kUnevaluatedKey] = ChildRef(t, rel, val);
      } else if (k == "allOf" || k == "anyOf" || k == "oneOf" || (k == "prefixItems" && d == Dialect::k2020)) {
        if (!val.is_array() || val.empty()) return Fail(k + " at " + kw(k) + " is not a non-empty array");
        json arr = json::array();
        for (size_t i = 0; i < val.size(); ++i) {
          if (!IsSchemaValue(val[i])) return Fail("the schema at " + kw(k) + "/" + std::to_string(i) + " is neither an object nor a boolean");
          arr.push_back(ChildRef(t, rel + "/" + std::to_string(i), val[i]));
        }
        out[k == "prefixItems" ? "items" : k] = std::move(arr);
      } else if (k == "items") {
        if (val.is_array()) {
          json arr = json::array();
          for (size_t i = 0; i < val.size(); ++i) {
            if (!IsSchemaValue(val[i])) return Fail("the schema at " + kw(k) + "/" + std::to_string(i) + " is neither an object nor a boolean");
            arr.push_back(ChildRef(t, rel + "/" + std::to_string(i), val[i]));
          }
          if (!v.contains("prefixItems") || d != Dialect::k2020) out["items"] = std::move(arr);
        } else if (IsSchemaValue(val)) {
          bool as_additional = d == Dialect::k2020 && v.contains("prefixItems");
          out[as_additional ? "additionalItems" : "items"] = ChildRef(t, rel, val);
        } else {
          return Fail("items at " + kw(k) + " is neither a schema nor an array");
        }
      } else if (k == "additionalItems" && d <= Dialect::k2019) {
        if (!IsSchemaValue(val)) return Fail(k + " at " + kw(k) + " is neither an object nor a boolean");
        if (v.contains("items") && v["items"].is_array()) out[k] = ChildRef(t, rel, val);
      }
      // Everything else is an annotation, a container ($defs, definitions) reached through
      // refs, or an unknown keyword: not asserted.
    }
    if (d == Dialect::kDraft4) {
      for (const char* pair : {"Maximum", "Minimum"}) {
        std::string ex = std::string("exclusive") + pair;
        std::string bound = pair == std::string("Maximum") ? "maximum" : "minimum";
        auto e = v.find(ex);
        if (e != v.end() && e->is_boolean() && *e == true && out.contains(bound)) {
          out[ex] = out[bound];
          out.erase(bound);
        }
      }
    }
    if (!deps.empty()) out["dependencies"] = std::move(deps);
    if (!all_of_extra.empty()) {
      json all = out.contains("allOf") ? out["allOf"] : json::array();
      for (auto& e : all_of_extra) {
        if (e.contains("dependencies")) {
          // A synthetic node holding the clashing dependency.
          size_t k = tasks_.size();
          tasks_.push_back(Task{Loc{t.loc.doc, t.loc.pointer}, t.base, d});
          out_.nodes.push_back(e);
          out_.where.push_back(Where(t.loc));
          synthetic_.insert(k);
          all.push_back(json{{"$ref", NodeRef(k)}});
        } else {
          all.push_back(std::move(e));
        }
      }
      out["allOf"] = std::move(all);
    }
    return out;
  }

  // A cycle of subschemas that apply to the same instance location (through $ref, allOf,
  // anyOf, oneOf, if/then/else, not, dependencies) never terminates: refuse it.
  Status CheckCycles() {
    const size_t n = out_.nodes.size();
    std::vector<std::vector<size_t>> edges(n);
    auto target = [](const json& child) -> std::optional<size_t> {
      if (!child.is_object()) return std::nullopt;
      auto r = child.find("$ref");
      if (r == child.end()) return std::nullopt;
      return std::stoul(r->get<std::string>().substr(std::string("#/$comply/n").size()));
    };
    for (size_t i = 0; i < n; ++i) {
      const json& node = out_.nodes[i];
      if (!node.is_object()) continue;
      auto add = [&](const json& c) {
        if (auto k = target(c)) edges[i].push_back(*k);
      };
      if (node.contains("$ref")) add(node);
      for (const char* k : {"allOf", "anyOf", "oneOf"}) {
        if (node.contains(k)) for (const json& c : node[k]) add(c);
      }
      for (const char* k : {"if", "then", "else", "not"}) {
        if (node.contains(k)) add(node[k]);
      }
      if (node.contains("dependencies")) {
        for (const json& c : node["dependencies"]) add(c);
      }
    }
    std::vector<int> color(n, 0);  // 0 new, 1 on stack, 2 done
    for (size_t s = 0; s < n; ++s) {
      if (color[s] != 0) continue;
      std::vector<std::pair<size_t, size_t>> stack{{s, 0}};
      color[s] = 1;
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next < edges[node].size()) {
          size_t to = edges[node][next++];
          if (color[to] == 1) {
            std::string path;
            bool on = false;
            for (auto& [x, _] : stack) {
              if (x == to) on = true;
              if (on) path += out_.where[x] + " -> ";
            }
            path += out_.where[to];
            return Fail("$ref cycle that never descends into the instance: " + path);
          }
          if (color[to] == 0) {
            color[to] = 1;
            stack.push_back({to, 0});
          }
        } else {
          color[node] = 2;
          stack.pop_back();
        }
      }
    }
    return Status::Ok();
  }

  fs::path base_dir_;
  fs::path folder_;
  std::string_view source_;
  const PrepassOptions& options_;
  std::vector<Doc> docs_;
  std::vector<std::unique_ptr<json>> owned_;
  std::unordered_map<std::string, Loc> resources_;
  std::unordered_map<std::string, Loc> anchors_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<Task> tasks_;
  std::set<size_t> synthetic_;
  size_t next_ = 0;
  Prepassed out_;
};

}  // namespace

std::string NodeRef(size_t k) { return "#/$comply/n" + std::to_string(k); }

Result<Prepassed> Prepass(const nlohmann::json& schema, const std::filesystem::path& base_dir,
                          std::string_view source, const PrepassOptions& options) {
  try {
    return Prepasser(base_dir, source, options).Run(schema);
  } catch (const std::exception& e) {
    return InvalidInput(std::string(source) + ": invalid schema: " + e.what());
  }
}

}  // namespace comply::schema_internal
