#include "evaluator/schema_errors.h"

#include <utility>

namespace comply::schema_internal {
namespace {

std::string PointerFrom(const std::vector<std::string>& context, std::string_view base) {
  std::string p(base);
  for (size_t i = 1; i < context.size(); ++i) {
    std::string_view t = context[i];
    if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
    p += '/';
    for (char c : t) {
      if (c == '~') {
        p += "~0";
      } else if (c == '/') {
        p += "~1";
      } else {
        p += c;
      }
    }
  }
  return p;
}

enum class Kind { kReal, kUmbrellaChild, kUmbrellaHere };

struct RawError {
  std::string path;
  std::string keyword;
  std::string message;
  Kind kind = Kind::kReal;
};

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// "#12 ..." -> "12"
std::string ItemIndex(std::string_view s, std::string_view prefix) {
  std::string_view rest = s.substr(prefix.size());
  size_t end = rest.find_first_not_of("0123456789");
  return std::string(rest.substr(0, end));
}

// Classifies valijson's own messages (it attaches no keyword).
RawError Classify(std::string path, const std::string& d) {
  if (!d.empty() && d[0] == kMark) {
    size_t second = d.find(kMark, 1);
    return {std::move(path), d.substr(1, second - 1), d.substr(second + 1), Kind::kReal};
  }
  struct Rule {
    std::string_view prefix;
    std::string_view keyword;
    Kind kind;
  };
  static const Rule kRules[] = {
      {"Failed to validate against any schemas allowed by anyOf", "anyOf", Kind::kReal},
      {"Failed to validate against a conditional schema", "if", Kind::kUmbrellaHere},
      {"Failed to match expected value set by 'const'", "const", Kind::kReal},
      {"Failed to any values against subschema in 'contains'", "contains", Kind::kReal},
      {"Failed to match against any enum values", "enum", Kind::kReal},
      {"Array contains more items than allowed by items", "additionalItems", Kind::kReal},
      {"Cannot validate item #", "additionalItems", Kind::kReal},
      {"Array should contain no more than", "maxItems", Kind::kReal},
      {"Array should contain no fewer than", "minItems", Kind::kReal},
      {"String should be no more than", "maxLength", Kind::kReal},
      {"String should be no fewer than", "minLength", Kind::kReal},
      {"Object should have no more than", "maxProperties", Kind::kReal},
      {"Object should have no fewer than", "minProperties", Kind::kReal},
      {"Target should not validate against schema specified in 'not'", "not", Kind::kReal},
      {"Failed to validate against any child schemas allowed by oneOf", "oneOf", Kind::kReal},
      {"Failed to validate against exactly one child schema", "oneOf", Kind::kReal},
      {"Elements at indexes", "uniqueItems", Kind::kReal},
      {"Missing required property", "required", Kind::kReal},
      {"Missing dependency", "dependencies", Kind::kReal},
      {"Failed to validate against dependent schema", "dependencies", Kind::kUmbrellaHere},
      {"Failed to validate against child schema #", "allOf", Kind::kUmbrellaHere},
      {"Target value and comparison value are not equal", "const", Kind::kReal},
      {"Value type not permitted", "type", Kind::kReal},
  };
  for (const Rule& r : kRules) {
    if (StartsWith(d, r.prefix)) return {std::move(path), std::string(r.keyword), d, r.kind};
  }
  // Umbrellas over one array item: the item's own errors carry the detail.
  for (std::string_view prefix : {"Failed to validate item #"}) {
    if (StartsWith(d, prefix)) {
      if (d.find("corresponding item schema") != std::string::npos) {
        return {std::move(path), "items", d, Kind::kUmbrellaChild};  // context is the item already
      }
      return {path + "/" + ItemIndex(d, prefix), "items", d, Kind::kUmbrellaChild};
    }
  }
  return {std::move(path), "schema", d, Kind::kReal};
}

bool AtOrBelow(const std::string& p, const std::string& root) {
  return p.size() >= root.size() && p.compare(0, root.size(), root) == 0 &&
         (p.size() == root.size() || p[root.size()] == '/');
}

}  // namespace

void PostPass(const valijson::ValidationResults& results, std::string_view base,
              std::vector<SchemaError>* out) {
  std::vector<RawError> raw;
  for (const auto& e : results) raw.push_back(Classify(PointerFrom(e.context, base), e.description));
  auto has_real_below = [&](const std::string& p) {
    for (const RawError& r : raw) {
      if (r.kind == Kind::kReal && AtOrBelow(r.path, p)) return true;
    }
    return false;
  };
  const size_t first = out->size();
  for (const RawError& r : raw) {
    SchemaError e{r.path, r.keyword, r.message};
    if (r.kind == Kind::kUmbrellaChild) {
      if (has_real_below(r.path)) continue;
      e = {r.path, "false", "no value is allowed here (the schema is false)"};
    } else if (r.kind == Kind::kUmbrellaHere) {
      if (has_real_below(r.path)) continue;
    }
    bool dup = false;
    for (size_t i = first; i < out->size() && !dup; ++i) dup = (*out)[i] == e;
    if (!dup) out->push_back(std::move(e));
  }
}

}  // namespace comply::schema_internal
