// tls: the real loket-server over HTTPS with certificates from a test CA; the kiosk's and the
// display's client (loket::net) verifies them; old protocols are refused; SIGHUP reloads.
#include "programs.hpp"
#include "server_process.hpp"
#include "test_ca.hpp"

#include "shared/net/event_stream_client.hpp"
#include "shared/net/http_client.hpp"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <regex>

using namespace loket;
using namespace loket::test;

namespace {

constexpr const char* kDisplayToken = "demo-display-token";

struct TlsHall {
    TempDir dir;
    TestCa ca{dir.path()};
    CertificateFiles serverCert = ca.issue("server");
    std::filesystem::path config;

    // The example hall with [tls]; `extra` goes into the [tls] table.
    explicit TlsHall(const std::string& extra = {}) {
        std::string text = readFile(ServerProcess::defaultConfig());
        text = std::regex_replace(text, std::regex("public_base_url = \"http://localhost:8080\""), "public_base_url = \"https://localhost:8443\"");
        text += "\n[tls]\ncert_file = \"" + serverCert.cert.string() + "\"\nkey_file = \"" + serverCert.key.string() + "\"\n" + extra;
        config = dir.path() / "hall.toml";
        writeFile(config, text);
    }
};

std::string httpsUrl(const ServerProcess& server) { return "https://127.0.0.1:" + std::to_string(server.port()); }

net::HttpClient deviceClient(const ServerProcess& server, net::TlsOptions tls) {
    net::HttpOptions options;
    options.baseUrl = httpsUrl(server);
    options.token = kDisplayToken;
    options.tls = std::move(tls);
    return net::HttpClient(options);
}

// The display's event stream with the display token, trusting `caFile`; started.
std::unique_ptr<net::EventStreamClient> displayStream(const ServerProcess& server, const std::string& caFile) {
    net::EventStreamOptions options;
    options.baseUrl = httpsUrl(server);
    options.token = kDisplayToken;
    options.tls.caFile = caFile;
    auto stream = std::make_unique<net::EventStreamClient>(options, net::EventStreamCallbacks{});
    stream->start();
    return stream;
}

// `openssl s_client` against the server with the given extra arguments; returns {exit code, output}.
std::pair<int, std::string> sClient(const ServerProcess& server, const std::filesystem::path& dir, std::vector<std::string> extra) {
    static int n = 0;
    const auto log = dir / ("s_client-" + std::to_string(++n) + ".log");
    std::vector<std::string> args = {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-brief"};
    args.insert(args.end(), extra.begin(), extra.end());
    const int rc = runProgram(args, log);
    return {rc, readFile(log)};
}

// A bare TLS client connection (OpenSSL, blocking handshake, no certificate check: these tests
// are about the server's connection handling, not about trust): sends raw HTTP, reads what comes.
class TlsRaw {
public:
    explicit TlsRaw(const ServerProcess& server, bool handshake = true) {
        m_fd = connectTo(server);
        if (!handshake) return;
        m_ctx = SSL_CTX_new(TLS_client_method());
        m_ssl = SSL_new(m_ctx);
        SSL_set_fd(m_ssl, m_fd);
        REQUIRE(SSL_connect(m_ssl) == 1);
    }
    ~TlsRaw() {
        if (m_ssl) SSL_free(m_ssl);
        if (m_ctx) SSL_CTX_free(m_ctx);
        if (m_fd >= 0) ::close(m_fd);
    }
    TlsRaw(TlsRaw&& o) noexcept
        : m_fd(std::exchange(o.m_fd, -1)), m_ctx(std::exchange(o.m_ctx, nullptr)), m_ssl(std::exchange(o.m_ssl, nullptr)),
          m_received(std::move(o.m_received)) {}
    TlsRaw(const TlsRaw&) = delete;

    bool send(const std::string& bytes) { return SSL_write(m_ssl, bytes.data(), static_cast<int>(bytes.size())) == static_cast<int>(bytes.size()); }
    // Reads until `needle` arrived, the connection ended or `timeoutMs` passed; all received so far.
    std::string readUntil(const std::string& needle, int timeoutMs = 10000) {
        readWhile([&] { return m_received.find(needle) == std::string::npos; }, timeoutMs);
        return m_received;
    }
    // Reads until `enough(received)` holds; false if the connection ended or the time ran out first.
    bool readUntilTrue(const std::function<bool(const std::string&)>& enough, int timeoutMs = 10000) {
        readWhile([&] { return !enough(m_received); }, timeoutMs);
        return enough(m_received);
    }
    // True once the server closed the connection (within `timeoutMs`).
    bool waitClosed(int timeoutMs = 10000) { return readWhile([] { return true; }, timeoutMs); }
    const std::string& received() const { return m_received; }

private:
    // Reads while `more` holds; true when the connection ended.
    bool readWhile(const std::function<bool()>& more, int timeoutMs) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (more()) {
            if (!m_ssl || SSL_pending(m_ssl) == 0) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
                pollfd p{m_fd, POLLIN, 0};
                if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
            }
            char buffer[8192];
            const int n = m_ssl ? SSL_read(m_ssl, buffer, sizeof buffer) : static_cast<int>(::recv(m_fd, buffer, sizeof buffer, 0));
            if (n <= 0) return true;
            m_received.append(buffer, static_cast<std::size_t>(n));
        }
        return false;
    }
    int m_fd = -1;
    SSL_CTX* m_ctx = nullptr;
    SSL* m_ssl = nullptr;
    std::string m_received;
};

// The server's count of open event streams reaches `count` (read from /metrics over HTTPS).
bool waitForTlsStreams(const ServerProcess& server, const TlsHall& hall, int count) {
    httplib::SSLClient client("127.0.0.1", server.port());
    client.set_ca_cert_path(hall.ca.caFile().c_str());
    client.enable_server_certificate_verification(true);
    const std::string line = "loket_sse_clients " + std::to_string(count) + "\n";
    return waitUntil([&] {
        auto r = client.Get("/metrics");
        return r && r->body.find(line) != std::string::npos;
    });
}

TlsRaw tlsStream(const ServerProcess& server, const std::string& token) {
    TlsRaw c(server);
    REQUIRE(c.send("GET /api/v1/events HTTP/1.1\r\nHost: loket\r\nAuthorization: Bearer " + token + "\r\n\r\n"));
    return c;
}

} // namespace

TEST_CASE("tls: a device client connects over HTTPS and verifies the server against the configured CA or a pinned key") {
    TlsHall hall;
    ServerProcess server(hall.dir.path() / "hall.db", hall.config);

    auto byCa = deviceClient(server, {hall.ca.caFile().string(), ""});
    auto health = byCa.get("/healthz");
    REQUIRE(health.has_value());
    CHECK(health->status == 200);
    CHECK(byCa.get("/api/v1/hall").has_value()); // with the display token

    // A pin of the server's public key (with the CA as well, so the chain is checked too).
    auto pinned = deviceClient(server, {hall.ca.caFile().string(), TestCa::publicKeyPin(hall.serverCert.cert)});
    CHECK(pinned.get("/healthz").has_value());

    // The display's event stream over TLS.
    auto streamHolder = displayStream(server, hall.ca.caFile().string());
    auto& stream = *streamHolder;
    CHECK(waitUntil([&] { return stream.state() == net::StreamState::Connected; }));
    CHECK_FALSE(stream.tlsRejected());
    stream.stop();

    // HSTS on the web pages.
    httplib::SSLClient browser("127.0.0.1", server.port());
    browser.set_ca_cert_path(hall.ca.caFile().c_str());
    browser.enable_server_certificate_verification(true);
    auto page = browser.Get("/");
    REQUIRE(page);
    CHECK(page->get_header_value("Strict-Transport-Security") == "max-age=31536000");
}

TEST_CASE("tls: a certificate from another CA or with another key is refused with a clear error, never retried over plain HTTP") {
    TlsHall hall;
    ServerProcess server(hall.dir.path() / "hall.db", hall.config);
    TestCa stranger(hall.dir.path(), "stranger");
    const auto strangerCert = stranger.issue("stranger-server");

    auto wrongCa = deviceClient(server, {stranger.caFile().string(), ""});
    auto refused = wrongCa.get("/healthz");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::TlsVerificationFailed);
    CHECK(std::string(errorCodeName(refused.error().code)) == "tls_verification_failed");
    REQUIRE(wrongCa.lastFailure());
    CHECK(wrongCa.lastFailure()->status == 0); // no HTTP answer at all: nothing was sent in the clear
    // Idempotent retries stop at once for a certificate problem.
    auto post = wrongCa.postWithRetry("/api/v1/devices/heartbeat", "{}", net::makeIdempotencyKey());
    REQUIRE_FALSE(post.has_value());
    CHECK(post.error().code == ErrorCode::TlsVerificationFailed);

    auto wrongPin = deviceClient(server, {hall.ca.caFile().string(), TestCa::publicKeyPin(strangerCert.cert)});
    auto pinRefused = wrongPin.get("/healthz");
    REQUIRE_FALSE(pinRefused.has_value());
    CHECK(pinRefused.error().code == ErrorCode::TlsVerificationFailed);

    // The display's stream says why it is down: a device alert, not a network hiccup.
    auto streamHolder = displayStream(server, stranger.caFile().string());
    auto& stream = *streamHolder;
    CHECK(waitUntil([&] { return stream.tlsRejected(); }));
    CHECK(stream.connectCount() == 0);
    stream.stop();

    // TLS settings with a plain http:// URL are a configuration error, not a quiet downgrade.
    net::HttpOptions plain;
    plain.baseUrl = "http://127.0.0.1:" + std::to_string(server.port());
    plain.tls.caFile = hall.ca.caFile().string();
    net::HttpClient plainClient(plain);
    auto downgrade = plainClient.get("/healthz");
    REQUIRE_FALSE(downgrade.has_value());
    CHECK(downgrade.error().code == ErrorCode::ConfigError);
}

TEST_CASE("tls: TLS 1.0 and 1.1 and weak cipher suites are refused, TLS 1.2 and 1.3 with good suites work") {
    TlsHall hall;
    ServerProcess server(hall.dir.path() / "hall.db", hall.config);
    const auto ca = hall.ca.caFile().string();
    // SECLEVEL=0 lets this client offer the old protocols at all, so a refusal is the server's.
    for (const char* old : {"-tls1", "-tls1_1"}) {
        auto [rc, out] = sClient(server, hall.dir.path(), {old, "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", ca});
        CHECK(rc != 0);
        CHECK_THAT(out, Catch::Contains("alert protocol version") || Catch::Contains("unsupported protocol"));
    }
    {
        auto [rc, out] = sClient(server, hall.dir.path(), {"-tls1_2", "-CAfile", ca, "-verify_return_error"});
        CHECK(rc == 0);
        CHECK_THAT(out, Catch::Contains("Protocol version: TLSv1.2"));
        CHECK_THAT(out, Catch::Contains("ECDHE-ECDSA-AES256-GCM-SHA384"));
    }
    {
        auto [rc, out] = sClient(server, hall.dir.path(), {"-tls1_3", "-CAfile", ca, "-verify_return_error"});
        CHECK(rc == 0);
        CHECK_THAT(out, Catch::Contains("Protocol version: TLSv1.3"));
    }
    // CBC without forward secrecy, and CBC with SHA-1: not on the NCSC's "good" list.
    for (const char* weak : {"AES128-SHA256", "ECDHE-ECDSA-AES128-SHA"}) {
        auto [rc, out] = sClient(server, hall.dir.path(), {"-tls1_2", "-cipher", weak, "-CAfile", ca});
        CHECK(rc != 0);
    }
}

TEST_CASE("tls: SIGHUP loads a new certificate without dropping the hall's connections") {
    TlsHall hall;
    ServerProcess server(hall.dir.path() / "hall.db", hall.config);

    auto streamHolder = displayStream(server, hall.ca.caFile().string());
    auto& stream = *streamHolder;
    REQUIRE(waitUntil([&] { return stream.state() == net::StreamState::Connected; }));

    // The municipality's new certificate, from a new CA, written over the configured files.
    TestCa renewed(hall.dir.path(), "renewed");
    const auto next = renewed.issue("next-server");
    std::filesystem::copy_file(next.cert, hall.serverCert.cert, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(next.key, hall.serverCert.key, std::filesystem::copy_options::overwrite_existing);
    CHECK(deviceClient(server, {hall.ca.caFile().string(), ""}).get("/healthz").has_value()); // not reloaded yet

    REQUIRE(::kill(server.pid(), SIGHUP) == 0);
    REQUIRE(waitUntil([&] { return server.stderrText().find("\"tls\":\"ok\"") != std::string::npos; }));
    auto viaNewCa = deviceClient(server, {renewed.caFile().string(), ""}).get("/healthz");
    CHECK(viaNewCa.has_value());
    auto viaOldCa = deviceClient(server, {hall.ca.caFile().string(), ""}).get("/healthz");
    REQUIRE_FALSE(viaOldCa.has_value());
    CHECK(viaOldCa.error().code == ErrorCode::TlsVerificationFailed);
    // The stream opened before the reload is still the same connection.
    CHECK(stream.state() == net::StreamState::Connected);
    CHECK(stream.connectCount() == 1);
    stream.stop();

    // A broken file on the next SIGHUP keeps the current certificate in service.
    writeFile(hall.serverCert.key, "not a key\n");
    REQUIRE(::kill(server.pid(), SIGHUP) == 0);
    REQUIRE(waitUntil([&] { return server.stderrText().find("previous certificate stays in use") != std::string::npos; }));
    CHECK(deviceClient(server, {renewed.caFile().string(), ""}).get("/healthz").has_value());
}

TEST_CASE("tls: plain HTTP only redirects to HTTPS") {
    const int redirectPort = freeLoopbackPort();
    TlsHall hall("redirect_http_listen = \"127.0.0.1:" + std::to_string(redirectPort) + "\"\n");
    ServerProcess server(hall.dir.path() / "hall.db", hall.config);
    REQUIRE(waitForPort(redirectPort, std::chrono::seconds(5)));
    httplib::Client plain("127.0.0.1", redirectPort);
    auto page = plain.Get("/v/ABC123?lang=en");
    REQUIRE(page);
    CHECK(page->status == 301);
    CHECK(page->get_header_value("Location") == "https://localhost:8443/v/ABC123?lang=en");
    CHECK(page->body.empty());
    auto api = plain.Post("/api/v1/login", R"({"username":"demo","password":"demo-demo-demo"})", "application/json");
    REQUIRE(api);
    CHECK(api->status == 308); // not served in the clear; the client must repeat it over HTTPS
    CHECK(api->body.find("token") == std::string::npos);
}

TEST_CASE("streams: 250 event streams over HTTPS hold no thread, check-ins over HTTPS keep answering and every stream sees them") {
    // More streams than the 192 threads HTTPS once needed for them (the test server has 64 workers).
    TlsHall hall;
    std::string text = readFile(hall.config);
    text = std::regex_replace(text, std::regex("max_streams_per_credential = 64"), "max_streams_per_credential = 250");
    writeFile(hall.config, text);
    ServerProcess server(hall.dir.path() / "hall.db", hall.config);
    std::vector<TlsRaw> streams;
    for (int i = 0; i < 250; ++i) streams.push_back(tlsStream(server, kDisplayToken));
    for (auto& s : streams) REQUIRE(statusOf(s.readUntil("retry: 2000")) == 200);
    REQUIRE(waitForTlsStreams(server, hall, 250));
    CHECK(streams.front().received().find("Strict-Transport-Security: max-age=31536000") != std::string::npos);

    // The credential's limit holds over HTTPS too: a clear 429, then the connection ends.
    auto refused = tlsStream(server, kDisplayToken);
    REQUIRE(refused.waitClosed());
    CHECK(statusOf(refused.received()) == 429);
    CHECK(jsonOf(refused.received())["error"]["code"] == "too_many_requests");

    httplib::SSLClient kiosk("127.0.0.1", server.port());
    kiosk.set_ca_cert_path(hall.ca.caFile().c_str());
    kiosk.enable_server_certificate_verification(true);
    kiosk.set_keep_alive(true);
    for (int i = 0; i < 5; ++i) {
        auto r = kiosk.Post("/api/v1/tickets", {{"Authorization", "Bearer demo-kiosk-token"}, {"Idempotency-Key", "tls-" + std::to_string(i)}},
                            R"({"service":"ophalen"})", "application/json");
        REQUIRE(r);
        CHECK(r->status == 201);
    }
    auto fiveIssued = [](const std::string& seen) {
        std::size_t n = 0;
        for (auto at = seen.find("event: ticket.issued"); at != std::string::npos; at = seen.find("event: ticket.issued", at + 1)) ++n;
        return n >= 5;
    };
    for (auto& s : streams) CHECK(s.readUntilTrue(fiveIssued));
    // A closed stream frees its place.
    streams.pop_back();
    REQUIRE(waitForTlsStreams(server, hall, 249));
    auto again = tlsStream(server, kDisplayToken);
    CHECK(statusOf(again.readUntil("retry: 2000")) == 200);
}

TEST_CASE("tls: a slowloris over HTTPS times out with a 408 and a silent handshake is closed, neither holds the server") {
    TlsHall hall;
    ServerProcess server(hall.dir.path() / "hall.db", hall.config, {}, {"--header-timeout", "2"});
    std::vector<TlsRaw> slow;
    for (int i = 0; i < 60; ++i) {
        slow.emplace_back(server);
        REQUIRE(slow.back().send("GET /healthz HTTP/1.1\r\nHost: loket\r\nX-Slow-1: a\r\n"));
    }
    std::vector<TlsRaw> mute; // connected, never a ClientHello
    for (int i = 0; i < 20; ++i) mute.emplace_back(server, false);
    for (auto& s : slow) REQUIRE(s.send("X-Slow-2: b\r\n")); // a slowloris adds a line now and then

    httplib::SSLClient kiosk("127.0.0.1", server.port());
    kiosk.set_ca_cert_path(hall.ca.caFile().c_str());
    kiosk.enable_server_certificate_verification(true);
    auto r = kiosk.Post("/api/v1/tickets", {{"Authorization", "Bearer demo-kiosk-token"}, {"Idempotency-Key", "slow-1"}},
                        R"({"service":"ophalen"})", "application/json");
    REQUIRE(r);
    CHECK(r->status == 201);
    auto health = kiosk.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);

    for (auto& s : slow) {
        REQUIRE(s.waitClosed());
        CHECK(statusOf(s.received()) == 408);
        CHECK(jsonOf(s.received())["error"]["code"] == "timeout");
    }
    for (auto& m : mute) CHECK(m.waitClosed());
}

TEST_CASE("tls: with several server addresses each is verified like the first or by its own pin, and a refused one is never read over plain HTTP") {
    TlsHall hall; // instance A: the hall CA's certificate
    const auto secondCert = hall.ca.issue("server-b"); // instance B: the same CA, a key of its own
    std::string text = readFile(hall.config);
    text = std::regex_replace(text, std::regex(hall.serverCert.cert.string()), secondCert.cert.string());
    text = std::regex_replace(text, std::regex(hall.serverCert.key.string()), secondCert.key.string());
    const auto secondConfig = hall.dir.path() / "hall-b.toml";
    writeFile(secondConfig, text);
    ServerProcess a(hall.dir.path() / "a.db", hall.config);
    ServerProcess b(hall.dir.path() / "b.db", secondConfig);
    const net::TlsOptions byCa{hall.ca.caFile().string(), ""};

    // B trusted by its own pin: with A gone, the request is served by B.
    auto list = net::makeServerList({httpsUrl(a), byCa}, {{httpsUrl(b), {hall.ca.caFile().string(), TestCa::publicKeyPin(secondCert.cert)}}});
    net::HttpOptions options;
    options.token = kDisplayToken;
    options.servers = list;
    net::HttpClient device(options);
    REQUIRE(device.get("/api/v1/hall").has_value());
    CHECK(list->current().index == 0);
    a.kill9();
    REQUIRE(device.get("/api/v1/hall").has_value());
    CHECK(list->current().index == 1);

    // B listed with a pin that is not its key (A's): refused, and with A gone the device reports
    // the refused certificate, not a network hiccup; nothing went over plain HTTP.
    auto wrongPin = net::makeServerList({httpsUrl(a), byCa}, {{httpsUrl(b), {hall.ca.caFile().string(), TestCa::publicKeyPin(hall.serverCert.cert)}}});
    options.servers = wrongPin;
    net::HttpClient refused(options);
    auto reply = refused.get("/api/v1/hall");
    REQUIRE_FALSE(reply.has_value());
    CHECK(reply.error().code == ErrorCode::TlsVerificationFailed);
    REQUIRE(refused.lastFailure());
    CHECK(refused.lastFailure()->status == 0);

    // The event stream follows the same list: it lands on B, verified by B's pin.
    net::EventStreamOptions streamOptions;
    streamOptions.token = kDisplayToken;
    streamOptions.servers = list;
    net::EventStreamClient stream(streamOptions, net::EventStreamCallbacks{});
    stream.start();
    CHECK(waitUntil([&] { return stream.state() == net::StreamState::Connected; }));
    CHECK(stream.serverUrl() == httpsUrl(b));
    CHECK_FALSE(stream.tlsRejected());
    stream.stop();
}
