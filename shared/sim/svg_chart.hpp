// Small SVG charts written by our own code (no plotting library): grouped bars per category and
// points/lines on two numeric axes. Used for the staffing plan and the norm policy's trade-off
// curve in docs/. Plain SVG 1.1 that any browser shows; text in DejaVu Sans / sans-serif.
#pragma once

#include <string>
#include <vector>

namespace loket::sim {

struct BarSeries {
    std::string name;
    std::string colour;             // "#1f77b4"
    std::vector<double> values;     // one per category
};

struct BarChart {
    std::string title;
    std::string yLabel;
    std::vector<std::string> categories;
    std::vector<BarSeries> series;
};

struct Point {
    double x = 0, y = 0;
    std::string label;              // written beside the point when not empty
};

struct PointSeries {
    std::string name;
    std::string colour;
    std::vector<Point> points;
    bool line = false;              // join the points in order
};

struct XyChart {
    std::string title;
    std::string xLabel, yLabel;
    std::vector<PointSeries> series;
    std::vector<std::string> notes; // lines under the title
};

std::string renderBarChart(const BarChart& chart);
std::string renderXyChart(const XyChart& chart);

} // namespace loket::sim
