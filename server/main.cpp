// loket-server: the hall server. Wires the configuration, the store, the hall, the HTTP API and
// the housekeeping thread together; everything else lives in its own file.
//
//   loket-server --config firmware-config/hall.example.toml --db var/loket.db --listen 127.0.0.1:8080
//   loket-server --config <file> --store postgresql://loket@db.example/loket --listen 0.0.0.0:8080
//   loket-server --config <file> --check-config
//   loket-server --hash-password            (reads a password on stdin, prints its hash)
//   loket-server backup --to FILE --db var/loket.db [--config city.toml]  (while the hall runs)
//   loket-server restore FILE --db var/loket.db       (into a stopped server)
#include "api.hpp"
#include "auth.hpp"
#include "backup.hpp"
#include "command_executor.hpp"
#include "configuration_file.hpp"
#include "crypto.hpp"
#include "device_registry.hpp"
#include "http_listener.hpp"
#include "housekeeping.hpp"
#include "live_state.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "server_config.hpp"
#include "booking/hall_booking.hpp"
#include "session_store.hpp"
#include "staff_accounts.hpp"
#include "shared/paths/data_path.hpp"
#include "tls_listener.hpp"
#include "store/store_factory.hpp"
#include "wait_predictor.hpp"

#include <CLI/CLI.hpp>
#include <httplib.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <thread>

namespace {

// One location's hall parts (a one-location hall has one), owned here; `parts` hands them to
// the routes (api.hpp).
struct HallParts {
    loket::server::ServerConfig config; // the location's hall and devices
    std::unique_ptr<loket::server::EventStore> ownStore; // a city's partition; nullptr: the store itself
    loket::server::EventStore* store = nullptr;
    loket::server::EventBroker broker;
    std::unique_ptr<loket::server::LiveState> state;
    std::unique_ptr<loket::server::WaitPredictor> predictor;
    std::unique_ptr<loket::server::CommandExecutor> commands;
    std::unique_ptr<loket::server::DeviceRegistry> devices;
    std::unique_ptr<loket::server::AuditLog> audit;
    std::unique_ptr<loket::server::Housekeeping> housekeeping;
    std::unique_ptr<loket::server::PrintQueue> prints; // the host's print jobs for this location's kiosks
    loket::server::Metrics* metrics = nullptr; // its figures in /metrics (metrics.hpp)
    std::unique_ptr<loket::server::booking::BookingSync> booking; // its booking systems, when configured
    std::unique_ptr<loket::server::ServerParts> parts;
};

struct Options {
    std::string store; // a postgresql:// URL or a SQLite file; empty: [hall] store, else --db
    std::string config, db = "var/loket.db", listen = "127.0.0.1:8080", webDir = loket::paths::dataPath("web", LOKET_DEFAULT_WEB_DIR).string();
    bool checkConfig = false, hashPassword = false, quiet = false, applyConfig = false;
    int threads = 32;
    int headerTimeoutS = 10;
    std::string backupTo, restoreFrom; // the backup / restore subcommands
};

// The command line (CLI11). Exit code 2 for a wrong command line, as before.
std::optional<int> parseArgs(int argc, char** argv, Options& o) {
    CLI::App app("loket-server: the hall server (HTTP JSON API, event streams, SQLite store, staff and visitor pages)",
                 "loket-server");
    app.add_option("--config", o.config, "the hall's configuration (TOML)");
    app.add_option("--db", o.db, "the SQLite database file")->capture_default_str();
    app.add_option("--store", o.store,
                   "where the hall's data live: postgresql://… (shared by several servers) or a SQLite file; "
                   "default: [hall] store in the configuration, else --db");
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
    app.add_flag("--apply-config", o.applyConfig,
                 "apply the configuration file's services, counters, hours and banner where they differ from the live "
                 "configuration in the store (without it the differences are only logged)");
    app.fallthrough(); // `backup --to F --db D`: --db belongs to the main command
    auto* backup = app.add_subcommand("backup", "copy the database (consistent, while the hall runs) to a new file; "
                                                "with --config, a city's configured locations too, at one instant");
    backup->add_option("--to", o.backupTo, "the backup file to write")->required();
    auto* restore = app.add_subcommand("restore", "replace the database of a stopped server with a backup");
    restore->add_option("file", o.restoreFrom, "the backup file")->required();
    app.require_subcommand(0, 1);
    try {
        app.parse(argc, argv);
        const bool maintenance = backup->parsed() || restore->parsed();
        if (!o.hashPassword && !maintenance && o.config.empty()) throw CLI::RequiredError("--config");
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    return std::nullopt;
}

// `backup` / `restore`: print what the file holds, exit 0, or the reason and exit 1.
int runMaintenance(const Options& o) {
    using namespace loket::server;
    const bool isBackup = !o.backupTo.empty();
    // A backup takes the locations the configuration names (--config); without one, one hall.
    // The database: --store, else the configuration's [hall] store, else --db (as a server start).
    std::string db = o.db;
    std::vector<std::string> locations;
    if (!o.config.empty()) {
        auto config = loadServerConfig(o.config);
        if (!config) {
            std::fprintf(stderr, "loket-server: config error: %s\n", config.error().message.c_str());
            return 2;
        }
        db = !o.store.empty() ? o.store : !config->store.empty() ? config->store : o.db;
        for (const auto& l : config->locations) locations.push_back(l.id);
    } else if (!o.store.empty()) {
        db = o.store;
    }
    if (isPostgresStore(db)) {
        std::fprintf(stderr, "loket-server: backup and restore copy SQLite files; back up a PostgreSQL store with pg_dump (docs/postgresql.md)\n");
        return 1;
    }
    auto done = isBackup ? backupDatabase(db, o.backupTo, locations) : restoreDatabase(o.restoreFrom, db);
    if (!done) {
        std::fprintf(stderr, "loket-server: %s failed: %s\n", isBackup ? "backup" : "restore", done.error().message.c_str());
        return 1;
    }
    std::printf("loket-server: %s %s: schema version %d, %lld events, last event id %lld\n", isBackup ? "backed up to" : "restored",
                (isBackup ? o.backupTo : db).c_str(), done->schemaVersion, done->events, done->lastEventId);
    // A city on SQLite: each location's file went along (backup.hpp).
    for (const auto& l : done->locations)
        std::printf("loket-server: location %s: schema version %d, %lld events, last event id %lld\n", l.id.c_str(), l.schemaVersion, l.events,
                    l.lastEventId);
    if (!done->snapshotAt.empty())
        std::printf("loket-server: one snapshot of every file at %s; manifest %s\n", done->snapshotAt.c_str(), done->manifest.c_str());
    // A file of a location the configuration no longer names: left out, and said (also to cron's mail).
    for (const auto& f : done->notTaken) {
        std::printf("loket-server: not backed up: %s (its location is not in the configuration)\n", f.c_str());
        std::fprintf(stderr, "loket-server: warning: not backed up: %s (its location is not in the configuration)\n", f.c_str());
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    using namespace loket::server;
    Options options;
    if (auto exit = parseArgs(argc, argv, options)) return *exit;
    if (!options.backupTo.empty() || !options.restoreFrom.empty()) return runMaintenance(options);
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
        // The booking systems too ([[booking]], [[location.booking]]): their mistakes stop a start as well.
        std::map<std::string, std::vector<std::string>> services;
        if (config->locations.empty())
            for (const auto& sv : config->hall.services) services[""].push_back(sv.id);
        for (const auto& l : config->locations)
            for (const auto& sv : l.hall.services) services[l.id].push_back(sv.id);
        if (auto booking = loket::server::booking::loadLocationBookingConfig(options.config, services); !booking) {
            std::fprintf(stderr, "loket-server: config error: %s\n", booking.error().message.c_str());
            return 2;
        }
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

    // Blocked here, before the first thread starts (the HTTP workers, the booking sync): every
    // thread inherits the mask, so SIGTERM reaches only the signal thread's sigwait below and the
    // stop is orderly (the store is closed and its write-ahead log folded in). A thread started
    // before this line would take SIGTERM's default action and end the process on the spot.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP); // reloads the TLS certificate and key; connections and streams stay up
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    HallClock clock(config->timeZone);
    if (const char* offset = std::getenv("LOKET_CLOCK_OFFSET_S")) {
        clock.setOffset(std::atoll(offset));
        std::fprintf(stderr, "loket-server: test clock: running %s s ahead of the real time\n", offset);
    }
    // --store, else the configuration's [hall] store, else the SQLite file --db.
    const std::string storeSpec = !options.store.empty() ? options.store : !config->store.empty() ? config->store : options.db;
    std::optional<DatabaseLock> dbLock;
    if (!isPostgresStore(storeSpec)) {
        std::filesystem::path dbPath(storeSpec);
        if (dbPath.has_parent_path()) std::filesystem::create_directories(dbPath.parent_path());
        // Held for the server's life: `loket-server restore` refuses while it is.
        auto locked = DatabaseLock::acquire(dbPath);
        if (!locked) {
            std::fprintf(stderr, "loket-server: %s\n", locked.error().message.c_str());
            return 1;
        }
        dbLock.emplace(std::move(locked.value()));
    }
    auto opened = openEventStore(storeSpec);
    if (!opened) {
        std::fprintf(stderr, "loket-server: %s\n", opened.error().message.c_str());
        return 1;
    }
    EventStore& store = *opened.value();

    // The parts, each with one job (docs/architecture.md). Shared by every location: the
    // metrics, the staff sessions and log-in, the enrolled devices (all in the store named above).
    Metrics metrics;
    SessionStore sessions(store);
    Auth auth(config.value(), sessions);
    Enrolment enrolment(store);
    if (auto st = enrolment.load(); !st) {
        std::fprintf(stderr, "loket-server: cannot read the enrolled devices: %s\n", st.error().message.c_str());
        return 1;
    }
    auth.setEnrolment(&enrolment);
    // Staff accounts made on /beheer: the city's, in the shared store (an account may work at
    // several locations; docs/locations.md).
    StaffAccounts staffAccounts(store, config->staff);
    if (auto st = staffAccounts.load(); !st) {
        std::fprintf(stderr, "loket-server: cannot read the staff accounts: %s\n", st.error().message.c_str());
        return 1;
    }
    auth.setStaffAccounts(&staffAccounts);

    // The hall parts: one set for a one-location hall (on the store itself), one set per
    // location for a city ([[location]], docs/locations.md), each on its own partition of the
    // store (a SQLite file beside the named one, or a PostgreSQL schema) with its own queue,
    // numbering, event log, audit trail and advisory lock.
    const bool city = !config->locations.empty();
    std::vector<std::string> locationIds;
    if (city)
        for (const auto& l : config->locations) locationIds.push_back(l.id);
    else
        locationIds.push_back("");
    // Tests shorten the 5 s a host's print job waits for its kiosk (LOKET_PRINT_DEADLINE_S); never in a hall.
    loket::core::Seconds printDeadlineS = PrintQueue::kPrintDeadlineS;
    if (const char* deadline = std::getenv("LOKET_PRINT_DEADLINE_S")) {
        printDeadlineS = std::max<loket::core::Seconds>(0, std::atoll(deadline));
        std::fprintf(stderr, "loket-server: test print deadline: %lld s\n", static_cast<long long>(printDeadlineS));
    }
    std::vector<std::unique_ptr<HallParts>> halls;
    for (const auto& id : locationIds) {
        auto hall = std::make_unique<HallParts>();
        hall->config = configForLocation(config.value(), id);
        EventStore* hallStore = &store;
        if (city) {
            auto partition = openEventStore(storeSpec, id);
            if (!partition) {
                std::fprintf(stderr, "loket-server: location %s: %s\n", id.c_str(), partition.error().message.c_str());
                return 1;
            }
            hall->ownStore = std::move(partition.value());
            hallStore = hall->ownStore.get();
        }
        // The live configuration is the store's; the file seeds an empty store (configuration_file.hpp).
        auto live = startConfiguration(*hallStore, hall->config.hall, clock.now().t);
        if (!live) {
            std::fprintf(stderr, "loket-server: cannot read the configuration%s%s: %s\n", id.empty() ? "" : " of location ", id.c_str(),
                         live.error().message.c_str());
            return 1;
        }
        hall->state = std::make_unique<LiveState>(live.value());
        hall->predictor = std::make_unique<WaitPredictor>(*hall->state);
        // A city's location counts its tickets, calls and commands apart (a location label in /metrics).
        hall->metrics = city ? &metrics.addLocation(id) : &metrics;
        hall->commands = std::make_unique<CommandExecutor>(hall->config, *hallStore, *hall->state, hall->broker, clock, *hall->metrics);
        hall->devices = std::make_unique<DeviceRegistry>(hall->config, clock, hall->broker, hallStore);
        hall->audit = std::make_unique<AuditLog>(*hallStore, config->auditDays);
        if (auto st = hall->commands->recover(); !st) {
            std::fprintf(stderr, "loket-server: cannot replay %s%s: %s\n",
                         isPostgresStore(storeSpec) ? "the PostgreSQL store" : storeSpec.c_str(), id.empty() ? "" : (" (location " + id + ")").c_str(),
                         st.error().message.c_str());
            return 1;
        }
        hall->housekeeping = std::make_unique<Housekeeping>(*hall->commands, *hall->state, *hall->devices, clock);
        // The first location's housekeeping deletes expired pairing codes from the shared store and,
        // in a city (no day start of its own), its expired staff sessions (a one-location hall's
        // day start does that in its batch).
        if (halls.empty()) hall->housekeeping->purgeExpiredOf(&store, city);
        hall->housekeeping->runOnce(); // starts the day if needed, before the first request
        if (auto diff = reconcileConfiguration(*hall->commands, *hall->state, hall->audit.get(), clock, hall->config.hall, options.applyConfig);
            !diff) {
            std::fprintf(stderr, "loket-server: %s\n", diff.error().message.c_str());
            return 1;
        }
        hall->store = hallStore;
        hall->prints = std::make_unique<PrintQueue>(*hallStore, printDeadlineS);
        halls.push_back(std::move(hall));
    }
    HallParts& first = *halls.front();

    // Booking systems (docs/booking.md): each location's ([[location.booking]]) pulled into its
    // own book through its own command handler; a one-location hall's [[booking]] into the hall's.
    std::map<std::string, std::vector<std::string>> servicesByLocation;
    for (std::size_t i = 0; i < halls.size(); ++i)
        for (const auto& s : halls[i]->config.hall.services) servicesByLocation[locationIds[i]].push_back(s.id);
    auto bookingConfigs = loket::server::booking::loadLocationBookingConfig(options.config, servicesByLocation);
    if (!bookingConfigs) {
        std::fprintf(stderr, "loket-server: config error: %s\n", bookingConfigs.error().message.c_str());
        return 2;
    }
    loket::booking::HallZone zone{[&clock](loket::core::LocalDay d, std::int32_t s) { return clock.instantOf(d, s); },
                                  [&clock](loket::core::Seconds t) { return clock.utcOffsetAt(t); }};
    for (std::size_t i = 0; i < halls.size(); ++i) {
        auto connectors = bookingConfigs->find(locationIds[i]);
        if (connectors == bookingConfigs->end()) continue;
        HallParts& hall = *halls[i];
        loket::server::booking::BookPort bookPort;
        bookPort.execute = [&hall](const loket::core::Command& c) -> loket::Result<bool> {
            auto done = hall.commands->execute(c);
            if (!done) return done.error();
            return !done->events.empty();
        };
        bookPort.bookedCodes = [&hall](loket::core::LocalDay day) {
            return hall.state->read([day](const StateView& v) {
                std::vector<std::string> codes;
                for (const auto& [code, a] : v.state.appointments())
                    if (a.day == day && a.status == loket::core::AppointmentStatus::Booked) codes.push_back(code);
                return codes;
            });
        };
        bookPort.now = [&clock] { return clock.now(); };
        bookPort.alert = [location = locationIds[i]](const std::string& connector, const std::string& message) {
            logLine("booking_alert", location.empty() ? nlohmann::json{{"connector", connector}, {"message", message}}
                                                      : nlohmann::json{{"location", location}, {"connector", connector}, {"message", message}});
        };
        hall.booking = loket::server::booking::startBooking(std::move(connectors->second), locationIds[i], config->timeZone, bookPort, zone);
    }

    Locations locations;
    for (std::size_t i = 0; i < halls.size(); ++i) {
        HallParts* hall = halls[i].get();
        const std::string& id = locationIds[i];
        hall->parts = std::make_unique<ServerParts>(ServerParts{hall->config, clock, *hall->state, *hall->predictor, *hall->commands, *hall->devices,
                                                                hall->broker, *hall->store, auth, *hall->audit, enrolment, *hall->metrics, options.webDir,
                                                                hall->booking.get(), id, city ? &locations : nullptr,
                                                                &config.value(), hall->prints.get()});
        locations.add(id, hall->parts.get());
    }
    const ServerParts& parts = *first.parts;
    // Every connection is a file: 2,000 event streams need more than the usual 1,024.
    const long openFiles = raiseOpenFileLimit();
    // The StreamHub holds waiting connections and event streams (http_listener.hpp), over plain
    // HTTP and HTTPS alike.
    ListenerOptions hub;
    hub.workers = static_cast<std::size_t>(options.threads);
    hub.limits.headerDeadline = std::chrono::seconds(options.headerTimeoutS);
    hub.limits.perCredential = config->maxStreamsPerCredential;
    hub.limits.deviceActive = [&enrolment](const std::string& id) { return enrolment.isActive(id); };
    // A page account disabled on /beheer: its event streams end too (the file's accounts never are).
    hub.limits.staffActive = [&staffAccounts](const std::string& user) {
        auto account = staffAccounts.find(user);
        return !account || !account->disabledAt;
    };
    hub.securityHeaders = securityHeadersFor(config.value());
    std::shared_ptr<CertificateStore> certificates; // with [tls]; reload() on SIGHUP
    std::unique_ptr<TlsServerContext> tlsContext;
    if (config->tls) {
        auto store = CertificateStore::load(config->tls->certFile, config->tls->keyFile);
        if (!store) {
            std::fprintf(stderr, "loket-server: TLS: %s\n", store.error().message.c_str());
            return 2;
        }
        certificates = store.value();
        auto context = TlsServerContext::make(*certificates);
        if (!context) {
            std::fprintf(stderr, "loket-server: TLS: %s\n", context.error().message.c_str());
            return 2;
        }
        tlsContext = std::move(context.value());
    }
    if (city)
        for (auto& hall : halls) hub.limits.locationBrokers[hall->parts->location] = &hall->broker;
    HallHttpServer server(first.broker, auth, clock, hub, std::move(tlsContext));
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

    std::signal(SIGPIPE, SIG_IGN); // a client that hangs up is not a reason to stop the hall
    std::thread signalThread([&] {
        int sig = 0;
        for (;;) {
            sigwait(&signals, &sig);
            if (sig != SIGHUP) break;
            if (!certificates) {
                logLine("reload", {{"tls", "not configured"}});
                continue;
            }
            if (auto st = certificates->reload(); st)
                logLine("reload", {{"tls", "ok"}, {"certificate", certificates->describe()}});
            else
                logLine("reload", {{"tls", "failed, the previous certificate stays in use"}, {"error", st.error().message}});
        }
        for (auto& hall : halls) hall->broker.shutdown();
        server.stop();
    });
    for (auto& hall : halls) {
        hall->housekeeping->start();
        // A store shared with other instances announces their commits: apply and stream them here too.
        CommandExecutor& commands = *hall->commands;
        hall->store->watchCommits([&commands] {
            if (auto st = commands.catchUp(); !st) logLine("catch_up", {{"error", st.error().message}});
        });
    }
    // Instances sharing the store: staff accounts, sessions and enrolled devices another instance
    // changed are read again here (docs/postgresql.md); a one-instance store announces nothing.
    store.watchSharedChanges([&](const std::string& topic) {
        const bool all = topic == "*";
        if (all || topic == "staff" || topic == "sessions") sessions.forgetCache();
        if (all || topic == "staff")
            if (auto st = staffAccounts.load(); !st) logLine("shared_change", {{"staff", st.error().message}});
        if (all || topic == "devices")
            if (auto st = enrolment.load(); !st) logLine("shared_change", {{"devices", st.error().message}});
    });
    server.startHub();

    std::printf("loket-server: listening on %s://%s:%d\n", certificates ? "https" : "http", host.c_str(), port);
    std::fflush(stdout);
    if (certificates) logLine("tls", {{"certificate", certificates->describe()}});
    logLine("start", {{"listen", host + ":" + std::to_string(port)}, {"policy", loket::core::policyName(config->hall.policy)},
                      {"services", config->hall.services.size()}, {"counters", config->hall.counters.size()},
                      {"locations", config->locations.size()}, {"open_files", openFiles}});
    server.listen_after_bind();
    store.watchSharedChanges(nullptr); // before the parts it calls go
    for (auto& hall : halls) {
        hall->store->watchCommits(nullptr); // before the executor it calls goes
        hall->broker.shutdown();
    }
    server.stopHub();
    pthread_kill(signalThread.native_handle(), SIGTERM);
    signalThread.join();
    for (auto& hall : halls) hall->housekeeping->stop();
    if (redirect) {
        redirect->stop();
        redirectThread.join();
    }
    logLine("stop", {});
    return 0;
}
