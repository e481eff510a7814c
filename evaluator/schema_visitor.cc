// The ONE translation unit that instantiates valijson's ValidationVisitor. The specialised
// handlers below must be declared before anything here instantiates the visitor: another TU
// would silently get valijson's std::regex versions (PLATFORM.md, valijson). The side tables
// they read are built in schema_tables.cc, their errors post-processed in schema_errors.cc
// (neither instantiates the visitor). VALIJSON_USE_EXCEPTIONS is set for every TU by CMake
// (target valijson_headers): without it valijson prints and calls abort() on a bad schema.
#include "evaluator/schema_visitor.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include <re2/re2.h>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/adapters/std_string_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validation_visitor.hpp>
#include <valijson/validator.hpp>

#include "evaluator/schema_decimal.h"
#include "evaluator/schema_doc_adapter.h"
#include "evaluator/schema_errors.h"
#include "evaluator/schema_formats.h"
#include "evaluator/schema_tables.h"

namespace vc = valijson::constraints;
using comply::schema_internal::DocAdapter;
using JsonVisitor = valijson::ValidationVisitor<DocAdapter>;
using NameVisitor = valijson::ValidationVisitor<valijson::adapters::StdStringAdapter>;

namespace valijson {
template <> bool JsonVisitor::visit(const vc::PatternConstraint&);
template <> bool JsonVisitor::visit(const vc::FormatConstraint&);
template <> bool JsonVisitor::visit(const vc::PropertiesConstraint&);
template <> bool JsonVisitor::visit(const vc::PropertyNamesConstraint&);
template <> bool JsonVisitor::visit(const vc::MultipleOfDoubleConstraint&);
template <> bool JsonVisitor::visit(const vc::MultipleOfIntConstraint&);
template <> bool JsonVisitor::visit(const vc::MaximumConstraint&);
template <> bool JsonVisitor::visit(const vc::MinimumConstraint&);
template <> bool JsonVisitor::visit(const vc::TypeConstraint&);
template <> bool JsonVisitor::visit(const vc::SingularItemsConstraint&);
template <> bool JsonVisitor::visit(const vc::MaxLengthConstraint&);
template <> bool JsonVisitor::visit(const vc::MinLengthConstraint&);
template <> bool NameVisitor::visit(const vc::PatternConstraint&);
template <> bool NameVisitor::visit(const vc::FormatConstraint&);
template <> bool NameVisitor::visit(const vc::PropertiesConstraint&);
}  // namespace valijson

namespace comply::schema_internal {
namespace {

// The tables of the schema being validated on this thread (set by Validate).
thread_local const Tables* t_tables = nullptr;

std::string NumberText(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// The exact value of a number (long double holds every int64 and uint64), false otherwise.
bool NumberOf(JsonRef v, long double* out) {
  switch (v.type()) {
    case JsonType::kInt:
      *out = static_cast<long double>(v.as_int());
      return true;
    case JsonType::kUint:
      *out = static_cast<long double>(v.as_uint());
      return true;
    case JsonType::kDouble:
      *out = v.as_double();
      return true;
    default:
      return false;
  }
}

// valijson's ValidationVisitor::validateSchema without its heap allocation per call (its
// std::bind is too big for std::function's small buffer): the same constraints, same order.
template <typename Visitor>
bool ValidateWith(Visitor& v, const valijson::Subschema& sub, bool collect) {
  if (sub.getAlwaysInvalid()) return false;
  valijson::Subschema::ApplyFunction fn = [&v](const vc::Constraint& c) { return c.accept(v); };
  return collect ? sub.apply(fn) : sub.applyStrict(fn);
}

bool MatchPattern(const RE2* re, std::string_view s) {
  return re != nullptr && RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re);
}

bool HasName(const std::vector<std::string>& sorted, std::string_view key) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), key,
                             [](const std::string& a, std::string_view b) { return std::string_view(a) < b; });
  return it != sorted.end() && *it == key;
}

// Code points in valid UTF-8 (what maxLength / minLength count).
std::uint64_t CodePoints(std::string_view s) {
  std::uint64_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace
}  // namespace comply::schema_internal

namespace valijson {

using comply::schema_internal::t_tables;
using comply::schema_internal::Tagged;

template <>
bool JsonVisitor::visit(const vc::PatternConstraint& c) {
  if (!m_target.isString()) return true;
  auto it = t_tables->pattern.find(&c);
  const RE2* re = it == t_tables->pattern.end() ? nullptr : it->second;
  if (comply::schema_internal::MatchPattern(re, m_target.ref().as_string())) return true;
  if (m_results) {
    m_results->pushError(m_context, Tagged("pattern", "does not match the pattern \"" +
                                                          c.getPattern<std::string::allocator_type>() + "\""));
  }
  return false;
}

template <>
bool NameVisitor::visit(const vc::PatternConstraint& c) {
  auto it = t_tables->pattern.find(&c);
  const RE2* re = it == t_tables->pattern.end() ? nullptr : it->second;
  return comply::schema_internal::MatchPattern(re, m_target.asString());
}

template <>
bool JsonVisitor::visit(const vc::FormatConstraint& c) {
  if (!m_target.isString()) return true;
  auto it = t_tables->format.find(&c);
  if (it == t_tables->format.end()) return true;
  if (comply::schema_internal::CheckFormat(it->second.first, m_target.ref().as_string())) return true;
  if (m_results) m_results->pushError(m_context, Tagged("format", "is not a valid \"" + it->second.second + "\""));
  return false;
}

template <>
bool NameVisitor::visit(const vc::FormatConstraint& c) {
  auto it = t_tables->format.find(&c);
  if (it == t_tables->format.end()) return true;
  return comply::schema_internal::CheckFormat(it->second.first, m_target.asString());
}

template <>
bool NameVisitor::visit(const vc::PropertiesConstraint&) {
  return true;  // a property name is a string: properties never apply
}

template <>
bool JsonVisitor::visit(const vc::PropertiesConstraint& c) {
  if (!m_target.isObject()) return true;
  auto info_it = t_tables->props.find(&c);
  if (info_it == t_tables->props.end()) return true;
  const comply::schema_internal::PropsInfo& info = info_it->second;
  const comply::JsonRef object = m_target.ref();
  bool validated = true;
  size_t matched = 0;
  // Validates one member value; reports a false schema (failure without an error) itself.
  // The context is built only when errors are collected.
  auto check = [&](std::string_view key, comply::JsonRef value, const Subschema& sub) {
    std::vector<std::string> ctx;
    if (m_results) {
      ctx = m_context;
      ctx.push_back("[" + std::string(key) + "]");
    }
    const size_t before = m_results ? m_results->numErrors() : 0;
    JsonVisitor v(DocAdapter(value), std::move(ctx), m_strictTypes, m_results, m_regexesCache);
    if (comply::schema_internal::ValidateWith(v, sub, m_results != nullptr)) return true;
    if (m_results && m_results->numErrors() == before) {
      std::vector<std::string> here = m_context;
      here.push_back("[" + std::string(key) + "]");
      m_results->pushError(here, Tagged("false", "no value is allowed here (the schema is false)"));
    }
    return false;
  };
  for (const auto& [name, sub] : info.props) {
    const comply::JsonRef value = object.find(name);
    if (!value.valid()) continue;
    ++matched;
    if (!check(name, value, *sub)) {
      validated = false;
      if (!m_results) return false;
    }
  }
  const size_t size = object.size();
  if (info.patterns.empty() && (matched == size || (info.additional && info.additional_trivial))) {
    return validated;
  }
  for (size_t i = 0; i < size; ++i) {
    const std::string_view key = object.key(i);
    const comply::JsonRef value = object.value(i);
    bool declared = comply::schema_internal::HasName(info.names, key);
    for (const auto& [re, sub] : info.patterns) {
      if (!RE2::PartialMatch(re2::StringPiece(key.data(), key.size()), *re)) continue;
      declared = true;
      if (!check(key, value, *sub)) {
        validated = false;
        if (!m_results) return false;
      }
    }
    if (declared) continue;
    if (info.additional == nullptr) {
      validated = false;
      if (!m_results) return false;
      std::vector<std::string> ctx = m_context;
      ctx.push_back("[" + std::string(key) + "]");
      m_results->pushError(ctx, Tagged("additionalProperties", "property \"" + std::string(key) + "\" is not allowed"));
    } else if (!info.additional_trivial && !check(key, value, *info.additional)) {
      validated = false;
      if (!m_results) return false;
    }
  }
  return validated;
}

template <>
bool JsonVisitor::visit(const vc::PropertyNamesConstraint& c) {
  if (!m_target.isObject()) return true;
  bool validated = true;
  const comply::JsonRef object = m_target.ref();
  for (size_t i = 0; i < object.size(); ++i) {
    const std::string key(object.key(i));
    adapters::StdStringAdapter name(key);
    NameVisitor v(name, {}, m_strictTypes, nullptr, m_regexesCache);
    if (v.validateSchema(*c.getSubschema())) continue;
    validated = false;
    if (!m_results) return false;
    std::vector<std::string> ctx = m_context;
    ctx.push_back("[" + key + "]");
    m_results->pushError(ctx, Tagged("propertyNames", "property name \"" + key + "\" is not allowed by propertyNames"));
  }
  return validated;
}

template <>
bool JsonVisitor::visit(const vc::SingularItemsConstraint& c) {
  // valijson's own handler, without a context copy and a to_string per item when no errors
  // are collected (the messages are valijson's, for the error post-pass).
  if (!m_target.isArray()) return true;
  const Subschema* items = c.getItemsSubschema();
  if (items == nullptr) return true;
  const comply::JsonRef array = m_target.ref();
  bool validated = true;
  for (size_t i = 0; i < array.size(); ++i) {
    std::vector<std::string> ctx;
    if (m_results) {
      ctx = m_context;
      ctx.push_back("[" + std::to_string(i) + "]");
    }
    JsonVisitor v(DocAdapter(array.at(i)), std::move(ctx), m_strictTypes, m_results, m_regexesCache);
    if (comply::schema_internal::ValidateWith(v, *items, m_results != nullptr)) continue;
    if (!m_results) return false;
    m_results->pushError(m_context, "Failed to validate item #" + std::to_string(i) + " in array.");
    validated = false;
  }
  return validated;
}

template <>
bool JsonVisitor::visit(const vc::MaxLengthConstraint& c) {
  if (!m_target.isString()) return true;
  const uint64_t max = c.getMaxLength();
  const std::string_view s = m_target.ref().as_string();
  if (s.size() <= max || comply::schema_internal::CodePoints(s) <= max) return true;
  if (m_results) {
    m_results->pushError(m_context, "String should be no more than " + std::to_string(max) + " characters in length.");
  }
  return false;
}

template <>
bool JsonVisitor::visit(const vc::MinLengthConstraint& c) {
  if (!m_target.isString()) return true;
  const uint64_t min = c.getMinLength();
  const std::string_view s = m_target.ref().as_string();
  if (s.size() < min || comply::schema_internal::CodePoints(s) < min) {
    if (m_results) {
      m_results->pushError(m_context, "String should be no fewer than " + std::to_string(min) + " characters in length.");
    }
    return false;
  }
  return true;
}

template <>
bool JsonVisitor::visit(const vc::MultipleOfDoubleConstraint& c) {
  using comply::schema_internal::Decimal;
  const comply::JsonRef v = m_target.ref();
  if (!v.is_number()) return true;
  const Decimal value = v.type() == comply::JsonType::kInt ? Decimal::FromInt(v.as_int()) : Decimal::FromDouble(v.as_double());
  if (comply::schema_internal::IsMultipleOf(value, Decimal::FromDouble(c.getDivisor()))) return true;
  if (m_results) {
    m_results->pushError(m_context, Tagged("multipleOf", "is not a multiple of " +
                                                             comply::schema_internal::NumberText(c.getDivisor())));
  }
  return false;
}

template <>
bool JsonVisitor::visit(const vc::MultipleOfIntConstraint& c) {
  using comply::schema_internal::Decimal;
  const comply::JsonRef v = m_target.ref();
  if (!v.is_number()) return true;
  const int64_t divisor = c.getDivisor();
  bool ok;
  if (divisor == 0) {
    ok = false;
  } else if (v.type() == comply::JsonType::kInt) {
    ok = divisor == -1 || v.as_int() % divisor == 0;
  } else if (v.type() == comply::JsonType::kUint) {
    const uint64_t d = divisor < 0 ? 0 - static_cast<uint64_t>(divisor) : static_cast<uint64_t>(divisor);
    ok = v.as_uint() % d == 0;
  } else {
    ok = comply::schema_internal::IsMultipleOf(Decimal::FromDouble(v.as_double()), Decimal::FromInt(divisor));
  }
  if (ok) return true;
  if (m_results) m_results->pushError(m_context, Tagged("multipleOf", "is not a multiple of " + std::to_string(divisor)));
  return false;
}

template <>
bool JsonVisitor::visit(const vc::MaximumConstraint& c) {
  long double v = 0;
  if (!comply::schema_internal::NumberOf(m_target.ref(), &v)) return true;
  const long double bound = c.getMaximum();
  const bool exclusive = c.getExclusiveMaximum();
  if (exclusive ? v < bound : v <= bound) return true;
  if (m_results) {
    m_results->pushError(m_context, Tagged(exclusive ? "exclusiveMaximum" : "maximum",
                                           std::string(exclusive ? "must be < " : "must be <= ") +
                                               comply::schema_internal::NumberText(c.getMaximum())));
  }
  return false;
}

template <>
bool JsonVisitor::visit(const vc::MinimumConstraint& c) {
  long double v = 0;
  if (!comply::schema_internal::NumberOf(m_target.ref(), &v)) return true;
  const long double bound = c.getMinimum();
  const bool exclusive = c.getExclusiveMinimum();
  if (exclusive ? v > bound : v >= bound) return true;
  if (m_results) {
    m_results->pushError(m_context, Tagged(exclusive ? "exclusiveMinimum" : "minimum",
                                           std::string(exclusive ? "must be > " : "must be >= ") +
                                               comply::schema_internal::NumberText(c.getMinimum())));
  }
  return false;
}

template <>
bool JsonVisitor::visit(const vc::TypeConstraint& c) {
  const comply::JsonRef v = m_target.ref();
  bool ok = false;
  c.applyToNamedTypes([&](vc::TypeConstraint::JsonType t) {
    switch (t) {
      case vc::TypeConstraint::kAny: ok = true; break;
      case vc::TypeConstraint::kArray: ok = v.is_array(); break;
      case vc::TypeConstraint::kBoolean: ok = v.is_bool(); break;
      case vc::TypeConstraint::kNull: ok = v.is_null(); break;
      case vc::TypeConstraint::kNumber: ok = v.is_number(); break;
      case vc::TypeConstraint::kObject: ok = v.is_object(); break;
      case vc::TypeConstraint::kString: ok = v.is_string(); break;
      case vc::TypeConstraint::kInteger: {
        // Draft 6 and later: 1.0 is an integer.
        const double d = v.is_double() ? v.as_double() : 0;
        ok = v.is_integer() || (v.is_double() && std::isfinite(d) && d == std::floor(d));
        break;
      }
    }
    return !ok;  // stop at the first match
  });
  if (ok) return true;
  if (m_results) {
    std::string names;
    c.applyToNamedTypes([&](vc::TypeConstraint::JsonType t) {
      static const char* const kNames[] = {"any", "array", "boolean", "integer", "null", "number", "object", "string"};
      const char* name = "";
      switch (t) {
        case vc::TypeConstraint::kAny: name = kNames[0]; break;
        case vc::TypeConstraint::kArray: name = kNames[1]; break;
        case vc::TypeConstraint::kBoolean: name = kNames[2]; break;
        case vc::TypeConstraint::kInteger: name = kNames[3]; break;
        case vc::TypeConstraint::kNull: name = kNames[4]; break;
        case vc::TypeConstraint::kNumber: name = kNames[5]; break;
        case vc::TypeConstraint::kObject: name = kNames[6]; break;
        case vc::TypeConstraint::kString: name = kNames[7]; break;
      }
      if (!names.empty()) names += ", ";
      names += name;
      return true;
    });
    m_results->pushError(m_context, Tagged("type", "must be of type " + names));
  }
  return false;
}

}  // namespace valijson

namespace comply::schema_internal {
namespace {


// Sets t_tables for the duration of a call (restoring the outer value: calls may nest).
class TablesScope {
 public:
  explicit TablesScope(const Tables* t) : saved_(t_tables) { t_tables = t; }
  ~TablesScope() { t_tables = saved_; }

 private:
  const Tables* saved_;
};


}  // namespace

struct ValijsonSchema::Impl {
  valijson::Schema schema;
  Tables tables;
  std::unordered_map<size_t, const valijson::Subschema*> probes;
};

ValijsonSchema::ValijsonSchema() : impl_(std::make_unique<Impl>()) {}
ValijsonSchema::~ValijsonSchema() = default;

Result<std::unique_ptr<ValijsonSchema>> ValijsonSchema::Build(const Prepassed& p,
                                                             const std::vector<size_t>& probes,
                                                             std::string_view source) {
  std::unique_ptr<ValijsonSchema> v(new ValijsonSchema());
  try {
    // The root valijson sees: anyOf [{}, probe refs...] (never validated against itself) and
    // the flat node table under "$comply", which valijson only reaches through the refs.
    nlohmann::json doc = nlohmann::json::object();
    nlohmann::json any = nlohmann::json::array({nlohmann::json::object()});
    for (size_t node : probes) any.push_back({{"$ref", NodeRef(node)}});
    doc["anyOf"] = std::move(any);
    nlohmann::json table = nlohmann::json::object();
    for (size_t i = 0; i < p.nodes.size(); ++i) table["n" + std::to_string(i)] = p.nodes[i];
    doc["$comply"] = std::move(table);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(doc);
    parser.populateSchema(adapter, v->impl_->schema);
    // Find the probes: the root's anyOf children, in order, after the leading {}.
    const valijson::Subschema& root = *v->impl_->schema.root();
    valijson::Subschema::ApplyFunction fn = [&](const vc::Constraint& c) {
      if (const auto* a = dynamic_cast<const vc::AnyOfConstraint*>(&c)) {
        a->applyToSubschemas([&](unsigned index, const valijson::Subschema* s) {
          if (index > 0 && index <= probes.size()) v->impl_->probes[probes[index - 1]] = s;
          return true;
        });
      }
      return true;
    };
    root.apply(fn);
    if (v->impl_->probes.size() != std::set<size_t>(probes.begin(), probes.end()).size()) {
      return InvalidInput(std::string(source) + ": internal error: schema probes not found");
    }
    if (Status st = IndexSchema(&root, p.patterns, &v->impl_->tables); !st.ok()) {
      return InvalidInput(std::string(source) + ": " + st.error().message);
    }
  } catch (const std::exception& e) {
    return InvalidInput(std::string(source) + ": invalid schema: " + e.what());
  }
  return v;
}

bool ValijsonSchema::HasProbe(size_t node) const { return impl_->probes.count(node) != 0; }

bool ValijsonSchema::Validate(size_t node, JsonRef instance, std::vector<SchemaError>* errors,
                              std::string_view base_pointer) const {
  try {
    auto it = impl_->probes.find(node);
    if (it == impl_->probes.end()) {
      if (errors) errors->push_back({std::string(base_pointer), "validation", "internal error: no probe"});
      return false;
    }
    TablesScope scope(&impl_->tables);
    valijson::Validator validator;
    const DocAdapter adapter(instance);
    if (validator.validate(*it->second, adapter, nullptr)) return true;
    if (errors == nullptr) return false;
    valijson::ValidationResults results;
    validator.validate(*it->second, adapter, &results);
    const size_t before = errors->size();
    PostPass(results, base_pointer, errors);
    if (errors->size() == before) {
      errors->push_back({std::string(base_pointer), "false", "no value is allowed here (the schema is false)"});
    }
    return false;
  } catch (const std::exception& e) {
    if (errors) errors->push_back({std::string(base_pointer), "validation", std::string("validation failed: ") + e.what()});
    return false;
  }
}

}  // namespace comply::schema_internal
