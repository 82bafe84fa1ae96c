// Physical sizes of the kiosk's screens, from the configured DPI: touch targets at least 15 mm
// with 3 mm between them (EN 301 549 and the EU kiosk checklist as our bar), text sizes in mm
// so a hall's 15" and 24" panels show the same physical letters, and the large-text mode.
// Used by the draw functions (kiosk/) and by tests that check target sizes in mm. Pure numbers.
#pragma once

namespace loket::kiosk {

inline constexpr double kMinTargetMm = 15.0;
inline constexpr double kMinGapMm = 3.0;
inline constexpr double kLargeTextFactor = 1.4;

struct TouchMetrics {
    double dpi = 96;
    double pxPerMm = 96 / 25.4;
    float minTargetPx = 0; // 15 mm
    float gapPx = 0;       // 3 mm (spacing used between targets; never less)
    float marginPx = 0;    // screen edge
    float bodyPx = 0;      // running text
    float titlePx = 0;     // screen titles
    float buttonPx = 0;    // labels on buttons and tiles
    float numberPx = 0;    // the ticket number
    float keyPx = 0;       // on-screen keyboard letters
    float mainChoicePx = 0; // height of the two big choices on the welcome screen
};

TouchMetrics touchMetrics(double dpi, bool largeText);
inline double pxToMm(double px, double dpi) { return px * 25.4 / dpi; }

} // namespace loket::kiosk
