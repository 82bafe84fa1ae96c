#include "command_executor.hpp"

#include "event_renderer.hpp"
#include "log.hpp"

#include "shared/core/visit_rules.hpp"
#include "shared/proto/configuration_json.hpp"
#include "shared/proto/event_codec.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

namespace loket::server {
using namespace loket::core;
using Json = nlohmann::json;

CommandExecutor::CommandExecutor(const ServerConfig& config, EventStore& store, LiveState& state, EventBroker& broker,
                                 HallClock& clock, Metrics& metrics)
    : m_config(config), m_store(store), m_state(state), m_broker(broker), m_clock(clock), m_metrics(metrics) {}

Status CommandExecutor::recover() {
    std::lock_guard write(m_writeMutex);
    auto loaded = m_store.loadEvents();
    if (!loaded) return loaded.error();
    if (auto st = applyStored(loaded.value()); !st) return st;
    m_state.apply({}, m_store.lastEventId(), [](const HallState&) {});
    m_broker.setBaseline(m_store.lastEventId());
    m_decideState.reset(); // the next group copies the recovered state
    return Ok{};
}

Status CommandExecutor::catchUp() {
    std::lock_guard write(m_writeMutex);
    const std::int64_t known = m_state.read([](const StateView& v) { return v.eventId; });
    auto missed = m_store.eventsAfter(known);
    if (!missed) return missed.error();
    if (missed->empty()) return Ok{};
    m_decideState.reset();
    return applyStored(missed.value());
}

Status CommandExecutor::applyStored(const std::vector<StoredEvent>& stored) {
    const Now now = m_clock.now();
    // Decoded and applied one by one: each is read against the configuration the events before it
    // left (a service added today), and rendered against the state it produced, so the ring holds
    // today's events again and displays resume across a server restart.
    std::vector<SseMessage> replay;
    for (const StoredEvent& s : stored) {
        auto body = Json::parse(s.body, nullptr, false);
        if (body.is_discarded()) return makeError(ErrorCode::StoreFailed, "stored event " + std::to_string(s.id) + " is not JSON");
        auto event = m_state.read([&](const StateView& v) { return proto::eventFromJson(v.state.config(), s.type, body); });
        if (!event) return makeError(event.error().code, "event " + std::to_string(s.id) + ": " + event.error().message);
        const std::vector<Event> one{std::move(event.value())};
        const std::vector<std::int64_t> id{s.id};
        std::optional<CounterIndex> involved = m_state.read([&](const StateView& v) { return counterOfEvent(v.state, one[0]); });
        m_state.apply(one, s.id, [&](const HallState& state) {
            for (auto& m : renderEvents(state, {one, id, {involved}}, now)) replay.push_back(std::move(m));
        });
    }
    m_broker.publish(std::move(replay));
    return Ok{};
}

// A caller waiting in submitAll, woken only when one of its commands is done or when it should
// lead. Wakes are decided under the queue lock and sent after it is released, so a woken caller
// does not find the lock still held; `inFlight` counts the wakes decided for it and not yet
// sent, and the caller does not leave (its Waiter lives on its stack) before they are.
struct CommandExecutor::Waiter {
    std::condition_variable wake;
    std::atomic<int> inFlight{0};
};

// The wakes one step decided: `add` under the queue lock, `send` (or the destructor) after it.
class CommandExecutor::Wakes {
public:
    explicit Wakes(const Waiter& self) : m_self(&self) {}
    Wakes(const Wakes&) = delete;
    Wakes& operator=(const Wakes&) = delete;
    ~Wakes() { send(); }
    void add(Waiter* waiter) {
        // The caller that decides runs already; a batch's commands share one Waiter.
        if (waiter == m_self || std::find(m_waiters.begin(), m_waiters.end(), waiter) != m_waiters.end()) return;
        waiter->inFlight.fetch_add(1, std::memory_order_relaxed);
        m_waiters.push_back(waiter);
    }
    void send() {
        for (Waiter* waiter : m_waiters) {
            waiter->wake.notify_one();
            waiter->inFlight.fetch_sub(1, std::memory_order_release); // the last touch of it
        }
        m_waiters.clear();
    }

private:
    const Waiter* m_self;
    std::vector<Waiter*> m_waiters;
};

struct CommandExecutor::Pending {
    const Command* command = nullptr;
    Waiter* waiter = nullptr; // its caller's
    std::optional<IdempotencyRecord> idempotency;
    bool once = false; // look the retry key up first (executeOnce)
    Idempotent out;
    bool done = false;
    bool taken = false; // by a pipelined leader, into the group it decides
    // Filled while the group is decided:
    Now at{};
    bool rejected = false;
    std::size_t batch = 0; // index in the group's commit (events only)
    std::vector<std::optional<CounterIndex>> involved;
};

Result<Executed> CommandExecutor::execute(const Command& command, std::optional<IdempotencyRecord> idempotency) {
    return submit(command, std::move(idempotency), false).result;
}

CommandExecutor::Idempotent CommandExecutor::executeOnce(const Command& command, IdempotencyRecord record) {
    return submit(command, std::move(record), true);
}

// Leader/follower: whoever finds no leader leads; it takes everything queued as one group,
// runs it, wakes the group's callers, then hands over (the next waiter leads the commands that
// queued during this commit). Nobody waits on a timer: a lone command is a group of one.
CommandExecutor::Idempotent CommandExecutor::submit(const Command& command, std::optional<IdempotencyRecord> idempotency,
                                                    bool once) {
    Pending self;
    self.command = &command;
    self.idempotency = std::move(idempotency);
    self.once = once;
    submitAll({&self});
    return std::move(self.out);
}

std::vector<Result<Executed>> CommandExecutor::executeBatch(const std::vector<Command>& commands) {
    std::vector<Pending> pending(commands.size());
    std::vector<Pending*> mine;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        pending[i].command = &commands[i];
        mine.push_back(&pending[i]);
    }
    submitAll(mine);
    std::vector<Result<Executed>> out;
    out.reserve(pending.size());
    for (Pending& p : pending) out.push_back(std::move(p.out.result));
    return out;
}

struct CommandExecutor::Group {
    std::vector<Pending*> members; // in arrival order
    std::vector<CommitBatch> batches;
    std::vector<Pending*> committing; // the members that write, in order
    // Retry keys this group stores, with the batch that stores each: an index, not a pointer,
    // because `batches` reallocates as it grows.
    std::map<std::string, std::size_t> keys;
    // The pipeline: m_failures when the group began to be decided (a failure after that means
    // it was decided on top of a group that is not on disk), and an exception while deciding.
    std::uint64_t epoch = 0;
    std::optional<Error> failed;
};

void CommandExecutor::submitAll(const std::vector<Pending*>& mine) {
    Waiter self;
    auto allDone = [&] {
        return std::all_of(mine.begin(), mine.end(), [](const Pending* p) { return p->done; });
    };
    std::unique_lock queue(m_queueMutex);
    // Queued together, so a leader takes them (up to kMaxGroup) into one group and one commit.
    for (Pending* p : mine) {
        p->waiter = &self;
        m_queue.push_back(p);
    }
    if (m_store.singleWriter()) {
        // A leader deciding on top of a commit takes them at once.
        if (m_leaderWaiting && !m_leaderNotified) {
            m_leaderNotified = true;
            queue.unlock();
            m_leaderWake.notify_one();
            queue.lock();
        }
        // Only a caller with commands still queued leads: one whose commands are in the group
        // committing would otherwise wait for the next group's commit too before its answer.
        auto queued = [&] { return std::any_of(mine.begin(), mine.end(), [](const Pending* p) { return !p->taken; }); };
        for (;;) {
            self.wake.wait(queue, [&] { return allDone() || (!m_leaderActive && queued()); });
            if (allDone()) break;
            leadPipelined(queue, self, mine);
        }
    } else {
        for (;;) {
            self.wake.wait(queue, [&] { return allDone() || !m_leaderActive; });
            if (allDone()) break;
            // Ours are queued (more than kMaxGroup may have queued before them): lead a group.
            m_leaderActive = true;
            std::vector<Pending*> group;
            while (!m_queue.empty() && group.size() < kMaxGroup) {
                group.push_back(m_queue.front());
                m_queue.pop_front();
            }
            queue.unlock();
            {
                std::lock_guard write(m_writeMutex);
                try {
                    runGroup(group);
                } catch (const std::exception& e) {
                    // Whatever was applied to the decision copy may not match the store: start it
                    // afresh, and answer the whole group (nobody may wait for ever on a leader).
                    m_store.endWriteTurn();
                    m_decideState.reset();
                    for (Pending* p : group) {
                        p->out.previous.reset();
                        p->out.result = makeError(ErrorCode::Internal, std::string("command failed: ") + e.what());
                    }
                }
            }
            Wakes wakes(self);
            queue.lock();
            m_leaderActive = false;
            for (Pending* p : group) {
                p->done = true;
                wakes.add(p->waiter);
            }
            wakeNextLeader(wakes);
            queue.unlock();
            wakes.send();
            queue.lock();
        }
    }
    queue.unlock();
    // Wakes decided for this caller may still be on their way: its Waiter must outlive them.
    while (self.inFlight.load(std::memory_order_acquire) != 0) std::this_thread::yield();
}

void CommandExecutor::wakeNextLeader(Wakes& wakes) {
    if (!m_queue.empty()) wakes.add(m_queue.front()->waiter);
}

void CommandExecutor::waitApplyTurn(std::unique_lock<std::mutex>& queue, Waiter& self, std::uint64_t turn) {
    if (m_applied + 1 == turn) return;
    m_applyWaiters.emplace(turn, &self);
    self.wake.wait(queue, [&] { return m_applied + 1 == turn; });
    m_applyWaiters.erase(turn);
}

void CommandExecutor::finishTurn(const Group& group, std::uint64_t turn, Wakes& wakes) {
    for (Pending* p : group.members) {
        p->done = true;
        wakes.add(p->waiter);
    }
    m_applied = turn;
    if (auto next = m_applyWaiters.find(turn + 1); next != m_applyWaiters.end()) wakes.add(next->second);
}

void CommandExecutor::leadPipelined(std::unique_lock<std::mutex>& queue, Waiter& self, const std::vector<Pending*>& mine) {
    m_leaderActive = true;
    Group group;
    // Deciding: take what is queued and decide it on top of the group that is committing; keep
    // taking what queues meanwhile, until the commit turn is free (or the group is full).
    for (;;) {
        std::vector<Pending*> taken;
        while (!m_queue.empty() && group.members.size() + taken.size() < kMaxGroup) {
            taken.push_back(m_queue.front());
            taken.back()->taken = true;
            m_queue.pop_front();
        }
        if (!taken.empty()) {
            const bool first = group.members.empty();
            if (first) group.epoch = m_failures;
            m_deciding += taken.size();
            group.members.insert(group.members.end(), taken.begin(), taken.end());
            queue.unlock();
            try {
                // A copy left by a group whose commit failed: take it afresh. The failure was
                // recorded in that group's apply turn, when every group before it was applied,
                // and every group decided before it was recorded fails too: the live state is
                // all that is committed.
                if (first && m_decideState && m_decideEpoch != group.epoch) {
                    m_decideState.reset();
                    m_inFlightKeys.clear();
                }
                if (!group.failed) decideInto(group, taken);
            } catch (const std::exception& e) {
                group.failed = makeError(ErrorCode::Internal, std::string("command failed: ") + e.what());
            }
            queue.lock();
            continue;
        }
        const bool ours = std::all_of(mine.begin(), mine.end(), [](const Pending* p) { return p->done; });
        if (group.members.empty() && (ours || !m_committing)) {
            // Nothing to lead: ours are done (or in the group committing, which answers them).
            m_leaderActive = false;
            Wakes wakes(self);
            wakeNextLeader(wakes);
            queue.unlock();
            wakes.send();
            queue.lock();
            return;
        }
        if (!m_committing && !group.members.empty()) break;
        m_leaderWaiting = true;
        m_leaderNotified = false;
        m_leaderWake.wait(queue);
        m_leaderWaiting = false;
    }

    // The commit turn: the group before has written (or failed, and was recorded in its apply
    // turn). This group's place in the apply order is taken with it.
    m_committing = true;
    m_deciding -= group.members.size();
    const std::uint64_t turn = ++m_turns;
    std::optional<Error> fail = group.failed;
    if (!fail && group.epoch != m_failures) fail = m_lastFailure; // decided on top of a failed group
    if (fail) {
        // Nothing of this group may be committed. The decision copy holds its effects (and maybe
        // a failed group's): the next leader takes it afresh from the live state, so this one
        // keeps the commit turn and the leadership until every group before it is applied.
        waitApplyTurn(queue, self, turn);
        m_decideState.reset();
        m_inFlightKeys.clear();
        for (Pending* p : group.members) {
            p->out.previous.reset();
            p->out.result = *fail;
        }
        m_committing = false;
        m_leaderActive = false;
        Wakes wakes(self);
        finishTurn(group, turn, wakes);
        wakeNextLeader(wakes);
        queue.unlock();
        wakes.send();
        queue.lock();
        return;
    }
    m_inFlightKeys.clear();
    for (const auto& [key, batch] : group.keys) m_inFlightKeys.emplace(key, *group.batches[batch].idempotency);
    m_leaderActive = false; // the next leader decides on top of this group while it commits
    {
        Wakes wakes(self);
        wakeNextLeader(wakes);
        queue.unlock();
    }

    Result<std::vector<std::vector<std::int64_t>>> ids = std::vector<std::vector<std::int64_t>>{};
    try {
        ids = writeDecided(group);
    } catch (const std::exception& e) {
        // Whatever the store holds now, nobody may wait for ever.
        ids = makeError(ErrorCode::Internal, std::string("command failed: ") + e.what());
        for (Pending* p : group.members) {
            p->out.previous.reset();
            p->out.result = ids.error();
        }
    }
    queue.lock();
    // Written: the next group may write while this one waits for its apply turn and is applied.
    // A failed one keeps the commit turn until its apply turn, where the failure is recorded.
    bool turnFree = false;
    if (ids) {
        m_committing = false;
        turnFree = true;
    }
    const auto wakeLeader = [&] {
        if (!turnFree || !m_leaderWaiting || m_leaderNotified) return false;
        m_leaderNotified = true;
        return true;
    };
    if (wakeLeader()) {
        queue.unlock();
        m_leaderWake.notify_one();
        queue.lock();
    }
    turnFree = false; // told once
    waitApplyTurn(queue, self, turn);
    if (ids) {
        queue.unlock();
        try {
            applyCommitted(group, ids.value());
        } catch (const std::exception& e) {
            // Committed, but not (wholly) in memory. The groups after it were decided on a copy
            // that holds it, as the disk does, so they stand; these callers learn of the fault.
            logLine("command", {{"error", "internal"}, {"detail", std::string("applying a committed group: ") + e.what()}});
            for (Pending* p : group.members) {
                p->out.previous.reset();
                p->out.result = makeError(ErrorCode::Internal, std::string("command failed: ") + e.what());
            }
        }
        queue.lock();
    } else {
        // Every group before this one is applied now: the group decided on top of this one
        // fails, and the one after takes the decision copy afresh from a complete live state.
        ++m_failures;
        m_lastFailure = ids.error();
        m_committing = false;
        turnFree = true;
    }
    Wakes wakes(self);
    finishTurn(group, turn, wakes);
    const bool leaderToo = wakeLeader();
    queue.unlock();
    wakes.send();
    if (leaderToo) m_leaderWake.notify_one();
    queue.lock();
}

void CommandExecutor::runGroup(std::vector<Pending*>& group) {
    // The retry keys already stored, looked up for the whole group at once, inside the turn: no
    // other instance can store one of them until this group is committed.
    std::vector<std::string> lookups;
    for (Pending* p : group)
        if (p->once) lookups.push_back(p->idempotency->key);
    // The store's write turn: other instances' commands wait until this group is committed, and
    // what they committed before is applied here first. (PostgreSQL: turn and look-up are one
    // round trip.)
    const std::int64_t known = m_state.read([](const StateView& v) { return v.eventId; });
    auto turn = m_store.beginWriteTurn(known, lookups);
    Status caughtUp = Ok{};
    if (turn && !turn->missed.empty()) {
        m_decideState.reset();
        caughtUp = applyStored(turn->missed);
    }
    if (!turn || !caughtUp) {
        m_store.endWriteTurn();
        for (Pending* p : group) p->out.result = turn ? caughtUp.error() : turn.error();
        return;
    }
    Group decided;
    decided.members = group;
    decideInto(decided, group, &turn->storedKeys);
    if (decided.batches.empty()) {
        m_store.endWriteTurn();
        return; // nothing to write: every answer stands as decided
    }
    // Nothing was written on a failure: the next group is decided on the committed state again.
    if (!commitDecided(decided)) m_decideState.reset();
}

void CommandExecutor::decideInto(Group& group, const std::vector<Pending*>& commands,
                                  Result<std::vector<IdempotencyRecord>>* turnKeys) {
    if (!m_decideState) {
        m_decideState = std::make_unique<HallState>(m_state.read([](const StateView& v) { return v.state; }));
        m_decideEpoch = group.epoch;
    }
    HallState& state = *m_decideState;
    std::vector<CommitBatch>& batches = group.batches;
    // The retry keys already stored: a shared store looked them up in the write turn (no other
    // instance can store one of them until this group is committed); otherwise they are looked
    // up here for these commands at once. Keys of this group or of the group committing
    // meanwhile are not in the store yet.
    Result<std::vector<IdempotencyRecord>> storedKeys = std::vector<IdempotencyRecord>{};
    if (turnKeys) {
        storedKeys = std::move(*turnKeys);
    } else {
        std::vector<std::string> lookups;
        for (Pending* p : commands)
            if (p->once && !group.keys.count(p->idempotency->key) && !m_inFlightKeys.count(p->idempotency->key))
                lookups.push_back(p->idempotency->key);
        if (!lookups.empty()) storedKeys = m_store.findIdempotencies(lookups);
    }
    std::map<std::string, IdempotencyRecord> stored;
    if (storedKeys)
        for (IdempotencyRecord& r : storedKeys.value()) {
            std::string key = r.key;
            stored.emplace(std::move(key), std::move(r));
        }

    for (Pending* p : commands) {
        p->at = m_clock.now();
        if (p->once) {
            const std::string& key = p->idempotency->key;
            if (auto it = group.keys.find(key); it != group.keys.end()) {
                p->out.previous = *batches[it->second].idempotency; // an earlier command of this group has the key
                p->rejected = true;
                continue;
            }
            if (auto it = m_inFlightKeys.find(key); it != m_inFlightKeys.end()) {
                p->out.previous = it->second; // the group committing now stores it (if it fails, so does this one)
                p->rejected = true;
                continue;
            }
            if (!storedKeys || stored.count(key)) {
                if (!storedKeys) p->out.result = storedKeys.error();
                else p->out.previous = stored.at(key);
                p->rejected = true;
                continue;
            }
        }
        auto decided = decide(state, *p->command, p->at);
        m_metrics.command(!decided);
        if (!decided) {
            logLine("command", {{"command", commandName(*p->command)}, {"error", errorCodeName(decided.error().code)}});
            p->out.result = decided.error();
            p->rejected = true;
            continue;
        }
        Executed out{std::move(decided.value()), {}, p->at};
        if (out.events.empty()) {
            p->out.result = std::move(out);
            p->rejected = true;
            continue;
        }
        CommitBatch batch;
        if (std::holds_alternative<DayStarted>(out.events.front())) {
            batch.purgeBeforeFirstEvent = true;
            if (state.dayStarted())
                for (const Ticket& t : state.tickets())
                    batch.finishedDay.push_back(visitRecordOf(state, t, m_clock.utcOffsetAt(t.issuedAt)));
            batch.finishedDoorAnswers = doorAnswerDays(state);
        }
        // Each event is written against the configuration the events before it left, and the next
        // command of the group is decided on the state this one leaves.
        bool configured = false;
        for (const Event& e : out.events) {
            batch.events.emplace_back(eventTypeName(e), proto::eventToJson(state.config(), e).dump());
            p->involved.push_back(counterOfEvent(state, e));
            state.apply(e);
            configured = configured || std::holds_alternative<ConfigurationChanged>(e);
        }
        if (configured) batch.configuration = proto::configurationDocument(state.config()).dump();
        batch.today = localDay(p->at);
        batch.at = p->at.t;
        if (p->idempotency) {
            // The ticket the key created (a check-in) or called (a counter's next or call): a retry
            // answers with that ticket as it is then, and never runs the command again.
            for (const Event& e : out.events) {
                if (auto* issued = std::get_if<TicketIssued>(&e)) p->idempotency->response = std::to_string(issued->ticket.id);
                else if (auto* called = std::get_if<TicketCalled>(&e)) p->idempotency->response = std::to_string(called->ticket);
            }
            p->idempotency->day = batch.today;
            batch.idempotency = p->idempotency;
        }
        p->batch = batches.size();
        batches.push_back(std::move(batch));
        if (batches.back().idempotency) group.keys[batches.back().idempotency->key] = p->batch;
        p->out.result = std::move(out);
        group.committing.push_back(p);
    }
}

Status CommandExecutor::commitDecided(Group& group) {
    auto ids = writeDecided(group);
    if (!ids) return ids.error();
    applyCommitted(group, ids.value());
    return Ok{};
}

Result<std::vector<std::vector<std::int64_t>>> CommandExecutor::writeDecided(Group& group) {
    if (group.batches.empty()) return std::vector<std::vector<std::int64_t>>{}; // nothing to write: every answer stands as decided
    auto ids = m_store.commitGroup(group.batches);
    if (!ids) {
        // Nothing was written: every command of the group fails (a refusal decided on top of an
        // uncommitted change fails too, it may not hold).
        for (Pending* p : group.committing)
            logLine("command", {{"command", commandName(*p->command)}, {"error", "store_failed"}, {"detail", ids.error().message}});
        for (Pending* p : group.members) {
            p->out.previous.reset();
            p->out.result = ids.error();
        }
    } else {
        m_metrics.committed(group.committing.size());
    }
    return ids;
}

void CommandExecutor::applyCommitted(Group& group, std::vector<std::vector<std::int64_t>>& ids) {
    for (Pending* p : group.committing) {
        Executed& out = *p->out.result;
        out.ids = std::move(ids[p->batch]);
        // Apply, render and publish under the state's lock: a snapshot's event_id is always an
        // id the stream already knows, so a display that subscribes from it misses nothing.
        m_state.apply(out.events, out.ids.back(), [&](const HallState& live) {
            m_broker.publish(renderEvents(live, {out.events, out.ids, p->involved}, p->at));
            count(live, out.events);
        });
        if (!logEnabled()) continue;
        Json types = Json::array();
        for (const Event& e : out.events) types.push_back(eventTypeName(e));
        logLine("command", {{"command", commandName(*p->command)}, {"events", types}, {"last_event_id", out.ids.back()}});
    }
}

void CommandExecutor::count(const HallState& state, const std::vector<Event>& events) {
    for (const Event& e : events) {
        if (std::holds_alternative<TicketIssued>(e)) m_metrics.ticketIssued();
        if (auto* c = std::get_if<TicketCalled>(&e)) {
            std::optional<std::int64_t> firstWait;
            if (const Ticket* t = state.ticket(c->ticket); t && t->calls == 1)
                firstWait = c->at - waitStartsAt(*t);
            m_metrics.ticketCalled(firstWait);
        }
    }
}

} // namespace loket::server
