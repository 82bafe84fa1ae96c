// The ordered event log of a replay and its fingerprint: every core event, one canonical text
// line each, hashed with SHA-256. The same trace and policy must give the same fingerprint on
// every run and machine (tests/sim checks it); any change in a decision changes it.
#pragma once

#include "sha256.hpp"
#include "shared/core/events.hpp"

#include <string>
#include <vector>

namespace loket::sim {

// "ticket.called 12 c3 t36000" — every field that a decision can change, nothing that depends
// on memory layout or hash order.
std::string eventLine(const core::Event& event);

class EventLog {
public:
    explicit EventLog(bool keepLines) : m_keepLines(keepLines) {}
    void add(const core::Event& event);
    std::size_t size() const { return m_count; }
    const std::vector<std::string>& lines() const { return m_lines; }
    std::string fingerprint() { return m_hash.hexDigest(); }

private:
    bool m_keepLines;
    std::size_t m_count = 0;
    std::vector<std::string> m_lines;
    Sha256 m_hash;
};

} // namespace loket::sim
