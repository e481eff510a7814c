#include "evaluator/schema_keywords.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "evaluator/did_you_mean.h"
#include "evaluator/schema_uri.h"

namespace comply::schema_internal {
namespace {

using nlohmann::json;

const std::vector<std::string> kTypeNames = {"null",   "boolean", "object", "array",
                                             "number", "string",  "integer"};

// The offending value as JSON text, cut after about 60 bytes (never inside a UTF-8 sequence).
std::string Fragment(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() <= 60) return s;
  size_t cut = 57;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "...";
}

// 2.0 counts as an integer (JSON Schema compares values, not spellings).
bool IsNonNegativeInteger(const json& v) {
  if (v.is_number_unsigned()) return true;
  if (v.is_number_integer()) return v.get<int64_t>() >= 0;
  if (v.is_number_float()) {
    const double d = v.get<double>();
    return std::isfinite(d) && d >= 0 && d == std::floor(d);
  }
  return false;
}

bool IsPositiveNumber(const json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>() > 0;
  if (v.is_number_integer()) return v.get<int64_t>() > 0;
  return v.is_number_float() && v.get<double>() > 0;
}

class Checker {
 public:
  Checker(int draft, std::string_view where) : draft_(draft), where_(where) {}

  std::string At(const std::string& keyword) const {
    return std::string(where_) + "/" + EscapePointerToken(keyword);
  }

  // "\"<keyword>\" at <pointer> must be <must>; <value> is not one"
  static std::string Problem(const std::string& keyword, const std::string& at,
                             const std::string& must, const json& value) {
    return "\"" + keyword + "\" at " + at + " must be " + must + "; " + Fragment(value) +
           " is not one";
  }

  std::optional<std::string> Type(const json& v) const {
    const std::string at = At("type");
    const std::string must = "a type name or an array of type names";
    auto name = [&](const json& n, const std::string& item_at) -> std::optional<std::string> {
      if (n.is_string()) {
        const std::string& s = n.get_ref<const std::string&>();
        for (const std::string& t : kTypeNames) {
          if (s == t) return std::nullopt;
        }
        if (s == "any" && draft_ == 4) return std::nullopt;  // draft-03, read as draft-04
      }
      std::string msg = "\"type\" at " + at + " must be " + must + "; " + Fragment(n);
      if (!item_at.empty()) msg += " at " + item_at;
      msg += " is not one";
      if (n.is_string()) {
        const std::string guess = DidYouMean(n.get_ref<const std::string&>(), kTypeNames);
        msg += guess.empty()
                   ? " (the type names: null, boolean, object, array, number, string, integer)"
                   : " (did you mean \"" + guess + "\"?)";
      }
      return msg;
    };
    if (!v.is_array()) return name(v, "");
    if (v.empty()) return "\"type\" at " + at + " must be " + must + "; [] names none";
    for (size_t i = 0; i < v.size(); ++i) {
      if (auto p = name(v[i], at + "/" + std::to_string(i))) return p;
    }
    return std::nullopt;
  }

  // An array of property names (`required`, a `dependencies` / `dependentRequired` entry).
  static std::optional<std::string> Names(const json& v, const std::string& keyword,
                                          const std::string& at, const std::string& must) {
    if (!v.is_array()) {
      std::string msg = Problem(keyword, at, must, v);
      if (v.is_string()) msg += " (write [" + Fragment(v) + "])";
      if (v.is_boolean() && keyword == "required") {
        msg +=
            " (a boolean \"required\" is the draft-03 form: list the name in the \"required\" "
            "array of the "
            "object schema that declares the property)";
      }
      return msg;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) {
        return "\"" + keyword + "\" at " + at + " must be " + must + "; " + Fragment(v[i]) +
               " at " + at + "/" + std::to_string(i) + " is not a string";
      }
    }
    return std::nullopt;
  }

  // `dependencies` (every draft) and `dependentRequired` (2019-09 and later) entries. The map
  // itself not being an object is the pre-pass's message.
  std::optional<std::string> Dependencies(const json& v, const std::string& keyword) const {
    if (!v.is_object()) return std::nullopt;
    const bool schemas_too = keyword == "dependencies";
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (schemas_too && (it->is_object() || it->is_boolean())) continue;  // the pre-pass's part
      const std::string at = At(keyword) + "/" + EscapePointerToken(it.key());
      auto p = Names(
          *it, keyword, at,
          schemas_too ? "a schema or an array of property names" : "an array of property names");
      if (p) return p;
    }
    return std::nullopt;
  }

  std::optional<std::string> Exclusive(const json& v, const std::string& keyword) const {
    if (v.is_number()) return std::nullopt;
    if (draft_ == 4) {
      if (v.is_boolean()) return std::nullopt;
      return Problem(keyword, At(keyword), "a boolean or a number", v);
    }
    std::string msg = Problem(keyword, At(keyword), "a number", v);
    if (v.is_boolean()) {
      msg += " (a boolean is the draft-04 form: give the bound itself, e.g. \"" + keyword +
             "\": 0, or declare \"$schema\": \"http://json-schema.org/draft-04/schema#\")";
    }
    return msg;
  }

  std::optional<std::string> Keyword(const std::string& k, const json& v) const {
    if (k == "type") return Type(v);
    if (k == "required") return Names(v, k, At(k), "an array of property names");
    if (k == "enum") {
      if (v.is_array()) return std::nullopt;
      std::string msg = Problem(k, At(k), "an array of the allowed values", v);
      if (v.is_primitive()) msg += " (write [" + Fragment(v) + "])";
      return msg;
    }
    if (k == "minLength" || k == "maxLength" || k == "minItems" || k == "maxItems" ||
        k == "minProperties" || k == "maxProperties") {
      if (IsNonNegativeInteger(v)) return std::nullopt;
      return Problem(k, At(k), "a non-negative integer", v);
    }
    if (k == "multipleOf") {
      if (IsPositiveNumber(v)) return std::nullopt;
      return Problem(k, At(k), "a number greater than 0", v);
    }
    if (k == "minimum" || k == "maximum") {
      if (v.is_number()) return std::nullopt;
      return Problem(k, At(k), "a number", v);
    }
    if (k == "exclusiveMinimum" || k == "exclusiveMaximum") return Exclusive(v, k);
    if (k == "uniqueItems") {
      if (v.is_boolean()) return std::nullopt;
      return Problem(k, At(k), "true or false", v);
    }
    if (k == "format") {
      if (v.is_string()) return std::nullopt;
      return Problem(k, At(k), "a string", v);
    }
    if (k == "dependencies" || (k == "dependentRequired" && draft_ >= 2019))
      return Dependencies(v, k);
    return std::nullopt;
  }

 private:
  int draft_;
  std::string_view where_;
};

}  // namespace

std::optional<std::string> CheckKeywordValues(const nlohmann::json& schema, int draft,
                                              std::string_view where) {
  if (!schema.is_object()) return std::nullopt;
  const Checker checker(draft, where);
  for (auto it = schema.begin(); it != schema.end(); ++it) {
    if (auto p = checker.Keyword(it.key(), it.value())) return p;
  }
  return std::nullopt;
}

}  // namespace comply::schema_internal
