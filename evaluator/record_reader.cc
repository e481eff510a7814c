// RecordFromLine: results.jsonl lines read field by field (record.h).
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "evaluator/json_text.h"
#include "evaluator/record.h"

namespace comply {

namespace {

// Typed reads with FromJson's rules: null keeps the default; any other type mismatch, or an
// integer out of range, fails (FromJson reports it).
class Fields {
 public:
  explicit Fields(JsonReader* in) : in_(*in) {}

  bool Null() { return in_.PeekType() == 'z' && in_.ReadNull(); }

  bool String(std::string* out) { return Null() || in_.ReadString(out); }
  bool Bool(bool* out) { return Null() || in_.ReadBool(out); }
  bool Double(double* out) { return Null() || in_.ReadDouble(out); }

  template <typename Int>
  bool Integer(Int* out) {
    if (Null()) return true;
    std::int64_t v = 0;
    if (!in_.ReadInt64(&v)) return false;
    if (v < static_cast<std::int64_t>(std::numeric_limits<Int>::min()) ||
        v > static_cast<std::int64_t>(std::numeric_limits<Int>::max())) {
      return false;
    }
    *out = static_cast<Int>(v);
    return true;
  }

  bool Strings(std::vector<std::string>* out) {
    if (Null()) return true;
    if (in_.PeekType() != '[' || !in_.BeginArray()) return false;
    out->clear();
    while (in_.NextElement()) {
      if (in_.PeekType() != '"') return false;
      if (!in_.ReadString(&out->emplace_back())) return false;
    }
    return in_.ok();
  }

  // Any value, as nlohmann parses it.
  bool Any(nlohmann::json* out) {
    if (Null()) {
      *out = nullptr;
      return true;
    }
    std::string_view raw;
    if (!in_.SkipRaw(&raw)) return false;
    *out = nlohmann::json::parse(raw.data(), raw.data() + raw.size(), nullptr, false);
    return !out->is_discarded();
  }

  // An array of objects, each member read by `member(key)` (false = fail).
  template <typename T, typename Member>
  bool Objects(std::vector<T>* out, Member member) {
    if (Null()) return true;
    if (in_.PeekType() != '[' || !in_.BeginArray()) return false;
    out->clear();
    while (in_.NextElement()) {
      if (in_.PeekType() != '{' || !in_.BeginObject()) return false;
      T& item = out->emplace_back();
      std::string_view key, prev;
      while (in_.NextKey(&key)) {
        if (!After(&prev, key) || !member(key, &item)) return false;
      }
      if (!in_.ok()) return false;
    }
    return in_.ok();
  }

  bool Skip() { return in_.Skip(); }

  // Keys must come in strictly increasing order, as RecordLine (and nlohmann) write them: a
  // line with a repeated key, where nlohmann keeps the last, is left to the DOM path.
  static bool After(std::string_view* prev, std::string_view key) {
    if (!prev->empty() && !(*prev < key)) return false;
    *prev = key;
    return true;
  }

 private:
  JsonReader& in_;
};

}  // namespace

bool RecordFromLine(std::string_view line, Record* out) {
  JsonReader in(line);
  Fields f(&in);
  Record& r = *out;
  r = Record();
  if (in.PeekType() != '{' || !in.BeginObject()) return false;
  std::string_view key, prev;
  while (in.NextKey(&key)) {
    if (!Fields::After(&prev, key)) return false;
    bool ok = true;
    switch (key.empty() ? '\0' : key[0]) {
      case 'a':
        ok = key == "attempts" ? f.Integer(&r.attempts) : f.Skip();
        break;
      case 'c':
        if (key == "case_id") ok = f.String(&r.case_id);
        else if (key == "cached") ok = f.Bool(&r.cached);
        else if (key == "cached_input_tokens") ok = f.Integer(&r.cached_input_tokens);
        else if (key == "compliant") ok = f.Bool(&r.compliant);
        else if (key == "cost_usd") ok = f.Double(&r.cost_usd);
        else ok = f.Skip();
        break;
      case 'd':
        ok = key == "drift" ? f.Strings(&r.drift) : f.Skip();
        break;
      case 'e':
        if (key == "endpoint") ok = f.String(&r.endpoint);
        else if (key == "error") ok = f.String(&r.error);
        else if (key == "extraction") ok = f.String(&r.extraction);
        else ok = f.Skip();
        break;
      case 'f':
        if (key == "finish_reason") {
          ok = f.String(&r.finish_reason);
        } else if (key == "field_matches") {
          ok = f.Objects(&r.field_matches, [&](std::string_view k, FieldMatch* m) {
            if (k == "path") return f.String(&m->path);
            if (k == "kind") return f.String(&m->kind);
            if (k == "match") return f.Bool(&m->match);
            if (k == "expected") return f.Any(&m->expected);
            if (k == "actual") return f.Any(&m->actual);
            return f.Skip();
          });
        } else {
          ok = f.Skip();
        }
        break;
      case 'h':
        if (key == "hallucinated_fields") ok = f.Strings(&r.hallucinated_fields);
        else if (key == "http_status") ok = f.Integer(&r.http_status);
        else ok = f.Skip();
        break;
      case 'i':
        ok = key == "input_tokens" ? f.Integer(&r.input_tokens) : f.Skip();
        break;
      case 'l':
        ok = key == "latency_ms" ? f.Double(&r.latency_ms) : f.Skip();
        break;
      case 'm':
        ok = key == "model" ? f.String(&r.model) : f.Skip();
        break;
      case 'o':
        if (key == "output") ok = f.String(&r.output);
        else if (key == "output_tokens") ok = f.Integer(&r.output_tokens);
        else ok = f.Skip();
        break;
      case 'p':
        ok = key == "parsed" ? f.Any(&r.parsed) : f.Skip();
        break;
      case 'r':
        if (key == "request_id") {
          ok = f.String(&r.request_id);
        } else if (key == "rule_failures") {
          ok = f.Strings(&r.rule_failures);
        } else if (key == "rule_details") {
          ok = f.Objects(&r.rule_details, [&](std::string_view k, RuleDetail* d) {
            if (k == "id") return f.String(&d->id);
            if (k == "path") return f.String(&d->path);
            if (k == "message") return f.String(&d->message);
            return f.Skip();
          });
        } else {
          ok = f.Skip();
        }
        break;
      case 's':
        if (key == "suite") {
          ok = f.String(&r.suite);
        } else if (key == "sample") {
          ok = f.Integer(&r.sample);
        } else if (key == "status") {
          ok = f.String(&r.status);
        } else if (key == "system_fingerprint") {
          ok = f.String(&r.system_fingerprint);
        } else if (key == "schema_valid") {
          ok = f.Bool(&r.schema_valid);
        } else if (key == "schema_errors") {
          ok = f.Objects(&r.schema_errors, [&](std::string_view k, SchemaError* e) {
            if (k == "path") return f.String(&e->path);
            if (k == "keyword") return f.String(&e->keyword);
            if (k == "message") return f.String(&e->message);
            return f.Skip();
          });
        } else {
          ok = f.Skip();
        }
        break;
      case 't':
        if (key == "tags") {
          ok = f.Strings(&r.tags);
        } else if (key == "template") {
          if (f.Null()) {
            r.template_outcome.reset();
            break;
          }
          if (in.PeekType() != '{' || !in.BeginObject()) return false;
          TemplateOutcome& t = r.template_outcome.emplace();
          std::string_view k, before;
          while (ok && in.NextKey(&k)) {
            if (!Fields::After(&before, k)) return false;
            if (k == "drift_score") ok = f.Double(&t.drift_score);
            else if (k == "missing") ok = f.Strings(&t.missing);
            else if (k == "extra") ok = f.Strings(&t.extra);
            else if (k == "out_of_order") ok = f.Strings(&t.out_of_order);
            else if (k == "body_mismatch") ok = f.Strings(&t.body_mismatch);
            else ok = f.Skip();
          }
          ok = ok && in.ok();
        } else {
          ok = f.Skip();
        }
        break;
      default:
        ok = f.Skip();
    }
    if (!ok || !in.ok()) return false;
  }
  return in.ok() && in.AtEnd();
}

}  // namespace comply
