#include "print_queue.hpp"

namespace loket::server {

const char* printJobStateName(PrintJobState state) {
    switch (state) {
    case PrintJobState::Queued: return "queued";
    case PrintJobState::Taken: return "printing";
    case PrintJobState::Printed: return "printed";
    case PrintJobState::Failed: return "failed";
    }
    return "failed";
}

void PrintQueue::expire(PrintJob& job, core::Seconds now) const {
    if ((job.state == PrintJobState::Queued || job.state == PrintJobState::Taken) && now - job.createdAt > m_deadlineS) {
        job.state = PrintJobState::Failed;
        job.reason = "busy";
    }
}

std::int64_t PrintQueue::add(const std::string& kiosk, nlohmann::json ticket, core::Seconds now) {
    std::lock_guard lock(m_mutex);
    const std::int64_t id = m_nextId++;
    m_jobs[id] = PrintJob{id, kiosk, std::move(ticket), now, PrintJobState::Queued, {}};
    while (m_jobs.size() > kKeep) m_jobs.erase(m_jobs.begin());
    return id;
}

std::vector<PrintJob> PrintQueue::take(const std::string& kiosk, core::Seconds now) {
    std::lock_guard lock(m_mutex);
    std::vector<PrintJob> out;
    for (auto& [id, job] : m_jobs) {
        expire(job, now);
        if (job.kiosk != kiosk || job.state != PrintJobState::Queued) continue;
        job.state = PrintJobState::Taken;
        out.push_back(job);
    }
    return out;
}

Result<PrintJob> PrintQueue::report(const std::string& kiosk, std::int64_t id, bool printed, const std::string& reason,
                                    core::Seconds now) {
    std::lock_guard lock(m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end()) return makeError(ErrorCode::NotFound, "There is no print job " + std::to_string(id) + ".");
    PrintJob& job = it->second;
    if (job.kiosk != kiosk) return makeError(ErrorCode::Forbidden, "Print job " + std::to_string(id) + " is another kiosk's.");
    // The deadline first, whether or not the host asked in between: a late failure stays "busy"
    // (what the tablet said). A report after the deadline still counts when it says the ticket
    // came out: the visitor has it.
    expire(job, now);
    if (job.state == PrintJobState::Queued || job.state == PrintJobState::Taken ||
        (printed && job.state == PrintJobState::Failed && job.reason == "busy")) {
        job.state = printed ? PrintJobState::Printed : PrintJobState::Failed;
        job.reason = printed ? std::string() : reason;
    }
    return job;
}

std::optional<PrintJob> PrintQueue::job(std::int64_t id, core::Seconds now) {
    std::lock_guard lock(m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end()) return std::nullopt;
    expire(it->second, now);
    return it->second;
}

} // namespace loket::server
