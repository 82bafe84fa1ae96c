// loket-server: the hall server. Wires the configuration, the store, the hall, the HTTP API and
// the housekeeping thread together; everything else lives in its own file.
//
//   loket-server --config firmware-config/hall.example.toml --db var/loket.db --listen 127.0.0.1:8080
//   loket-server --config <file> --check-config
//   loket-server --hash-password            (reads a password on stdin, prints its hash)
#include "api.hpp"
#include "auth.hpp"
#include "command_executor.hpp"
#include "crypto.hpp"
#include "device_registry.hpp"
#include "http_listener.hpp"
#include "housekeeping.hpp"
#include "live_state.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "server_config.hpp"
#include "session_store.hpp"
#include "sqlite_event_store.hpp"
#include "wait_predictor.hpp"

#include <CLI/CLI.hpp>
#include <httplib.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

namespace {

struct Options {
    std::string config, db = "var/loket.db", listen = "127.0.0.1:8080", webDir = LOKET_DEFAULT_WEB_DIR;
    bool checkConfig = false, hashPassword = false, quiet = false;
    int threads = 32;
    int headerTimeoutS = 10;
};

// The command line (CLI11). Exit code 2 for a wrong command line, as before.
std::optional<int> parseArgs(int argc, char** argv, Options& o) {
    CLI::App app("loket-server: the hall server (HTTP JSON API, event streams, SQLite store, staff and visitor pages)",
                 "loket-server");
    app.add_option("--config", o.config, "the hall's configuration (TOML)");
    app.add_option("--db", o.db, "the SQLite database file")->capture_default_str();
    app.add_option("--listen", o.listen, "host:port to listen on (port 0: any free port)")->capture_default_str();
    app.add_option("--web-dir", o.webDir, "the folder of the staff and visitor pages")->capture_default_str();
    app.add_option("--threads", o.threads, "HTTP worker threads (event streams and idle connections hold none)")
        ->capture_default_str()
        ->check(CLI::Range(2, 1024));
    app.add_option("--header-timeout", o.headerTimeoutS,
                   "seconds a request's headers may take to arrive, and an idle keep-alive connection stays open")
        ->capture_default_str()
        ->check(CLI::Range(1, 300));
    app.add_flag("--check-config", o.checkConfig, "check the configuration, print a summary and stop");
    app.add_flag("--hash-password", o.hashPassword, "read a password on standard input and print its hash");
    app.add_flag("--quiet", o.quiet, "no request log lines");
    try {
        app.parse(argc, argv);
        if (!o.hashPassword && o.config.empty()) throw CLI::RequiredError("--config");
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    return std::nullopt;
}

} // namespace

int main(int argc, char** argv) {
    using namespace loket::server;
    Options options;
    if (auto exit = parseArgs(argc, argv, options)) return *exit;
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
    auto opened = SqliteEventStore::open(dbPath);
    if (!opened) {
        std::fprintf(stderr, "loket-server: %s\n", opened.error().message.c_str());
        return 1;
    }
    EventStore& store = *opened.value();

    // The parts, each with one job (docs/architecture.md).
    Metrics metrics;
    EventBroker broker;
    LiveState state(config->hall);
    WaitPredictor predictor(state);
    CommandExecutor commands(config.value(), store, state, broker, clock, metrics);
    DeviceRegistry devices(config.value(), clock, broker);
    SessionStore sessions(store);
    Auth auth(config.value(), sessions);
    if (auto st = commands.recover(); !st) {
        std::fprintf(stderr, "loket-server: cannot replay %s: %s\n", options.db.c_str(), st.error().message.c_str());
        return 1;
    }
    Housekeeping housekeeping(commands, state, devices, clock);
    housekeeping.runOnce(); // starts the day if needed, before the first request

    const ServerParts parts{config.value(), clock, state, predictor, commands, devices, broker, store, auth, metrics, options.webDir};
    // Every connection is a file: 2,000 event streams need more than the usual 1,024.
    const long openFiles = raiseOpenFileLimit();
    ListenerOptions listener;
    listener.workers = static_cast<std::size_t>(options.threads);
    listener.limits.headerDeadline = std::chrono::seconds(options.headerTimeoutS);
    listener.limits.perCredential = config->maxStreamsPerCredential;
    HallHttpServer server(broker, auth, clock, listener);
    server.set_keep_alive_max_count(1000);
    // Answers are small and go out at once: without TCP_NODELAY a client that sends headers and
    // body in two packets waits for the 40 ms delayed ACK on every request.
    server.set_tcp_nodelay(true);
    installApi(server, parts);

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

    // Signals are taken by one thread, so the stop is orderly: streams first, then the server.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN); // a client that hangs up is not a reason to stop the hall
    std::thread signalThread([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        broker.shutdown();
        server.stop();
    });
    housekeeping.start();
    server.startHub();

    std::printf("loket-server: listening on http://%s:%d\n", host.c_str(), port);
    std::fflush(stdout);
    logLine("start", {{"listen", host + ":" + std::to_string(port)}, {"policy", loket::core::policyName(config->hall.policy)},
                      {"services", config->hall.services.size()}, {"counters", config->hall.counters.size()},
                      {"open_files", openFiles}});
    server.listen_after_bind();
    broker.shutdown();
    server.stopHub();
    pthread_kill(signalThread.native_handle(), SIGTERM);
    signalThread.join();
    housekeeping.stop();
    logLine("stop", {});
    return 0;
}
