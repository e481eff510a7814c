// A suite's cases: inline ones from the suite file, and cases_file's lines, either loaded or
// streamed (indexed here, read again when run: evaluator/case_source.h). See
// evaluator/suite_loader_internal.h.
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <utility>

#include "evaluator/case_source.h"
#include "evaluator/did_you_mean.h"
#include "evaluator/hash.h"
#include "evaluator/json_doc.h"
#include "evaluator/prompt.h"
#include "evaluator/suite_loader.h"
#include "evaluator/suite_loader_internal.h"

namespace comply {
namespace suite_internal {
namespace {

using json = nlohmann::json;

// Where a case came from, for the checks that span all cases.
struct CaseOrigin {
  std::string file;
  Mark mark;
};

void AddCaseProblem(std::vector<Diagnostic>* problems, const CaseOrigin& o, std::string what, std::string text,
                    std::string fix) {
  problems->push_back(Diagnostic{o.file, o.mark, std::move(what), std::move(text), std::move(fix)});
}

std::optional<Case> InlineCase(const Ctx& ctx, const std::string& pointer) {
  FieldReader r(ctx.doc, pointer, "case", ctx.problems);
  if (!r.valid()) {
    if (ctx.doc.value.at(json::json_pointer(pointer)).is_null()) {
      ctx.Add(pointer, "a case must be a map, not null", "", "write {id: ..., vars: {...}}");
    }
    return std::nullopt;
  }
  r.AllowKeys({"id", "vars", "expected", "tags"});
  Case c;
  c.where = ctx.Where(pointer);
  if (!r.Require("id", "give the case an id: id: case-001")) return std::nullopt;
  const json* id = r.Get("id");
  if (!id->is_string() && !id->is_number()) {
    r.TypeError("id", "a string");
    return std::nullopt;
  }
  c.id = ScalarText(ctx, r.PointerOf("id"), *id);  // `id: 007` keeps its text
  if (c.id.empty()) r.Error("id", "the case id is empty", "give the case an id: id: case-001");
  if (const json* vars = r.Get("vars")) {
    if (vars->is_object()) {
      c.vars = *vars;
    } else {
      r.TypeError("vars", "a map");
    }
  }
  if (const json* expected = r.Get("expected")) c.expected = *expected;
  if (auto tags = r.StringList("tags")) c.tags = *tags;
  return c;
}

// A case's `where`: "cases.jsonl:7".
std::string CaseWhere(const CaseOrigin& o) { return Diagnostic{o.file, o.mark, "", "", ""}.Where(); }

// One JSONL line; `where` is "cases.jsonl:7".
std::optional<Case> JsonlCase(const std::string& text, const CaseOrigin& o, std::vector<Diagnostic>* problems) {
  json v;
  try {
    v = json::parse(text);
  } catch (const json::parse_error& e) {
    AddCaseProblem(problems, o, "invalid JSON: " + JsonReason(e.what()), text, "write one JSON object per line");
    return std::nullopt;
  }
  if (!v.is_object()) {
    AddCaseProblem(problems, o, "a case must be a JSON object, not " + JsonTypeName(v), text,
                   "write {\"id\": ..., \"vars\": {...}} on each line");
    return std::nullopt;
  }
  Case c;
  c.where = CaseWhere(o);
  bool ok = true;
  for (const auto& [key, value] : v.items()) {
    if (key == "id" || key == "vars" || key == "expected" || key == "tags") continue;
    std::string what = "unknown key \"" + key + "\" in case";
    const std::string guess = DidYouMean(key, {"id", "vars", "expected", "tags"});
    AddCaseProblem(problems, o, guess.empty() ? what : what + "; did you mean \"" + guess + "\"?", "",
                   guess.empty() ? "allowed keys: id, vars, expected, tags" : "");
    ok = false;
  }
  auto id = v.find("id");
  if (id == v.end() || id->is_null()) {
    AddCaseProblem(problems, o, "missing required key \"id\" in case", "", "add \"id\": \"case-001\"");
    return std::nullopt;
  }
  if (id->is_string()) {
    c.id = id->get<std::string>();
  } else if (id->is_number()) {
    c.id = id->dump();
  } else {
    AddCaseProblem(problems, o, "\"id\" must be a string, not " + JsonTypeName(*id), id->dump(), "quote the id");
    return std::nullopt;
  }
  if (auto vars = v.find("vars"); vars != v.end() && !vars->is_null()) {
    if (!vars->is_object()) {
      AddCaseProblem(problems, o, "\"vars\" must be a map, not " + JsonTypeName(*vars), vars->dump(),
                     "write \"vars\": {\"name\": \"value\"}");
      ok = false;
    } else {
      c.vars = std::move(*vars);  // `v` is ours: no deep copy
    }
  }
  if (auto expected = v.find("expected"); expected != v.end() && !expected->is_null()) {
    c.expected = std::move(*expected);
  }
  if (auto tags = v.find("tags"); tags != v.end() && !tags->is_null()) {
    bool good = tags->is_array();
    for (std::size_t i = 0; good && i < tags->size(); ++i) good = (*tags)[i].is_string();
    if (!good) {
      AddCaseProblem(problems, o, "\"tags\" must be a list of strings", tags->dump(), "write \"tags\": [\"core\"]");
      ok = false;
    } else {
      c.tags = tags->get<std::vector<std::string>>();
    }
  }
  if (!ok) return std::nullopt;
  return c;
}

// LookupVar (prompt.h) over the flat DOM: the same path rule (WalkVarPath).
bool HasVar(JsonRef vars, std::string_view name) {
  JsonRef cur = vars;
  return WalkVarPath(name, [&cur](std::string_view seg, std::size_t index) {
    if (cur.is_object()) {
      cur = cur.find(seg);
      return cur.valid();
    }
    if (!cur.is_array() || index == std::string_view::npos || index >= cur.size()) return false;
    cur = cur.at(index);
    return true;
  });
}

// The common case line on the flat parser (json_doc.h, several times faster than building
// nlohmann's tree): a JSON object with only the case keys, each once; an id that is a string or
// an integer; vars a map, tags a list of strings (each may be absent or null). Sets *id to what
// JsonlCase would make of it and the other members to their values (invalid when absent).
// Anything else returns false, and the line goes through JsonlCase, which accepts or reports it
// exactly as before (tests/evaluator/run_test.cc holds the two equal).
struct FastCaseParts {
  JsonRef vars, expected, tags;
};

bool FastCaseShape(JsonRef root, std::string* id, FastCaseParts* parts) {
  if (!root.is_object()) return false;
  JsonRef id_v;
  for (std::size_t i = 0; i < root.size(); ++i) {
    const std::string_view k = root.key(i);
    JsonRef* slot = k == "id"         ? &id_v
                    : k == "vars"     ? &parts->vars
                    : k == "tags"     ? &parts->tags
                    : k == "expected" ? &parts->expected
                                      : nullptr;
    if (slot == nullptr) return false;
    if (slot->valid()) return false;  // a key twice: nlohmann keeps the last one
    *slot = root.value(i);
  }
  if (!id_v.valid()) return false;
  if (id_v.is_string()) {
    id->assign(id_v.as_string());
  } else if (id_v.type() == JsonType::kInt) {
    *id = std::to_string(id_v.as_int());
  } else if (id_v.type() == JsonType::kUint) {
    *id = std::to_string(id_v.as_uint());
  } else {
    return false;
  }
  const JsonRef& vars = parts->vars;
  if (vars.valid() && !vars.is_null() && !vars.is_object()) return false;
  const JsonRef& tags = parts->tags;
  if (tags.valid() && !tags.is_null()) {
    if (!tags.is_array()) return false;
    for (std::size_t i = 0; i < tags.size(); ++i) {
      if (!tags.at(i).is_string()) return false;
    }
  }
  return true;
}

// A streamed line at load time: FastCaseShape, and a var in the vars for each `{{var}}` slot of
// the prompt (FindPlaceholders). False sends the line through JsonlCase and CheckPlaceholders,
// which accept it or report what is wrong with it.
bool FastStreamedCase(JsonDoc* doc, std::string_view text, const std::vector<Placeholder>& placeholders,
                      std::string* id) {
  if (!doc->Parse(text)) return false;
  FastCaseParts parts;
  if (!FastCaseShape(doc->root(), id, &parts)) return false;
  const JsonRef& vars = parts.vars;
  for (const Placeholder& p : placeholders) {
    if (!vars.valid() || vars.is_null() || !HasVar(vars, p.name)) return false;
  }
  return true;
}

// JsonlCase's Case for a line of FastCaseShape, built from the flat parser; nullopt for any
// other line (the caller asks JsonlCase).
std::optional<Case> FastCase(std::string_view text, const CaseOrigin& o) {
  thread_local JsonDoc doc;  // its arena keeps its capacity from line to line
  if (!doc.Parse(text)) return std::nullopt;
  Case c;
  FastCaseParts parts;
  if (!FastCaseShape(doc.root(), &c.id, &parts)) return std::nullopt;
  c.where = CaseWhere(o);
  if (parts.vars.valid() && !parts.vars.is_null()) c.vars = parts.vars.ToJson();
  if (parts.expected.valid() && !parts.expected.is_null()) c.expected = parts.expected.ToJson();
  if (parts.tags.valid() && !parts.tags.is_null()) {
    c.tags.reserve(parts.tags.size());
    for (std::size_t i = 0; i < parts.tags.size(); ++i) c.tags.emplace_back(parts.tags.at(i).as_string());
  }
  return c;
}

void StreamCasesFile(const Ctx& ctx, const std::filesystem::path& file, const std::string& display, SuiteSpec* s,
                     std::vector<Diagnostic>* deferred);

// `deferred` receives the streamed lines' duplicate and placeholder problems, which CheckCases
// would have added after the inline cases' ones.
void LoadCasesFile(const Ctx& ctx, FieldReader& suite, SuiteSpec* s, std::vector<CaseOrigin>* origins,
                   std::vector<Diagnostic>* deferred) {
  const std::filesystem::path file = ExistingFile(ctx, suite, "cases_file");
  if (file.empty()) return;
  const std::string display = (ctx.display_dir / suite.Get("cases_file")->get<std::string>()).lexically_normal().string();
  if (StreamCasesFiles()) {
    StreamCasesFile(ctx, file, display, s, deferred);
    return;
  }
  std::ifstream in(file, std::ios::binary);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const CaseOrigin o{display, Mark{number, 0}};
    if (std::optional<Case> c = JsonlCase(line, o, ctx.problems)) {
      s->cases.push_back(std::move(*c));
      origins->push_back(o);
    }
  }
}

// Every placeholder of the prompt present in the case's vars.
void CheckPlaceholders(const Case& c, const std::vector<Placeholder>& placeholders, const CaseOrigin& o,
                       std::vector<Diagnostic>* problems) {
  std::set<std::string> reported;
  for (const Placeholder& p : placeholders) {
    if (LookupVar(c.vars, p.name) != nullptr || !reported.insert(p.name).second) continue;
    AddCaseProblem(problems, o, "case \"" + c.id + "\" has no var \"" + p.name + "\" for the prompt", p.text,
                   "add " + p.name + " to the case's vars, or change the prompt");
  }
}

void AddDuplicate(std::vector<Diagnostic>* problems, const CaseOrigin& o, const std::string& id,
                  const std::string& first_where) {
  AddCaseProblem(problems, o, "duplicate case id", id,
                 "case ids must be unique within a suite (first at " + first_where + ")");
}

// Every case id once; every placeholder of the prompt present in every case's vars.
void CheckCases(const SuiteSpec& s, const std::vector<CaseOrigin>& origins, std::vector<Diagnostic>* problems) {
  std::map<std::string, std::size_t> first;
  const std::vector<Placeholder> placeholders = FindPlaceholders(s.prompt);
  for (std::size_t i = 0; i < s.cases.size(); ++i) {
    const Case& c = s.cases[i];
    auto [it, inserted] = first.emplace(c.id, i);
    if (!inserted) AddDuplicate(problems, origins[i], c.id, s.cases[it->second].where);
    CheckPlaceholders(c, placeholders, origins[i], problems);
  }
}

// The streaming form of LoadCasesFile + CheckCases for the file's lines: each line is parsed and
// checked as it is read, then only its offset, length, line number and id hash are kept. The
// inline cases (already in s->cases) take part in the duplicate check. Problems come out in the
// order CheckCases gives them: per case, its duplicate first, then its placeholders.
void StreamCasesFile(const Ctx& ctx, const std::filesystem::path& file, const std::string& display, SuiteSpec* s,
                     std::vector<Diagnostic>* deferred) {
  auto sc = std::make_shared<StreamedCases>();
  sc->file = file;
  sc->display = display;
  sc->key_prefix = ShardKeyPrefix(s->name);
  sc->fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (sc->fd < 0) {
    ctx.problems->push_back(Diagnostic{display, Mark{}, std::string("cannot open the cases file: ") + std::strerror(errno),
                                       "", "check the file's permissions"});
    return;
  }
  const std::vector<Placeholder> placeholders = FindPlaceholders(s->prompt);
  std::vector<std::pair<std::size_t, Diagnostic>> later;  // placeholder problems by entry index
  std::ifstream in(file, std::ios::binary);
  std::string line;
  int number = 0;
  std::uint64_t offset = 0;
  JsonDoc doc;  // reused: its arena keeps its capacity from line to line
  std::string fast_id;
  while (std::getline(in, line)) {
    const std::uint64_t start = offset;
    offset += line.size() + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (FastStreamedCase(&doc, line, placeholders, &fast_id)) {
      sc->entries.push_back({start, static_cast<std::uint32_t>(line.size()), static_cast<std::uint32_t>(number),
                             Fnv1a64(fast_id, sc->key_prefix)});
      continue;
    }
    const CaseOrigin o{display, Mark{number, 0}};
    std::optional<Case> c = JsonlCase(line, o, ctx.problems);
    if (!c) continue;
    std::vector<Diagnostic> ph;
    CheckPlaceholders(*c, placeholders, o, &ph);
    for (Diagnostic& d : ph) later.emplace_back(sc->entries.size(), std::move(d));
    sc->entries.push_back({start, static_cast<std::uint32_t>(line.size()), static_cast<std::uint32_t>(number),
                           Fnv1a64(c->id, sc->key_prefix)});
  }
  // Duplicates: sort (key, index) over inline and streamed cases; equal keys are compared by id.
  const std::size_t n_inline = s->cases.size();
  std::vector<std::pair<std::uint64_t, std::size_t>> keys;
  keys.reserve(n_inline + sc->entries.size());
  for (std::size_t i = 0; i < n_inline; ++i) keys.emplace_back(Fnv1a64(s->cases[i].id, sc->key_prefix), i);
  for (std::size_t i = 0; i < sc->entries.size(); ++i) keys.emplace_back(sc->entries[i].shard_key, n_inline + i);
  std::sort(keys.begin(), keys.end());
  std::vector<std::pair<std::size_t, Diagnostic>> dups;  // by entry index
  for (std::size_t a = 0; a < keys.size();) {
    std::size_t b = a + 1;
    while (b < keys.size() && keys[b].first == keys[a].first) ++b;
    if (b - a > 1) {
      std::vector<std::pair<std::string, std::string>> seen;  // id, where of its first case
      for (std::size_t k = a; k < b; ++k) {
        const std::size_t i = keys[k].second;
        std::string id, where;
        if (i < n_inline) {
          id = s->cases[i].id;
          where = s->cases[i].where;
        } else {
          Result<Case> c = sc->Read(i - n_inline);
          if (!c.ok()) continue;  // unreadable now: reported when the run reads it
          id = c->id;
          where = c->where;
        }
        auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& p) { return p.first == id; });
        if (it == seen.end()) {
          seen.emplace_back(id, where);
        } else if (i >= n_inline) {  // inline duplicates are CheckCases' to report
          const StreamedCases::Entry& e = sc->entries[i - n_inline];
          std::vector<Diagnostic> one;
          AddDuplicate(&one, CaseOrigin{display, Mark{static_cast<int>(e.line), 0}}, id, it->second);
          dups.emplace_back(i - n_inline, std::move(one[0]));
        }
      }
    }
    a = b;
  }
  std::sort(dups.begin(), dups.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::size_t d = 0, p = 0;
  while (d < dups.size() || p < later.size()) {
    if (p == later.size() || (d < dups.size() && dups[d].first <= later[p].first)) {
      deferred->push_back(std::move(dups[d++].second));
    } else {
      deferred->push_back(std::move(later[p++].second));
    }
  }
  s->streamed_cases = std::move(sc);
}

}  // namespace

void LoadCases(const Ctx& ctx, FieldReader& suite, SuiteSpec* s) {
  std::vector<CaseOrigin> origins;
  if (const json* cases = suite.Get("cases")) {
    if (!cases->is_array()) {
      suite.TypeError("cases", "a list");
    } else {
      for (std::size_t i = 0; i < cases->size(); ++i) {
        const std::string p = ChildPointer(suite.PointerOf("cases"), i);
        if (std::optional<Case> c = InlineCase(ctx, p)) {
          s->cases.push_back(std::move(*c));
          origins.push_back(CaseOrigin{ctx.doc.file, ctx.doc.MarkOf(p)});
        }
      }
    }
  }
  std::vector<Diagnostic> deferred;
  if (suite.Has("cases_file")) LoadCasesFile(ctx, suite, s, &origins, &deferred);
  if (!suite.Has("cases") && !suite.Has("cases_file")) {
    suite.ErrorAtMap("missing required key \"cases\" in suite", "",
                     "add cases: [{id: case-001, vars: {...}}], or cases_file: cases.jsonl");
  }
  CheckCases(*s, origins, ctx.problems);
  for (Diagnostic& d : deferred) ctx.problems->push_back(std::move(d));
}

}  // namespace suite_internal

std::optional<Case> ParseCaseLine(const std::string& text, const std::string& display, int line,
                                  std::vector<Diagnostic>* problems) {
  const suite_internal::CaseOrigin origin{display, Mark{line, 0}};
  if (std::optional<Case> c = suite_internal::FastCase(text, origin)) return c;
  return suite_internal::JsonlCase(text, origin, problems);
}

}  // namespace comply
