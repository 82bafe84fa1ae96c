// Wait prediction: a forward run of the hall's own dispatch policy over the counters that are
// open, with the expected durations learned today, from `now` until every waiting visitor has a
// counter. Booked appointments due soon take their turn too, as they will in the hall.
// The same code prints the estimate on the ticket (server) and is scored by the simulator.
// Standard library only.
#pragma once

#include "hall_state.hpp"

#include <optional>
#include <unordered_map>

namespace loket::core {

struct WaitEstimate {
    Seconds waitS = 0;   // from now until the call
    Seconds lowS = 0;    // an honest range around it
    Seconds highS = 0;
    int position = 1;    // 1 = next among the visitors for the same services
};

struct WaitPrediction {
    // Every waiting ticket that an open counter will serve; a ticket no open counter can serve
    // is absent (its wait is unknown, and the API says so with null).
    std::unordered_map<TicketId, WaitEstimate> tickets;
};

WaitPrediction predictWaits(const HallState& state, Seconds now);
// What a walk-in checking in now for `service` would wait.
std::optional<WaitEstimate> predictNewWalkIn(const HallState& state, Seconds now, ServiceIndex service);
// The range shown around an estimate.
WaitEstimate withRange(Seconds waitS, int position);

} // namespace loket::core
