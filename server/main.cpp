// loket-server: the hall server. Wires the configuration, the store, the hall, the HTTP API and
// the housekeeping thread together; everything else lives in its own file.
//
//   loket-server --config firmware-config/hall.example.toml --db var/loket.db --listen 127.0.0.1:8080
//   loket-server --config <file> --check-config
//   loket-server --hash-password            (reads a password on stdin, prints its hash)
#include "api.hpp"
#include "auth.hpp"
#include "crypto.hpp"
#include "hall.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "server_config.hpp"
#include "tls_listener.hpp"

#include <httplib.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

namespace {

struct Options {
    std::string config, db = "var/loket.db", listen = "127.0.0.1:8080", webDir = LOKET_DEFAULT_WEB_DIR;
    bool checkConfig = false, hashPassword = false, quiet = false;
    int threads = 192;
};

void usage() {
    std::fprintf(stderr,
                 "usage: loket-server --config <hall.toml> [--db <file.sqlite>] [--listen <host:port>] [--web-dir <dir>]\n"
                 "                    [--threads N] [--quiet]\n"
                 "       loket-server --config <hall.toml> --check-config\n"
                 "       loket-server --hash-password   (password on standard input)\n");
}

bool parseArgs(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        if (a == "--config") { if (!value(o.config)) return false; }
        else if (a == "--db") { if (!value(o.db)) return false; }
        else if (a == "--listen") { if (!value(o.listen)) return false; }
        else if (a == "--web-dir") { if (!value(o.webDir)) return false; }
        else if (a == "--threads") { std::string t; if (!value(t)) return false; o.threads = std::max(16, std::atoi(t.c_str())); }
        else if (a == "--check-config") o.checkConfig = true;
        else if (a == "--hash-password") o.hashPassword = true;
        else if (a == "--quiet") o.quiet = true;
        else return false;
    }
    return o.hashPassword || !o.config.empty();
}

} // namespace

int main(int argc, char** argv) {
    using namespace loket::server;
    Options options;
    if (!parseArgs(argc, argv, options)) {
        usage();
        return 2;
    }
    if (options.hashPassword) {
        std::string password;
        std::getline(std::cin, password);
        if (password.size() < 12) {
            std::fprintf(stderr, "loket-server: a staff password needs at least 12 characters\n");
            return 2;
        }
        std::printf("%s\n", loket::server::hashPassword(password).c_str());
        return 0;
    }
    auto config = loadServerConfig(options.config);
    if (!config) {
        std::fprintf(stderr, "loket-server: config error: %s\n", config.error().message.c_str());
        return 2;
    }
    if (options.checkConfig) {
        std::printf("%s: ok (%zu services, %zu counters, %zu devices, %zu staff)\n", options.config.c_str(),
                    config->hall.services.size(), config->hall.counters.size(), config->devices.size(), config->staff.size());
        return 0;
    }
    setLogQuiet(options.quiet);
    if (config->demoCredentials)
        std::fprintf(stderr,
                     "\n*** WARNING: %s contains the published DEMO credentials (demo-kiosk-token, demo-admin-token,\n"
                     "*** staff 'demo'). Anyone can use them. Replace them before this hall opens to the public.\n\n",
                     options.config.c_str());

    HallClock::useTimeZone(config->timeZone);
    HallClock clock;
    if (const char* offset = std::getenv("LOKET_CLOCK_OFFSET_S")) {
        clock.setOffset(std::atoll(offset));
        std::fprintf(stderr, "loket-server: test clock: running %s s ahead of the real time\n", offset);
    }
    std::filesystem::path dbPath(options.db);
    if (dbPath.has_parent_path()) std::filesystem::create_directories(dbPath.parent_path());
    auto store = EventStore::open(dbPath);
    if (!store) {
        std::fprintf(stderr, "loket-server: %s\n", store.error().message.c_str());
        return 1;
    }
    Hall hall(config.value(), std::move(store.value()), clock);
    if (auto st = hall.recover(); !st) {
        std::fprintf(stderr, "loket-server: cannot replay %s: %s\n", options.db.c_str(), st.error().message.c_str());
        return 1;
    }
    hall.housekeeping(); // starts the day if needed, before the first request

    Auth auth(config.value(), hall.store(), hall.storeMutex());
    Metrics metrics;
    Api api(hall, auth, metrics, options.webDir);
    auto listener = makeListener(config.value());
    if (!listener) {
        std::fprintf(stderr, "loket-server: TLS: %s\n", listener.error().message.c_str());
        return 2;
    }
    httplib::Server& server = *listener->server;
    // Each open event stream holds a pool thread (cpp-httplib), so size the pool for the hall's
    // displays, kiosks and staff pages with room to spare.
    const int threads = options.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    server.set_keep_alive_max_count(1000);
    // Answers are small and go out at once: without TCP_NODELAY a client that sends headers and
    // body in two packets waits for the 40 ms delayed ACK on every request.
    server.set_tcp_nodelay(true);
    server.set_read_timeout(10, 0);
    server.set_write_timeout(10, 0);
    api.install(server);

    const auto colon = options.listen.rfind(':');
    if (colon == std::string::npos) {
        std::fprintf(stderr, "loket-server: --listen must be host:port\n");
        return 2;
    }
    const std::string host = options.listen.substr(0, colon);
    const int wanted = std::atoi(options.listen.c_str() + colon + 1);
    const int port = wanted == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, wanted) ? wanted : -1);
    if (port <= 0) {
        std::fprintf(stderr, "loket-server: cannot listen on %s\n", options.listen.c_str());
        return 1;
    }

    // [tls] redirect_http_listen: a plain listener that only sends browsers to https://.
    std::unique_ptr<httplib::Server> redirect;
    std::thread redirectThread;
    if (config->tls && !config->tls->redirectHttpListen.empty()) {
        const std::string& spec = config->tls->redirectHttpListen;
        const auto c = spec.rfind(':');
        redirect = makeRedirectServer(config->publicBaseUrl);
        const std::string redirectHost = spec.substr(0, c);
        const int redirectWanted = std::atoi(spec.c_str() + c + 1);
        const int redirectPort = redirectWanted == 0 ? redirect->bind_to_any_port(redirectHost)
                                                     : (redirect->bind_to_port(redirectHost, redirectWanted) ? redirectWanted : -1);
        if (redirectPort <= 0) {
            std::fprintf(stderr, "loket-server: cannot listen on %s (tls.redirect_http_listen)\n", spec.c_str());
            return 1;
        }
        logLine("redirect", {{"listen", redirectHost + ":" + std::to_string(redirectPort)}, {"to", config->publicBaseUrl}});
        redirectThread = std::thread([&] { redirect->listen_after_bind(); });
    }

    // Signals are taken by one thread, so the stop is orderly: streams first, then the server.
    // SIGHUP reloads the TLS certificate and key; connections and streams stay up.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN); // a client that hangs up is not a reason to stop the hall
    std::atomic<bool> stopping{false};
    std::thread signalThread([&] {
        int sig = 0;
        for (;;) {
            sigwait(&signals, &sig);
            if (sig != SIGHUP || stopping) break;
            if (!listener->certificates) {
                logLine("reload", {{"tls", "not configured"}});
                continue;
            }
            if (auto st = listener->certificates->reload(); st)
                logLine("reload", {{"tls", "ok"}, {"certificate", listener->certificates->describe()}});
            else
                logLine("reload", {{"tls", "failed, the previous certificate stays in use"}, {"error", st.error().message}});
        }
        stopping = true;
        hall.broker().shutdown();
        server.stop();
    });
    std::thread housekeeping([&] {
        while (!stopping) {
            for (int i = 0; i < 20 && !stopping; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (!stopping) hall.housekeeping();
        }
    });

    std::printf("loket-server: listening on %s://%s:%d\n", listener->scheme(), host.c_str(), port);
    std::fflush(stdout);
    if (listener->certificates) logLine("tls", {{"certificate", listener->certificates->describe()}});
    logLine("start", {{"listen", host + ":" + std::to_string(port)}, {"policy", loket::core::policyName(config->hall.policy)},
                      {"services", config->hall.services.size()}, {"counters", config->hall.counters.size()}});
    server.listen_after_bind();
    stopping = true;
    hall.broker().shutdown();
    pthread_kill(signalThread.native_handle(), SIGTERM);
    signalThread.join();
    housekeeping.join();
    if (redirect) {
        redirect->stop();
        redirectThread.join();
    }
    logLine("stop", {});
    return 0;
}
