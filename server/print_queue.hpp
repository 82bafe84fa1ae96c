// PrintQueue: tickets the host at the door asks a kiosk to print (the /host page, api_host.cpp).
// The kiosk's worker takes its jobs (GET /api/v1/kiosk/print-jobs, polled every second) and
// reports each one (POST /api/v1/kiosk/print-jobs/{id}); the host page asks how its job went. A
// job the kiosk has not printed within its deadline (kPrintDeadlineS) is given up ("busy"): the tablet then shows
// the ticket, and a kiosk that takes the job later is not given it, so no visitor gets two tickets.
// The jobs are rows in the location's store (EventStore::addPrintJob …), not this server's
// memory: with several instances on one PostgreSQL, a kiosk polling any instance gets the jobs
// the host made through any other, and a job is taken by one poll only (the store marks it taken
// atomically). The deadline is reckoned from the job's creation time whenever it is read, so
// every instance agrees on "busy". Knows nothing of the hall state (a job carries the ticket as
// the kiosk prints it).
#pragma once

#include "event_store.hpp"
#include "shared/core/hall_time.hpp"
#include "shared/core/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
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
    // The jobs kept (older ones are deleted as new ones come).
    static constexpr std::int64_t kKeep = 200;

    // `store`: the location's. `deadlineS`: kPrintDeadlineS in a hall; tests shorten it
    // (LOKET_PRINT_DEADLINE_S, main.cpp) so that the "busy" path takes no five seconds of their time.
    explicit PrintQueue(EventStore& store, core::Seconds deadlineS = kPrintDeadlineS) : m_store(store), m_deadlineS(deadlineS) {}

    Result<std::int64_t> add(const std::string& kiosk, const nlohmann::json& ticket, core::Seconds now);
    // The kiosk's jobs still within their deadline; they become Taken.
    Result<std::vector<PrintJob>> take(const std::string& kiosk, core::Seconds now);
    // The kiosk's report: printed, or failed with a reason. Another kiosk's job: forbidden.
    Result<PrintJob> report(const std::string& kiosk, std::int64_t id, bool printed, const std::string& reason, core::Seconds now);
    // A job as it stands now (past the deadline and not printed: failed, "busy"); nullopt when
    // there is no such job.
    Result<std::optional<PrintJob>> job(std::int64_t id, core::Seconds now);

private:
    void expire(PrintJob& job, core::Seconds now) const;

    EventStore& m_store;
    const core::Seconds m_deadlineS;
};

} // namespace loket::server
