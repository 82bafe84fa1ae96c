// Group commit, in-process: commands that arrive while a commit runs share the next
// transaction; each is answered only after that commit; a failed commit fails the whole group
// and leaves memory as it was. A gate in front of the real SQLite store holds the first commit
// until the others are queued, so the test knows exactly which commands form a group.
#include "server/command_executor.hpp"
#include "server/sqlite_event_store.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <numeric>
#include <optional>
#include <set>
#include <thread>

using namespace loket;
using namespace loket::server;

namespace {

struct TempFolder {
    std::filesystem::path path;
    TempFolder() {
        char tmpl[] = "/tmp/loket-group-XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~TempFolder() { std::filesystem::remove_all(path); }
};

// The real store behind a gate; records the size of every group it was asked to commit and can
// fail the next one.
class GatedStore final : public EventStore {
public:
    explicit GatedStore(std::unique_ptr<EventStore> inner) : m_inner(std::move(inner)) {}
    void close() {
        std::lock_guard l(m_mutex);
        m_open = false;
    }
    void open() {
        {
            std::lock_guard l(m_mutex);
            m_open = true;
        }
        m_changed.notify_all();
    }
    // Lets the next `n` commits through a closed gate.
    void allow(int n) {
        {
            std::lock_guard l(m_mutex);
            m_permits += n;
        }
        m_changed.notify_all();
    }
    bool holding() {
        std::lock_guard l(m_mutex);
        return m_held > 0;
    }
    // Retry-key look-ups made while a commit was held at the gate.
    int lookupsWhileHeld() {
        std::lock_guard l(m_mutex);
        return m_lookupsWhileHeld;
    }
    // Fails the next this many commits that pass the gate.
    std::atomic<int> failNext{0};
    // Fails every group of more than this many commands (0: none fails).
    std::atomic<std::size_t> failGroupsOver{0};
    // Fails every this many-th commit that passes the gate (0: none).
    std::atomic<int> failEvery{0};
    std::vector<std::size_t> groups() {
        std::lock_guard l(m_mutex);
        return m_groups;
    }

    Result<std::vector<std::vector<std::int64_t>>> commitGroup(std::span<const CommitBatch> batches) override {
        {
            std::unique_lock l(m_mutex);
            ++m_held;
            m_changed.wait(l, [&] { return m_open || m_permits > 0; });
            if (!m_open) --m_permits;
            --m_held;
            m_groups.push_back(batches.size());
            if (failEvery > 0 && m_groups.size() % static_cast<std::size_t>(failEvery.load()) == 0)
                return makeError(ErrorCode::StoreFailed, "disk I/O error (injected)");
        }
        if (failGroupsOver > 0 && batches.size() > failGroupsOver)
            return makeError(ErrorCode::StoreFailed, "disk I/O error (injected)");
        if (failNext > 0) {
            --failNext;
            return makeError(ErrorCode::StoreFailed, "disk I/O error (injected)");
        }
        return m_inner->commitGroup(batches);
    }
    Result<std::vector<StoredEvent>> loadEvents() override { return m_inner->loadEvents(); }
    Result<std::optional<IdempotencyRecord>> findIdempotency(const std::string& key) override {
        {
            std::lock_guard l(m_mutex);
            if (m_held > 0) ++m_lookupsWhileHeld;
        }
        return m_inner->findIdempotency(key);
    }
    Result<std::vector<core::VisitRecord>> visits(core::LocalDay day) override { return m_inner->visits(day); }
    Result<core::DoorAnswerCounts> doorAnswers(core::LocalDay day) override { return m_inner->doorAnswers(day); }
    std::int64_t lastEventId() const override { return m_inner->lastEventId(); }
    Status putSession(const std::string& h, const StoredSession& s) override { return m_inner->putSession(h, s); }
    Result<std::optional<StoredSession>> findSession(const std::string& h) override { return m_inner->findSession(h); }
    Status deleteSession(const std::string& h) override { return m_inner->deleteSession(h); }
    Status deleteSessionsOf(const std::string& u) override { return m_inner->deleteSessionsOf(u); }
    Status deleteExpiredSessions(core::Seconds now) override { return m_inner->deleteExpiredSessions(now); }
    Status putStaffAccount(const StaffAccountRecord& a) override { return m_inner->putStaffAccount(a); }
    Result<bool> addStaffAccount(const StaffAccountRecord& a) override { return m_inner->addStaffAccount(a); }
    Result<std::vector<StaffAccountRecord>> staffAccounts() override { return m_inner->staffAccounts(); }
    Status probeWrite() override { return m_inner->probeWrite(); }
    bool singleWriter() const override { return m_inner->singleWriter(); }
    Result<std::optional<std::string>> loadConfiguration() override { return m_inner->loadConfiguration(); }
    Status appendAudit(const AuditEntry& e) override { return m_inner->appendAudit(e); }
    Result<std::vector<AuditEntry>> auditEntries(core::LocalDay day) override { return m_inner->auditEntries(day); }
    Status purgeAudit(core::LocalDay before) override { return m_inner->purgeAudit(before); }
    Status putEnrolledDevice(const EnrolledDeviceRecord& d) override { return m_inner->putEnrolledDevice(d); }
    Result<std::vector<EnrolledDeviceRecord>> enrolledDevices() override { return m_inner->enrolledDevices(); }
    Result<bool> addPairing(const PairingRecord& p) override { return m_inner->addPairing(p); }
    Result<std::vector<PairingRecord>> pairings(std::int64_t now) override { return m_inner->pairings(now); }
    Result<bool> approvePairing(const std::string& c, const std::string& d, std::int64_t now) override { return m_inner->approvePairing(c, d, now); }
    Result<bool> takePairing(const std::string& c) override { return m_inner->takePairing(c); }
    Status deleteExpiredPairings(std::int64_t now) override { return m_inner->deleteExpiredPairings(now); }
    Result<std::int64_t> addPrintJob(const PrintJobRecord& j, std::int64_t keep) override { return m_inner->addPrintJob(j, keep); }
    Result<std::vector<PrintJobRecord>> takePrintJobs(const std::string& k, std::int64_t notBefore) override {
        return m_inner->takePrintJobs(k, notBefore);
    }
    Status setPrintJob(std::int64_t id, const std::string& s, const std::string& r) override { return m_inner->setPrintJob(id, s, r); }
    Result<std::optional<PrintJobRecord>> printJob(std::int64_t id) override { return m_inner->printJob(id); }
    Status putDeviceStatus(const DeviceStatusRecord& d) override { return m_inner->putDeviceStatus(d); }
    Result<std::vector<DeviceStatusRecord>> deviceStatuses() override { return m_inner->deviceStatuses(); }

private:
    std::unique_ptr<EventStore> m_inner;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_open = true;
    int m_permits = 0;
    int m_held = 0;
    int m_lookupsWhileHeld = 0;
    std::vector<std::size_t> m_groups;
};

ServerConfig exampleConfig() {
    auto config = loadServerConfig(std::filesystem::path(LOKET_SOURCE_DIR) / "firmware-config" / "hall.example.toml");
    REQUIRE(config);
    return std::move(config.value());
}

// One executor over a store file, as the server wires it.
struct Hall {
    ServerConfig config = exampleConfig();
    GatedStore store;
    LiveState state{config.hall};
    EventBroker broker;
    HallClock clock{config.timeZone};
    Metrics metrics;
    CommandExecutor commands{config, store, state, broker, clock, metrics};

    explicit Hall(const std::filesystem::path& db) : store(open(db)) { REQUIRE(commands.recover()); }
    static std::unique_ptr<EventStore> open(const std::filesystem::path& db) {
        auto s = SqliteEventStore::open(db);
        REQUIRE(s);
        return std::move(s.value());
    }
    std::size_t tickets() {
        return state.read([](const StateView& v) { return v.state.tickets().size(); });
    }
    std::vector<std::string> numbers() {
        return state.read([](const StateView& v) {
            std::vector<std::string> out;
            for (const auto& t : v.state.tickets()) out.push_back(t.number);
            return out;
        });
    }
    // Commands the executor has decided (the core ran on them), from its metrics.
    std::uint64_t decided() {
        const std::string text = metrics.render({});
        const std::string name = "\nloket_commands_total ";
        const auto at = text.find(name);
        REQUIRE(at != std::string::npos);
        return std::stoull(text.substr(at + name.size()));
    }
    // A counter of the metrics text by its name.
    std::uint64_t counter(const std::string& family) {
        const std::string text = metrics.render({});
        const auto at = text.find("\n" + family + " ");
        REQUIRE(at != std::string::npos);
        return std::stoull(text.substr(at + family.size() + 2));
    }
};

// Waits until `condition` holds, for at most a minute (a broken pipeline fails, not hangs).
template <typename F>
bool eventually(F condition) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (!condition()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::yield();
    }
    return true;
}

// One check-in on a thread of its own, answered into `answer`; `answered` says when.
struct Kiosk {
    CommandExecutor::Idempotent answer;
    std::atomic<bool> answered{false};
    std::thread thread;
    Hall& hall;
    Kiosk(Hall& h, core::Command command, std::optional<IdempotencyRecord> record) : hall(h) {
        thread = std::thread([this, command = std::move(command), record = std::move(record)] {
            if (record) answer = hall.commands.executeOnce(command, *record);
            else answer.result = hall.commands.execute(command);
            answered = true;
        });
    }
    ~Kiosk() {
        hall.store.open(); // a check that failed while the gate was closed must not hang the test
        if (thread.joinable()) thread.join();
    }
};

core::Command walkIn(int i) { return core::IssueWalkIn{"uittreksel", "nl", "code" + std::to_string(i)}; }

IdempotencyRecord key(const std::string& k) {
    IdempotencyRecord r;
    r.key = k;
    r.requestHash = "h-" + k;
    r.status = 201;
    return r;
}

// Starts `n` check-ins while the store holds the first commit, waits until the other n-1 are
// queued behind it, opens the gate and collects every answer.
std::vector<CommandExecutor::Idempotent> checkInTogether(Hall& hall, int n, const std::string& keyPrefix) {
    std::vector<CommandExecutor::Idempotent> answers(static_cast<std::size_t>(n));
    std::vector<core::Command> commands;
    for (int i = 0; i < n; ++i) commands.push_back(walkIn(i));
    hall.store.close();
    std::vector<std::thread> kiosks;
    kiosks.emplace_back([&] { answers[0] = hall.commands.executeOnce(commands[0], key(keyPrefix + "0")); });
    while (!hall.store.holding()) std::this_thread::yield();
    for (int i = 1; i < n; ++i)
        kiosks.emplace_back([&, i] {
            // The last two share a key: a retry inside the group must not make a second ticket.
            const std::string k = keyPrefix + std::to_string(i == n - 1 ? n - 2 : i);
            answers[static_cast<std::size_t>(i)] = hall.commands.executeOnce(commands[static_cast<std::size_t>(i)], key(k));
        });
    while (hall.commands.waiting() < static_cast<std::size_t>(n - 1)) std::this_thread::yield();
    hall.store.open();
    for (auto& t : kiosks) t.join();
    return answers;
}

// Both answered, the second decided on top of the first: the next number, committed (a group of
// one each, after the day's start) and applied in order.
void checkSecondOnTopOfFirst(Hall& hall, const Kiosk& first, const Kiosk& second) {
    REQUIRE(first.answer.result);
    REQUIRE(second.answer.result);
    CHECK(second.answer.result->ids.front() > first.answer.result->ids.front());
    CHECK(hall.numbers() == std::vector<std::string>{"U001", "U002"});
    CHECK(hall.store.groups() == std::vector<std::size_t>{1, 1, 1});
}

} // namespace

TEST_CASE("group commit: concurrent check-ins share one transaction, are all answered and all durable after reopen") {
    TempFolder dir;
    const auto db = dir.path / "hall.db";
    std::set<std::string> numbers;
    std::size_t ticketsBefore = 0;
    {
        Hall hall(db);
        REQUIRE(hall.commands.execute(core::StartDay{core::localDay(hall.clock.now())}));
        constexpr int n = 20;
        auto answers = checkInTogether(hall, n, "k");
        // One group of one (the leader's), then one group with the 19 that queued behind it.
        auto groups = hall.store.groups();
        REQUIRE(groups.size() == 3);
        CHECK(groups[1] == 1);
        CHECK(groups[2] == n - 2); // the retry inside the group writes nothing
        // /metrics counts the commits and the commands they stored: the mean group size.
        CHECK(hall.counter("loket_store_commits_total") == groups.size());
        CHECK(hall.counter("loket_store_committed_commands_total") == std::accumulate(groups.begin(), groups.end(), std::size_t{0}));
        for (int i = 0; i < n - 2; ++i) {
            INFO("check-in " << i);
            REQUIRE_FALSE(answers[static_cast<std::size_t>(i)].previous);
            REQUIRE(answers[static_cast<std::size_t>(i)].result);
            REQUIRE(answers[static_cast<std::size_t>(i)].result->ids.size() == 1);
        }
        // The last two share a key: whichever of them queued second gets the first one's record
        // (the order in which the two threads queue is theirs to pick).
        const auto& a = answers[n - 2];
        const auto& b = answers[n - 1];
        REQUIRE(static_cast<bool>(a.previous) != static_cast<bool>(b.previous));
        const auto& fresh = a.previous ? b : a;
        const auto& repeat = a.previous ? a : b;
        REQUIRE(fresh.result);
        REQUIRE(fresh.result->ids.size() == 1);
        CHECK(repeat.previous->key == "k" + std::to_string(n - 2));
        CHECK(hall.tickets() == static_cast<std::size_t>(n - 1));
        // Decided one after the other on the state the earlier ones left: all numbers differ.
        hall.state.read([&](const StateView& v) {
            for (const auto& t : v.state.tickets()) numbers.insert(t.number);
            return 0;
        });
        CHECK(numbers.size() == static_cast<std::size_t>(n - 1));
        ticketsBefore = hall.tickets();
    }
    Hall reopened(db);
    CHECK(reopened.tickets() == ticketsBefore);
    std::set<std::string> after;
    reopened.state.read([&](const StateView& v) {
        for (const auto& t : v.state.tickets()) after.insert(t.number);
        return 0;
    });
    CHECK(after == numbers);
    auto retry = reopened.store.findIdempotency("k5");
    REQUIRE(retry);
    CHECK(retry.value().has_value());
}

TEST_CASE("group commit: a failed commit fails every command of the group, changes nothing, and the next group works") {
    TempFolder dir;
    Hall hall(dir.path / "hall.db");
    REQUIRE(hall.commands.execute(core::StartDay{core::localDay(hall.clock.now())}));
    const auto eventsBefore = hall.store.lastEventId();
    // The leader's own group of one commits; the queued group (8 commands that write and an
    // in-group retry) is the one that fails.
    constexpr int n = 10;
    hall.store.failGroupsOver = 1;
    auto answers = checkInTogether(hall, n, "f");
    hall.store.failGroupsOver = 0;
    auto groups = hall.store.groups();
    REQUIRE(groups.size() == 3);
    REQUIRE(answers[0].result); // the first group committed
    for (int i = 1; i < n; ++i) {
        INFO("check-in " << i);
        CHECK_FALSE(answers[static_cast<std::size_t>(i)].previous); // not even the in-group retry
        REQUIRE_FALSE(answers[static_cast<std::size_t>(i)].result);
        CHECK(answers[static_cast<std::size_t>(i)].result.error().code == ErrorCode::StoreFailed);
    }
    CHECK(hall.tickets() == 1);
    CHECK(hall.store.lastEventId() == eventsBefore + 1);
    // The next group is decided on the committed state: it gets the number after the first.
    auto next = hall.commands.executeOnce(walkIn(99), key("f1"));
    REQUIRE(next.result);
    REQUIRE_FALSE(next.previous); // the failed group's key was never stored
    std::string second;
    hall.state.read([&](const StateView& v) {
        second = v.state.tickets().back().number;
        return 0;
    });
    CHECK(second == "U002");
    CHECK(hall.tickets() == 2);
}

TEST_CASE("group commit: a batch of commands is one transaction, decided in order and answered one by one") {
    TempFolder dir;
    const auto db = dir.path / "hall.db";
    std::vector<std::size_t> groups;
    {
        Hall hall(db);
        std::vector<core::Command> batch;
        for (int i = 0; i < 40; ++i) batch.push_back(walkIn(i));
        // An entry the core refuses is answered on its own and does not stop the others.
        batch.insert(batch.begin() + 20, core::Command{core::IssueWalkIn{"zwemles", "nl", "code-x"}});
        const auto answers = hall.commands.executeBatch(batch);
        REQUIRE(answers.size() == 41);
        std::set<std::string> numbers;
        for (std::size_t i = 0; i < answers.size(); ++i) {
            CAPTURE(i);
            if (i == 20) {
                REQUIRE_FALSE(answers[i]);
                CHECK(answers[i].error().code == ErrorCode::UnknownService);
                continue;
            }
            REQUIRE(answers[i]);
            const core::TicketIssued* issued = nullptr; // the day's first command also starts the day
            for (const auto& e : answers[i]->events)
                if (const auto* t = std::get_if<core::TicketIssued>(&e)) issued = t;
            REQUIRE(issued);
            CHECK(numbers.insert(issued->ticket.number).second);
        }
        groups = hall.store.groups();
        CHECK(hall.tickets() == 40);
    }
    CHECK(groups == std::vector<std::size_t>{40}); // 40 writes, one commit (the refusal writes nothing)
    Hall again(db);                                  // all of them durable
    CHECK(again.tickets() == 40);
}

TEST_CASE("group commit: the next group is decided while the one before commits, and each is answered only after its own commit") {
    TempFolder dir;
    Hall hall(dir.path / "hall.db");
    REQUIRE(hall.commands.execute(core::StartDay{core::localDay(hall.clock.now())}));
    const auto decidedBefore = hall.decided();
    hall.store.close();
    Kiosk first(hall, walkIn(0), key("p0"));
    REQUIRE(eventually([&] { return hall.store.holding(); }));
    Kiosk second(hall, walkIn(1), key("p1"));
    // The second check-in is decided (its retry key looked up, the core run) while the first
    // one's commit is still held open.
    REQUIRE(eventually([&] { return hall.decided() == decidedBefore + 2; }));
    CHECK(hall.store.lookupsWhileHeld() >= 1);
    CHECK(hall.store.groups().size() == 1); // only the day's start has passed the gate
    CHECK_FALSE(first.answered);
    CHECK_FALSE(second.answered);
    CHECK(hall.tickets() == 0); // nothing decided is visible before its commit
    // The first commit goes through; the second waits at the gate, unanswered and unapplied.
    hall.store.allow(1);
    REQUIRE(eventually([&] { return first.answered.load(); }));
    REQUIRE(eventually([&] { return hall.store.holding(); }));
    CHECK_FALSE(second.answered);
    CHECK(hall.numbers() == std::vector<std::string>{"U001"});
    hall.store.open();
    REQUIRE(eventually([&] { return second.answered.load(); }));
    checkSecondOnTopOfFirst(hall, first, second);
}

TEST_CASE("group commit: when a commit fails, the group decided on top of it fails too and nothing of either is kept") {
    TempFolder dir;
    const auto db = dir.path / "hall.db";
    {
        Hall hall(db);
        REQUIRE(hall.commands.execute(core::StartDay{core::localDay(hall.clock.now())}));
        const auto eventsBefore = hall.store.lastEventId();
        const auto decidedBefore = hall.decided();
        hall.store.failNext = 1;
        hall.store.close();
        Kiosk first(hall, walkIn(0), key("x0"));
        REQUIRE(eventually([&] { return hall.store.holding(); }));
        Kiosk second(hall, walkIn(1), key("x1"));
        REQUIRE(eventually([&] { return hall.commands.waiting() == 1; }));
        Kiosk retry(hall, walkIn(0), key("x0")); // the first one's retry, while its commit runs
        REQUIRE(eventually([&] { return hall.commands.waiting() == 2 && hall.decided() == decidedBefore + 2; }));
        hall.store.open(); // the first commit fails
        for (Kiosk* k : {&first, &second, &retry}) {
            REQUIRE(eventually([&] { return k->answered.load(); }));
            CHECK_FALSE(k->answer.previous); // not even the retry: its key was never stored
            REQUIRE_FALSE(k->answer.result);
            CHECK(k->answer.result.error().code == ErrorCode::StoreFailed);
        }
        // The second group was never committed: the store saw the day's start and the failed one.
        CHECK(hall.store.groups() == std::vector<std::size_t>{1, 1});
        CHECK(hall.tickets() == 0);
        CHECK(hall.store.lastEventId() == eventsBefore);
        for (const char* k : {"x0", "x1"}) {
            auto found = hall.store.findIdempotency(k);
            REQUIRE(found);
            CHECK_FALSE(found.value());
        }
        // The server recovers by itself: the next check-in (the first one's retry) gets the first
        // number, decided on the committed state.
        auto again = hall.commands.executeOnce(walkIn(0), key("x0"));
        REQUIRE(again.result);
        CHECK_FALSE(again.previous);
        CHECK(hall.numbers() == std::vector<std::string>{"U001"});
    }
    Hall reopened(db); // and the disk agrees
    CHECK(reopened.numbers() == std::vector<std::string>{"U001"});
}

TEST_CASE("group commit: a retry of a check-in whose commit is still running is answered as a replay, not a second ticket") {
    TempFolder dir;
    Hall hall(dir.path / "hall.db");
    REQUIRE(hall.commands.execute(core::StartDay{core::localDay(hall.clock.now())}));
    const auto decidedBefore = hall.decided();
    hall.store.close();
    Kiosk first(hall, walkIn(0), key("r0"));
    REQUIRE(eventually([&] { return hall.store.holding(); }));
    Kiosk retry(hall, walkIn(0), key("r0"));
    REQUIRE(eventually([&] { return hall.commands.waiting() == 1; }));
    Kiosk other(hall, walkIn(1), std::nullopt);
    // Decided in arrival order: once the check-in after it is decided, so is the retry, all
    // while the first one's commit is held open (its key is not in the store yet).
    REQUIRE(eventually([&] { return hall.decided() == decidedBefore + 2; }));
    CHECK(hall.store.groups().size() == 1);
    CHECK_FALSE(retry.answered);
    hall.store.open();
    for (Kiosk* k : {&first, &retry, &other}) REQUIRE(eventually([&] { return k->answered.load(); }));
    REQUIRE(first.answer.result);
    REQUIRE(retry.answer.previous);
    CHECK(retry.answer.previous->key == "r0");
    const core::TicketIssued* issued = nullptr;
    for (const auto& e : first.answer.result->events)
        if (const auto* t = std::get_if<core::TicketIssued>(&e)) issued = t;
    REQUIRE(issued);
    CHECK(retry.answer.previous->response == std::to_string(issued->ticket.id)); // the first one's ticket
    CHECK(hall.numbers() == std::vector<std::string>{"U001", "U002"});
    CHECK(hall.store.groups() == std::vector<std::size_t>{1, 1, 1}); // the retry wrote nothing
}

TEST_CASE("group commit: the next group writes while the one before is being applied, and is applied and answered after it") {
    TempFolder dir;
    Hall hall(dir.path / "hall.db");
    REQUIRE(hall.commands.execute(core::StartDay{core::localDay(hall.clock.now())}));
    // Hold the first group inside its apply (its publish runs under the state's lock).
    std::mutex gateMutex;
    std::condition_variable gateChanged;
    bool holdApply = true, applyHeld = false;
    hall.broker.setOnPublish([&] {
        std::unique_lock l(gateMutex);
        if (!holdApply) return;
        applyHeld = true;
        gateChanged.notify_all();
        gateChanged.wait(l, [&] { return !holdApply; });
    });
    auto released = [&] {
        {
            std::lock_guard l(gateMutex);
            holdApply = false;
        }
        gateChanged.notify_all();
    };
    std::optional<Kiosk> firstKiosk, secondKiosk;
    struct Release { // destroyed before the kiosks: a failed check must not leave them held
        std::function<void()> f;
        ~Release() { f(); }
    } release{released};
    Kiosk& first = firstKiosk.emplace(hall, walkIn(0), key("a0"));
    REQUIRE(eventually([&] {
        std::lock_guard l(gateMutex);
        return applyHeld;
    }));
    Kiosk& second = secondKiosk.emplace(hall, walkIn(1), key("a1"));
    // The second group is decided and committed while the first one is still being applied...
    REQUIRE(eventually([&] { return hall.store.groups().size() == 3; }));
    // ...but neither is answered: the first is not applied yet, the second comes after it.
    CHECK_FALSE(first.answered);
    CHECK_FALSE(second.answered);
    released();
    REQUIRE(eventually([&] { return first.answered && second.answered; }));
    checkSecondOnTopOfFirst(hall, first, second);
}

TEST_CASE("group commit: many callers while every third commit fails: each is answered, and what succeeded is durable and numbered once") {
    TempFolder dir;
    const auto db = dir.path / "hall.db";
    constexpr int kKiosks = 8, kEach = 30, kBatches = 10, kBatchSize = 3;
    std::atomic<int> succeeded{0}, failed{0}, unexpected{0};
    std::set<std::string> numbers;
    {
        Hall hall(db);
        REQUIRE(hall.commands.execute(core::StartDay{core::localDay(hall.clock.now())}));
        hall.store.failEvery = 3;
        auto tally = [&](const Result<Executed>& r) {
            if (r) ++succeeded;
            else if (r.error().code == ErrorCode::StoreFailed) ++failed;
            else ++unexpected;
        };
        std::vector<std::thread> callers;
        for (int k = 0; k < kKiosks; ++k)
            callers.emplace_back([&, k] {
                for (int i = 0; i < kEach; ++i) {
                    auto answer = hall.commands.executeOnce(walkIn(k * 1000 + i), key("m" + std::to_string(k) + "-" + std::to_string(i)));
                    if (answer.previous) ++unexpected; // every key is new: no replay
                    tally(answer.result);
                }
            });
        // An uploading kiosk: several commands of one caller in one group, one Waiter.
        callers.emplace_back([&] {
            for (int b = 0; b < kBatches; ++b) {
                std::vector<core::Command> batch;
                for (int i = 0; i < kBatchSize; ++i) batch.push_back(walkIn(100 + b * kBatchSize + i));
                for (const auto& r : hall.commands.executeBatch(batch)) tally(r);
            }
        });
        for (auto& t : callers) t.join();
        hall.store.failEvery = 0;
        CHECK(unexpected == 0);
        CHECK(succeeded + failed == kKiosks * kEach + kBatches * kBatchSize);
        CHECK(failed > 0);
        CHECK(succeeded > 0);
        // Every success is a ticket, every failure none; decided on the committed state each
        // time, the numbers never repeat.
        const auto inMemory = hall.numbers();
        numbers.insert(inMemory.begin(), inMemory.end());
        CHECK(inMemory.size() == static_cast<std::size_t>(succeeded.load()));
        CHECK(numbers.size() == inMemory.size());
        // Memory and disk still agree: the next check-in works and gets a number of its own.
        auto next = hall.commands.execute(walkIn(999));
        REQUIRE(next);
        CHECK(hall.tickets() == inMemory.size() + 1);
        numbers.clear();
        const auto all = hall.numbers();
        numbers.insert(all.begin(), all.end());
        CHECK(numbers.size() == all.size());
    }
    Hall reopened(db);
    const auto onDisk = reopened.numbers();
    CHECK(std::set<std::string>(onDisk.begin(), onDisk.end()) == numbers);
}
