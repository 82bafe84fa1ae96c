// PrintQueue: tickets the host at the door asks a kiosk to print (the /host page, api_host.cpp).
// The kiosk's worker takes its jobs (GET /api/v1/kiosk/print-jobs, polled every second) and
// reports each one (POST /api/v1/kiosk/print-jobs/{id}); the host page asks how its job went. A
// job the kiosk has not printed within its deadline (kPrintDeadlineS) is given up ("busy"): the tablet then shows
// the ticket, and a kiosk that takes the job later is not given it, so no visitor gets two tickets.
// Its own lock; knows nothing of the hall state (a job carries the ticket as the kiosk prints it).
#pragma once

#include "shared/core/hall_time.hpp"
#include "shared/core/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace loket::server {

enum class PrintJobState { Queued, Taken, Printed, Failed };
const char* printJobStateName(PrintJobState state);

struct PrintJob {
    std::int64_t id = 0;
    std::string kiosk;
    nlohmann::json ticket;        // the kiosk's check-in reply: {ticket, visitor_url} (no personal data)
    core::Seconds createdAt = 0;
    PrintJobState state = PrintJobState::Queued;
    std::string reason;           // why it failed: busy, paper_out, cover_open, offline, failed
};

class PrintQueue {
public:
    // The tablet falls back to showing the ticket after this long (issue 18).
    static constexpr core::Seconds kPrintDeadlineS = 5;

    // `deadlineS`: kPrintDeadlineS in a hall; tests shorten it (LOKET_PRINT_DEADLINE_S, main.cpp)
    // so that the "busy" path takes no five seconds of their time.
    explicit PrintQueue(core::Seconds deadlineS = kPrintDeadlineS) : m_deadlineS(deadlineS) {}

    std::int64_t add(const std::string& kiosk, nlohmann::json ticket, core::Seconds now);
    // The kiosk's jobs still within their deadline; they become Taken.
    std::vector<PrintJob> take(const std::string& kiosk, core::Seconds now);
    // The kiosk's report: printed, or failed with a reason. Another kiosk's job: forbidden.
    Result<PrintJob> report(const std::string& kiosk, std::int64_t id, bool printed, const std::string& reason, core::Seconds now);
    // A job as it stands now (past the deadline and not printed: failed, "busy").
    std::optional<PrintJob> job(std::int64_t id, core::Seconds now);

private:
    void expire(PrintJob& job, core::Seconds now) const;

    const core::Seconds m_deadlineS;
    std::mutex m_mutex;
    std::int64_t m_nextId = 1;
    std::map<std::int64_t, PrintJob> m_jobs; // the last kKeep jobs
    static constexpr std::size_t kKeep = 200;
};

} // namespace loket::server
