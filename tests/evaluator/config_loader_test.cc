// config_loader: the good config with two endpoints; every kind of config error, exactly.
#include "evaluator/config_loader.h"

#include <cstdlib>

#include <catch2/catch.hpp>

#include "tests/test_util.h"

namespace comply {
namespace {

std::filesystem::path Fixture(const std::string& rel) {
  return comply::testing::SourceDir() / "tests/fixtures/loader" / rel;
}

TEST_CASE("The good config loads two endpoints, its suite, run, gate and volume", "[loader]") {
  ::unsetenv("COMPLY_LOADER_TEST_TEAM");
  Result<Config> r = LoadConfig(Fixture("good/comply.yaml"));
  REQUIRE(r.ok());
  const Config& c = *r;
  CHECK(c.file == Fixture("good/comply.yaml").lexically_normal());
  REQUIRE(c.suites.size() == 1);
  CHECK(c.suites[0].name == "invoice");
  CHECK(c.suites[0].cases.size() == 4);

  REQUIRE(c.endpoints.size() == 2);
  const EndpointSpec& a = c.endpoints[0];
  CHECK(a.name == "large-prompted");
  CHECK(a.provider == "openai");
  CHECK(a.model == "gpt-4o");
  CHECK(a.base_url == "https://api.openai.com/v1");  // the documented default
  CHECK(a.api_key_env == "OPENAI_API_KEY");
  CHECK(a.system_prompt == "You are an invoice extraction system. Answer with JSON only.\n");
  CHECK(a.params == nlohmann::json({{"temperature", 0}, {"max_tokens", 800}}));
  CHECK(a.headers.at("X-Team") == "evals");
  CHECK(a.concurrency == 32);
  CHECK(a.rate_limit.rpm == 500);
  CHECK(a.rate_limit.tpm == 200000);
  CHECK(a.pricing.set);
  CHECK(a.pricing.input_per_mtok == 2.5);
  CHECK(a.pricing.output_per_mtok == 10.0);
  CHECK(a.pricing.cached_input_per_mtok < 0);
  CHECK(a.label == "prompted");
  CHECK(a.response_format_schema);
  CHECK(a.timeout_s == 60);  // from run
  CHECK(a.retries == 2);     // from run
  CHECK(a.where == Fixture("good/comply.yaml").string() + ":3:5");

  const EndpointSpec& b = c.endpoints[1];
  CHECK(b.name == "small-finetuned");
  CHECK(b.base_url == "http://127.0.0.1:8000/v1");
  CHECK(b.system_prompt == "Extract the invoice as JSON.");
  CHECK(b.timeout_s == 20);  // its own
  CHECK(b.retries == 2);
  CHECK(b.concurrency == 16);
  CHECK_FALSE(b.pricing.set);
  CHECK_FALSE(b.response_format_schema);

  CHECK(c.run.repeat == 3);
  CHECK(c.run.timeout_s == 60);
  CHECK_FALSE(c.run.cache);
  CHECK(c.run.limit == 10);
  CHECK(c.gate.thresholds.min_compliance == 0.98);
  CHECK(c.gate.thresholds.min_compliance_on_lower_bound);
  CHECK(c.gate.thresholds.max_hallucination_rate == 0.005);
  CHECK(c.gate.thresholds.max_error_rate == 0.02);
  CHECK(c.gate.thresholds.max_regression == 0.01);
  CHECK(c.gate.endpoints == std::vector<std::string>{"small-finetuned"});
  // The per-suite override is merged over the base.
  const GateThresholds& inv = c.gate.suites.at("invoice");
  CHECK(inv.min_compliance == 0.9);
  CHECK(inv.max_hallucination_rate == 0.005);
  CHECK(inv.min_compliance_on_lower_bound);
  CHECK(c.volume.queries_per_day == 10000);
}

TEST_CASE("${VAR} in config values is expanded; api_key_env never is", "[loader]") {
  ::setenv("COMPLY_LOADER_TEST_TEAM", "platform", 1);
  ::setenv("COMPLY_LOADER_URL", "http://127.0.0.1:9/v1", 1);
  comply::testing::TempDir dir;
  comply::testing::WriteFile(dir / "s.yaml", "schema: {type: object}\ncases: [{id: a}]\n");
  comply::testing::WriteFile(dir / "c.yaml",
                             "suites: [s.yaml]\n"
                             "endpoints:\n"
                             "  - {name: e, provider: openai, model: m, base_url: '${COMPLY_LOADER_URL}',\n"
                             "     api_key_env: '${NOT_EXPANDED}', headers: {X-Team: 'team-${COMPLY_LOADER_TEST_TEAM}'}}\n");
  Result<Config> r = LoadConfig(dir / "c.yaml");
  ::unsetenv("COMPLY_LOADER_TEST_TEAM");
  ::unsetenv("COMPLY_LOADER_URL");
  REQUIRE_FALSE(r.ok());  // `${NOT_EXPANDED}` is not a variable name
  CHECK(r.error().message == (dir / "c.yaml").string() +
                                 ":4:6: error: \"api_key_env\" must be an environment variable's name — write the "
                                 "variable's name, not the key, e.g. api_key_env: OPENAI_API_KEY");
}

TEST_CASE("Every config problem is reported, in file order, without secrets", "[loader]") {
  Result<Config> r = LoadConfig(Fixture("broken/config/comply.yaml"));
  REQUIRE_FALSE(r.ok());
  const std::string f = Fixture("broken/config/comply.yaml").string();
  const std::string dir = Fixture("broken/config").lexically_normal().string();
  CHECK(r.error().message ==
        f + ":1:33: error: file not found — \"nothere.yaml\" — it resolves to " + dir +
            "/nothere.yaml; relative paths start at the folder of the file that names them\n" +
        f + ":4:15: error: invalid value for \"provider\" — \"openia\" — did you mean \"openai\"?\n" +
        f + ":6:5: error: missing required key \"base_url\" in endpoint — add base_url: http://host:port/path\n" +
        f + ":6:5: error: missing required key \"request_template\" in endpoint — add request_template: {prompt: "
            "\"{{prompt}}\"}\n" +
        f + ":6:5: error: missing required key \"answer_pointer\" in endpoint — add answer_pointer: /output/text\n" +
        f + ":6:11: error: duplicate endpoint name — \"a\" — endpoint names must be unique (the other is at " + f +
            ":3:5)\n" +
        f + ":8:5: error: unknown key \"concurency\" in endpoint; did you mean \"concurrency\"?\n" +
        f + ":9:5: error: missing required key \"replay_file\" in endpoint — add replay_file: responses.jsonl\n" +
        f + ":11:16: error: \"timeout_s\" is out of range — \"0\" — use a number between 0.001 and 86400\n" +
        f + ":12:5: error: \"api_key_env\" must be an environment variable's name — write the variable's name, not "
            "the key, e.g. api_key_env: OPENAI_API_KEY\n" +
        f + ":13:15: error: \"repeat\" is out of range — \"0\" — use a whole number between 1 and 1000\n" +
        f + ":15:19: error: \"min_compliance\" is out of range — \"1.5\" — use a number between 0 and 1\n" +
        f + ":16:15: error: gate names an unknown endpoint — \"b\" — endpoints are: a, r\n" +
        f + ":17:12: error: gate names an unknown suite — \"invoce\" — did you mean \"invoice\"?");
  CHECK(r.error().message.find("sk-live-123") == std::string::npos);
}

TEST_CASE("Suite problems come through the config, named by the config's path", "[loader]") {
  comply::testing::TempDir dir;
  comply::testing::WriteFile(dir / "suites" / "a" / "suite.yaml", "schema: {type: object}\ncases: [{id: x}]\n");
  comply::testing::WriteFile(dir / "suites" / "b" / "suite.yaml", "name: a\nschema: {}\ncases: [{id: x, tgas: []}]\n");
  comply::testing::WriteFile(dir / "c.yaml",
                             "suites:\n  - suites/a/suite.yaml\n  - suites/b/../b/suite.yaml\n"
                             "endpoints: [{name: r, provider: replay, replay_file: rec.jsonl}]\n");
  comply::testing::WriteFile(dir / "rec.jsonl", "");
  Result<Config> r = LoadConfig(dir / "c.yaml");
  REQUIRE_FALSE(r.ok());
  const std::string c = (dir / "c.yaml").string();
  CHECK(r.error().message ==
        c + ":3:5: error: two suites are named \"a\" — \"suites/b/../b/suite.yaml\" — give each suite its own name (the "
            "other is listed at " + c + ":2:5)\n" +
        (dir / "suites/b/suite.yaml").string() +
        ":3:17: error: unknown key \"tgas\" in case; did you mean \"tags\"?");
}

TEST_CASE("Provider defaults and requirements", "[loader]") {
  comply::testing::TempDir dir;
  comply::testing::WriteFile(dir / "s.yaml", "schema: {type: object}\ncases: [{id: a}]\n");
  comply::testing::WriteFile(dir / "rec.jsonl", "");
  comply::testing::WriteFile(dir / "c.yaml",
                             "suites: [s.yaml]\n"
                             "endpoints:\n"
                             "  - {name: claude, provider: anthropic, model: claude-x}\n"
                             "  - {name: h, provider: http, base_url: 'http://127.0.0.1:1/x', answer_pointer: /out,\n"
                             "     request_template: {q: '{{prompt}}'}}\n"
                             "  - {name: rec, provider: replay, replay_file: rec.jsonl}\n");
  Result<Config> r = LoadConfig(dir / "c.yaml");
  REQUIRE(r.ok());
  CHECK(r->endpoints[0].base_url == "https://api.anthropic.com");
  CHECK(r->endpoints[0].anthropic_version == "2023-06-01");
  CHECK(r->endpoints[1].request_template == nlohmann::json({{"q", "{{prompt}}"}}));
  CHECK(r->endpoints[1].answer_pointer == "/out");
  CHECK(r->endpoints[2].replay_file == (dir / "rec.jsonl").lexically_normal().string());
  CHECK(r->gate.thresholds.max_error_rate == 0.02);
  CHECK(r->run.repeat == 1);
}

TEST_CASE("LooksLikeConfig decides by content", "[loader]") {
  CHECK(LooksLikeConfig(Fixture("good/comply.yaml")));
  CHECK(LooksLikeConfig(Fixture("broken/config/comply.yaml")));
  CHECK_FALSE(LooksLikeConfig(Fixture("good/suite.yaml")));
  CHECK_FALSE(LooksLikeConfig(Fixture("does/not/exist.yaml")));
  comply::testing::TempDir dir;
  comply::testing::WriteFile(dir / "broken.yaml", "suites: [a.yaml\nendpoints: x\n");
  CHECK(LooksLikeConfig(dir / "broken.yaml"));  // unparseable, still a config
  comply::testing::WriteFile(dir / "list.yaml", "- suites\n");
  CHECK_FALSE(LooksLikeConfig(dir / "list.yaml"));
}

}  // namespace
}  // namespace comply
