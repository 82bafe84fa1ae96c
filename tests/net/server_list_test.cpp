// Failover between instances of the hall server (issue 14): the list sticks to the address that
// works, moves on when it fails, and the HTTP client and the event stream of one device share it:
// a request tries every address before it fails, a stream resumes on the other instance with
// Last-Event-ID. Scripted peers on loopback; a stopped peer is an instance killed (its port refuses).
#include "shared/net/event_stream_client.hpp"
#include "shared/net/http_client.hpp"
#include "shared/net/server_list.hpp"

#include "scripted_peer.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using loket::ErrorCode;
using loket::net::EventStreamCallbacks;
using loket::net::EventStreamClient;
using loket::net::EventStreamOptions;
using loket::net::HttpClient;
using loket::net::HttpOptions;
using loket::net::makeServerList;
using loket::net::RequestOptions;
using loket::net::ServerEndpoint;
using loket::net::ServerList;
using loket::net::SseEvent;
using loket::net::StreamState;
using namespace std::chrono_literals;

namespace {

// An address nothing listens on any more (a peer started and stopped: the port refuses).
std::string deadAddress() {
    ScriptedPeer gone;
    gone.start();
    const std::string url = gone.url();
    gone.stop();
    return url;
}

// A peer that answers GET /ping with its own name and counts the requests it saw.
struct NamedPeer {
    ScriptedPeer peer;
    std::atomic<int> hits{0};
    explicit NamedPeer(const std::string& name, int status = 200) {
        peer.server.Get("/ping", [this, name, status](const httplib::Request&, httplib::Response& res) {
            ++hits;
            res.status = status;
            res.set_content("\"" + name + "\"", "application/json");
        });
        peer.server.Post("/act", [this, status](const httplib::Request&, httplib::Response& res) {
            ++hits;
            res.status = status;
            res.set_content("{}", "application/json");
        });
        peer.start();
    }
};

// An instance killed with a request in flight: it accepts the connection, reads the whole request
// and goes away without answering (the client cannot know whether it acted).
class DiesMidRequest {
public:
    DiesMidRequest() {
        m_fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        REQUIRE(bind(m_fd, reinterpret_cast<sockaddr*>(&addr), len) == 0);
        REQUIRE(listen(m_fd, 8) == 0);
        REQUIRE(getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~DiesMidRequest() {
        m_stop = true;
        m_thread.join();
        close(m_fd);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int requests() const { return m_requests; }

private:
    void serve() {
        while (!m_stop) {
            pollfd p{m_fd, POLLIN, 0};
            if (poll(&p, 1, 20) <= 0) continue;
            const int c = accept(m_fd, nullptr, nullptr);
            if (c < 0) continue;
            std::string got;
            char buf[4096];
            // The head and the (small, one-read) body: the request has arrived whole.
            while (got.find("\r\n\r\n") == std::string::npos || got.substr(got.find("\r\n\r\n") + 4).size() < 2) {
                const ssize_t n = read(c, buf, sizeof buf);
                if (n <= 0) break;
                got.append(buf, static_cast<std::size_t>(n));
            }
            ++m_requests;
            close(c);
        }
    }
    int m_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_requests{0};
    std::thread m_thread;
};

HttpOptions onList(std::shared_ptr<ServerList> list) {
    HttpOptions options;
    options.connectTimeout = 1000ms;
    options.timeout = 2000ms;
    options.servers = std::move(list);
    return options;
}

} // namespace

TEST_CASE("failover: the list sticks to the address in use and moves on, round the list, when it fails") {
    ServerList list({{"http://a", {}}, {"http://b", {}}, {"http://c", {"ca.pem", ""}}});
    CHECK(list.current().endpoint.url == "http://a");
    CHECK(list.reportFailure(1) == 0); // b is not in use: nothing moves
    CHECK(list.reportFailure(0) == 1);
    CHECK(list.reportFailure(0) == 1); // a second thread that saw a fail too: still b, not c
    CHECK(list.reportFailure(1) == 2);
    CHECK(list.current().endpoint.tls.caFile == "ca.pem"); // each address keeps its own trust
    CHECK(list.reportFailure(2) == 0);
    CHECK(list.moves() == 3);
    ServerList one(std::vector<ServerEndpoint>{{"http://only", {}}});
    CHECK(one.reportFailure(0) == 0);
    CHECK(one.moves() == 0);
}

TEST_CASE("failover: which failures move on: no answer and a proxy's 502/503/504, not an API refusal") {
    CHECK(loket::net::movesOn(0));
    CHECK(loket::net::movesOn(502));
    CHECK(loket::net::movesOn(503));
    CHECK(loket::net::movesOn(504));
    CHECK_FALSE(loket::net::movesOn(401));
    CHECK_FALSE(loket::net::movesOn(409));
    CHECK_FALSE(loket::net::movesOn(500));
}

TEST_CASE("failover: a request finds the first address gone, is served by the second, and the next one goes there directly") {
    NamedPeer b("b");
    auto list = makeServerList({deadAddress(), {}}, {{b.peer.url(), {}}});
    HttpClient client(onList(list));
    auto reply = client.get("/ping");
    REQUIRE(reply);
    CHECK(reply->body == "\"b\"");
    CHECK(list->current().index == 1);
    REQUIRE(client.get("/ping"));
    CHECK(b.hits == 2);
    CHECK(list->moves() == 1); // it stays with b
}

TEST_CASE("failover: an instance that answers 503 is left for the next, an API refusal is final") {
    NamedPeer a("a", 503), b("b");
    auto list = makeServerList({a.peer.url(), {}}, {{b.peer.url(), {}}});
    HttpClient client(onList(list));
    auto reply = client.get("/ping");
    REQUIRE(reply);
    CHECK(reply->body == "\"b\"");
    CHECK(a.hits == 1);

    NamedPeer refusing("c", 409), d("d");
    auto second = makeServerList({refusing.peer.url(), {}}, {{d.peer.url(), {}}});
    HttpClient other(onList(second));
    CHECK_FALSE(other.get("/ping"));
    CHECK(d.hits == 0);
    CHECK(second->current().index == 0);
}

TEST_CASE("failover: with every address gone the request fails once each was tried (the device is offline)") {
    auto list = makeServerList({deadAddress(), {}}, {{deadAddress(), {}}});
    HttpClient client(onList(list));
    auto reply = client.get("/ping");
    REQUIRE_FALSE(reply);
    CHECK(reply.error().code == ErrorCode::Unavailable);
    CHECK(list->moves() == 2); // both were tried, in order, and it is back at the first
    CHECK(list->current().index == 0);
}

TEST_CASE("failover: a POST without an idempotency key is not repeated elsewhere once it reached an instance") {
    NamedPeer a("a", 503), b("b");
    auto list = makeServerList({a.peer.url(), {}}, {{b.peer.url(), {}}});
    HttpClient client(onList(list));
    CHECK_FALSE(client.post("/act", "{}"));
    CHECK(a.hits == 1);
    CHECK(b.hits == 0);
    CHECK(list->current().index == 1); // but the next request goes to b
    REQUIRE(client.post("/act", "{}", RequestOptions{"key-1"}));
    CHECK(b.hits == 1);
    // With a key (the server answers a repeat with the first result) it moves on at once.
    auto back = makeServerList({a.peer.url(), {}}, {{b.peer.url(), {}}});
    HttpClient keyed(onList(back));
    REQUIRE(keyed.post("/act", "{}", RequestOptions{"key-2"}));
    CHECK(b.hits == 2);
}

TEST_CASE("failover: a repeatable POST (a heartbeat) whose instance went away with it in flight is sent to the next one") {
    DiesMidRequest dying;
    NamedPeer b("b");
    // Unmarked, a POST that reached the instance is not repeated: it may have acted.
    auto first = makeServerList({dying.url(), {}}, {{b.peer.url(), {}}});
    HttpClient plain(onList(first));
    CHECK_FALSE(plain.post("/act", "{}"));
    REQUIRE(plain.lastFailure());
    CHECK(plain.lastFailure()->requestSent);
    CHECK(dying.requests() == 1);
    CHECK(b.hits == 0);
    // Marked repeatable (the same when it arrives twice), failover sends it to b at once.
    auto second = makeServerList({dying.url(), {}}, {{b.peer.url(), {}}});
    HttpClient client(onList(second));
    RequestOptions repeatable;
    repeatable.repeatable = true;
    REQUIRE(client.post("/act", "{}", repeatable));
    CHECK(dying.requests() == 2);
    CHECK(b.hits == 1);
    CHECK(second->current().index == 1);
}

TEST_CASE("failover: an event stream whose instance goes away resumes on the other with Last-Event-ID, at once") {
    struct Instance {
        Gate quit; // before the peer: its handlers use it until the peer has stopped
        ScriptedPeer peer;
        std::mutex mutex;
        std::vector<std::string> lastIds;
        Instance(int firstId, int count) {
            peer.server.Get("/api/v1/events", [this, firstId, count](const httplib::Request& req, httplib::Response& res) {
                {
                    std::lock_guard lock(mutex);
                    lastIds.push_back(req.get_header_value("Last-Event-ID"));
                }
                res.set_chunked_content_provider("text/event-stream", [this, firstId, count](size_t, httplib::DataSink& sink) {
                    for (int id = firstId; id < firstId + count; ++id) {
                        const std::string ev = "id: " + std::to_string(id) + "\nevent: ticket.called\ndata: {}\n\n";
                        sink.write(ev.data(), ev.size());
                    }
                    quit.holdWhile([&] { return sink.is_writable(); });
                    return false;
                });
            });
            peer.start();
        }
        std::vector<std::string> seen() {
            std::lock_guard lock(mutex);
            return lastIds;
        }
    };
    Instance a(1, 3), b(4, 2);
    auto list = makeServerList({a.peer.url(), {}}, {{b.peer.url(), {}}});
    std::mutex mutex;
    std::vector<std::string> ids;
    EventStreamCallbacks callbacks;
    callbacks.onEvent = [&](const SseEvent& ev) {
        std::lock_guard lock(mutex);
        ids.push_back(ev.id);
    };
    EventStreamOptions options;
    options.servers = list;
    options.lastEventId = "0";
    options.initialBackoff = 2000ms; // failover must not wait for it
    options.maxBackoff = 4000ms;
    EventStreamClient stream(options, callbacks);
    stream.start();
    auto count = [&] {
        std::lock_guard lock(mutex);
        return ids.size();
    };
    REQUIRE(waitFor([&] { return count() == 3; }));
    CHECK(stream.serverUrl() == a.peer.url());
    const auto killedAt = std::chrono::steady_clock::now();
    a.quit.open();
    a.peer.stop(); // instance A is gone
    REQUIRE(waitFor([&] { return count() == 5; }));
    CHECK(std::chrono::steady_clock::now() - killedAt < 1500ms); // no backoff wait on the way
    CHECK(stream.serverUrl() == b.peer.url());
    REQUIRE(b.seen().size() == 1);
    CHECK(b.seen()[0] == "3"); // resumed after the last event A delivered
    {
        std::lock_guard lock(mutex);
        CHECK(ids == std::vector<std::string>{"1", "2", "3", "4", "5"});
    }
    CHECK(list->current().index == 1);
    stream.stop();
    b.quit.open();
}
