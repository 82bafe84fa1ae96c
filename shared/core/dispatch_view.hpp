// DispatchView: the compact picture of a HallState that the dispatch policies and the wait
// prediction work on (dispatch_policy.hpp). Built fresh for each decision. Standard library only.
#pragma once

#include "dispatch_policy.hpp"
#include "hall_state.hpp"

#include <vector>

namespace loket::core {

struct DispatchView {
    std::vector<Candidate> waiting;
    std::vector<CounterSlot> counters;          // every configured counter, by index
    std::vector<UpcomingAppointment> upcoming;  // booked today, not checked in, not long past; by time

    DispatchInput input(const HallConfig& config, Seconds now) const;
};

DispatchView buildDispatchView(const HallState& state, Seconds now);
// The order DispatchInput::upcoming is in (appointment time; ties fixed so runs are reproducible).
void sortUpcoming(std::vector<UpcomingAppointment>& upcoming);

} // namespace loket::core
