#include "evaluator/suite_loader.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "evaluator/suite_loader_internal.h"

namespace comply {

using suite_internal::Ctx;
using suite_internal::LoadCases;

namespace suite_internal {

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

std::string ScalarText(const Ctx& ctx, const std::string& pointer, const json& v) {
  return v.is_string() ? v.get<std::string>() : ctx.doc.TextOf(pointer);
}

}  // namespace suite_internal

using suite_internal::ExistingFile;
using suite_internal::JsonReason;
using suite_internal::ScalarText;

namespace {

std::atomic<bool> g_stream_cases{false};

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

}  // namespace

void SetStreamCasesFiles(bool on) { g_stream_cases.store(on); }

bool suite_internal::StreamCasesFiles() { return g_stream_cases.load(); }


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
