// The host's print jobs (server/print_queue.hpp): a kiosk takes only its own jobs, once; a job
// not printed within the deadline is given up as "busy" and no kiosk gets it afterwards (no
// visitor gets two tickets); a late "printed" still counts (the visitor has the ticket). Time is
// passed in: no clock, no waiting. The jobs are rows of a real SQLite store in a temporary folder
// (tests/postgres/print_jobs_test.cpp: the same across two instances on PostgreSQL).
#include "server/print_queue.hpp"
#include "server/sqlite_event_store.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <stdlib.h>

using loket::ErrorCode;
using loket::server::PrintJob;
using loket::server::PrintJobState;
using loket::server::PrintQueue;

namespace {

nlohmann::json ticketReply(const std::string& number) { return {{"ticket", {{"number", number}}}, {"visitor_url", "https://x/v/abc"}}; }

// A fresh SQLite store in a temporary folder, removed at the end.
struct TempStore {
    std::filesystem::path dir;
    std::unique_ptr<loket::server::EventStore> store;
    TempStore() {
        char tmpl[] = "/tmp/loket-print-XXXXXX";
        dir = mkdtemp(tmpl);
        auto opened = loket::server::SqliteEventStore::open(dir / "hall.db");
        REQUIRE(opened);
        store = std::move(opened.value());
    }
    ~TempStore() {
        store.reset();
        std::filesystem::remove_all(dir);
    }
};

// The queue's answers without their Result wrapper (a store error fails the test).
struct Queue {
    TempStore temp;
    PrintQueue queue;
    explicit Queue(loket::core::Seconds deadline = PrintQueue::kPrintDeadlineS) : queue(*temp.store, deadline) {}
    std::int64_t add(const std::string& kiosk, const nlohmann::json& ticket, loket::core::Seconds now) {
        auto id = queue.add(kiosk, ticket, now);
        REQUIRE(id);
        return *id;
    }
    std::vector<PrintJob> take(const std::string& kiosk, loket::core::Seconds now) {
        auto jobs = queue.take(kiosk, now);
        REQUIRE(jobs);
        return *jobs;
    }
    loket::Result<PrintJob> report(const std::string& kiosk, std::int64_t id, bool printed, const std::string& reason, loket::core::Seconds now) {
        return queue.report(kiosk, id, printed, reason, now);
    }
    std::optional<PrintJob> job(std::int64_t id, loket::core::Seconds now) {
        auto found = queue.job(id, now);
        REQUIRE(found);
        return *found;
    }
};

} // namespace

TEST_CASE("host: a kiosk takes its own print jobs once, in order, and reports them printed") {
    Queue q;
    const auto a = q.add("kiosk-1", ticketReply("A001"), 1000);
    const auto b = q.add("kiosk-2", ticketReply("B001"), 1000);
    const auto c = q.add("kiosk-1", ticketReply("A002"), 1001);
    CHECK(q.job(a, 1001)->state == PrintJobState::Queued);

    auto taken = q.take("kiosk-1", 1002);
    REQUIRE(taken.size() == 2);
    CHECK(taken[0].id == a);
    CHECK(taken[1].id == c);
    CHECK(taken[0].ticket["ticket"]["number"] == "A001");
    CHECK(q.take("kiosk-1", 1002).empty()); // taken once
    CHECK(q.job(a, 1002)->state == PrintJobState::Taken);
    CHECK(std::string(loket::server::printJobStateName(PrintJobState::Taken)) == "printing");

    // Another kiosk may not report a job that is not its own.
    auto foreign = q.report("kiosk-2", a, true, "", 1003);
    REQUIRE(!foreign);
    CHECK(foreign.error().code == ErrorCode::Forbidden);
    auto unknown = q.report("kiosk-1", 999, true, "", 1003);
    REQUIRE(!unknown);
    CHECK(unknown.error().code == ErrorCode::NotFound);

    auto printed = q.report("kiosk-1", a, true, "", 1003);
    REQUIRE(printed);
    CHECK(printed->state == PrintJobState::Printed);
    CHECK(printed->reason.empty());
    auto failed = q.report("kiosk-1", c, false, "paper_out", 1003);
    REQUIRE(failed);
    CHECK(failed->state == PrintJobState::Failed);
    CHECK(failed->reason == "paper_out");
    // A printed job stays printed, also long after the deadline.
    CHECK(q.job(a, 5000)->state == PrintJobState::Printed);
    // kiosk-2 still has its job.
    REQUIRE(q.take("kiosk-2", 1004).size() == 1);
    CHECK(q.job(b, 1004)->state == PrintJobState::Taken);
    CHECK(!q.job(12345, 1004));
}

TEST_CASE("host: a print job not printed within the deadline is busy, and no kiosk takes it later") {
    Queue q; // the hall's five seconds
    REQUIRE(PrintQueue::kPrintDeadlineS == 5);
    const auto waiting = q.add("kiosk-1", ticketReply("A001"), 100);
    CHECK(q.job(waiting, 105)->state == PrintJobState::Queued); // five seconds: still in time
    const PrintJob late = *q.job(waiting, 106);
    CHECK(late.state == PrintJobState::Failed);
    CHECK(late.reason == "busy");
    CHECK(q.take("kiosk-1", 106).empty()); // the tablet shows the ticket: the kiosk must not print it too

    // Taken but not reported in time: busy as well; a late "printed" still counts (the visitor
    // has the ticket), a late "failed" does not change the reason the host saw.
    const auto slow = q.add("kiosk-1", ticketReply("A002"), 200);
    REQUIRE(q.take("kiosk-1", 201).size() == 1);
    CHECK(q.job(slow, 206)->reason == "busy");
    auto printed = q.report("kiosk-1", slow, true, "", 207);
    REQUIRE(printed);
    CHECK(printed->state == PrintJobState::Printed);
    const auto slower = q.add("kiosk-1", ticketReply("A003"), 300);
    REQUIRE(q.take("kiosk-1", 301).size() == 1);
    auto failed = q.report("kiosk-1", slower, false, "cover_open", 310);
    REQUIRE(failed);
    CHECK(failed->state == PrintJobState::Failed);
    CHECK(failed->reason == "busy");
}

TEST_CASE("host: a shorter print deadline (for tests) gives up sooner, only the last 200 jobs are kept") {
    Queue q(1);
    const auto job = q.add("kiosk-1", ticketReply("A001"), 10);
    CHECK(q.job(job, 11)->state == PrintJobState::Queued);
    CHECK(q.job(job, 12)->reason == "busy");

    Queue many;
    const auto first = many.add("kiosk-1", ticketReply("A000"), 0);
    std::int64_t last = first;
    for (int i = 1; i <= 200; ++i) last = many.add("kiosk-1", ticketReply("A" + std::to_string(i)), 0);
    CHECK(!many.job(first, 0)); // the oldest went
    CHECK(many.job(first + 1, 0));
    CHECK(many.job(last, 0)->ticket["ticket"]["number"] == "A200");
}
