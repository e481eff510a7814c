#include "evaluator/checker.h"

#include <algorithm>
#include <utility>

#include "evaluator/extract.h"
#include "evaluator/gold.h"

namespace comply {

Result<std::shared_ptr<const SuiteChecker>> SuiteChecker::Compile(const SuiteSpec& suite) {
  return Compile(suite, std::nullopt);
}

Result<std::shared_ptr<const SuiteChecker>> SuiteChecker::Compile(
    const SuiteSpec& suite, std::optional<ExtractionMode> extraction_override) {
  std::shared_ptr<SuiteChecker> c(new SuiteChecker());
  c->suite_ = suite;
  c->extraction_ = extraction_override.value_or(suite.extraction);
  if (suite.schema) {
    const std::string source =
        suite.schema_file.empty() ? suite.file.string() + " (schema)" : suite.schema_file.string();
    auto schema = CompiledSchema::Compile(*suite.schema, suite.dir, source);
    if (!schema.ok()) return schema.error();
    c->schema_ = std::move(schema.value());
  }
  auto rules = RuleSet::Compile(suite.rules);
  if (!rules.ok()) return rules.error();
  c->rules_ = std::move(rules.value());
  if (suite.text_template) {
    auto tmpl = CompiledTemplate::Compile(*suite.text_template);
    if (!tmpl.ok()) return tmpl.error();
    c->template_ = std::move(tmpl.value());
  }
  return std::shared_ptr<const SuiteChecker>(std::move(c));
}

namespace {

// Rule ids in first-failure order, each once.
std::vector<std::string> UniqueRuleIds(const std::vector<RuleDetail>& details) {
  std::vector<std::string> ids;
  for (const RuleDetail& d : details) {
    if (std::find(ids.begin(), ids.end(), d.id) == ids.end()) ids.push_back(d.id);
  }
  return ids;
}

}  // namespace

void SuiteChecker::Check(const Case* c, Record* r) const { CheckImpl(c, r, false); }

void SuiteChecker::CheckLean(const Case* c, Record* r) const { CheckImpl(c, r, true); }

void SuiteChecker::CheckImpl(const Case* c, Record* r, bool lean) const {
  // The response is parsed into a flat DOM reused by this thread (no allocation once grown);
  // schema and walker read it directly, the nlohmann tree is built from it only when needed.
  thread_local JsonDoc doc;
  r->compliant = false;
  if (!r->ok()) return;
  // A template-only suite is a text task: the JSON checks (extraction, schema, hallucinated
  // fields, gold) do not apply; the template and the whole-text rules do.
  const bool json_task = schema_ != nullptr || template_ == nullptr;
  bool json_ok = true;
  const nlohmann::json* parsed = nullptr;
  if (json_task) {
    Extraction e = Extract(r->output, extraction_, r->finish_reason == "length", &doc);
    r->extraction = e.method;
    r->drift.clear();
    bool drift_fails = false;
    for (Drift d : e.drift) {
      r->drift.emplace_back(DriftName(d));
      drift_fails = drift_fails || DriftFails(d, extraction_);
    }
    r->parsed = nullptr;
    r->parsed_begin = e.begin;
    r->parsed_end = e.found && !e.too_deep ? e.end : e.begin;
    r->parsed_minified = e.found && !e.too_deep && doc.minified();
    if (e.too_deep) {
      r->schema_valid = false;
      r->schema_errors.push_back(
          {"", "maxDepth",
           "value nested deeper than " + std::to_string(kMaxJsonDepth) +
               " levels is not validated (comply's limit)"});
    } else if (e.found) {
      const JsonRef root = doc.root();
      r->schema_valid = schema_ ? schema_->Validate(root, &r->schema_errors) : true;
      // A closed schema has nothing undeclared in a valid instance: the walk is skipped.
      if (schema_ && !(r->schema_valid && schema_->ValidMeansNoHallucinatedFields())) {
        schema_->FindHallucinatedFields(root, &r->hallucinated_fields);
      }
      const bool tree = !lean || !r->hallucinated_fields.empty() || (c != nullptr && c->expected) ||
                        rules_->NeedsParsed();
      if (tree) {
        r->parsed = root.ToJson();
        parsed = &r->parsed;
      } else {
        r->parsed = true;
      }
    } else {
      r->schema_valid = false;
    }
    json_ok = e.found && !e.too_deep && !drift_fails && r->schema_valid &&
              r->hallucinated_fields.empty();
    if (c != nullptr && c->expected && parsed != nullptr) {
      r->field_matches = CompareGold(*c->expected, parsed, suite_.match);
    } else if (c != nullptr && c->expected) {
      r->field_matches = CompareGold(*c->expected, nullptr, suite_.match);
    }
  }
  rules_->Check(r->output, parsed, &r->rule_details);
  r->rule_failures = UniqueRuleIds(r->rule_details);
  bool template_ok = true;
  if (template_) {
    r->template_outcome = template_->Check(r->output);
    template_ok = r->template_outcome->ok();
    if (!json_task && r->output.find_first_not_of(" \t\r\n") == std::string::npos) {
      r->drift = {std::string(DriftName(Drift::kEmpty))};
      template_ok = false;
    }
  }
  r->compliant = json_ok && template_ok && r->rule_failures.empty();
}

}  // namespace comply
