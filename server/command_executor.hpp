// CommandExecutor: the server's one writer. Commands go through the core's command handler;
// their events are committed to the EventStore before the state changes and before anyone is
// answered, then applied to the LiveState, rendered for each audience and published to the
// EventBroker. It is the only part that writes hall data to the store.
//
// Group commit: commands that arrive while a commit is running wait in a queue; the next
// leader takes them all as one group. Each is decided, in arrival order, against a private
// copy of the state as the earlier ones of the group left it (readers never see an uncommitted
// change); then the whole group's events and retry keys go to the store in ONE transaction
// (one fsync), and only after that commit are they applied, published and answered, in order.
// A failed commit fails every command of the group with that error; the private copy is
// reset from the live state, so memory and disk still agree and the next group works.
//
// One writer (SQLite, EventStore::singleWriter): the groups are pipelined. While group N's
// transaction commits (its fsync), the next leader already decides group N+1 on the decision
// copy, which then holds N's still-uncommitted effects, and looks retry keys up in N's keys
// before the store's; N+1 takes the commit turn (writes) as soon as N's commit returned, while
// N is still being applied. Applying, publishing and answering have a turn of their own, in
// commit order: N+1 is applied only after N, and nobody is answered before its own group is
// committed and applied. If N's commit fails, every group decided on top of it fails with the
// same error (its numbers, refusals and replays all assumed N) and is not committed; the
// failure is recorded in N's apply turn (every group before N is applied by then), so the
// decision copy taken afresh from the live state holds everything committed, and the next
// group works.
//
// Wakes: a waiting caller has a condition of its own and is woken only when one of its
// commands is done or when it should lead (its commands are first in the queue and the
// leadership came free); the deciding leader is woken when a command queues or the commit turn
// comes free. Nobody waits on a timer.
//
// Several instances on one store (PostgreSQL): each group runs inside the store's write turn,
// which serialises the hall's commands across instances; the events other instances committed
// since this one's last are applied (and published) first, so every decision is made on the
// whole log. catchUp does the same between commands, when the store announces a commit.
#pragma once

#include "event_broker.hpp"
#include "event_store.hpp"
#include "hall_clock.hpp"
#include "live_state.hpp"
#include "metrics.hpp"
#include "server_config.hpp"

#include "shared/core/command_handler.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>

namespace loket::server {

struct Executed {
    std::vector<core::Event> events;  // empty: nothing to do (e.g. nobody waiting for "next")
    std::vector<std::int64_t> ids;
    core::Now at;
};

class CommandExecutor {
public:
    CommandExecutor(const ServerConfig& config, EventStore& store, LiveState& state, EventBroker& broker,
                    HallClock& clock, Metrics& metrics);

    // Replays the stored events into the state and the broker's ring; call once before serving
    // (the pipeline does not take the writer lock: nothing may execute during a recovery).
    Status recover();
    // Applies and publishes the events other instances committed since the last one applied
    // (a shared store's commit announcement calls it). Nothing to do on a single-writer store.
    Status catchUp();

    // One command through the core, durably. `idempotency` is stored in the same transaction.
    Result<Executed> execute(const core::Command& command, std::optional<IdempotencyRecord> idempotency = {});
    // For a request with an Idempotency-Key (a check-in, a staff action): look the key up and run
    // the command under the same writer lock, so two retries of one request can never both create
    // a ticket or call a visitor. Only a command that changed something stores its key.
    struct Idempotent {
        std::optional<IdempotencyRecord> previous;
        Result<Executed> result = Executed{};
    };
    Idempotent executeOnce(const core::Command& command, IdempotencyRecord record);
    // Several commands in order as one group: decided one by one (each sees the ones before it),
    // committed in ONE transaction (one fsync), and answered one by one. For uploads of many
    // entries (the offline kiosk's journal); up to kMaxGroup commands share the transaction.
    std::vector<Result<Executed>> executeBatch(const std::vector<core::Command>& commands);

    // Commands queued or being decided for the next group (not counting the one being committed).
    std::size_t waiting() {
        std::lock_guard queue(m_queueMutex);
        return m_queue.size() + m_deciding;
    }

    // The most commands one transaction takes (the rest form the next group).
    static constexpr std::size_t kMaxGroup = 256;

private:
    struct Pending;
    struct Group;
    struct Waiter;
    class Wakes;
    Idempotent submit(const core::Command& command, std::optional<IdempotencyRecord> idempotency, bool once);
    // Queues `mine` (consecutively) and leads or waits until every one of them is done.
    void submitAll(const std::vector<Pending*>& mine);
    // A shared store: one group at a time, decided and committed inside the store's write turn.
    void runGroup(std::vector<Pending*>& group);
    // A single-writer store: decides the next group while the one before commits, then commits
    // it and applies it in its turn (the pipeline above). Called with the queue locked and no
    // leader active; returns with it locked.
    void leadPipelined(std::unique_lock<std::mutex>& queue, Waiter& self, const std::vector<Pending*>& mine);
    // The pipeline's apply turn: waits (on `self`) until every group committed before `turn` is
    // applied. Queue locked.
    void waitApplyTurn(std::unique_lock<std::mutex>& queue, Waiter& self, std::uint64_t turn);
    // Marks the members done, ends `turn`'s apply turn and adds who must act now to `wakes`:
    // the members' callers and the group whose turn is next. Queue locked.
    void finishTurn(const Group& group, std::uint64_t turn, Wakes& wakes);
    // Adds the caller of the first queued command to `wakes` (it leads next). Queue locked and
    // no leader active.
    void wakeNextLeader(Wakes& wakes);
    // Decides `commands` (already in `group.members`) on m_decideState, in order, after the
    // ones the group holds; retry keys are looked up in the group, in m_inFlightKeys, then in
    // the store (or taken from `turnKeys`, what a shared store's write turn looked up).
    void decideInto(Group& group, const std::vector<Pending*>& commands,
                    Result<std::vector<IdempotencyRecord>>* turnKeys = nullptr);
    // Commits a decided group, then applies and publishes it; on a failed commit every member
    // is answered with the error, which is returned.
    Status commitDecided(Group& group);
    // The group's batches in one transaction (none: nothing to write); on failure every member
    // is answered with the error.
    Result<std::vector<std::vector<std::int64_t>>> writeDecided(Group& group);
    // Applies, renders and publishes a committed group in order, under the state's lock, and
    // completes its answers with the events' ids.
    void applyCommitted(Group& group, std::vector<std::vector<std::int64_t>>& ids);
    // Applies stored events (a replay, or another instance's commits) one by one, rendered
    // against the state each produced, and publishes them. Under m_writeMutex.
    Status applyStored(const std::vector<StoredEvent>& stored);
    void count(const core::HallState& state, const std::vector<core::Event>& events);

    const ServerConfig& m_config;
    EventStore& m_store;
    LiveState& m_state;
    EventBroker& m_broker;
    HallClock& m_clock;
    Metrics& m_metrics;
    std::mutex m_writeMutex; // one group (or the recovery, a catch-up) at a time; the pipeline orders its groups itself

    // The leader's queue: commands waiting for the next group (each with its caller's Waiter).
    std::mutex m_queueMutex;
    std::deque<Pending*> m_queue;
    bool m_leaderActive = false;
    // The pipeline (single-writer store), under m_queueMutex: commands the leader took and is
    // deciding; whether a group holds the commit turn (its write; a failed one until its apply
    // turn); failed commits so far, and the last one's error (what the groups decided on top of
    // it answer).
    std::condition_variable m_leaderWake; // the deciding leader: a command queued, or the turn came free
    bool m_leaderWaiting = false;         // it waits on m_leaderWake
    bool m_leaderNotified = false;        // and has been woken already
    std::size_t m_deciding = 0;
    bool m_committing = false;
    std::uint64_t m_failures = 0;
    Error m_lastFailure{ErrorCode::StoreFailed, ""};
    // The apply turn, under m_queueMutex: groups numbered in commit order as they take the
    // commit turn; the last one applied; who waits for which turn.
    std::uint64_t m_turns = 0;
    std::uint64_t m_applied = 0;
    std::map<std::uint64_t, Waiter*> m_applyWaiters;

    // The state the next group is decided on: the live state's committed fold, then each
    // decided command's events. Only the leader touches it (under m_writeMutex; in the
    // pipeline, only the deciding leader). m_decideEpoch: m_failures when it was copied.
    std::unique_ptr<core::HallState> m_decideState;
    std::uint64_t m_decideEpoch = 0;
    // The retry keys stored by the group that is committing while the next is decided, with
    // their records (the pipeline only; the deciding leader's).
    std::map<std::string, IdempotencyRecord> m_inFlightKeys;
};

} // namespace loket::server
