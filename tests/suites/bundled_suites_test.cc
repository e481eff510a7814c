// The bundled suites (suites/), the demo configuration and the example configs (examples/)
// are data, but users start from them: each must load, lint cleanly, and agree with itself —
// every gold answer passes its own suite's checks, and the defects the mock endpoint injects
// are caught.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/checker.h"
#include "evaluator/lint.h"
#include "evaluator/record.h"
#include "evaluator/suite_loader.h"
#include "tests/test_util.h"

namespace comply {
namespace {

namespace fs = std::filesystem;
using comply::testing::SourceDir;

const std::vector<std::string> kSuites = {"invoice", "medical-coding", "ticket-triage",
                                          "incident-report"};

fs::path SuiteFile(const std::string& name) { return SourceDir() / "suites" / name / "suite.yaml"; }

// Non-comment, non-blank lines of a value list, trimmed.
std::vector<std::string> ValueLines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    out.push_back(line.substr(b, line.find_last_not_of(" \t\r") - b + 1));
  }
  return out;
}

nlohmann::json ReadJson(const fs::path& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

std::size_t WordCount(const std::string& text) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

std::string Problems(const LintReport& r) {
  std::string s;
  for (const LintProblem& p : r.problems) s += p.where + ": " + p.message + "\n";
  return s;
}

// The answer a perfect endpoint would give: the gold text for a text suite, the gold JSON
// (compact, as a model writes it) otherwise.
std::string GoldAnswer(const Case& c) {
  return c.expected->is_string() ? c.expected->get<std::string>() : c.expected->dump();
}

// Scores `output` for case `c` of a compiled suite.
Record Score(const SuiteChecker& checker, const Case& c, const std::string& output) {
  Record r;
  r.case_id = c.id;
  r.output = output;
  r.finish_reason = "stop";
  checker.Check(&c, &r);
  return r;
}

std::string Explain(const Record& r) {
  nlohmann::json j = r.ToJson();
  j.erase("output");
  j.erase("parsed");
  return j.dump();
}

TEST_CASE("every bundled suite loads with 50+ gold cases, tags and both system prompts",
          "[suites]") {
  for (const std::string& name : kSuites) {
    DYNAMIC_SECTION(name) {
      Result<SuiteSpec> s = LoadSuite(SuiteFile(name));
      REQUIRE(s.ok());
      CHECK(s->name == name);
      CHECK(s->cases.size() >= 50);
      CHECK(s->cases.size() <= 80);
      std::set<std::string> tags;
      for (const Case& c : s->cases) {
        INFO(c.id);
        CHECK(c.expected.has_value());
        CHECK_FALSE(c.tags.empty());
        tags.insert(c.tags.begin(), c.tags.end());
      }
      // core and edge on every suite, plus tags to compare on.
      CHECK(tags.count("core") == 1);
      CHECK(tags.count("edge") == 1);
      CHECK(tags.size() >= 6);
      REQUIRE(s->system_prompts.count("prompted") == 1);
      REQUIRE(s->system_prompts.count("fine-tuned") == 1);
      const std::size_t long_words = WordCount(s->system_prompts.at("prompted"));
      CHECK(long_words >= 600);
      CHECK(long_words <= 1500);
      CHECK(WordCount(s->system_prompts.at("fine-tuned")) <= 30);
      CHECK_FALSE(s->rules.empty());
      CHECK((s->schema.has_value() || s->text_template.has_value()));
    }
  }
}

TEST_CASE("every gold answer is compliant under its own suite's checks", "[suites]") {
  for (const std::string& name : kSuites) {
    DYNAMIC_SECTION(name) {
      Result<SuiteSpec> s = LoadSuite(SuiteFile(name));
      REQUIRE(s.ok());
      Result<std::shared_ptr<const SuiteChecker>> checker = SuiteChecker::Compile(*s);
      INFO((checker.ok() ? std::string() : checker.error().message));
      REQUIRE(checker.ok());
      for (const Case& c : s->cases) {
        const Record r = Score(**checker, c, GoldAnswer(c));
        INFO(c.id << " " << Explain(r));
        CHECK(r.compliant);
        for (const FieldMatch& m : r.field_matches) CHECK(m.match);
      }
    }
  }
}

TEST_CASE("the demo config and every example config lint cleanly", "[suites]") {
  std::vector<fs::path> configs = {SourceDir() / "suites" / "demo.yaml"};
  const fs::path examples = SourceDir() / "examples" / "configs";
  REQUIRE(fs::is_directory(examples));
  for (const auto& entry : fs::directory_iterator(examples)) {
    if (entry.path().extension() == ".yaml") configs.push_back(entry.path());
  }
  std::sort(configs.begin(), configs.end());
  CHECK(configs.size() >= 4);
  for (const fs::path& config : configs) {
    DYNAMIC_SECTION(config.filename().string()) {
      const LintReport r = Lint(config);
      INFO(Problems(r));
      CHECK(r.problems.empty());
      CHECK(r.suites >= 1);
      CHECK(r.endpoints >= 1);
      CHECK(r.cases >= 50);
    }
  }
  SECTION("the demo runs all four suites against both mock profiles") {
    const LintReport r = Lint(SourceDir() / "suites" / "demo.yaml");
    CHECK(r.problems.empty());
    CHECK(r.suites == 4);
    CHECK(r.endpoints == 2);
    CHECK(r.cases >= 4 * 60);
  }
}

TEST_CASE("each bundled suite lints cleanly on its own", "[suites]") {
  for (const std::string& name : kSuites) {
    DYNAMIC_SECTION(name) {
      const LintReport r = Lint(SuiteFile(name));
      INFO(Problems(r));
      CHECK(r.problems.empty());
      CHECK(r.suites == 1);
      CHECK(r.cases >= 50);
    }
  }
}

TEST_CASE("value lists agree with the schemas that enumerate the same values", "[suites]") {
  const fs::path suites = SourceDir() / "suites";
  SECTION("invoice currencies") {
    const nlohmann::json schema = ReadJson(suites / "invoice" / "schema.json");
    std::vector<std::string> enumerated = schema["properties"]["currency"]["enum"];
    std::vector<std::string> listed = ValueLines(suites / "invoice" / "currencies.txt");
    std::sort(enumerated.begin(), enumerated.end());
    std::sort(listed.begin(), listed.end());
    CHECK(enumerated == listed);
  }
  SECTION("ticket-triage categories") {
    const nlohmann::json schema = ReadJson(suites / "ticket-triage" / "schema.json");
    std::vector<std::string> enumerated = schema["$defs"]["category"]["enum"];
    CHECK(enumerated == ValueLines(suites / "ticket-triage" / "categories.txt"));
  }
  SECTION("medical-coding: a taxonomy of several thousand well-formed, unique codes") {
    const std::vector<std::string> codes = ValueLines(suites / "medical-coding" / "codes.txt");
    CHECK(codes.size() > 3000);
    CHECK(std::set<std::string>(codes.begin(), codes.end()).size() == codes.size());
    const auto malformed = std::count_if(codes.begin(), codes.end(), [](const std::string& c) {
      return !(c.size() == 9 && c.rfind("CX-", 0) == 0 && std::isupper(c[3]) && std::isdigit(c[4]) &&
               std::isdigit(c[5]) && c[6] == '.' && std::isdigit(c[7]) && std::isdigit(c[8]));
    });
    CHECK(malformed == 0);
    // catalog.tsv describes exactly these codes (header line + one line per code).
    CHECK(ValueLines(suites / "medical-coding" / "catalog.tsv").size() == codes.size() + 1);
  }
}

TEST_CASE("the committed suite data is what scripts/gen_suites.py generates", "[suites]") {
  const fs::path python = "/usr/bin/python3";
  if (!fs::exists(python)) {
    WARN("no /usr/bin/python3: generator check not run");
    return;
  }
  const std::string script = (SourceDir() / "scripts" / "gen_suites.py").string();
  // Same seed: byte-identical to the committed files.
  comply::testing::CommandResult r = comply::testing::Run(python.string() + " '" + script + "' --check");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());

  // Another seed: the same number of cases, different ones.
  comply::testing::TempDir tmp;
  r = comply::testing::Run(python.string() + " '" + script + "' --seed 7 --out '" +
                           tmp.path().string() + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const std::string& name : kSuites) {
    const std::string mine = comply::testing::ReadFile(tmp / (name + "/cases.jsonl"));
    const std::string committed =
        comply::testing::ReadFile(SourceDir() / "suites" / name / "cases.jsonl");
    CHECK(std::count(mine.begin(), mine.end(), '\n') ==
          std::count(committed.begin(), committed.end(), '\n'));
    CHECK(mine != committed);
  }
}

// The mock endpoint turns gold answers into defective ones (providers/mock_defects.cc); each
// suite must catch each kind of defect it is meant to show.
TEST_CASE("the bundled suites catch the defects they exist to measure", "[suites]") {
  auto load = [](const std::string& name) {
    Result<SuiteSpec> s = LoadSuite(SuiteFile(name));
    REQUIRE(s.ok());
    Result<std::shared_ptr<const SuiteChecker>> c = SuiteChecker::Compile(*s);
    REQUIRE(c.ok());
    return std::make_pair(std::move(*s), std::move(*c));
  };

  SECTION("invoice: hallucinated nested field, fence, pattern, currency, numeric tolerance") {
    auto [suite, checker] = load("invoice");
    const Case& c = suite.cases.front();
    nlohmann::json answer = *c.expected;
    answer["line_items"][0]["discount"] = 0;
    Record r = Score(*checker, c, answer.dump());
    CHECK_FALSE(r.compliant);
    CHECK(r.hallucinated_fields == std::vector<std::string>{"/line_items/0/discount"});

    r = Score(*checker, c, "```json\n" + c.expected->dump() + "\n```");
    CHECK_FALSE(r.compliant);
    CHECK(r.drift == std::vector<std::string>{"code_fence"});

    answer = *c.expected;
    answer["invoice_number"] = "inv-" + answer["invoice_number"].get<std::string>().substr(4);
    answer["currency"] = "XEU";
    r = Score(*checker, c, answer.dump());
    CHECK_FALSE(r.compliant);
    CHECK(r.rule_failures == std::vector<std::string>{"invoice-number", "known-currency"});

    answer = *c.expected;
    answer["bill_to"]["address"]["country"] = "XX";  // well-formed, not an assigned ISO code
    r = Score(*checker, c, answer.dump());
    CHECK_FALSE(r.compliant);
    CHECK(r.rule_failures == std::vector<std::string>{"customer-country"});

    answer = *c.expected;
    answer["total"] = answer["total"].get<double>() + 0.005;  // within 0.01: still a match
    r = Score(*checker, c, answer.dump());
    CHECK(r.compliant);
    for (const FieldMatch& m : r.field_matches) CHECK(m.match);
  }

  SECTION("medical-coding: codes outside the taxonomy are hallucinated values") {
    auto [suite, checker] = load("medical-coding");
    const Case& c = suite.cases.front();
    nlohmann::json answer = *c.expected;
    answer["primary_code"] = "CX-Z98.98";  // well-formed, not in codes.txt
    answer["secondary_codes"].push_back("I50.9");  // an ICD code
    Record r = Score(*checker, c, answer.dump());
    CHECK_FALSE(r.compliant);
    // In the suite's rule order, each rule once.
    CHECK(r.rule_failures == std::vector<std::string>{"secondary-code-format",
                                                       "known-primary-code",
                                                       "known-secondary-codes"});
    answer = *c.expected;
    answer["rationale"] = std::string(401, 'x');
    r = Score(*checker, c, answer.dump());
    CHECK_FALSE(r.compliant);
    CHECK(r.rule_failures == std::vector<std::string>{"rationale-length"});
  }

  SECTION("ticket-triage: a field of another kind is hallucinated; tags compare as a set") {
    auto [suite, checker] = load("ticket-triage");
    const auto bug = std::find_if(suite.cases.begin(), suite.cases.end(), [](const Case& c) {
      return (*c.expected)["kind"] == "bug" && (*c.expected)["tags"].size() >= 2;
    });
    REQUIRE(bug != suite.cases.end());
    nlohmann::json answer = *bug->expected;
    answer["refund_requested"] = false;  // a billing field on a bug ticket
    Record r = Score(*checker, *bug, answer.dump());
    CHECK_FALSE(r.compliant);
    CHECK(r.hallucinated_fields == std::vector<std::string>{"/refund_requested"});

    answer = *bug->expected;
    std::reverse(answer["tags"].begin(), answer["tags"].end());
    r = Score(*checker, *bug, answer.dump());
    CHECK(r.compliant);
    for (const FieldMatch& m : r.field_matches) CHECK(m.match);

    answer = *bug->expected;
    answer["category"] = "PAY-REFUND";  // a billing category on a bug: no oneOf branch fits
    r = Score(*checker, *bug, answer.dump());
    CHECK_FALSE(r.compliant);
    CHECK_FALSE(r.schema_valid);
  }

  SECTION("incident-report: swapped and missing sections, fences, blame") {
    auto [suite, checker] = load("incident-report");
    const Case& c = suite.cases.front();
    std::string gold = c.expected->get<std::string>();
    const auto cause = gold.find("ROOT CAUSE:\n");
    const auto actions = gold.find("ACTION ITEMS:\n");
    REQUIRE(cause != std::string::npos);
    REQUIRE(actions != std::string::npos);
    // ROOT CAUSE moved after ACTION ITEMS.
    const std::string swapped = gold.substr(0, cause) + gold.substr(actions) + "\n" +
                                gold.substr(cause, actions - cause);
    Record r = Score(*checker, c, swapped);
    CHECK_FALSE(r.compliant);
    REQUIRE(r.template_outcome.has_value());
    CHECK_FALSE(r.template_outcome->out_of_order.empty());

    r = Score(*checker, c, gold.substr(0, actions));  // no ACTION ITEMS
    CHECK_FALSE(r.compliant);
    REQUIRE(r.template_outcome.has_value());
    CHECK(r.template_outcome->missing == std::vector<std::string>{"action_items"});

    r = Score(*checker, c, "```\n" + gold + "```\n");
    CHECK_FALSE(r.compliant);
    CHECK(std::count(r.rule_failures.begin(), r.rule_failures.end(), "no-code-fences") == 1);

    r = Score(*checker, c, gold + "\nThis was the fault of @tom.\n");
    CHECK_FALSE(r.compliant);
    CHECK(r.rule_failures == std::vector<std::string>{"blameless", "no-chat-handles"});
  }
}

}  // namespace
}  // namespace comply
