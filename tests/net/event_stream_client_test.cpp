#include "shared/net/event_stream_client.hpp"

#include "scripted_peer.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <vector>

using loket::net::EventStreamCallbacks;
using loket::net::EventStreamClient;
using loket::net::EventStreamOptions;
using loket::net::SseEvent;
using loket::net::StreamState;
using namespace std::chrono_literals;

namespace {

struct Recorder {
    std::mutex mutex;
    std::vector<SseEvent> events;
    std::atomic<int> heartbeats{0};
    std::atomic<int> disconnects{0};

    EventStreamCallbacks callbacks() {
        EventStreamCallbacks cb;
        cb.onEvent = [this](const SseEvent& ev) {
            std::lock_guard lock(mutex);
            events.push_back(ev);
        };
        cb.onHeartbeat = [this] { ++heartbeats; };
        cb.onState = [this](StreamState s, const std::string&) {
            if (s == StreamState::Disconnected) ++disconnects;
        };
        return cb;
    }
    std::size_t count() {
        std::lock_guard lock(mutex);
        return events.size();
    }
};

EventStreamOptions fastOptions(const std::string& url) {
    EventStreamOptions o;
    o.baseUrl = url;
    o.token = "demo-display-token";
    o.initialBackoff = 20ms;
    o.maxBackoff = 100ms;
    return o;
}

// A stream that says hello once and then stays silent until `quit`.
void serveSilentStream(ScriptedPeer& peer, Gate& quit, std::atomic<int>& connects) {
    peer.server.Get("/api/v1/events", [&](const httplib::Request&, httplib::Response& res) {
        ++connects;
        res.set_chunked_content_provider("text/event-stream", [&](size_t, httplib::DataSink& sink) {
            std::string hello = ": connected\n\n";
            sink.write(hello.data(), hello.size());
            quit.holdWhile([&] { return sink.is_writable(); });
            return false;
        });
    });
}

} // namespace

TEST_CASE("events: the stream delivers events and heartbeats, then resumes after a drop with Last-Event-ID") {
    Gate quit; // before the peer: its handlers use it until the peer has stopped
    ScriptedPeer peer;
    std::mutex mutex;
    std::vector<std::string> lastIds;
    std::vector<std::string> auths;
    peer.server.Get("/api/v1/events", [&](const httplib::Request& req, httplib::Response& res) {
        std::string lastId = req.get_header_value("Last-Event-ID");
        {
            std::lock_guard lock(mutex);
            lastIds.push_back(lastId);
            auths.push_back(req.get_header_value("Authorization"));
        }
        res.set_chunked_content_provider("text/event-stream", [&, lastId](size_t, httplib::DataSink& sink) {
            if (lastId.empty()) {
                // First connection: two events and a heartbeat, then the connection drops.
                std::string out = ": hello\n\nid: 1\nevent: ticket.called\ndata: {\"n\":1}\n\nid: 2\nevent: ticket.called\ndata: {\"n\":2}\n\n";
                sink.write(out.data(), out.size());
                return false;
            }
            std::string out = "id: 3\nevent: ticket.recalled\ndata: {\"n\":3}\n\n";
            sink.write(out.data(), out.size());
            quit.holdWhile([&] { return sink.is_writable(); });
            sink.done();
            return true;
        });
    });
    peer.start();
    Recorder rec;
    {
        EventStreamClient client(fastOptions(peer.url()), rec.callbacks());
        client.start();
        REQUIRE(waitFor([&] { return rec.count() >= 3; }));
        CHECK(client.lastEventId() == "3");
        CHECK(client.connectCount() >= 2);
        client.stop();
    }
    quit.open();
    std::lock_guard lock(mutex);
    REQUIRE(lastIds.size() >= 2);
    CHECK(lastIds[0].empty());
    CHECK(lastIds[1] == "2");
    CHECK(auths[0] == "Bearer demo-display-token");
    CHECK(rec.events[0].data == "{\"n\":1}");
    CHECK(rec.events[2].type == "ticket.recalled");
    CHECK(rec.heartbeats >= 1);
    CHECK(rec.disconnects >= 1);
}

TEST_CASE("events: a stream that goes silent is treated as dead and reconnected") {
    Gate quit; // before the peer: its handlers use it until the peer has stopped
    ScriptedPeer peer;
    std::atomic<int> connects{0};
    serveSilentStream(peer, quit, connects);
    peer.start();
    Recorder rec;
    auto options = fastOptions(peer.url());
    options.stallTimeout = 200ms;
    EventStreamClient client(options, rec.callbacks());
    client.start();
    CHECK(waitFor([&] { return connects >= 2; }));
    client.stop();
    quit.open();
}

TEST_CASE("events: stop() returns promptly, connected or waiting to reconnect") {
    Gate quit; // before the peer: its handlers use it until the peer has stopped
    ScriptedPeer peer;
    std::atomic<int> connects{0};
    serveSilentStream(peer, quit, connects);
    peer.start();
    Recorder rec;
    EventStreamClient connected(fastOptions(peer.url()), rec.callbacks());
    connected.start();
    REQUIRE(waitFor([&] { return connected.state() == StreamState::Connected; }));
    auto t0 = std::chrono::steady_clock::now();
    connected.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 300ms);
    CHECK(connected.state() == StreamState::Stopped);
    quit.open();

    const std::string url = peer.url();
    peer.stop();
    auto options = fastOptions(url);
    options.initialBackoff = 10000ms;
    options.maxBackoff = 10000ms;
    EventStreamClient waiting(options, rec.callbacks());
    waiting.start();
    REQUIRE(waitFor([&] { return waiting.state() == StreamState::Disconnected; }));
    t0 = std::chrono::steady_clock::now();
    waiting.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 300ms);
}
