// The mock server's answer defects and draws, without a server.
#include <catch2/catch.hpp>

#include "providers/mock_behavior.h"
#include "providers/mock_defects.h"

namespace comply::mock {
namespace {

using json = nlohmann::json;

const json kInvoice = json::parse(
    R"({"invoice_number":"INV-000123","currency":"USD","total":1234.5,
        "line_items":[{"sku":"AB-12","qty":2,"price":"17.00"}]})");
const char* const kReport = "# Summary\nAll good.\n\n# Findings\nNone.\n\n# Plan\nShip it.\n";

// The JSON pointers of members present in `got` but not in `gold`.
void AddedKeys(const json& gold, const json& got, const std::string& at,
               std::vector<std::string>* out) {
  if (got.is_object() && gold.is_object()) {
    for (const auto& [k, v] : got.items()) {
      if (!gold.contains(k)) {
        out->push_back(at + "/" + k);
      } else {
        AddedKeys(gold[k], v, at + "/" + k, out);
      }
    }
  } else if (got.is_array() && gold.is_array()) {
    for (std::size_t i = 0; i < got.size() && i < gold.size(); ++i) {
      AddedKeys(gold[i], got[i], at + "/" + std::to_string(i), out);
    }
  }
}

TEST_CASE("mock: each JSON defect changes the gold answer as documented", "[mock]") {
  for (std::uint64_t key = 1; key <= 20; ++key) {
    DYNAMIC_SECTION("key " << key) {
      Dice dice(key);
      std::string gold_text = kInvoice.dump();

      Answer a = RenderAnswer(kInvoice, {Defect::kHallucinatedField}, dice);
      json got = json::parse(a.text);
      std::vector<std::string> added;
      AddedKeys(kInvoice, got, "", &added);
      REQUIRE(added.size() == 1);
      CHECK((added[0].rfind("/line_items/0/", 0) == 0 || added[0].find('/', 1) == std::string::npos));
      CHECK(a.applied == std::vector<Defect>{Defect::kHallucinatedField});

      a = RenderAnswer(kInvoice, {Defect::kCodeFence}, dice);
      CHECK(a.text == "```json\n" + gold_text + "\n```");

      a = RenderAnswer(kInvoice, {Defect::kProse}, dice);
      CHECK(a.text.find("\n\n" + gold_text + "\n\n") != std::string::npos);
      CHECK(a.text.front() != '{');
      CHECK(a.text.back() != '}');

      a = RenderAnswer(kInvoice, {Defect::kTruncation}, dice);
      CHECK(a.truncated);
      CHECK(a.text.size() < gold_text.size());
      CHECK(a.text.size() > gold_text.size() / 4);
      CHECK(gold_text.rfind(a.text, 0) == 0);
      CHECK(json::parse(a.text, nullptr, false).is_discarded());

      a = RenderAnswer(kInvoice, {Defect::kWrongType}, dice);
      got = json::parse(a.text);
      int changed = 0;
      const json flat_got = got.flatten(), flat_gold = kInvoice.flatten();
      for (const auto& [k, v] : flat_got.items()) {
        json g = flat_gold.value(k, json());
        if (v != g) {
          ++changed;
          CHECK(v.type() != g.type());
          if (v.is_string()) {
            CHECK(v.get<std::string>() == g.dump());  // 2 -> "2"
          } else {
            CHECK(std::stod(g.get<std::string>()) == v.get<double>());  // "17.00" -> 17.0
          }
        }
      }
      CHECK(changed == 1);

      a = RenderAnswer(kInvoice, {Defect::kRuleViolation}, dice);
      got = json::parse(a.text);
      CHECK((got["currency"] == "usd" || got["currency"] == "XXX"));
      got["currency"] = "USD";
      CHECK(got == kInvoice);
    }
  }
}

TEST_CASE("mock: defects combine; a truncated answer loses what follows the cut", "[mock]") {
  Dice dice(7);
  Answer a = RenderAnswer(kInvoice, {Defect::kCodeFence, Defect::kProse, Defect::kTruncation},
                          dice);
  CHECK(a.truncated);
  CHECK(a.text.find("```json\n{") != std::string::npos);
  CHECK(a.text.rfind("```") == a.text.find("```json\n{"));  // no closing fence
  CHECK(a.applied ==
        std::vector<Defect>{Defect::kTruncation, Defect::kProse, Defect::kCodeFence});
}

TEST_CASE("mock: rule violation without a code breaks a forbid rule; scalars skip fields",
          "[mock]") {
  Dice dice(3);
  json v = json::parse(R"({"summary":"fine"})");
  CHECK(MutateValue(v, {Defect::kRuleViolation}, dice) == std::vector<Defect>{Defect::kRuleViolation});
  CHECK(v["summary"] == "As an AI language model, I read: fine");
  json n = 5;
  CHECK(MutateValue(n, {Defect::kHallucinatedField}, dice).empty());
  CHECK(n == 5);
}

TEST_CASE("mock: text answers drop, swap and add sections", "[mock]") {
  for (std::uint64_t key = 1; key <= 10; ++key) {
    DYNAMIC_SECTION("key " << key) {
      Dice dice(key);
      Answer a = RenderAnswer(json(kReport), {}, dice);
      CHECK(a.text == kReport);

      a = RenderAnswer(json(kReport), {Defect::kHallucinatedField}, dice);
      CHECK(a.text.find("# Additional Notes\n") != std::string::npos);
      CHECK(a.text.find("# Summary\nAll good.") == 0);

      a = RenderAnswer(json(kReport), {Defect::kWrongType}, dice);  // swap two sections
      CHECK(a.text != kReport);
      CHECK(a.text.size() == std::string(kReport).size());
      for (const char* h : {"# Summary\nAll good.", "# Findings\nNone.", "# Plan\nShip it."}) {
        CHECK(a.text.find(h) != std::string::npos);
      }

      a = RenderAnswer(json(kReport), {Defect::kRuleViolation}, dice);  // drop one section
      int present = 0;
      for (const char* h : {"# Summary\n", "# Findings\n", "# Plan\n"}) {
        present += a.text.find(h) != std::string::npos;
      }
      CHECK(present == 2);

      a = RenderAnswer(json(kReport), {Defect::kCodeFence}, dice);
      CHECK(a.text == std::string("```markdown\n") + kReport + "```");

      a = RenderAnswer(json(kReport), {Defect::kTruncation}, dice);
      CHECK(a.truncated);
      CHECK(std::string(kReport).rfind(a.text, 0) == 0);
      CHECK(a.text.size() < std::string(kReport).size());
    }
  }
}

TEST_CASE("mock: draws are pure and follow the rates", "[mock]") {
  MockProfile p;
  p.name = "x";
  p.code_fence = 0.25;
  p.rate_limit = 0.1;
  p.latency_ms = 40;
  p.latency_jitter_ms = 15;
  int fences = 0, limits = 0;
  double latency_sum = 0;
  const int kN = 4000;
  for (int i = 0; i < kN; ++i) {
    Draw d = DrawFor(p, 9, "message " + std::to_string(i % 50), i / 50);
    Draw again = DrawFor(p, 9, "message " + std::to_string(i % 50), i / 50);
    REQUIRE(d.key == again.key);
    REQUIRE(d.defects == again.defects);
    REQUIRE(d.latency_ms == again.latency_ms);
    fences += d.defects.size() == 1;
    limits += d.fault == Fault::kRateLimit;
    CHECK(d.latency_ms > 0);
    latency_sum += d.latency_ms;
  }
  // Binomial(4000, 0.25): sd ~27; (4000, 0.1): sd ~19. Five sd either way.
  CHECK(fences > 1000 - 140);
  CHECK(fences < 1000 + 140);
  CHECK(limits > 400 - 95);
  CHECK(limits < 400 + 95);
  CHECK(latency_sum / kN == Approx(40).epsilon(0.05));
  CHECK(DrawFor(p, 9, "a", 0).key != DrawFor(p, 10, "a", 0).key);
  CHECK(DrawFor(p, 9, "a", 0).key != DrawFor(p, 9, "a", 1).key);
}

}  // namespace
}  // namespace comply::mock
