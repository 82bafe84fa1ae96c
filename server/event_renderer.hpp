// The hall's events as the event stream sends them, one payload per StreamAudience: staff get
// the full records (shared/proto), displays and kiosks only the public fields
// (audience_json.hpp). Rendered once, when the event is committed, and kept in the broker's ring.
// Pure: state in, messages out; the caller holds the state lock.
#pragma once

#include "event_broker.hpp"

#include "shared/core/events.hpp"
#include "shared/core/hall_state.hpp"

#include <optional>
#include <vector>

namespace loket::server {

// The counter an event concerns, looked up *before* the event is applied (a completed ticket no
// longer names its counter afterwards).
std::optional<core::CounterIndex> counterOfEvent(const core::HallState& state, const core::Event& event);

struct RenderInput {
    const std::vector<core::Event>& events;
    const std::vector<std::int64_t>& ids;
    const std::vector<std::optional<core::CounterIndex>>& involved; // counterOfEvent, per event
};

// `state` already includes the events.
std::vector<SseMessage> renderEvents(const core::HallState& state, const RenderInput& input, core::Now now);

} // namespace loket::server
