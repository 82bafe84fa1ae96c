#include "shared/ui/input_injection.hpp"

#include <imgui.h>

namespace loket::ui {

void InputScript::tap(float x, float y) {
    m_frames.push_back(PointerFrame{x, y, true});
    m_frames.push_back(PointerFrame{x, y, false});
}

void InputScript::idle() { m_frames.push_back(PointerFrame{}); }

bool InputScript::apply(ImGuiIO& io) {
    PointerFrame frame;
    const bool had = !m_frames.empty();
    if (had) {
        frame = m_frames.front();
        m_frames.pop_front();
    }
    io.MousePos = frame.x < 0 ? ImVec2(-FLT_MAX, -FLT_MAX) : ImVec2(frame.x, frame.y);
    io.MouseDown[0] = frame.down;
    return had;
}

} // namespace loket::ui
