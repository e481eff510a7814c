#include "evaluator/record.h"

#include <cmath>
#include <exception>
#include <limits>
#include <utility>

#include "evaluator/json_text.h"

namespace comply {

namespace {

json TemplateToJson(const TemplateOutcome& t) {
  return json{{"drift_score", t.drift_score},
              {"missing", t.missing},
              {"extra", t.extra},
              {"out_of_order", t.out_of_order},
              {"body_mismatch", t.body_mismatch}};
}

json FieldMatchToJson(const FieldMatch& m) {
  return json{{"path", m.path},
              {"kind", m.kind},
              {"match", m.match},
              {"expected", m.expected},
              {"actual", m.actual}};
}

// Reads the fields of one JSON object into typed destinations. A missing or null member
// keeps the destination's default; a member of the wrong type records the first error,
// naming the field by its path ("attempts", "schema_errors/0/path").
class FieldReader {
 public:
  FieldReader(const json& object, std::string prefix, std::string* error)
      : object_(object), prefix_(std::move(prefix)), error_(error) {}

  void String(const char* name, std::string* out) {
    const json* v = Find(name);
    if (v == nullptr) return;
    if (!v->is_string()) return Fail(name, "a string");
    *out = v->get_ref<const std::string&>();
  }

  void Bool(const char* name, bool* out) {
    const json* v = Find(name);
    if (v == nullptr) return;
    if (!v->is_boolean()) return Fail(name, "a boolean");
    *out = v->get<bool>();
  }

  void Double(const char* name, double* out) {
    const json* v = Find(name);
    if (v == nullptr) return;
    if (!v->is_number()) return Fail(name, "a number");
    *out = v->get<double>();
  }

  template <typename Int>
  void Integer(const char* name, Int* out) {
    const json* v = Find(name);
    if (v == nullptr) return;
    if (v->is_number_unsigned()) {
      const auto u = v->get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) {
        return Fail(name, "an integer in range");
      }
      *out = static_cast<Int>(u);
    } else if (v->is_number_integer()) {
      const auto s = v->get<std::int64_t>();
      if (s < static_cast<std::int64_t>(std::numeric_limits<Int>::min()) ||
          s > static_cast<std::int64_t>(std::numeric_limits<Int>::max())) {
        return Fail(name, "an integer in range");
      }
      *out = static_cast<Int>(s);
    } else {
      Fail(name, "an integer");
    }
  }

  void Strings(const char* name, std::vector<std::string>* out) {
    const json* v = Find(name);
    if (v == nullptr) return;
    if (!v->is_array()) return Fail(name, "an array of strings");
    out->clear();
    out->reserve(v->size());
    for (const json& e : *v) {
      if (!e.is_string()) return Fail(name, "an array of strings");
      out->push_back(e.get<std::string>());
    }
  }

  // Any JSON value (null included): parsed, expected, actual.
  void Any(const char* name, json* out) {
    auto it = object_.find(name);
    if (it != object_.end()) *out = *it;
  }

  // An array whose elements are objects, each read by `read(reader, element)`.
  template <typename T, typename ReadOne>
  void Objects(const char* name, std::vector<T>* out, ReadOne read) {
    const json* v = Find(name);
    if (v == nullptr) return;
    if (!v->is_array()) return Fail(name, "an array of objects");
    out->clear();
    for (std::size_t i = 0; i < v->size(); ++i) {
      const json& e = (*v)[i];
      const std::string element = prefix_ + name + "/" + std::to_string(i);
      if (!e.is_object()) {
        *error_ = "field \"" + element + "\": expected an object";
        return;
      }
      FieldReader sub(e, element + "/", error_);
      T item;
      read(sub, &item);
      if (!error_->empty()) return;
      out->push_back(std::move(item));
    }
  }

  const json* Find(const char* name) const {
    if (!error_->empty()) return nullptr;  // report the first error only
    auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }

  void Fail(const char* name, const char* expected) {
    if (error_->empty()) *error_ = "field \"" + prefix_ + name + "\": expected " + expected;
  }

 private:
  const json& object_;
  std::string prefix_;
  std::string* error_;
};

}  // namespace

json Record::ToJson() const {
  json j = json::object();
  j["case_id"] = case_id;
  j["suite"] = suite;
  j["endpoint"] = endpoint;
  j["sample"] = sample;
  j["tags"] = tags;
  j["status"] = status;
  j["http_status"] = http_status;
  j["attempts"] = attempts;
  j["cached"] = cached;
  j["model"] = model;
  j["request_id"] = request_id;
  j["system_fingerprint"] = system_fingerprint;
  j["finish_reason"] = finish_reason;
  // A non-finite figure has no JSON spelling (nlohmann would write null, which reads back
  // as "missing"); keep the line valid and explicit.
  j["latency_ms"] = std::isfinite(latency_ms) ? latency_ms : 0.0;
  j["input_tokens"] = input_tokens;
  j["cached_input_tokens"] = cached_input_tokens;
  j["output_tokens"] = output_tokens;
  j["cost_usd"] = std::isfinite(cost_usd) ? cost_usd : 0.0;
  j["output"] = output;
  j["parsed"] = parsed;
  j["extraction"] = extraction;
  j["drift"] = drift;
  j["schema_valid"] = schema_valid;
  json errors = json::array();
  for (const SchemaError& e : schema_errors) {
    errors.push_back({{"path", e.path}, {"keyword", e.keyword}, {"message", e.message}});
  }
  j["schema_errors"] = std::move(errors);
  j["hallucinated_fields"] = hallucinated_fields;
  j["rule_failures"] = rule_failures;
  json details = json::array();
  for (const RuleDetail& d : rule_details) {
    details.push_back({{"id", d.id}, {"path", d.path}, {"message", d.message}});
  }
  j["rule_details"] = std::move(details);
  if (template_outcome) j["template"] = TemplateToJson(*template_outcome);
  if (!field_matches.empty()) {
    json matches = json::array();
    for (const FieldMatch& m : field_matches) matches.push_back(FieldMatchToJson(m));
    j["field_matches"] = std::move(matches);
  }
  j["compliant"] = compliant;
  if (!error.empty()) j["error"] = error;
  return j;
}

Result<Record> Record::FromJson(const json& j) {
  if (!j.is_object()) {
    return InvalidInput(std::string("a record must be a JSON object, got ") + j.type_name());
  }
  Record r;
  std::string error;
  FieldReader f(j, "", &error);
  f.String("case_id", &r.case_id);
  f.String("suite", &r.suite);
  f.String("endpoint", &r.endpoint);
  f.Integer("sample", &r.sample);
  f.Strings("tags", &r.tags);
  f.String("status", &r.status);
  f.Integer("http_status", &r.http_status);
  f.Integer("attempts", &r.attempts);
  f.Bool("cached", &r.cached);
  f.String("model", &r.model);
  f.String("request_id", &r.request_id);
  f.String("system_fingerprint", &r.system_fingerprint);
  f.String("finish_reason", &r.finish_reason);
  f.Double("latency_ms", &r.latency_ms);
  f.Integer("input_tokens", &r.input_tokens);
  f.Integer("cached_input_tokens", &r.cached_input_tokens);
  f.Integer("output_tokens", &r.output_tokens);
  f.Double("cost_usd", &r.cost_usd);
  f.String("output", &r.output);
  f.Any("parsed", &r.parsed);
  f.String("extraction", &r.extraction);
  f.Strings("drift", &r.drift);
  f.Bool("schema_valid", &r.schema_valid);
  f.Objects("schema_errors", &r.schema_errors, [](FieldReader& e, SchemaError* out) {
    e.String("path", &out->path);
    e.String("keyword", &out->keyword);
    e.String("message", &out->message);
  });
  f.Strings("hallucinated_fields", &r.hallucinated_fields);
  f.Strings("rule_failures", &r.rule_failures);
  f.Objects("rule_details", &r.rule_details, [](FieldReader& e, RuleDetail* out) {
    e.String("id", &out->id);
    e.String("path", &out->path);
    e.String("message", &out->message);
  });
  if (f.Find("template") != nullptr) {
    const json& t = j["template"];
    if (!t.is_object()) {
      f.Fail("template", "an object");
    } else {
      TemplateOutcome o;
      FieldReader tf(t, "template/", &error);
      tf.Double("drift_score", &o.drift_score);
      tf.Strings("missing", &o.missing);
      tf.Strings("extra", &o.extra);
      tf.Strings("out_of_order", &o.out_of_order);
      tf.Strings("body_mismatch", &o.body_mismatch);
      r.template_outcome = std::move(o);
    }
  }
  f.Objects("field_matches", &r.field_matches, [](FieldReader& e, FieldMatch* out) {
    e.String("path", &out->path);
    e.String("kind", &out->kind);
    e.Bool("match", &out->match);
    e.Any("expected", &out->expected);
    e.Any("actual", &out->actual);
  });
  f.Bool("compliant", &r.compliant);
  f.String("error", &r.error);
  if (!error.empty()) return InvalidInput(error);
  return r;
}

namespace {

// Appends `key` (its separator and opening quote included: `,"model`) and `":`.
template <std::size_t N>
void Key(const char (&key)[N], std::string* out) {
  out->append(key, N - 1);
  out->append("\":", 2);
}

void Strings(const std::vector<std::string>& v, std::string* out) {
  out->push_back('[');
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(v[i], out);
  }
  out->push_back(']');
}

void Dump(const json& v, std::string* out) {
  out->append(v.dump(-1, ' ', false, json::error_handler_t::replace));
}

void Bool(bool b, std::string* out) { out->append(b ? "true" : "false"); }

// `parsed`: the response's own text for the value when its span is known (it parsed, so it is
// valid JSON; a byte-order mark nlohmann skipped is skipped here too), the tree otherwise.
void Parsed(const Record& r, std::string* out) {
  if (r.parsed.is_null()) {
    out->append("null");
    return;
  }
  if (r.parsed_end > r.parsed_begin && r.parsed_end <= r.output.size()) {
    std::string_view text(r.output.data() + r.parsed_begin, r.parsed_end - r.parsed_begin);
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (r.parsed_minified) {
      out->append(text);
    } else {
      AppendMinifiedJson(text, out);
    }
    return;
  }
  Dump(r.parsed, out);
}

// The keys in the order nlohmann's object (a sorted map) writes them, so ToJson().dump() and
// RecordLine agree byte for byte except inside `parsed` and in rare double digits.
void WriteRecord(const Record& r, std::string_view output_literal, std::string* out) {
  out->reserve(out->size() + 2 * r.output.size() + 640);
  Key("{\"attempts", out);
  AppendJsonInt(r.attempts, out);
  Key(",\"cached", out);
  Bool(r.cached, out);
  Key(",\"cached_input_tokens", out);
  AppendJsonInt(r.cached_input_tokens, out);
  Key(",\"case_id", out);
  AppendJsonString(r.case_id, out);
  Key(",\"compliant", out);
  Bool(r.compliant, out);
  Key(",\"cost_usd", out);
  AppendJsonDouble(std::isfinite(r.cost_usd) ? r.cost_usd : 0.0, out);
  Key(",\"drift", out);
  Strings(r.drift, out);
  Key(",\"endpoint", out);
  AppendJsonString(r.endpoint, out);
  if (!r.error.empty()) {
    Key(",\"error", out);
    AppendJsonString(r.error, out);
  }
  Key(",\"extraction", out);
  AppendJsonString(r.extraction, out);
  if (!r.field_matches.empty()) {
    Key(",\"field_matches", out);
    out->push_back('[');
    for (std::size_t i = 0; i < r.field_matches.size(); ++i) {
      const FieldMatch& m = r.field_matches[i];
      if (i > 0) out->push_back(',');
      Key("{\"actual", out);
      Dump(m.actual, out);
      Key(",\"expected", out);
      Dump(m.expected, out);
      Key(",\"kind", out);
      AppendJsonString(m.kind, out);
      Key(",\"match", out);
      Bool(m.match, out);
      Key(",\"path", out);
      AppendJsonString(m.path, out);
      out->push_back('}');
    }
    out->push_back(']');
  }
  Key(",\"finish_reason", out);
  AppendJsonString(r.finish_reason, out);
  Key(",\"hallucinated_fields", out);
  Strings(r.hallucinated_fields, out);
  Key(",\"http_status", out);
  AppendJsonInt(r.http_status, out);
  Key(",\"input_tokens", out);
  AppendJsonInt(r.input_tokens, out);
  Key(",\"latency_ms", out);
  AppendJsonDouble(std::isfinite(r.latency_ms) ? r.latency_ms : 0.0, out);
  Key(",\"model", out);
  AppendJsonString(r.model, out);
  Key(",\"output", out);
  if (output_literal.empty()) {
    AppendJsonString(r.output, out);
  } else {
    out->append(output_literal);
  }
  Key(",\"output_tokens", out);
  AppendJsonInt(r.output_tokens, out);
  Key(",\"parsed", out);
  Parsed(r, out);
  Key(",\"request_id", out);
  AppendJsonString(r.request_id, out);
  Key(",\"rule_details", out);
  out->push_back('[');
  for (std::size_t i = 0; i < r.rule_details.size(); ++i) {
    const RuleDetail& d = r.rule_details[i];
    if (i > 0) out->push_back(',');
    Key("{\"id", out);
    AppendJsonString(d.id, out);
    Key(",\"message", out);
    AppendJsonString(d.message, out);
    Key(",\"path", out);
    AppendJsonString(d.path, out);
    out->push_back('}');
  }
  out->push_back(']');
  Key(",\"rule_failures", out);
  Strings(r.rule_failures, out);
  Key(",\"sample", out);
  AppendJsonInt(r.sample, out);
  Key(",\"schema_errors", out);
  out->push_back('[');
  for (std::size_t i = 0; i < r.schema_errors.size(); ++i) {
    const SchemaError& e = r.schema_errors[i];
    if (i > 0) out->push_back(',');
    Key("{\"keyword", out);
    AppendJsonString(e.keyword, out);
    Key(",\"message", out);
    AppendJsonString(e.message, out);
    Key(",\"path", out);
    AppendJsonString(e.path, out);
    out->push_back('}');
  }
  out->push_back(']');
  Key(",\"schema_valid", out);
  Bool(r.schema_valid, out);
  Key(",\"status", out);
  AppendJsonString(r.status, out);
  Key(",\"suite", out);
  AppendJsonString(r.suite, out);
  Key(",\"system_fingerprint", out);
  AppendJsonString(r.system_fingerprint, out);
  Key(",\"tags", out);
  Strings(r.tags, out);
  if (r.template_outcome) {
    const TemplateOutcome& t = *r.template_outcome;
    Key(",\"template", out);
    Key("{\"body_mismatch", out);
    Strings(t.body_mismatch, out);
    Key(",\"drift_score", out);
    AppendJsonDouble(t.drift_score, out);
    Key(",\"extra", out);
    Strings(t.extra, out);
    Key(",\"missing", out);
    Strings(t.missing, out);
    Key(",\"out_of_order", out);
    Strings(t.out_of_order, out);
    out->push_back('}');
  }
  out->push_back('}');
}

}  // namespace

void AppendRecordLine(const Record& r, std::string* out, std::string_view output_literal) {
  const std::size_t mark = out->size();
  try {
    WriteRecord(r, output_literal, out);
  } catch (const std::exception& e) {
    // Only an allocation failure gets here. The record is still one line, with its identity
    // and the reason.
    try {
      out->resize(mark);
      json fallback{{"case_id", r.case_id},
                    {"suite", r.suite},
                    {"endpoint", r.endpoint},
                    {"sample", r.sample},
                    {"status", r.status},
                    {"compliant", false},
                    {"error", std::string("record could not be serialised: ") + e.what()}};
      out->append(fallback.dump(-1, ' ', false, json::error_handler_t::replace));
    } catch (...) {
      out->resize(mark);
      out->append("{\"error\":\"record could not be serialised\"}");
    }
  }
}

std::string RecordLine(const Record& r) {
  std::string line;
  AppendRecordLine(r, &line);
  return line;
}

}  // namespace comply
