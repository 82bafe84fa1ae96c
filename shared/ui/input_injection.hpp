// Input injection for ImGui 1.86, behind our own small abstraction: a script of pointer frames
// applied one per frame (1.86 has no AddMousePosEvent; SDL_PushEvent does not reach the SDL
// backend without window focus). A tap is two frames: press at a point, release there; ImGui
// buttons fire on release. Used by kiosk UI tests and the kiosk's own touch translation.
#pragma once

#include <deque>

struct ImGuiIO;

namespace loket::ui {

struct PointerFrame {
    float x = -1, y = -1; // -1: no pointer (finger lifted off screen)
    bool down = false;
};

class InputScript {
public:
    // Press and release at (x, y): two frames.
    void tap(float x, float y);
    // One frame with the pointer away, so hover states clear.
    void idle();
    // Writes the next frame's pointer into io (call before ImGui::NewFrame). False when empty
    // (the pointer is then left away from the screen).
    bool apply(ImGuiIO& io);
    bool empty() const { return m_frames.empty(); }

private:
    std::deque<PointerFrame> m_frames;
};

} // namespace loket::ui
