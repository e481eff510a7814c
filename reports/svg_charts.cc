#include "reports/svg_charts.h"

#include <algorithm>
#include <cmath>

#include "reports/format_util.h"
#include "reports/text_escape.h"

namespace comply {

namespace {

constexpr double kLeft = 170;  // room for row labels
constexpr double kRight = 150; // room for value labels
constexpr double kPlot = kChartWidth - kLeft - kRight;

std::string N(double v) { return Fixed(v, 1); }

std::string Open(double height, const std::string& title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " +
         N(kChartWidth) + " " + N(height) + "\" role=\"img\" aria-label=\"" + HtmlEscape(title) +
         "\"><title>" + HtmlEscape(title) + "</title>";
}

std::string TextAt(double x, double y, const std::string& text, const std::string& anchor = "start",
                   const std::string& cls = "") {
  return "<text x=\"" + N(x) + "\" y=\"" + N(y) + "\" text-anchor=\"" + anchor + "\"" +
         (cls.empty() ? "" : " class=\"" + cls + "\"") + ">" + HtmlEscape(text) + "</text>";
}

std::string Rect(double x, double y, double w, double h, const std::string& fill,
                 const std::string& extra = "") {
  return "<rect x=\"" + N(x) + "\" y=\"" + N(y) + "\" width=\"" + N(std::max(0.0, w)) +
         "\" height=\"" + N(h) + "\" fill=\"" + fill + "\"" + extra + "/>";
}

std::string Line(double x1, double y1, double x2, double y2, const std::string& cls) {
  return "<line x1=\"" + N(x1) + "\" y1=\"" + N(y1) + "\" x2=\"" + N(x2) + "\" y2=\"" + N(y2) +
         "\" class=\"" + cls + "\"/>";
}

// A whisker with end caps, horizontal from x1 to x2 at y.
std::string Whisker(double x1, double x2, double y) {
  return Line(x1, y, x2, y, "ci") + Line(x1, y - 5, x1, y + 5, "ci") +
         Line(x2, y - 5, x2, y + 5, "ci");
}

double Clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

// Percentage-axis grid lines over [lo, hi] at x positions, labels at the top.
std::string PercentGridX(double top, double bottom) {
  std::string s;
  for (int p = 0; p <= 100; p += 25) {
    const double x = kLeft + kPlot * p / 100.0;
    s += Line(x, top, x, bottom, "grid");
    s += TextAt(x, top - 4, std::to_string(p) + "%", "middle", "axis");
  }
  return s;
}

// A "nice" upper bound for an axis that must reach v.
double NiceMax(double v) {
  if (v <= 0) return 1;
  const double mag = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (v <= m * mag) return m * mag;
  }
  return 10 * mag;
}

}  // namespace

std::string SeriesColor(std::size_t i) {
  static const char* const kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                         "#56B4E9", "#D55E00", "#8C8C00", "#000000"};
  return kPalette[i % 8];
}

Chart ComplianceIntervalChart(const std::vector<IntervalDatum>& data) {
  Chart c;
  constexpr double kTop = 22, kRow = 30, kBar = 16;
  c.height = kTop + kRow * static_cast<double>(data.size()) + 8;
  std::string body = PercentGridX(kTop - 2, c.height - 6);
  for (std::size_t i = 0; i < data.size(); ++i) {
    const IntervalDatum& d = data[i];
    const double y = kTop + kRow * static_cast<double>(i) + (kRow - kBar) / 2;
    body += TextAt(kLeft - 8, y + kBar - 3, d.label, "end", "label");
    if (!d.value) {
      body += TextAt(kLeft + 4, y + kBar - 3, "no answered responses", "start", "note");
      continue;
    }
    const double w = kPlot * Clamp01(*d.value);
    body += Rect(kLeft, y, w, kBar, SeriesColor(i));
    c.marks.push_back({"bar", d.label, d.label, *d.value, kLeft, y, w, kBar});
    double end = kLeft + w;
    std::string text = Percent(*d.value);
    if (d.lo && d.hi) {
      const double x1 = kLeft + kPlot * Clamp01(*d.lo), x2 = kLeft + kPlot * Clamp01(*d.hi);
      body += Whisker(x1, x2, y + kBar / 2);
      c.marks.push_back({"ci", d.label, d.label, *d.value, x1, y + kBar / 2, x2 - x1, 0});
      end = std::max(end, x2);
      text += " (" + PercentInterval(*d.lo, *d.hi) + ")";
    }
    body += TextAt(end + 6, y + kBar - 3, text, "start", "value");
  }
  c.svg = Open(c.height, "Compliance with 95% intervals, per endpoint") + body + "</svg>";
  return c;
}

Chart CostFrontierChart(const std::vector<FrontierPoint>& points) {
  Chart c;
  constexpr double kL = 64, kR = 190, kT = 16, kB = 44, kH = 240;
  c.height = kH + kT + kB;
  const double pw = kChartWidth - kL - kR;
  double max_cost = 0, min_y = 1;
  for (const FrontierPoint& p : points) {
    max_cost = std::max(max_cost, p.cost_per_1k);
    min_y = std::min(min_y, p.lo.value_or(p.compliance));
  }
  const double x_max = NiceMax(max_cost * 1.05);
  const double y_min = std::clamp(std::floor(min_y * 10 - 0.5) / 10, 0.0, 0.9);
  auto X = [&](double cost) { return kL + pw * std::clamp(cost / x_max, 0.0, 1.0); };
  auto Y = [&](double rate) { return kT + kH * (1 - (Clamp01(rate) - y_min) / (1 - y_min)); };
  std::string body;
  for (int k = 0; k <= 4; ++k) {
    const double rate = y_min + (1 - y_min) * k / 4;
    body += Line(kL, Y(rate), kL + pw, Y(rate), "grid");
    body += TextAt(kL - 6, Y(rate) + 4, Percent(rate, 0), "end", "axis");
    const double cost = x_max * k / 4;
    body += Line(X(cost), kT, X(cost), kT + kH, "grid");
    body += TextAt(X(cost), kT + kH + 16, Usd(cost), "middle", "axis");
  }
  body += TextAt(kL + pw / 2, kT + kH + 36, "cost per 1,000 requests", "middle", "axis");
  body += "<text class=\"axis\" transform=\"translate(14," + N(kT + kH / 2) +
          ") rotate(-90)\" text-anchor=\"middle\">compliance</text>";
  // The frontier: points that no other point beats on both cost and compliance.
  std::vector<const FrontierPoint*> sorted;
  for (const FrontierPoint& p : points) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](const FrontierPoint* a, const FrontierPoint* b) {
    return a->cost_per_1k != b->cost_per_1k ? a->cost_per_1k < b->cost_per_1k
                                            : a->compliance > b->compliance;
  });
  std::vector<const FrontierPoint*> frontier;
  for (const FrontierPoint* p : sorted) {
    // A point must beat the last one by more than rounding (the hybrid's rate is computed
    // apart from the summary's, and can differ from an equal endpoint's in the last bits).
    if (frontier.empty() || p->compliance > frontier.back()->compliance + 1e-9) {
      frontier.push_back(p);
    }
  }
  if (frontier.size() > 1) {
    std::string pts;
    for (const FrontierPoint* p : frontier) {
      pts += N(X(p->cost_per_1k)) + "," + N(Y(p->compliance)) + " ";
      c.marks.push_back({"line", "frontier", p->label, p->compliance, X(p->cost_per_1k),
                         Y(p->compliance), 0, 0});
    }
    body += "<polyline class=\"frontier\" points=\"" + pts + "\"/>";
  }
  std::size_t series = 0;
  for (const FrontierPoint& p : points) {
    const double x = X(p.cost_per_1k), y = Y(p.compliance);
    const std::string color = p.hybrid ? "#555555" : SeriesColor(series++);
    if (p.lo && p.hi) {
      body += Line(x, Y(*p.lo), x, Y(*p.hi), "ci");
      c.marks.push_back({"ci", p.label, p.label, p.compliance, x, Y(*p.hi), 0, Y(*p.lo) - Y(*p.hi)});
    }
    if (p.hybrid) {
      body += "<path d=\"M" + N(x) + " " + N(y - 7) + " L" + N(x + 7) + " " + N(y) + " L" + N(x) +
              " " + N(y + 7) + " L" + N(x - 7) + " " + N(y) + " Z\" fill=\"" + color + "\"/>";
    } else {
      body += "<circle cx=\"" + N(x) + "\" cy=\"" + N(y) + "\" r=\"6\" fill=\"" + color + "\"/>";
    }
    c.marks.push_back({"point", p.label, p.label, p.compliance, x, y, 0, 0});
    body += TextAt(x + 10, y + 4,
                   p.label + (p.hybrid ? " (hybrid)" : "") + ": " + Percent(p.compliance) +
                       ", " + Usd(p.cost_per_1k),
                   "start", "value");
  }
  c.svg = Open(c.height, "Cost per 1,000 requests against compliance") + body + "</svg>";
  return c;
}

Chart GroupedBarChart(const GroupedBars& data, const std::string& title) {
  Chart c;
  constexpr double kTop = 8, kBar = 12, kGap = 3, kGroupGap = 10;
  const std::size_t ns = data.series.size();
  double max_v = 0;
  for (const auto& row : data.values) {
    for (double v : row) max_v = std::max(max_v, v);
  }
  if (max_v <= 0) max_v = 1;
  const double group_h = static_cast<double>(ns) * (kBar + kGap) + kGroupGap;
  c.height = kTop + group_h * static_cast<double>(data.categories.size()) + 4;
  std::string body;
  for (std::size_t k = 0; k < data.categories.size(); ++k) {
    const double gy = kTop + group_h * static_cast<double>(k);
    body += TextAt(kLeft - 8, gy + (group_h - kGroupGap) / 2 + 4,
                   TruncateUtf8(data.categories[k], 40), "end", "label");
    for (std::size_t s = 0; s < ns; ++s) {
      const double v = k < data.values[s].size() ? data.values[s][k] : 0;
      const double y = gy + static_cast<double>(s) * (kBar + kGap);
      const double w = kPlot * v / max_v;
      body += Rect(kLeft, y, w, kBar, SeriesColor(s));
      c.marks.push_back({"bar", data.series[s], data.categories[k], v, kLeft, y, w, kBar});
      const std::string text = (data.percent ? Percent(v) : ShortestNumber(v)) +
                               (ns > 1 ? " " + data.series[s] : "");
      body += TextAt(kLeft + w + 4, y + kBar - 2, text, "start", "value small");
    }
  }
  body += Line(kLeft, kTop - 2, kLeft, c.height - 4, "axisline");
  c.svg = Open(c.height, title) + body + "</svg>";
  return c;
}

Chart TrendChart(const std::vector<std::string>& runs, const std::vector<TrendSeries>& series) {
  Chart c;
  constexpr double kL = 56, kR = 150, kT = 12, kH = 180, kB = 46;
  c.height = kT + kH + kB;
  const double pw = kChartWidth - kL - kR;
  double min_y = 1;
  for (const TrendSeries& s : series) {
    for (std::size_t i = 0; i < s.value.size(); ++i) {
      if (i < s.lo.size() && s.lo[i]) min_y = std::min(min_y, *s.lo[i]);
      if (s.value[i]) min_y = std::min(min_y, *s.value[i]);
    }
  }
  const double y_min = std::clamp(std::floor(min_y * 10 - 0.5) / 10, 0.0, 0.9);
  const std::size_t n = runs.size();
  auto X = [&](std::size_t i) {
    return n <= 1 ? kL + pw / 2 : kL + pw * static_cast<double>(i) / static_cast<double>(n - 1);
  };
  auto Y = [&](double rate) { return kT + kH * (1 - (Clamp01(rate) - y_min) / (1 - y_min)); };
  std::string body;
  for (int k = 0; k <= 4; ++k) {
    const double rate = y_min + (1 - y_min) * k / 4;
    body += Line(kL, Y(rate), kL + pw, Y(rate), "grid");
    body += TextAt(kL - 6, Y(rate) + 4, Percent(rate, 0), "end", "axis");
  }
  const std::size_t step = std::max<std::size_t>(1, (n + 7) / 8);  // at most ~8 x labels
  for (std::size_t i = 0; i < n; ++i) {
    if (i % step != 0 && i + 1 != n) continue;
    body += TextAt(X(i), kT + kH + 16, TruncateUtf8(runs[i], 16), "middle", "axis small");
  }
  for (std::size_t s = 0; s < series.size(); ++s) {
    const TrendSeries& t = series[s];
    const std::string color = SeriesColor(s);
    // Interval band: one quad per pair of consecutive runs with both bounds.
    for (std::size_t i = 0; i + 1 < t.value.size() && i + 1 < n; ++i) {
      if (i + 1 < t.lo.size() && i + 1 < t.hi.size() && t.lo[i] && t.hi[i] && t.lo[i + 1] &&
          t.hi[i + 1]) {
        body += "<polygon class=\"band\" fill=\"" + color + "\" points=\"" + N(X(i)) + "," +
                N(Y(*t.hi[i])) + " " + N(X(i + 1)) + "," + N(Y(*t.hi[i + 1])) + " " +
                N(X(i + 1)) + "," + N(Y(*t.lo[i + 1])) + " " + N(X(i)) + "," + N(Y(*t.lo[i])) +
                "\"/>";
      }
    }
    std::string pts;
    std::optional<std::size_t> last;
    for (std::size_t i = 0; i < t.value.size() && i < n; ++i) {
      if (!t.value[i]) continue;
      pts += N(X(i)) + "," + N(Y(*t.value[i])) + " ";
      c.marks.push_back({"point", t.name, runs[i], *t.value[i], X(i), Y(*t.value[i]), 0, 0});
      last = i;
    }
    if (!pts.empty()) {
      body += "<polyline class=\"trend\" stroke=\"" + color + "\" points=\"" + pts + "\"/>";
      for (const ChartMark& m : c.marks) {
        if (m.series == t.name && m.kind == "point") {
          body += "<circle cx=\"" + N(m.x) + "\" cy=\"" + N(m.y) + "\" r=\"3.5\" fill=\"" +
                  color + "\"/>";
        }
      }
      body += TextAt(X(*last) + 8, Y(*t.value[*last]) + 4 + 12.0 * static_cast<double>(s) -
                                       6.0 * static_cast<double>(series.size() - 1),
                     t.name + " " + Percent(*t.value[*last]), "start", "value small");
    }
  }
  c.svg = Open(c.height, "Compliance over the last runs of this config") + body + "</svg>";
  return c;
}

Chart DeltaChart(const std::vector<DeltaDatum>& data) {
  Chart c;
  constexpr double kTop = 22, kRow = 28, kBar = 14;
  c.height = kTop + kRow * static_cast<double>(data.size()) + 8;
  double span = 0.05;
  for (const DeltaDatum& d : data) {
    span = std::max({span, std::fabs(d.delta), std::fabs(d.lo.value_or(0)),
                     std::fabs(d.hi.value_or(0))});
  }
  span = NiceMax(span);
  const double mid = kLeft + kPlot / 2;
  auto X = [&](double v) { return mid + (kPlot / 2) * std::clamp(v / span, -1.0, 1.0); };
  std::string body;
  for (double v : {-span, -span / 2, 0.0, span / 2, span}) {
    body += Line(X(v), kTop - 2, X(v), c.height - 6, v == 0 ? "axisline" : "grid");
    body += TextAt(X(v), kTop - 6, Points(v, 0), "middle", "axis");
  }
  for (std::size_t i = 0; i < data.size(); ++i) {
    const DeltaDatum& d = data[i];
    const double y = kTop + kRow * static_cast<double>(i) + (kRow - kBar) / 2;
    body += TextAt(kLeft - 8, y + kBar - 2, d.label, "end", "label");
    const double x0 = std::min(mid, X(d.delta)), w = std::fabs(X(d.delta) - mid);
    body += Rect(x0, y, w, kBar, d.delta < 0 ? "#D55E00" : "#009E73",
                 d.significant ? "" : " fill-opacity=\"0.45\" stroke=\"#333\" stroke-dasharray=\"3 2\"");
    c.marks.push_back({"bar", d.label, d.label, d.delta, x0, y, w, kBar});
    if (d.lo && d.hi) {
      body += Whisker(X(*d.lo), X(*d.hi), y + kBar / 2);
      c.marks.push_back({"ci", d.label, d.label, d.delta, X(*d.lo), y + kBar / 2,
                         X(*d.hi) - X(*d.lo), 0});
    }
    std::string text = Points(d.delta) + (d.significant ? " *" : " n.s.");
    if (d.p_value) text += " p = " + PValue(*d.p_value);
    body += TextAt(kLeft + kPlot + 6, y + kBar - 2, text, "start", "value small");
  }
  c.svg = Open(c.height, "Change against the baseline, per endpoint and suite") + body + "</svg>";
  return c;
}

}  // namespace comply
