#include "reports/svg_charts.h"

#include <catch2/catch.hpp>

namespace comply {
namespace {

const ChartMark* FindMark(const Chart& c, const std::string& kind, const std::string& series,
                          const std::string& label) {
  for (const ChartMark& m : c.marks) {
    if (m.kind == kind && m.series == series && m.label == label) return &m;
  }
  return nullptr;
}

TEST_CASE("compliance chart: bar length is the rate, whisker spans the interval", "[reports]") {
  Chart c = ComplianceIntervalChart({{"a", 0.5, 0.4, 0.6}, {"b", 1.0, {}, {}}, {"c", {}, {}, {}}});
  const ChartMark* a = FindMark(c, "bar", "a", "a");
  REQUIRE(a != nullptr);
  CHECK(a->x == Approx(170));
  CHECK(a->y == Approx(29));
  CHECK(a->w == Approx(160));  // 50% of a 320-unit plot
  const ChartMark* ci = FindMark(c, "ci", "a", "a");
  REQUIRE(ci != nullptr);
  CHECK(ci->x == Approx(298));
  CHECK(ci->w == Approx(64));
  const ChartMark* b = FindMark(c, "bar", "b", "b");
  REQUIRE(b != nullptr);
  CHECK(b->y == Approx(59));
  CHECK(b->w == Approx(320));
  CHECK(FindMark(c, "bar", "c", "c") == nullptr);
  CHECK(c.svg.find("no answered responses") != std::string::npos);
  CHECK(c.svg.find("50.0% (40.0\xE2\x80\x93" "60.0%)") != std::string::npos);
}

TEST_CASE("delta chart: diverging bars around the midline, significance marked", "[reports]") {
  Chart c = DeltaChart({{"ft", -0.1, -0.2, 0.0, 0.01, true}, {"lp", 0.05, {}, {}, 0.4, false}});
  const ChartMark* ft = FindMark(c, "bar", "ft", "ft");
  REQUIRE(ft != nullptr);
  CHECK(ft->x == Approx(250));  // scale: +-0.2 across 160 units each side of 330
  CHECK(ft->w == Approx(80));
  const ChartMark* lp = FindMark(c, "bar", "lp", "lp");
  REQUIRE(lp != nullptr);
  CHECK(lp->x == Approx(330));
  CHECK(lp->w == Approx(40));
  CHECK(c.svg.find("\xE2\x88\x92" "10.0 pts * p = 0.01") != std::string::npos);
  CHECK(c.svg.find("+5.0 pts n.s. p = 0.40") != std::string::npos);
}

TEST_CASE("grouped bars: lengths relative to the largest value", "[reports]") {
  GroupedBars g{{"code_fence", "truncated"}, {"A", "B"}, {{2, 4}, {1, 0}}, false};
  Chart c = GroupedBarChart(g, "drift");
  CHECK(FindMark(c, "bar", "A", "truncated")->w == Approx(320));
  CHECK(FindMark(c, "bar", "A", "code_fence")->w == Approx(160));
  CHECK(FindMark(c, "bar", "B", "code_fence")->w == Approx(80));
  CHECK(FindMark(c, "bar", "B", "code_fence")->y == Approx(23));
  CHECK(FindMark(c, "bar", "B", "truncated")->w == Approx(0));
}

TEST_CASE("frontier: dominated endpoints are off the frontier, hybrid included", "[reports]") {
  Chart c = CostFrontierChart({{"A", 6, 0.8, {}, {}, false},
                               {"B", 0.7, 0.9, 0.85, 0.95, false},
                               {"mix", 2, 0.95, {}, {}, true}});
  std::vector<std::string> line;
  for (const ChartMark& m : c.marks) {
    if (m.kind == "line") line.push_back(m.label);
  }
  CHECK(line == std::vector<std::string>{"B", "mix"});
  const ChartMark* a = FindMark(c, "point", "A", "A");
  const ChartMark* b = FindMark(c, "point", "B", "B");
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a->x > b->x);  // costlier is to the right
  CHECK(a->y > b->y);  // less compliant is lower (SVG y grows downwards)
  CHECK(c.svg.find("mix (hybrid): 95.0%, $2.00") != std::string::npos);
}

TEST_CASE("trend: one point per run with a value, oldest left", "[reports]") {
  Chart c = TrendChart({"r1", "r2", "r3"},
                       {{"ft", {0.9, {}, 1.0}, {0.8, {}, 0.9}, {0.95, {}, 1.0}}});
  std::vector<const ChartMark*> pts;
  for (const ChartMark& m : c.marks) {
    if (m.kind == "point") pts.push_back(&m);
  }
  REQUIRE(pts.size() == 2);
  CHECK(pts[0]->label == "r1");
  CHECK(pts[1]->label == "r3");
  CHECK(pts[0]->x == Approx(56));
  CHECK(pts[1]->x == Approx(490));
  CHECK(pts[1]->y < pts[0]->y);
}

TEST_CASE("charts escape labels", "[reports]") {
  Chart c = ComplianceIntervalChart({{"<script>alert(1)</script>", 0.5, {}, {}}});
  CHECK(c.svg.find("<script>") == std::string::npos);
  CHECK(c.svg.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
}

}  // namespace
}  // namespace comply
