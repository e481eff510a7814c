#include "evaluator/suite_loader.h"

#include <fcntl.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "evaluator/case_source.h"
#include "evaluator/did_you_mean.h"
#include "evaluator/hash.h"
#include "evaluator/json_doc.h"
#include "evaluator/prompt.h"

namespace comply {
namespace {

std::atomic<bool> g_stream_cases{false};

// What every part of the suite loader needs: the parsed file, where relative paths resolve,
// and where problems go.
struct Ctx {
  const YamlDoc& doc;
  std::filesystem::path dir;          // absolute folder of the suite
  std::filesystem::path display_dir;  // the same, as shown in messages
  std::vector<Diagnostic>* problems;

  void Add(const std::string& pointer, std::string what, std::string text, std::string fix) const {
    problems->push_back(Diagnostic{doc.file, doc.MarkOf(pointer), std::move(what), std::move(text), std::move(fix)});
  }
  std::string Where(const std::string& pointer) const {
    return Diagnostic{doc.file, doc.MarkOf(pointer), "", "", ""}.Where();
  }
};

bool ReadText(const std::filesystem::path& file, std::string* out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return false;
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

// Resolves the path string at `key` of `r`; reports a missing file. Empty on failure.
std::filesystem::path ExistingFile(const Ctx& ctx, FieldReader& r, std::string_view key) {
  std::optional<std::string> raw = r.String(key);
  if (!raw) return {};
  const std::filesystem::path file = ResolveAgainst(ctx.dir, *raw);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    r.Error(key, "file not found",
            "it resolves to " + file.string() + "; relative paths start at the folder of the file that names them");
    return {};
  }
  return file;
}

// The text of nlohmann's parse error after "line L, column C: ".
std::string JsonReason(const std::string& what) {
  const std::size_t col = what.find("column ");
  if (col != std::string::npos) {
    const std::size_t colon = what.find(": ", col);
    if (colon != std::string::npos) return what.substr(colon + 2);
  }
  const std::size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

// Reads a JSON file (the suite's schema); reports syntax errors with line:col.
std::optional<json> ReadJsonFile(const Ctx& ctx, const std::filesystem::path& file, const std::string& display) {
  std::string text;
  if (!ReadText(file, &text)) return std::nullopt;
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    const Mark m = MarkAtOffset(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string line;
    std::istringstream lines(text);
    for (int i = 0; i < m.line && std::getline(lines, line); ++i) {
    }
    ctx.problems->push_back(Diagnostic{display, m, "invalid JSON: " + JsonReason(e.what()), line,
                                       "fix the JSON syntax (JSON has no comments or trailing commas)"});
  }
  return std::nullopt;
}

std::string ScalarText(const Ctx& ctx, const std::string& pointer, const json& v) {
  return v.is_string() ? v.get<std::string>() : ctx.doc.TextOf(pointer);
}

void LoadSchema(const Ctx& ctx, FieldReader& suite, SuiteSpec* s) {
  const json* v = suite.Get("schema");
  if (v == nullptr) return;
  if (v->is_object() || v->is_boolean()) {
    s->schema = *v;
    return;
  }
  if (!v->is_string()) {
    suite.TypeError("schema", "a file name or a map");
    return;
  }
  const std::filesystem::path file = ExistingFile(ctx, suite, "schema");
  if (file.empty()) return;
  s->schema_file = file;
  const std::string display = (ctx.display_dir / v->get<std::string>()).lexically_normal().string();
  s->schema = ReadJsonFile(ctx, file, display);
  if (!s->schema) s->schema = json::object();  // the problem is reported; keep the shape
}

void LoadSystemPrompts(const Ctx& ctx, FieldReader& suite, SuiteSpec* s) {
  if (!suite.IsMap("system_prompts")) return;
  FieldReader prompts(ctx.doc, suite.PointerOf("system_prompts"), "system_prompts", ctx.problems);
  for (const auto& [label, value] : suite.Get("system_prompts")->items()) {
    const std::filesystem::path file = ExistingFile(ctx, prompts, label);
    std::string text;
    if (!file.empty() && ReadText(file, &text)) s->system_prompts[label] = text;
  }
}

RuleSpec LoadRule(const Ctx& ctx, const std::string& pointer, std::set<std::string>* ids) {
  RuleSpec rule;
  rule.where = ctx.Where(pointer);
  FieldReader r(ctx.doc, pointer, "rule", ctx.problems);
  if (!r.valid()) return rule;
  r.AllowKeys({"id", "path", "pattern", "forbid", "allowed_values_file", "allowed_values", "min_length",
               "max_length", "message"});
  if (r.Require("id", "give the rule an id: id: my-rule")) {
    const json* id = r.Get("id");
    if (id->is_string() || id->is_number()) {
      rule.id = ScalarText(ctx, r.PointerOf("id"), *id);
      if (!ids->insert(rule.id).second) {
        r.Error("id", "duplicate rule id", "rule ids must be unique within a suite");
      }
    } else {
      r.TypeError("id", "a string");
    }
  }
  std::vector<std::string> kinds;
  for (const char* k : {"pattern", "forbid", "allowed_values_file", "allowed_values"}) {
    if (r.Has(k)) kinds.push_back(k);
  }
  if (r.Has("min_length") || r.Has("max_length")) kinds.push_back("min_length/max_length");
  const std::string name = rule.id.empty() ? "rule" : "rule \"" + rule.id + "\"";
  if (kinds.empty()) {
    r.ErrorAtMap(name + " has no check", "",
                 "add one of pattern, forbid, allowed_values_file, allowed_values, min_length/max_length");
    return rule;
  }
  if (kinds.size() > 1) {
    r.ErrorAtMap(name + " has more than one check: " + kinds[0] + ", " + kinds[1], "", "split it into one rule per check");
    return rule;
  }
  if (auto path = r.String("path")) {
    if (!path->empty() && (*path)[0] != '/') {
      r.Error("path", "\"path\" must be a JSON Pointer", "start it with \"/\", e.g. path: /invoice_number");
    }
    rule.path = *path;
  }
  if (r.Has("forbid") && r.Has("path")) {
    r.ErrorAtKey("path", "\"path\" does not apply to a forbid rule", "", "forbid checks the whole text; remove path");
  }
  if (auto message = r.String("message")) rule.message = *message;
  if (kinds[0] == "pattern" || kinds[0] == "forbid") {
    rule.kind = kinds[0] == "pattern" ? RuleSpec::Kind::kPattern : RuleSpec::Kind::kForbid;
    if (auto p = r.String(kinds[0])) rule.pattern = *p;
  } else if (kinds[0] == "allowed_values_file") {
    rule.kind = RuleSpec::Kind::kAllowedValues;
    rule.values_file = ExistingFile(ctx, r, "allowed_values_file");
  } else if (kinds[0] == "allowed_values") {
    rule.kind = RuleSpec::Kind::kAllowedValues;
    if (auto values = r.StringList("allowed_values")) rule.values = *values;
  } else {
    rule.kind = RuleSpec::Kind::kLength;
    if (auto n = r.Integer("min_length", 0, LLONG_MAX)) rule.min_length = static_cast<std::size_t>(*n);
    if (auto n = r.Integer("max_length", 0, LLONG_MAX)) rule.max_length = static_cast<std::size_t>(*n);
    if (rule.min_length && rule.max_length && *rule.min_length > *rule.max_length) {
      r.Error("max_length", "\"max_length\" is less than \"min_length\"", "make max_length at least min_length");
    }
  }
  return rule;
}

void LoadRules(const Ctx& ctx, FieldReader& suite, SuiteSpec* s) {
  const json* rules = suite.Get("rules");
  if (rules == nullptr) return;
  if (!rules->is_array()) {
    suite.TypeError("rules", "a list");
    return;
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const std::string p = ChildPointer(suite.PointerOf("rules"), i);
    if (!(*rules)[i].is_object()) {
      ctx.Add(p, "a rule must be a map, not " + JsonTypeName((*rules)[i]), ctx.doc.TextOf(p),
              "write {id: ..., pattern: ...}");
      continue;
    }
    s->rules.push_back(LoadRule(ctx, p, &ids));
  }
}

void LoadTemplate(const Ctx& ctx, FieldReader& suite, SuiteSpec* s) {
  if (!suite.IsMap("template")) return;
  FieldReader t(ctx.doc, suite.PointerOf("template"), "template", ctx.problems);
  t.AllowKeys({"sections", "allow_extra", "extra_heading"});
  TemplateSpec spec;
  spec.where = ctx.Where(t.pointer());
  if (auto b = t.Bool("allow_extra")) spec.allow_extra = *b;
  if (auto h = t.String("extra_heading")) spec.extra_heading = *h;
  const json* sections = t.Get("sections");
  if (!t.Require("sections", "add sections: [{name: summary, heading: '^## Summary$'}]")) {
    s->text_template = spec;
    return;
  }
  if (!sections->is_array() || sections->empty()) {
    t.Error("sections", "\"sections\" must be a non-empty list", "list the sections: [{name: ..., heading: ...}]");
  } else {
    std::set<std::string> names;
    for (std::size_t i = 0; i < sections->size(); ++i) {
      FieldReader sec(ctx.doc, ChildPointer(t.PointerOf("sections"), i), "template section", ctx.problems);
      if (!sec.valid()) continue;
      sec.AllowKeys({"name", "heading", "body", "optional"});
      TemplateSectionSpec out;
      sec.Require("name", "name the section: name: summary");
      sec.Require("heading", "give the heading pattern: heading: '^## Summary$'");
      if (auto n = sec.String("name")) {
        out.name = *n;
        if (!names.insert(*n).second) {
          sec.Error("name", "duplicate section name", "section names must be unique within a template");
        }
      }
      if (auto h = sec.String("heading")) out.heading = *h;
      if (auto b = sec.String("body")) out.body = *b;
      if (auto o = sec.Bool("optional")) out.optional = *o;
      spec.sections.push_back(out);
    }
  }
  s->text_template = spec;
}

std::optional<MatchSpec::Kind> MatchKind(FieldReader& r, std::string_view key) {
  static const std::vector<std::string> kNames = {"exact", "normalized", "numeric", "set"};
  std::optional<std::string> k = r.OneOf(key, kNames);
  if (!k) return std::nullopt;
  if (*k == "exact") return MatchSpec::Kind::kExact;
  if (*k == "normalized") return MatchSpec::Kind::kNormalized;
  if (*k == "numeric") return MatchSpec::Kind::kNumeric;
  return MatchSpec::Kind::kSet;
}

void LoadMatch(const Ctx& ctx, FieldReader& suite, SuiteSpec* s) {
  if (!suite.IsMap("match")) return;
  FieldReader m(ctx.doc, suite.PointerOf("match"), "match", ctx.problems);
  for (const auto& [pointer, value] : suite.Get("match")->items()) {
    if (pointer.empty() || pointer[0] != '/') {
      m.ErrorAtKey(pointer, "a match key must be a JSON Pointer", pointer, "start it with \"/\", e.g. /total");
      continue;
    }
    MatchSpec spec;
    if (value.is_string()) {
      if (auto k = MatchKind(m, pointer)) spec.kind = *k;
    } else if (value.is_object()) {
      FieldReader f(ctx.doc, m.PointerOf(pointer), "match entry", ctx.problems);
      f.AllowKeys({"kind", "tolerance"});
      if (f.Require("kind", "add kind: exact, normalized, numeric or set")) {
        if (auto k = MatchKind(f, "kind")) spec.kind = *k;
      }
      if (auto t = f.Number("tolerance", 0, 1e308)) {
        spec.tolerance = *t;
        if (spec.kind != MatchSpec::Kind::kNumeric) {
          f.ErrorAtKey("tolerance", "\"tolerance\" applies only to kind numeric", "", "remove tolerance or use kind: numeric");
        }
      }
    } else {
      m.TypeError(pointer, "a match kind or a map");
      continue;
    }
    s->match[pointer] = spec;
  }
}


// ---- cases ----

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
  c.where = Diagnostic{o.file, o.mark, "", "", ""}.Where();
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

// LookupVar (prompt.h) over the flat DOM: the same dotted-path rules.
bool HasVar(JsonRef vars, std::string_view name) {
  JsonRef cur = vars;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view seg = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (cur.is_object()) {
      cur = cur.find(seg);
      if (!cur.valid()) return false;
    } else if (cur.is_array() && !seg.empty() && seg.find_first_not_of("0123456789") == std::string_view::npos &&
               seg.size() < 10) {
      const std::size_t index = std::stoul(std::string(seg));
      if (index >= cur.size()) return false;
      cur = cur.at(index);
    } else {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// The common streamed line, checked on the flat parser (json_doc.h, several times faster than
// building nlohmann's tree): a JSON object with only the case keys, each once; an id that is a
// string or an integer; vars a map, tags a list of strings (each may be absent or null); and
// every placeholder of the prompt in the vars. Sets *id to what JsonlCase would make of it.
// Anything else returns false, and the line goes through JsonlCase and CheckPlaceholders, which
// accept or report it exactly as before (tests/evaluator/run_test.cc holds the two equal).
bool FastStreamedCase(JsonDoc* doc, std::string_view text, const std::vector<Placeholder>& placeholders,
                      std::string* id) {
  if (!doc->Parse(text)) return false;
  const JsonRef root = doc->root();
  if (!root.is_object()) return false;
  JsonRef id_v, vars, tags;
  for (std::size_t i = 0; i < root.size(); ++i) {
    const std::string_view k = root.key(i);
    JsonRef* slot = k == "id" ? &id_v : k == "vars" ? &vars : k == "tags" ? &tags : nullptr;
    if (slot == nullptr && k != "expected") return false;
    if (slot != nullptr) {
      if (slot->valid()) return false;  // a key twice: nlohmann keeps the last one
      *slot = root.value(i);
    }
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
  if (vars.valid() && !vars.is_null() && !vars.is_object()) return false;
  if (tags.valid() && !tags.is_null()) {
    if (!tags.is_array()) return false;
    for (std::size_t i = 0; i < tags.size(); ++i) {
      if (!tags.at(i).is_string()) return false;
    }
  }
  for (const Placeholder& p : placeholders) {
    if (!vars.valid() || vars.is_null() || !HasVar(vars, p.name)) return false;
  }
  return true;
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
  if (g_stream_cases.load()) {
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

}  // namespace

void SetStreamCasesFiles(bool on) { g_stream_cases.store(on); }

std::optional<Case> ParseCaseLine(const std::string& text, const std::string& display, int line,
                                  std::vector<Diagnostic>* problems) {
  return JsonlCase(text, CaseOrigin{display, Mark{line, 0}}, problems);
}

std::filesystem::path ResolveAgainst(const std::filesystem::path& dir, const std::string& raw) {
  const std::filesystem::path p(raw);
  return (p.is_absolute() ? p : dir / p).lexically_normal();
}

SuiteSpec LoadSuiteCollecting(const std::filesystem::path& file, const std::string& display,
                              std::vector<Diagnostic>* problems) {
  SuiteSpec s;
  std::error_code ec;
  s.file = std::filesystem::absolute(file, ec).lexically_normal();
  s.dir = s.file.parent_path();
  const std::string shown = display.empty() ? file.string() : display;
  const std::size_t before = problems->size();
  YamlDoc doc = ParseYamlFile(file, shown, ParseOptions{}, problems);
  if (doc.value.is_null()) {
    if (problems->size() == before) {
      problems->push_back(Diagnostic{shown, Mark{}, "the suite file is empty", "",
                                     "add at least schema (or template), prompt and cases"});
    }
    return s;
  }
  Ctx ctx{doc, s.dir, std::filesystem::path(shown).parent_path(), problems};
  FieldReader suite(doc, "", "suite", problems);
  if (!suite.valid()) return s;
  suite.AllowKeys({"name", "description", "schema", "extraction", "prompt", "system_prompts", "rules", "template",
                   "match", "output", "cases", "cases_file"});
  s.name = s.dir.filename().string();
  if (auto name = suite.String("name")) {
    if (name->empty()) {
      suite.Error("name", "\"name\" is empty", "name the suite, or leave name out to use the folder's name");
    } else {
      s.name = *name;
    }
  }
  (void)suite.String("description");
  LoadSchema(ctx, suite, &s);
  if (auto mode = suite.OneOf("extraction", {"strict", "lenient"})) {
    s.extraction = *mode == "lenient" ? ExtractionMode::kLenient : ExtractionMode::kStrict;
  }
  if (auto prompt = suite.String("prompt")) s.prompt = *prompt;
  LoadSystemPrompts(ctx, suite, &s);
  LoadRules(ctx, suite, &s);
  LoadTemplate(ctx, suite, &s);
  LoadMatch(ctx, suite, &s);
  if (auto output = suite.OneOf("output", {"content", "tool"})) s.tool_output = *output == "tool";
  if (!suite.Has("schema") && !suite.Has("template")) {
    suite.ErrorAtMap("the suite has neither \"schema\" nor \"template\"", "",
                     "add schema: schema.json for JSON output, or template: {sections: [...]} for text output");
  }
  LoadCases(ctx, suite, &s);
  return s;
}

Result<SuiteSpec> LoadSuite(const std::filesystem::path& file) {
  std::vector<Diagnostic> problems;
  SuiteSpec s;
  try {
    s = LoadSuiteCollecting(file, file.string(), &problems);
  } catch (const std::exception& e) {  // a bug, not bad input: no library exception escapes
    return Error{ErrorCode::kInternal, file.string() + ": internal error while loading: " + e.what()};
  }
  SortDiagnostics(&problems);
  if (!problems.empty()) return InvalidInput(JoinDiagnostics(problems));
  return s;
}

}  // namespace comply
