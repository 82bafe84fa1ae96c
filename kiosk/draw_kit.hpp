// DrawKit: the few drawing pieces every kiosk screen is made of — wrapped paragraphs, big
// buttons and tiles with a pictogram, the focus outline and the "on" check mark — drawn with an
// ImGui draw list at absolute positions. Each piece also records what it drew (the target's
// rectangle, each text's box and colours) in a DrawOut, so tests measure target sizes in mm and
// contrast from the real pixels of the same frame.
// Used by the draw functions in screens_*.cpp. Holds no state beyond one frame.
#pragma once

#include "shared/kiosk/view_model.hpp"
#include "theme.hpp"

#include <imgui.h>

#include <optional>
#include <string>
#include <vector>

namespace loket::kiosk {

struct DrawnTarget {
    Action action;
    ImVec2 min, max;
    bool key = false;
};

struct DrawnText {
    std::string text;
    ImVec2 min, max;
    ImU32 fg = 0, bg = 0;
    float px = 0;     // font size
    bool number = false; // the ticket number (7:1 required)
};

// What a draw function hands back: the action the visitor chose this frame (if any), and a
// record of what was drawn.
struct DrawOut {
    std::optional<Action> action;
    std::vector<DrawnTarget> targets;
    std::vector<DrawnText> texts;
    void merge(DrawOut&& other);
};

enum class Align { Left, Center };

enum class ButtonStyle {
    Primary,   // filled dark blue, white text
    Secondary, // light fill, black border and text
    Tile,      // like secondary, label left-aligned with a pictogram and a detail line
    Key,       // keyboard key
};

class DrawKit {
public:
    DrawKit(const Theme& theme, DrawOut& out, bool interactive = true);

    // A wrapped paragraph; returns the height used.
    float paragraph(const Text& text, ImFont* font, ImVec2 pos, float width, Align align, ImU32 fg, ImU32 bg,
                    bool number = false);
    // Height a paragraph would take.
    float measure(const std::string& text, ImFont* font, float width) const;
    // A button for `target` filling `rect` (min, max). Records the target; a press becomes out.action.
    void button(const Target& target, ImVec2 min, ImVec2 max, ButtonStyle style, const std::vector<Text>& extraLines = {});
    void pictogram(Pictogram p, ImVec2 center, float size, ImU32 color, ImU32 background);
    void panel(ImVec2 min, ImVec2 max, ImU32 fill, ImU32 border);

    const Theme& theme() const { return m_theme; }
    ImDrawList& drawList() { return *m_draw; }

private:
    const Theme& m_theme;
    DrawOut& m_out;
    ImDrawList* m_draw;
    bool m_interactive;
};

} // namespace loket::kiosk
