#include "touch_metrics.hpp"

#include <cmath>

namespace loket::kiosk {

TouchMetrics touchMetrics(double dpi, bool largeText) {
    TouchMetrics m;
    m.dpi = dpi;
    m.pxPerMm = dpi / 25.4;
    const double text = largeText ? kLargeTextFactor : 1.0;
    auto mm = [&](double v) { return static_cast<float>(std::ceil(v * m.pxPerMm)); };
    m.minTargetPx = mm(kMinTargetMm);
    m.gapPx = mm(kMinGapMm + 1.0); // a millimetre of headroom over the minimum
    m.marginPx = mm(8);
    m.bodyPx = mm(8.5 * text);
    m.titlePx = mm(12.5 * text);
    m.buttonPx = mm(9 * text);
    m.keyPx = mm(9 * (largeText ? 1.2 : 1.0));
    m.numberPx = mm(40);
    m.mainChoicePx = mm(38);
    return m;
}

} // namespace loket::kiosk
