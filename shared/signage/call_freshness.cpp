#include "shared/signage/call_freshness.hpp"

#include <algorithm>

namespace loket::signage {
namespace {
// Enough live calls to find the smallest delay; few enough that a corrected clock is followed soon.
constexpr std::size_t kOffsetSamples = 16;
} // namespace

CallFreshness::CallFreshness(double disconnectedAfterS, double catchUpS, double freshS, double startedAt)
    : m_disconnectedAfterS(disconnectedAfterS), m_catchUpS(catchUpS), m_freshS(freshS), m_lastAlive(startedAt) {}

void CallFreshness::alive(double now) {
    if (!live(now)) m_catchUpUntil = now + m_catchUpS;
    m_lastAlive = std::max(m_lastAlive, now);
}

std::int64_t CallFreshness::clockOffsetS() const {
    if (m_offsets.empty()) return 0;
    return *std::min_element(m_offsets.begin(), m_offsets.end());
}

bool CallFreshness::mayAnnounce(double now, std::int64_t nowEpochS, std::optional<std::int64_t> calledAtEpochS, bool missed) {
    if (!missed && !catchingUp(now)) {
        if (calledAtEpochS) {
            m_offsets.push_back(nowEpochS - *calledAtEpochS);
            if (m_offsets.size() > kOffsetSamples) m_offsets.pop_front();
        }
        return true;
    }
    if (!calledAtEpochS) return false;
    return static_cast<double>(nowEpochS - *calledAtEpochS - clockOffsetS()) <= m_freshS;
}

} // namespace loket::signage
