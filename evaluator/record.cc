#include "evaluator/record.h"

#include <cmath>
#include <exception>
#include <limits>
#include <utility>

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

std::string RecordLine(const Record& r) {
  try {
    return r.ToJson().dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (const std::exception& e) {
    // Only an allocation failure gets here (invalid UTF-8 is replaced, depth is capped at
    // extraction). The record is still one line, with its identity and the reason.
    try {
      json fallback{{"case_id", r.case_id},
                    {"suite", r.suite},
                    {"endpoint", r.endpoint},
                    {"sample", r.sample},
                    {"status", r.status},
                    {"compliant", false},
                    {"error", std::string("record could not be serialised: ") + e.what()}};
      return fallback.dump(-1, ' ', false, json::error_handler_t::replace);
    } catch (...) {
      return "{\"error\":\"record could not be serialised\"}";
    }
  }
}

}  // namespace comply
