#include "evaluator/schema_tables.h"

#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/constraints/constraint_visitor.hpp>

namespace comply::schema_internal {
namespace {

namespace vc = valijson::constraints;

// Walks valijson's parsed tree once, at build time, to fill the side tables.
class Indexer : public vc::ConstraintVisitor {
 public:
  Indexer(Tables* tables, const std::map<std::string, std::string>& patterns)
      : tables_(*tables), patterns_(patterns) {}

  Status Run(const valijson::Subschema* root) {
    Push(root);
    while (!stack_.empty()) {
      const valijson::Subschema* s = stack_.back();
      stack_.pop_back();
      size_t count = 0;
      valijson::Subschema::ApplyFunction fn = [&](const vc::Constraint& c) {
        ++count;
        c.accept(*this);
        return true;
      };
      s->apply(fn);
      if (count == 0 && !s->getAlwaysInvalid()) tables_.trivial.insert(s);
      if (!status_.ok()) return status_;
    }
    // PropsInfo::additional_trivial needs every subschema indexed first.
    for (auto& [_, info] : tables_.props) {
      info.additional_trivial = info.additional != nullptr && tables_.trivial.count(info.additional) != 0;
    }
    return status_;
  }

  bool visit(const vc::AllOfConstraint& c) override { return Subschemas(c); }
  bool visit(const vc::AnyOfConstraint& c) override { return Subschemas(c); }
  bool visit(const vc::OneOfConstraint& c) override { return Subschemas(c); }
  bool visit(const vc::ConditionalConstraint& c) override {
    Push(c.getIfSubschema());
    Push(c.getThenSubschema());
    Push(c.getElseSubschema());
    return true;
  }
  bool visit(const vc::ConstConstraint&) override { return true; }
  bool visit(const vc::ContainsConstraint& c) override {
    Push(c.getSubschema());
    return true;
  }
  bool visit(const vc::DependenciesConstraint& c) override {
    c.applyToSchemaDependencies([&](const auto&, const valijson::Subschema* s) {
      Push(s);
      return true;
    });
    return true;
  }
  bool visit(const vc::EnumConstraint&) override { return true; }
  bool visit(const vc::FormatConstraint& c) override {
    Format f = FormatFromName(c.getFormat());
    if (f != Format::kUnknown) tables_.format.emplace(&c, std::make_pair(f, c.getFormat()));
    return true;
  }
  bool visit(const vc::LinearItemsConstraint& c) override {
    c.applyToItemSubschemas([&](unsigned, const valijson::Subschema* s) {
      Push(s);
      return true;
    });
    Push(c.getAdditionalItemsSubschema());
    return true;
  }
  bool visit(const vc::MaximumConstraint&) override { return true; }
  bool visit(const vc::MaxItemsConstraint&) override { return true; }
  bool visit(const vc::MaxLengthConstraint&) override { return true; }
  bool visit(const vc::MaxPropertiesConstraint&) override { return true; }
  bool visit(const vc::MinimumConstraint&) override { return true; }
  bool visit(const vc::MinItemsConstraint&) override { return true; }
  bool visit(const vc::MinLengthConstraint&) override { return true; }
  bool visit(const vc::MinPropertiesConstraint&) override { return true; }
  bool visit(const vc::MultipleOfDoubleConstraint&) override { return true; }
  bool visit(const vc::MultipleOfIntConstraint&) override { return true; }
  bool visit(const vc::NotConstraint& c) override {
    Push(c.getSubschema());
    return true;
  }
  bool visit(const vc::PatternConstraint& c) override {
    tables_.pattern.emplace(&c, Regex(c.getPattern<std::string::allocator_type>()));
    return true;
  }
  bool visit(const vc::PolyConstraint&) override { return true; }
  bool visit(const vc::PropertiesConstraint& c) override {
    PropsInfo info;
    c.applyToProperties([&](const auto& name, const valijson::Subschema* s) {
      std::string key(name.c_str(), name.size());
      info.props.emplace_back(key, s);
      info.names.push_back(key);
      Push(s);
      return true;
    });
    c.applyToPatternProperties([&](const auto& name, const valijson::Subschema* s) {
      info.patterns.emplace_back(Regex(std::string(name.c_str(), name.size())), s);
      Push(s);
      return true;
    });
    info.additional = c.getAdditionalPropertiesSubschema();
    Push(info.additional);
    std::sort(info.names.begin(), info.names.end());
    tables_.props.emplace(&c, std::move(info));
    return true;
  }
  bool visit(const vc::PropertyNamesConstraint& c) override {
    Push(c.getSubschema());
    return true;
  }
  bool visit(const vc::RequiredConstraint&) override { return true; }
  bool visit(const vc::SingularItemsConstraint& c) override {
    Push(c.getItemsSubschema());
    return true;
  }
  bool visit(const vc::TypeConstraint&) override { return true; }
  bool visit(const vc::UniqueItemsConstraint&) override { return true; }

 private:
  template <typename C>
  bool Subschemas(const C& c) {
    c.applyToSubschemas([&](unsigned, const valijson::Subschema* s) {
      Push(s);
      return true;
    });
    return true;
  }

  void Push(const valijson::Subschema* s) {
    if (s != nullptr && seen_.insert(s).second) stack_.push_back(s);
  }

  // The RE2 for an ECMA-262 pattern, compiled once per distinct text.
  const RE2* Regex(const std::string& ecma) {
    auto it = tables_.regex.find(ecma);
    if (it != tables_.regex.end()) return it->second.get();
    auto tr = patterns_.find(ecma);
    const std::string& text = tr == patterns_.end() ? ecma : tr->second;
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(64 << 20);
    auto re = std::make_unique<RE2>(text, options);
    if (!re->ok() && status_.ok()) {
      status_ = InvalidInput("pattern \"" + ecma + "\" is not supported by RE2: " + re->error());
    }
    const RE2* raw = re->ok() ? re.get() : nullptr;
    tables_.regex.emplace(ecma, std::move(re));
    return raw;
  }

  Tables& tables_;
  const std::map<std::string, std::string>& patterns_;
  std::vector<const valijson::Subschema*> stack_;
  std::unordered_set<const valijson::Subschema*> seen_;
  Status status_;
};

}  // namespace

Status IndexSchema(const valijson::Subschema* root, const std::map<std::string, std::string>& patterns,
                   Tables* tables) {
  Indexer indexer(tables, patterns);
  return indexer.Run(root);
}

}  // namespace comply::schema_internal
