// EventBroker: fans the hall's events out to Server-Sent Events streams. Keeps the recent events
// (already rendered for each audience) in a ring, so a client that reconnects with Last-Event-ID
// gets exactly what it missed; older than the ring, it is told to reset. Streams wait on a
// condition variable and never hold the hall's lock.
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace loket::server {

// Who reads a stream. Each gets its own payload of an event (event_renderer.hpp): staff
// (counter, admin) everything; displays and kiosks, in the hall for anyone to see, only what a
// screen shows (audience_json.hpp).
enum class StreamAudience : std::size_t { Staff, Public };
constexpr std::size_t kStreamAudiences = 2;

struct SseMessage {
    std::int64_t id = 0;          // 0: not resumable (device.updated), sent without an id line
    std::string type;             // "ticket.called"
    // JSON per StreamAudience; empty: not sent to that audience.
    std::array<std::string, kStreamAudiences> data;
    bool published = true;        // internal events keep their id in the ring but are not sent
    const std::string& dataFor(StreamAudience a) const { return data[static_cast<std::size_t>(a)]; }
};

class EventBroker {
public:
    // 4,096 events is a busy hall's hour or more; a display away longer reloads the snapshot.
    // (Each event is kept rendered per audience, about 1.5 KB: the ring is the server's largest memory.)
    explicit EventBroker(std::size_t capacity = 4096) : m_capacity(capacity) {}

    void publish(std::vector<SseMessage> messages);
    // The first id a fresh subscriber should not replay (everything up to now is in the snapshot).
    std::int64_t lastId() const;
    void setBaseline(std::int64_t lastId); // after recovery: ids up to here exist but are not in the ring

    struct Fetch {
        bool reset = false;                 // the client must reload /api/v1/hall
        bool stopped = false;               // the server is shutting down
        std::vector<SseMessage> messages;   // after `afterId`, in order
        std::int64_t cursor = 0;            // resume from here next time
    };
    // Waits up to `timeout` for messages after `afterId` (and device messages after `afterSeq`).
    Fetch waitAfter(std::int64_t afterId, std::uint64_t& afterSeq, std::chrono::milliseconds timeout);
    std::uint64_t currentSeq() const;
    void shutdown();
    // Called after every publish, outside the lock (the StreamHub wakes its thread with it).
    void setOnPublish(std::function<void()> onPublish);
    int subscribers() const;
    void subscribe(int delta);

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::pair<std::uint64_t, SseMessage>> m_ring; // seq, message
    std::uint64_t m_seq = 0;
    std::int64_t m_lastId = 0;
    std::int64_t m_firstKeptId = 1;  // ids below this are no longer in the ring
    std::size_t m_capacity;
    bool m_stopped = false;
    int m_subscribers = 0;
    std::function<void()> m_onPublish;
};

} // namespace loket::server
