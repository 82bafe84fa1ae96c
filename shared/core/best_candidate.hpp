// The one "best waiting visitor by a key" loop of the dispatch policies and the planner (core
// internal; dispatch_policy.cpp, dispatch_planner.cpp).
#pragma once

#include "dispatch_policy.hpp"

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <span>

namespace loket::core {

// Ties everywhere end on (check-in, id).
inline bool earlierCheckIn(const Candidate& a, const Candidate& b) {
    return std::tie(a.checkedInAt, a.id) < std::tie(b.checkedInAt, b.id);
}

// The index (from `indices`, into `waiting`) with the smallest key(c) among those that pass
// take(i, c), ties to the earlier check-in; none when nobody passes. The best key so far is kept,
// not computed again for every comparison: in the wait prediction's forward run a key (the hard
// cap's counts the counters that can serve) is asked of hundreds of candidates at each of
// hundreds of steps.
template <typename Indices, typename Take, typename Key>
std::optional<std::size_t> bestCandidate(std::span<const Candidate> waiting, const Indices& indices, Take&& take, Key&& key) {
    std::optional<std::size_t> best;
    std::optional<std::decay_t<decltype(key(waiting[0]))>> bestKey;
    for (std::size_t i : indices) {
        const Candidate& c = waiting[i];
        if (!take(i, c)) continue;
        auto kc = key(c);
        if (best && !(kc < *bestKey || (!(*bestKey < kc) && earlierCheckIn(c, waiting[*best])))) continue;
        best = i;
        bestKey = std::move(kc);
    }
    return best;
}

} // namespace loket::core
