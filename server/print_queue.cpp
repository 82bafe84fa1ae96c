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

namespace {

// The store's words for the states ("taken", not the API's "printing").
const char* storedState(PrintJobState state) {
    switch (state) {
    case PrintJobState::Queued: return "queued";
    case PrintJobState::Taken: return "taken";
    case PrintJobState::Printed: return "printed";
    case PrintJobState::Failed: return "failed";
    }
    return "failed";
}

PrintJob jobOf(const PrintJobRecord& r) {
    PrintJobState state = PrintJobState::Failed;
    for (PrintJobState s : {PrintJobState::Queued, PrintJobState::Taken, PrintJobState::Printed, PrintJobState::Failed})
        if (r.state == storedState(s)) state = s;
    return PrintJob{r.id, r.kiosk, nlohmann::json::parse(r.ticket, nullptr, false), r.createdAt, state, r.reason};
}

} // namespace

void PrintQueue::expire(PrintJob& job, core::Seconds now) const {
    if ((job.state == PrintJobState::Queued || job.state == PrintJobState::Taken) && now - job.createdAt > m_deadlineS) {
        job.state = PrintJobState::Failed;
        job.reason = "busy";
    }
}

Result<std::int64_t> PrintQueue::add(const std::string& kiosk, const nlohmann::json& ticket, core::Seconds now) {
    return m_store.addPrintJob(PrintJobRecord{0, kiosk, ticket.dump(), now, storedState(PrintJobState::Queued), {}}, kKeep);
}

Result<std::vector<PrintJob>> PrintQueue::take(const std::string& kiosk, core::Seconds now) {
    auto rows = m_store.takePrintJobs(kiosk, now - m_deadlineS); // within the deadline: now - created <= deadline
    if (!rows) return rows.error();
    std::vector<PrintJob> out;
    for (const auto& r : *rows) out.push_back(jobOf(r));
    return out;
}

Result<PrintJob> PrintQueue::report(const std::string& kiosk, std::int64_t id, bool printed, const std::string& reason,
                                    core::Seconds now) {
    auto row = m_store.printJob(id);
    if (!row) return row.error();
    if (!row.value()) return makeError(ErrorCode::NotFound, "There is no print job " + std::to_string(id) + ".");
    PrintJob job = jobOf(*row.value());
    if (job.kiosk != kiosk) return makeError(ErrorCode::Forbidden, "Print job " + std::to_string(id) + " is another kiosk's.");
    // The deadline first, whether or not the host asked in between: a late failure stays "busy"
    // (what the tablet said). A report after the deadline still counts when it says the ticket
    // came out: the visitor has it.
    expire(job, now);
    if (job.state == PrintJobState::Queued || job.state == PrintJobState::Taken ||
        (printed && job.state == PrintJobState::Failed && job.reason == "busy")) {
        job.state = printed ? PrintJobState::Printed : PrintJobState::Failed;
        job.reason = printed ? std::string() : reason;
        if (auto st = m_store.setPrintJob(id, storedState(job.state), job.reason); !st) return st.error();
    }
    return job;
}

Result<std::optional<PrintJob>> PrintQueue::job(std::int64_t id, core::Seconds now) {
    auto row = m_store.printJob(id);
    if (!row) return row.error();
    if (!row.value()) return std::optional<PrintJob>{};
    PrintJob job = jobOf(*row.value());
    expire(job, now);
    return std::optional<PrintJob>{std::move(job)};
}

} // namespace loket::server
