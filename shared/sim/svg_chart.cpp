#include "svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace loket::sim {
namespace {

constexpr double kWidth = 900, kHeight = 520;
constexpr double kLeft = 80, kRight = 200, kTop = 85, kBottom = 70;

std::string esc(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += ch;
        }
    }
    return out;
}

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string tickLabel(double v) {
    char buf[32];
    if (std::fabs(v - std::round(v)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

// A "nice" step so that [lo, hi] gets about `ticks` gridlines.
double niceStep(double span, int ticks) {
    const double raw = span / ticks;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (raw <= m * mag) return m * mag;
    return 10 * mag;
}

std::string text(double x, double y, const std::string& s, const char* anchor = "start", int size = 13,
                 const char* extra = "") {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + std::to_string(size) +
           "\" text-anchor=\"" + anchor + "\" " + extra + ">" + esc(s) + "</text>\n";
}

std::string header(const std::string& title, const std::vector<std::string>& notes) {
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) +
                      "\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) +
                      "\" font-family=\"DejaVu Sans, sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    out += text(kLeft, 28, title, "start", 18, "font-weight=\"bold\"");
    for (std::size_t i = 0; i < notes.size(); ++i) out += text(kLeft, 48 + 15.0 * i, notes[i], "start", 12, "fill=\"#444\"");
    return out;
}

struct Axis {
    double lo, hi, step;
    double toPx(double v, double from, double to) const { return from + (v - lo) / (hi - lo) * (to - from); }
};

Axis axisFor(double lo, double hi, int ticks) {
    if (hi <= lo) hi = lo + 1;
    const double step = niceStep(hi - lo, ticks);
    return Axis{std::floor(lo / step) * step, std::ceil(hi / step) * step, step};
}

std::string yGrid(const Axis& y, const std::string& label) {
    std::string out;
    const double x0 = kLeft, x1 = kWidth - kRight, yTop = kTop, yBot = kHeight - kBottom;
    for (double v = y.lo; v <= y.hi + y.step / 2; v += y.step) {
        const double py = y.toPx(v, yBot, yTop);
        out += "<line x1=\"" + num(x0) + "\" y1=\"" + num(py) + "\" x2=\"" + num(x1) + "\" y2=\"" + num(py) +
               "\" stroke=\"#ddd\"/>\n";
        out += text(x0 - 8, py + 4, tickLabel(v), "end", 12);
    }
    out += text(20, (yTop + yBot) / 2, label, "middle", 13,
                ("transform=\"rotate(-90 20 " + num((yTop + yBot) / 2) + ")\"").c_str());
    out += "<line x1=\"" + num(x0) + "\" y1=\"" + num(yBot) + "\" x2=\"" + num(x1) + "\" y2=\"" + num(yBot) +
           "\" stroke=\"#333\"/>\n";
    return out;
}

std::string legend(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string out;
    double y = kTop + 10;
    for (const auto& [name, colour] : entries) {
        out += "<rect x=\"" + num(kWidth - kRight + 20) + "\" y=\"" + num(y - 10) + "\" width=\"14\" height=\"14\" fill=\"" +
               colour + "\"/>\n";
        out += text(kWidth - kRight + 40, y + 2, name, "start", 12);
        y += 22;
    }
    return out;
}

} // namespace

std::string renderBarChart(const BarChart& c) {
    double hi = 0;
    for (const auto& s : c.series)
        for (double v : s.values) hi = std::max(hi, v);
    const Axis y = axisFor(0, hi, 6);
    std::string out = header(c.title, {});
    out += yGrid(y, c.yLabel);
    const double x0 = kLeft, x1 = kWidth - kRight, yBot = kHeight - kBottom;
    const double groupW = (x1 - x0) / std::max<std::size_t>(1, c.categories.size());
    const double barW = groupW * 0.8 / std::max<std::size_t>(1, c.series.size());
    for (std::size_t k = 0; k < c.categories.size(); ++k) {
        const double gx = x0 + groupW * k + groupW * 0.1;
        for (std::size_t s = 0; s < c.series.size(); ++s) {
            const double v = k < c.series[s].values.size() ? c.series[s].values[k] : 0;
            const double top = y.toPx(v, yBot, kTop);
            out += "<rect x=\"" + num(gx + barW * s) + "\" y=\"" + num(top) + "\" width=\"" + num(barW - 1) +
                   "\" height=\"" + num(yBot - top) + "\" fill=\"" + c.series[s].colour + "\"/>\n";
            if (v > 0) out += text(gx + barW * s + barW / 2, top - 3, tickLabel(v), "middle", 10);
        }
        out += text(x0 + groupW * k + groupW / 2, yBot + 18, c.categories[k], "middle", 12);
    }
    std::vector<std::pair<std::string, std::string>> entries;
    for (const auto& s : c.series) entries.emplace_back(s.name, s.colour);
    out += legend(entries);
    return out + "</svg>\n";
}

std::string renderXyChart(const XyChart& c) {
    double xlo = 1e300, xhi = -1e300, ylo = 1e300, yhi = -1e300;
    for (const auto& s : c.series)
        for (const auto& p : s.points) {
            xlo = std::min(xlo, p.x); xhi = std::max(xhi, p.x);
            ylo = std::min(ylo, p.y); yhi = std::max(yhi, p.y);
        }
    if (xlo > xhi) { xlo = 0; xhi = 1; ylo = 0; yhi = 1; }
    const double padX = (xhi - xlo) * 0.05 + 1e-9, padY = (yhi - ylo) * 0.05 + 1e-9;
    const Axis x = axisFor(xlo - padX, xhi + padX, 8), y = axisFor(ylo - padY, yhi + padY, 6);
    std::string out = header(c.title, c.notes);
    out += yGrid(y, c.yLabel);
    const double x0 = kLeft, x1 = kWidth - kRight, yBot = kHeight - kBottom;
    for (double v = x.lo; v <= x.hi + x.step / 2; v += x.step) {
        const double px = x.toPx(v, x0, x1);
        out += "<line x1=\"" + num(px) + "\" y1=\"" + num(kTop) + "\" x2=\"" + num(px) + "\" y2=\"" + num(yBot) +
               "\" stroke=\"#eee\"/>\n";
        out += text(px, yBot + 18, tickLabel(v), "middle", 12);
    }
    out += text((x0 + x1) / 2, kHeight - 20, c.xLabel, "middle", 13);
    for (const auto& s : c.series) {
        if (s.line && s.points.size() > 1) {
            std::string path;
            for (const auto& p : s.points) path += num(x.toPx(p.x, x0, x1)) + "," + num(y.toPx(p.y, yBot, kTop)) + " ";
            out += "<polyline fill=\"none\" stroke=\"" + s.colour + "\" stroke-width=\"2\" points=\"" + path + "\"/>\n";
        }
        for (const auto& p : s.points) {
            const double px = x.toPx(p.x, x0, x1), py = y.toPx(p.y, yBot, kTop);
            out += "<circle cx=\"" + num(px) + "\" cy=\"" + num(py) + "\" r=\"5\" fill=\"" + s.colour + "\"/>\n";
            if (!p.label.empty()) out += text(px + 8, py - 6, p.label, "start", 11, "fill=\"#333\"");
        }
    }
    std::vector<std::pair<std::string, std::string>> entries;
    for (const auto& s : c.series) entries.emplace_back(s.name, s.colour);
    out += legend(entries);
    return out + "</svg>\n";
}

} // namespace loket::sim
