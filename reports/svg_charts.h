#pragma once
// The report's charts as inline SVG, generated in C++ from plain data (no JS, no external
// assets). Each function returns the SVG text and the geometry of every mark it drew, so tests
// can check the chart data (bar lengths and positions) without parsing SVG.
//
//   Chart c = ComplianceIntervalChart({{"large-prompted", 0.91, 0.88, 0.93},
//                                      {"small-finetuned", 0.97, 0.95, 0.98}});
//   out += c.svg;                       // <svg viewBox="0 0 640 ..." role="img" ...>
//   c.marks[1].w                        // bar length of small-finetuned, in SVG units
//
// Every text is escaped (HtmlEscape); series colours come from a colour-blind-safe palette and
// every mark also carries a text label, so colour never carries meaning alone.
// Pure functions: thread-safe, never throw.

#include <optional>
#include <string>
#include <vector>

namespace comply {

inline constexpr double kChartWidth = 640;

// One drawn mark: a bar (x, y, w, h), a point (x, y; w = h = 0) or an interval whisker
// (kind "ci": x = low end, w = length). Coordinates are in the SVG's user units.
struct ChartMark {
  std::string kind;    // bar | point | ci | line
  std::string series;  // endpoint (or "" for single-series charts)
  std::string label;   // category, path, run id ...
  double value = 0;    // the datum drawn
  double x = 0, y = 0, w = 0, h = 0;
};

struct Chart {
  std::string svg;
  std::vector<ChartMark> marks;
  double height = 0;
};

// Horizontal bars of compliance (0..100% across the plot width) with 95% interval whiskers,
// one row per endpoint. Absent values draw a "no answered responses" note instead of a bar.
struct IntervalDatum {
  std::string label;
  std::optional<double> value, lo, hi;
};
Chart ComplianceIntervalChart(const std::vector<IntervalDatum>& data);

// Cost per 1,000 requests (x, linear from 0) against compliance (y), one point per endpoint
// (with its interval as a vertical whisker) and the hybrid point when present; the points no
// other point beats on both axes are joined as the frontier (kind "line" marks).
struct FrontierPoint {
  std::string label;
  double cost_per_1k = 0;
  double compliance = 0;
  std::optional<double> lo, hi;
  bool hybrid = false;
};
Chart CostFrontierChart(const std::vector<FrontierPoint>& points);

// Grouped horizontal bars: for each category, one bar per series (value / max value of the
// chart across the plot width), labelled with its value. Used for drift categories per
// endpoint and hallucinated fields per path.
struct GroupedBars {
  std::vector<std::string> categories;
  std::vector<std::string> series;
  std::vector<std::vector<double>> values;  // [series][category]
  bool percent = false;                     // values are shares in [0, 1]
};
Chart GroupedBarChart(const GroupedBars& data, const std::string& title);

// Compliance over the last runs of the same config: one line per endpoint, the interval as a
// band, x = run (oldest left), y = 0..100%.
struct TrendSeries {
  std::string name;
  std::vector<std::optional<double>> value, lo, hi;  // one entry per run
};
Chart TrendChart(const std::vector<std::string>& runs, const std::vector<TrendSeries>& series);

// Baseline deltas (current - baseline, in points) as a diverging bar chart around 0, with
// the 95% interval and a significance mark ("* p = 0.01" for significant ones, "n.s." else).
struct DeltaDatum {
  std::string label;
  double delta = 0;
  std::optional<double> lo, hi;
  std::optional<double> p_value;
  bool significant = false;
};
Chart DeltaChart(const std::vector<DeltaDatum>& data);

// The palette colour of series i ("#0072B2", ...; Okabe–Ito).
std::string SeriesColor(std::size_t i);

}  // namespace comply
