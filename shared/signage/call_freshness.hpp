// CallFreshness: whether a call the display learns of may still be spoken, or only shown. Used
// by SignageModel; pure (both clocks are arguments), so its tests run on a test clock.
//
// The rule (issue 13, docs/display/README.md):
// - A call that arrives while the display is live is news: it is spoken. Its delay (the display's
//   wall clock minus the server's called_at) is one sample of the clock offset between the two.
// - After the display was not live (no sign of life for `disconnectedAfterS`), what arrives in the
//   first `catchUpS` after contact returns is catch-up: the events the stream replays from
//   Last-Event-ID, or the missed calls of a reloaded snapshot. Such a call is spoken only when it
//   was made at most `freshS` before it arrived, by the display's clock corrected with the offset
//   measured on live calls (the smallest of the last few: a live call is never early, so the
//   smallest delay is the closest to the true offset). An older one is shown, silently.
// - A call that was not spoken is never spoken later, and no call is spoken twice (the model keys
//   each call); what is shown does not depend on this rule at all: no call is lost from the screen.
// A live call needs no clock at all, so a display whose clock jumps still speaks every live call.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

namespace loket::signage {

class CallFreshness {
public:
    CallFreshness(double disconnectedAfterS, double catchUpS, double freshS, double startedAt);

    // A sign of life from the server (event, keep-alive comment, snapshot) at monotonic `now`.
    // When the display had been not live, a catch-up period starts.
    void alive(double now);
    // Whether the display is live at `now`: a sign of life within `disconnectedAfterS`.
    bool live(double now) const { return now - m_lastAlive <= m_disconnectedAfterS; }
    bool catchingUp(double now) const { return now < m_catchUpUntil; }

    // A call (or recall) arrived at monotonic `now` and wall-clock `nowEpochS`; the server made it
    // at `calledAtEpochS` (nullopt: unreadable, so spoken only as live news). Call alive(now)
    // first. `missed`: it comes from a reloaded snapshot (so it is catch-up whatever the time).
    // Returns whether it may be spoken.
    bool mayAnnounce(double now, std::int64_t nowEpochS, std::optional<std::int64_t> calledAtEpochS, bool missed = false);

    // The display clock minus the server clock as measured on live calls (0 before the first).
    std::int64_t clockOffsetS() const;

private:
    double m_disconnectedAfterS;
    double m_catchUpS;
    double m_freshS;
    double m_lastAlive;
    double m_catchUpUntil = -1e300;
    std::deque<std::int64_t> m_offsets; // delays of the last live calls, newest last
};

} // namespace loket::signage
