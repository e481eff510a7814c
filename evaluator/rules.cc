#include "evaluator/rules.h"

#include <functional>
#include <string>
#include <unordered_set>
#include <utility>

#include <re2/re2.h>

#include "evaluator/json_pointer.h"
#include "evaluator/rules_text.h"

namespace comply {

namespace {

using nlohmann::json;
using rules_internal::CodePoints;
using rules_internal::Quote;

// Lets the allowed-values set be probed with a string_view (no copy per lookup).
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using ValueSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

struct CompiledRule {
  RuleSpec spec;
  std::vector<std::string> tokens;  // spec.path parsed; `*` = every array element
  std::unique_ptr<const re2::RE2> re;
  ValueSet allowed;
  std::string values_name;  // "codes.txt" or "the allowed values", for messages
};

std::string Place(const RuleSpec& r) {
  std::string out = r.where.empty() ? "" : r.where + ": ";
  return out + "rule \"" + r.id + "\": ";
}

class RuleSetImpl final : public RuleSet {
 public:
  explicit RuleSetImpl(std::vector<CompiledRule> rules) : rules_(std::move(rules)) {
    for (const CompiledRule& r : rules_) {
      needs_parsed_ = needs_parsed_ || !r.spec.path.empty() || r.spec.kind == RuleSpec::Kind::kAllowedValues;
    }
  }

  bool NeedsParsed() const override { return needs_parsed_; }

  void Check(std::string_view text, const json* parsed,
             std::vector<RuleDetail>* failures) const override {
    for (const CompiledRule& rule : rules_) {
      switch (rule.spec.kind) {
        case RuleSpec::Kind::kForbid:
          CheckForbid(rule, text, failures);
          break;
        case RuleSpec::Kind::kPattern:
          if (rule.spec.path.empty()) {
            if (!re2::RE2::PartialMatch(text, *rule.re)) {
              Fail(rule, nullptr, "text does not match pattern " + Quote(rule.spec.pattern),
                   failures);
            }
          } else if (parsed != nullptr) {
            WalkPointerPattern(*parsed, rule.tokens, [&](const json& v, const PointerFrame* at) {
              CheckPattern(rule, v, at, failures);
            });
          }
          break;
        case RuleSpec::Kind::kAllowedValues:
          if (parsed != nullptr) {
            WalkPointerPattern(*parsed, rule.tokens, [&](const json& v, const PointerFrame* at) {
              CheckAllowed(rule, v, at, failures);
            });
          }
          break;
        case RuleSpec::Kind::kLength:
          if (rule.spec.path.empty()) {
            CheckLength(rule, CodePoints(text), nullptr, failures);
          } else if (parsed != nullptr) {
            WalkPointerPattern(*parsed, rule.tokens, [&](const json& v, const PointerFrame* at) {
              if (!v.is_string()) return Fail(rule, at, NotAString(v), failures);
              CheckLength(rule, CodePoints(v.get_ref<const std::string&>()), at, failures);
            });
          }
          break;
      }
    }
  }

 private:
  static std::string NotAString(const json& v) {
    return std::string("expected a string, got ") + v.type_name();
  }

  static void Fail(const CompiledRule& rule, const PointerFrame* at, std::string message,
                   std::vector<RuleDetail>* failures) {
    failures->push_back(RuleDetail{rule.spec.id, PointerString(at),
                                   rule.spec.message.empty() ? std::move(message)
                                                             : rule.spec.message});
  }

  static void CheckForbid(const CompiledRule& rule, std::string_view text,
                          std::vector<RuleDetail>* failures) {
    re2::StringPiece found;
    if (rule.re->Match(text, 0, text.size(), re2::RE2::UNANCHORED, &found, 1)) {
      Fail(rule, nullptr, "forbidden text " + Quote(std::string_view(found.data(), found.size())),
           failures);
    }
  }

  static void CheckPattern(const CompiledRule& rule, const json& v, const PointerFrame* at,
                           std::vector<RuleDetail>* failures) {
    if (!v.is_string()) return Fail(rule, at, NotAString(v), failures);
    const std::string& s = v.get_ref<const std::string&>();
    if (!re2::RE2::PartialMatch(s, *rule.re)) {
      Fail(rule, at, "value " + Quote(s) + " does not match pattern " + Quote(rule.spec.pattern),
           failures);
    }
  }

  // An array: each element is checked; a string by its text, anything else by its JSON text.
  static void CheckAllowed(const CompiledRule& rule, const json& v, const PointerFrame* at,
                           std::vector<RuleDetail>* failures) {
    if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        PointerFrame element{at, {}, i, true};
        CheckAllowedScalar(rule, v[i], &element, failures);
      }
      return;
    }
    CheckAllowedScalar(rule, v, at, failures);
  }

  static void CheckAllowedScalar(const CompiledRule& rule, const json& v, const PointerFrame* at,
                                 std::vector<RuleDetail>* failures) {
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      if (rule.allowed.find(std::string_view(s)) == rule.allowed.end()) {
        Fail(rule, at, "hallucinated value " + Quote(s) + " (not in " + rule.values_name + ")",
             failures);
      }
      return;
    }
    const std::string text = v.dump(-1, ' ', false, json::error_handler_t::replace);
    if (rule.allowed.find(std::string_view(text)) == rule.allowed.end()) {
      Fail(rule, at, "hallucinated value " + Quote(text) + " (not in " + rule.values_name + ")",
           failures);
    }
  }

  static void CheckLength(const CompiledRule& rule, std::size_t length, const PointerFrame* at,
                          std::vector<RuleDetail>* failures) {
    const RuleSpec& s = rule.spec;
    if (s.min_length && length < *s.min_length) {
      Fail(rule, at,
           "length " + std::to_string(length) + " is below the minimum " +
               std::to_string(*s.min_length),
           failures);
    } else if (s.max_length && length > *s.max_length) {
      Fail(rule, at,
           "length " + std::to_string(length) + " is above the maximum " +
               std::to_string(*s.max_length),
           failures);
    }
  }

  std::vector<CompiledRule> rules_;
  bool needs_parsed_ = false;
};

Result<CompiledRule> CompileRule(const RuleSpec& spec) {
  CompiledRule rule;
  rule.spec = spec;
  auto tokens = ParsePointerPattern(spec.path);
  if (!tokens.ok()) return InvalidInput(Place(spec) + tokens.error().message);
  rule.tokens = std::move(tokens.value());
  if (spec.kind == RuleSpec::Kind::kPattern || spec.kind == RuleSpec::Kind::kForbid) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<re2::RE2>(rules_internal::TranslateNamedGroups(spec.pattern),
                                         options);
    if (!re->ok()) {
      return InvalidInput(Place(spec) + "invalid pattern " + Quote(spec.pattern, 200) + ": " +
                          re->error());
    }
    rule.re = std::move(re);
  }
  if (spec.kind == RuleSpec::Kind::kAllowedValues) {
    rule.values_name = "the allowed values";
    for (const std::string& v : spec.values) rule.allowed.insert(v);
    if (!spec.values_file.empty()) {
      auto values = rules_internal::ReadValuesFile(spec.values_file.string());
      if (!values.ok()) {
        return InvalidInput(Place(spec) + "cannot read allowed values file \"" +
                            spec.values_file.string() + "\": " + values.error().message);
      }
      rule.allowed.reserve(rule.allowed.size() + values->size());
      for (std::string& v : *values) rule.allowed.insert(std::move(v));
      rule.values_name = spec.values_file.filename().string();
    }
  }
  return rule;
}

}  // namespace

Result<std::shared_ptr<const RuleSet>> RuleSet::Compile(const std::vector<RuleSpec>& rules) {
  std::vector<CompiledRule> compiled;
  compiled.reserve(rules.size());
  try {
    for (const RuleSpec& spec : rules) {
      auto rule = CompileRule(spec);
      if (!rule.ok()) return rule.error();
      compiled.push_back(std::move(rule.value()));
    }
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternal, std::string("compiling rules: ") + e.what()};
  }
  return std::shared_ptr<const RuleSet>(std::make_shared<RuleSetImpl>(std::move(compiled)));
}

}  // namespace comply
