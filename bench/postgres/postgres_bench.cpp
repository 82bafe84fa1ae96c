// loket-bench-postgres: several server instances on one PostgreSQL (issue 14), beside one server
// on SQLite, in one run on one machine. It starts a PostgreSQL of its own (Debian's postgresql 15:
// initdb in a temporary folder, fsync and synchronous_commit on, as in a hall), two loket-server
// instances A and B on one database, and one loket-server on a SQLite file in the same folder,
// and measures with the devices' own client code (loket::net: HttpClient over a ServerList,
// EventStreamClient):
//   1. durable check-ins per second: `--kiosks` kiosks posting at once, half of them using A and
//      half B (on SQLite: all on the one server);
//   2. call → event: staff "next" on A → the ticket.called event at an event stream on B, p50 / p99
//      over `--calls` calls (on SQLite: the stream on the same server);
//   3. failover: kiosks checking in through A and B, A killed (-9) mid-run; the time from the kill
//      to the first check-in the surviving instance served to each kiosk that was using A, and
//      whether every acknowledged check-in is in the database afterwards.
// The machine's load average is printed at the start and the end (the figures need a quiet machine).
// With --city LxK (issue 14's bench: 10x6) the same three figures for a city of L locations
// (docs/locations.md) with K kiosks each, every kiosk with its own token, checking in at its own
// location through A and B; the call and its stream are at the first location; on SQLite the
// one server with a file per location.
// In a city the check-ins run twice, once per layout of the kiosks over the instances: split
// (each location's kiosks over both, so the instances take turns at every location's lock) and
// preferred (a location's kiosks list the same instance first, as a configured city's would).
// The CPU time each process used during a check-in run (the benchmark's own kiosks, each server,
// all of PostgreSQL) is printed per check-in. `--server PATH` runs another build of the server (or
// a script that runs it under valgrind); `--no-sqlite`, `--no-failover` and `--calls 0` leave those
// parts out; `--pg-option name=value` sets a PostgreSQL setting (`-c`), e.g. commit_delay;
// `--statements` prints, after each check-in run, the statements the servers ran per check-in and
// their mean execution time (pg_stat_statements; a COMMIT's time includes its WAL flush).
// Usage: loket-bench-postgres [--checkins N] [--kiosks N] [--calls N] [--failover-kiosks N] [--city LxK]
//        [--layout split|preferred|both] [--server PATH] [--no-sqlite] [--no-failover] [--pg-option name=value]… [--statements]
#include "bench_support.hpp"
#include "shared/net/event_stream_client.hpp"
#include "shared/net/http_client.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <pwd.h>
#include <set>
#include <sstream>
#include <iterator>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <thread>
#include <unistd.h>
#include <vector>

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;
namespace fs = std::filesystem;
using namespace loket;

namespace {

const std::string kPgBin = "/usr/lib/postgresql/15/bin/";

[[noreturn]] void die(const std::string& why) {
    std::fprintf(stderr, "loket-bench-postgres: %s\n", why.c_str());
    std::exit(1);
}

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

// CPU seconds (user + system) `pid` has used, with those of its children that it waited for when
// `withChildren`; 0 if it is gone.
double cpuSeconds(pid_t pid, bool withChildren) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return 0;
    const auto close = line.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream fields(line.substr(close + 2));
    std::vector<std::string> f{std::istream_iterator<std::string>(fields), std::istream_iterator<std::string>()};
    // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    if (f.size() < 15) return 0;
    double ticks = std::stod(f[11]) + std::stod(f[12]);
    if (withChildren) ticks += std::stod(f[13]) + std::stod(f[14]);
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The processes whose parent is `parent`.
std::vector<pid_t> childrenOf(pid_t parent) {
    std::vector<pid_t> out;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string line;
        if (!std::getline(in, line)) continue;
        const auto close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream fields(line.substr(close + 2));
        std::string state;
        long ppid = 0;
        fields >> state >> ppid;
        if (ppid == parent) out.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return out;
}

int freePort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) die("no free port");
    const int port = ntohs(a.sin_port);
    close(fd);
    return port;
}

// A PostgreSQL server of the benchmark's own: as the package's `postgres` user under root.
class Postgres {
public:
    // `options`: more `-c name=value` settings for the server (--pg-option).
    explicit Postgres(const std::vector<std::string>& options = {}) {
        std::string pattern = (fs::temp_directory_path() / "loket-bench-pg-XXXXXX").string();
        if (!mkdtemp(pattern.data())) die("no temporary folder");
        m_dir = pattern;
        if (geteuid() == 0) {
            const passwd* owner = getpwnam("postgres");
            if (!owner || chown(m_dir.c_str(), owner->pw_uid, owner->pw_gid) != 0) die("running as root needs the postgres user");
        }
        m_port = freePort();
        if (run(kPgBin + "initdb -D " + (m_dir / "data").string() + " -U postgres -A trust -E UTF8 --no-sync > " +
                (m_dir / "initdb.log").string() + " 2>&1") != 0)
            die("initdb failed; see " + (m_dir / "initdb.log").string());
        if (run(kPgBin + "pg_ctl -D " + (m_dir / "data").string() + " -l " + (m_dir / "server.log").string() +
                " -w -t 30 -o '-c listen_addresses=127.0.0.1 -p " + std::to_string(m_port) + " -k " + m_dir.string() +
                " -c max_connections=200" + settings(options) + "' start > /dev/null") != 0)
            die("PostgreSQL did not start; see " + (m_dir / "server.log").string());
        m_running = true;
        if (std::system((kPgBin + "createdb -h 127.0.0.1 -p " + std::to_string(m_port) + " -U postgres city").c_str()) != 0)
            die("createdb failed");
    }
    ~Postgres() {
        if (m_running) run(kPgBin + "pg_ctl -D " + (m_dir / "data").string() + " -m fast -w stop > /dev/null");
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }
    std::string url() const { return "postgresql://postgres@127.0.0.1:" + std::to_string(m_port) + "/city"; }
    // CPU seconds of the whole PostgreSQL server so far: the postmaster, its living processes
    // (backends, WAL writer, checkpointer …) and those that ended.
    double cpuSeconds() const {
        std::ifstream in(m_dir / "data" / "postmaster.pid");
        long pid = 0;
        if (!(in >> pid) || pid <= 0) return 0;
        double total = ::cpuSeconds(static_cast<pid_t>(pid), true);
        for (pid_t child : childrenOf(static_cast<pid_t>(pid))) total += ::cpuSeconds(child, false);
        return total;
    }
    std::string show(const std::string& setting) const { return sql("SHOW " + setting); }
    // The rows of `statement` in the city database (psql -A -t: fields split by '|', a row a line).
    std::string sql(const std::string& statement) const {
        const fs::path file = m_dir / "statement.sql";
        std::ofstream(file) << statement << ";\n";
        std::string out;
        const std::string cmd = "psql -X -A -t -q -d " + url() + " -f " + file.string();
        if (FILE* p = popen(cmd.c_str(), "r")) {
            char buf[128];
            while (fgets(buf, sizeof buf, p)) out += buf;
            pclose(p);
        }
        while (!out.empty() && out.back() == '\n') out.pop_back();
        return out;
    }
    // pg_stat_statements (--statements): the statements the servers ran, per check-in.
    void resetStatements() const { (void)sql("SELECT pg_stat_statements_reset()"); }
    void printStatements(const char* tag, int checkins) const {
        // Summed over the locations (each location's schema makes its statements count apart).
        const std::string rows = sql("SELECT sum(calls), sum(total_exec_time), sum(rows), left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS q "
                                     "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'city') "
                                     "GROUP BY q ORDER BY sum(calls) DESC LIMIT 12");
        std::istringstream in(rows);
        std::string line;
        double all = 0;
        while (std::getline(in, line)) {
            double calls = 0, ms = 0, count = 0;
            char query[256] = {};
            if (std::sscanf(line.c_str(), "%lf|%lf|%lf|%255[^\n]", &calls, &ms, &count, query) != 4 || calls <= 0) continue;
            std::printf("%s: statements per check-in: %5.3f x %6.1f us (%5.2f rows)  %s\n", tag, calls / checkins, ms * 1000 / calls,
                        count / checkins, query);
            all += calls;
        }
        std::printf("%s: statements per check-in in all (those above): %.2f\n", tag, all / checkins);
    }

private:
    static std::string settings(const std::vector<std::string>& options) {
        std::string out;
        for (const std::string& o : options) {
            if (o.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789=.") != std::string::npos || o.find('=') == std::string::npos)
                die("--pg-option takes name=value (letters, digits, _ and .): " + o);
            out += " -c " + o;
        }
        return out;
    }
    int run(const std::string& command) const {
        const std::string asOwner = geteuid() == 0 ? "runuser -u postgres -- sh -c \"" + command + "\"" : command;
        return std::system(asOwner.c_str());
    }
    fs::path m_dir;
    int m_port = 0;
    bool m_running = false;
};

struct Server {
    pid_t pid = -1;
    int port = 0;
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    void kill9() {
        if (pid > 0) kill(pid, SIGKILL), waitpid(pid, nullptr, 0);
        pid = -1;
    }
    void stop() {
        if (pid > 0) kill(pid, SIGTERM), waitpid(pid, nullptr, 0);
        pid = -1;
    }
};

// What the load runs against: the example hall (every kiosk on the demo token), or a city.
struct Deployment {
    std::string config;                               // the configuration file
    int kiosks = 0;                                   // kiosk devices checking in at once
    int locations = 1;
    std::function<std::string(int)> kioskToken;       // kiosk k's token
    std::function<int(int)> locationOfKiosk;          // kiosk k's location (0 in one hall)
    std::vector<std::string> services;
    std::string displayToken, counter;                // the call → event figure, at location 0
    std::function<std::string(int)> login;            // a staff log-in body at location l
};

const std::vector<std::string> kServices = {"paspoort", "ophalen", "rijbewijs", "verhuizing", "uittreksel", "geboorte", "overig"};

Deployment exampleHall(int kiosks) {
    Deployment d;
    d.config = std::string(LOKET_SOURCE_DIR) + "/firmware-config/hall.example.toml";
    d.kiosks = kiosks;
    d.kioskToken = [](int) { return std::string("demo-kiosk-token"); };
    d.locationOfKiosk = [](int) { return 0; };
    d.services = kServices;
    d.displayToken = "demo-display-token";
    d.counter = "b6";
    d.login = [](int) { return std::string(R"({"username":"demo","password":"demo-demo-demo"})"); };
    return d;
}

std::string sha256Hex(const std::string& text) {
    std::string out;
    if (FILE* p = popen(("printf %s '" + text + "' | sha256sum").c_str(), "r")) {
        char buf[128];
        if (fgets(buf, sizeof buf, p)) out = std::string(buf).substr(0, 64);
        pclose(p);
    }
    if (out.size() != 64) die("sha256sum failed");
    return out;
}

// A city of `locations` locations l0, l1, … with `kiosksPer` kiosks each, written to dir/city.toml.
Deployment writeCity(const fs::path& dir, int locations, int kiosksPer) {
    const std::string demoHash = "pbkdf2-sha256$100000$f978734a4e4586ba459cb46d6b6bacca$cc6937fb6e410b179a948807362d64ede013112ab1787f26f039d9d4e1718f36";
    Deployment d;
    d.config = (dir / "city.toml").string();
    d.kiosks = locations * kiosksPer;
    d.locations = locations;
    d.kioskToken = [kiosksPer](int k) { return "bench-l" + std::to_string(k / kiosksPer) + "-kiosk-" + std::to_string(k % kiosksPer); };
    d.locationOfKiosk = [kiosksPer](int k) { return k / kiosksPer; };
    d.services = {"ophalen", "uittreksel", "overig"};
    d.displayToken = "bench-l0-display";
    d.counter = "c1";
    d.login = [](int l) { return R"({"username":"demo","password":"demo-demo-demo","location":"l)" + std::to_string(l) + "\"}"; };
    std::ofstream out(d.config);
    out << "[hall]\nname = \"Bench city\"\ntimezone = \"Europe/Amsterdam\"\npublic_base_url = \"http://localhost:8080\"\n"
           "norm_s = 300\npolicy = \"norm\"\n\n[hours]\nalways = true\n";
    for (int l = 0; l < locations; ++l) {
        const std::string id = "l" + std::to_string(l);
        out << "\n[[location]]\nid = \"" << id << "\"\nname = \"Location " << l << "\"\n";
        const char* prefixes[] = {"B", "E", "O"};
        for (std::size_t s = 0; s < d.services.size(); ++s)
            out << "\n[[location.service]]\nid = \"" << d.services[s] << "\"\nprefix = \"" << prefixes[s] << "\"\nname = { nl = \""
                << d.services[s] << "\" }\nexpected_duration_s = 240\n";
        out << "\n[[location.counter]]\nid = \"c1\"\nname = \"Balie 1\"\nservices = [\"*\"]\n";
        for (int k = 0; k < kiosksPer; ++k)
            out << "\n[[location.device]]\nid = \"" << id << "-kiosk-" << k << "\"\nrole = \"kiosk\"\ntoken_sha256 = \""
                << sha256Hex(d.kioskToken(l * kiosksPer + k)) << "\"\ncheckins_per_minute = 6000000\ncheckin_burst = 1000000\n";
        out << "\n[[location.device]]\nid = \"" << id << "-display\"\nrole = \"display\"\ntoken_sha256 = \""
            << sha256Hex("bench-" + id + "-display") << "\"\n";
    }
    out << "\n[[staff]]\nusername = \"demo\"\nrole = \"counter\"\ncounters = [\"*\"]\npassword_hash = \"" << demoHash << "\"\n";
    if (!out) die("cannot write " + d.config);
    return d;
}

Server startServer(const std::string& binary, const fs::path& db, const std::string& store, const Deployment& deployment) {
    const std::string& config = deployment.config;
    std::vector<std::string> extra;
    if (!store.empty()) extra = {"--store", store};
    const auto started = bench::startServer(binary, db, config, extra);
    if (!started.port) die("the server did not start");
    return Server{started.pid, started.port};
}

// The instances as a device sees them: `first` in use, the others after it.
std::shared_ptr<net::ServerList> listFrom(const std::vector<const Server*>& servers, std::size_t first) {
    std::vector<net::ServerEndpoint> endpoints;
    for (std::size_t i = 0; i < servers.size(); ++i) endpoints.push_back({servers[(first + i) % servers.size()]->url(), {}});
    return std::make_shared<net::ServerList>(std::move(endpoints));
}

net::HttpClient kioskClient(std::shared_ptr<net::ServerList> list, const std::string& token) {
    net::HttpOptions o;
    o.token = token;
    o.connectTimeout = std::chrono::milliseconds(1500);
    o.timeout = std::chrono::milliseconds(10000);
    o.servers = std::move(list);
    return net::HttpClient(std::move(o));
}

// Which instance a kiosk tries first. Split: kiosk k on instance k % n, so every location's kiosks
// are spread over all instances (they take turns at each location's lock). Preferred: all kiosks of
// location l on instance l % n, the others after it (a city's devices listing the instances in the
// order IT configured, `[[server.also]]`).
enum class Layout { Split, Preferred };
const char* layoutName(Layout l) { return l == Layout::Split ? "split" : "preferred"; }
std::size_t firstServerOf(Layout layout, const Deployment& d, int kiosk, std::size_t servers) {
    const int key = layout == Layout::Split ? kiosk : d.locationOfKiosk(kiosk);
    return static_cast<std::size_t>(key) % servers;
}

// `checkins` check-ins from the deployment's kiosks at once, kiosk k starting on the server the
// layout gives it; the rate.
double runCheckins(const std::vector<const Server*>& servers, int checkins, const Deployment& d, const std::string& tag, std::atomic<int>& failed,
                   Layout layout = Layout::Split) {
    std::atomic<int> next{0};
    const auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (int k = 0; k < d.kiosks; ++k)
        threads.emplace_back([&, k] {
            auto http = kioskClient(listFrom(servers, firstServerOf(layout, d, k, servers.size())), d.kioskToken(k));
            for (int i; (i = next++) < checkins;) {
                const Json body = {{"service", d.services[static_cast<std::size_t>(i) % d.services.size()]}};
                auto r = http.post("/api/v1/tickets", body.dump(), net::RequestOptions{tag + "-" + std::to_string(i)});
                if (!r || r->status != 201) ++failed;
            }
        });
    for (auto& t : threads) t.join();
    return checkins / std::chrono::duration<double>(Clock::now() - t0).count();
}

using bench::percentile;

std::string staffToken(const Server& server, const std::string& loginBody) {
    net::HttpOptions options;
    options.baseUrl = server.url();
    net::HttpClient http(options);
    auto r = http.post("/api/v1/login", loginBody);
    if (!r) die("log-in failed: " + r.error().message);
    if (r->status != 200) die("log-in refused: " + r->body);
    return Json::parse(r->body)["token"];
}

struct Latency {
    std::vector<double> ms;
    std::size_t received = 0;
};

// `calls` × "next" + "complete" at the deployment's counter on `caller`; each ticket.called timed
// at a stream on `watcher` (location 0's display).
Latency callToEvent(const Server& caller, const Server& watcher, int calls, const Deployment& d) {
    std::mutex mutex;
    std::condition_variable arrived;
    std::map<std::string, Clock::time_point> seenAt; // ticket number → when its call reached the stream
    net::EventStreamOptions options;
    options.baseUrl = watcher.url();
    options.token = d.displayToken;
    net::EventStreamCallbacks callbacks;
    std::atomic<bool> connected{false};
    callbacks.onState = [&](net::StreamState s, const std::string&) {
        if (s == net::StreamState::Connected) connected = true;
    };
    callbacks.onEvent = [&](const net::SseEvent& ev) {
        if (ev.type != "ticket.called") return;
        const auto now = Clock::now();
        auto data = Json::parse(ev.data, nullptr, false);
        if (data.is_discarded()) return;
        std::lock_guard l(mutex);
        seenAt[data["call"]["number"].get<std::string>()] = now;
        arrived.notify_all();
    };
    net::EventStreamClient stream(options, callbacks);
    stream.start();
    while (!connected) std::this_thread::sleep_for(std::chrono::milliseconds(5)); // polling a condition
    net::HttpClient staff(net::HttpOptions{caller.url(), staffToken(caller, d.login(0))});
    (void)staff.post("/api/v1/counters/" + d.counter + "/open", "{}");
    Latency out;
    for (int i = 0; i < calls; ++i) {
        const auto sent = Clock::now();
        auto r = staff.post("/api/v1/counters/" + d.counter + "/next", "{}");
        if (!r || r->status != 200) die("next failed: " + (r ? std::to_string(r->status) : r.error().message));
        const auto ticket = Json::parse(r->body)["ticket"];
        const std::string number = ticket["number"];
        {
            // One call at a time, as a clerk presses: wait for it to arrive (at most 2 s) before the next.
            std::unique_lock l(mutex);
            if (arrived.wait_for(l, std::chrono::seconds(2), [&] { return seenAt.count(number) > 0; })) {
                out.ms.push_back(std::chrono::duration<double, std::milli>(seenAt[number] - sent).count());
                ++out.received;
            }
        }
        (void)staff.post("/api/v1/tickets/" + ticket["id"].dump() + "/complete", R"({"outcome":"handled"})");
    }
    stream.stop();
    return out;
}

struct Failover {
    double worstMs = 0, medianMs = 0;
    int acknowledged = 0, found = 0, failed = 0, movedKiosks = 0;
};

// Kiosks check in through A and B; A is killed once `killAfter` check-ins were acknowledged.
// Each kiosk of the deployment (at most `kiosks`) checks in `perKiosk` times.
Failover failover(Server& a, const Server& b, int kiosks, int perKiosk, int killAfter, const Deployment& d) {
    std::mutex mutex;
    std::set<std::pair<int, long long>> acknowledged; // (location, ticket id): ids are a location's own
    std::atomic<int> count{0}, failed{0};
    std::atomic<bool> killed{false};
    Clock::time_point killedAt;
    std::vector<double> gaps;
    std::vector<std::thread> threads;
    const std::vector<const Server*> servers{&a, &b};
    for (int k = 0; k < kiosks; ++k)
        threads.emplace_back([&, k] {
            auto list = listFrom(servers, static_cast<std::size_t>(k) % 2);
            auto http = kioskClient(list, d.kioskToken(k));
            bool counted = false;
            for (int i = 0; i < perKiosk; ++i) {
                const Json body = {{"service", d.services[static_cast<std::size_t>(i + k) % d.services.size()]}};
                const std::string key = "failover-" + std::to_string(k) + "-" + std::to_string(i);
                auto r = http.postWithRetry("/api/v1/tickets", body.dump(), key);
                if (!r || r->status != 201) {
                    ++failed;
                    continue;
                }
                const auto now = Clock::now();
                std::lock_guard l(mutex);
                acknowledged.insert({d.locationOfKiosk(k), Json::parse(r->body)["ticket"]["id"].get<long long>()});
                ++count;
                // The first check-in served after the kill to a kiosk that was using A.
                if (killed && !counted && k % 2 == 0 && list->moves() > 0) {
                    counted = true;
                    gaps.push_back(std::chrono::duration<double, std::milli>(now - killedAt).count());
                }
            }
        });
    while (count < killAfter) std::this_thread::sleep_for(std::chrono::milliseconds(1)); // polling a condition
    {
        std::lock_guard l(mutex);
        killedAt = Clock::now();
        a.kill9();
        killed = true;
    }
    for (auto& t : threads) t.join();
    Failover out;
    out.acknowledged = static_cast<int>(acknowledged.size());
    out.failed = failed;
    out.movedKiosks = static_cast<int>(gaps.size());
    out.worstMs = gaps.empty() ? 0 : *std::max_element(gaps.begin(), gaps.end());
    out.medianMs = percentile(gaps, 0.5);
    std::set<std::pair<int, long long>> stored;
    for (int l = 0; l < d.locations; ++l) {
        net::HttpClient staff(net::HttpOptions{b.url(), staffToken(b, d.login(l))});
        if (auto all = staff.get("/api/v1/tickets"))
            for (const auto& t : Json::parse(all->body)) stored.insert({l, t["id"].get<long long>()});
    }
    for (const auto& ticket : acknowledged) out.found += stored.count(ticket) ? 1 : 0;
    return out;
}

// CPU seconds used by each process of a run: the benchmark (its kiosks' and staff's client code),
// the servers, PostgreSQL. Differences of two samples, per check-in, show where the CPU went.
struct CpuSample {
    double bench = 0, pg = 0;
    std::vector<double> servers;
};
CpuSample sampleCpu(const std::vector<const Server*>& servers, const Postgres* postgres) {
    CpuSample s;
    s.bench = cpuSeconds(getpid(), false);
    for (const Server* server : servers) s.servers.push_back(cpuSeconds(server->pid, true));
    if (postgres) s.pg = postgres->cpuSeconds();
    return s;
}
void printCpu(const char* tag, const CpuSample& before, const CpuSample& after, int checkins) {
    auto per = [&](double a, double b) { return (b - a) * 1000.0 / checkins; };
    double total = per(before.bench, after.bench) + per(before.pg, after.pg);
    std::printf("%s: CPU per check-in: kiosks (the benchmark) %.3f ms", tag, per(before.bench, after.bench));
    for (std::size_t i = 0; i < after.servers.size(); ++i) {
        std::printf(", server %c %.3f ms", static_cast<char>('A' + i), per(before.servers[i], after.servers[i]));
        total += per(before.servers[i], after.servers[i]);
    }
    if (after.pg > 0) std::printf(", PostgreSQL %.3f ms", per(before.pg, after.pg));
    std::printf(", total %.3f ms\n", total);
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, nullptr, _IOLBF, 0);
    int checkins = 4000, kiosks = 60, calls = 500, failoverKiosks = 12, cityLocations = 0, cityKiosks = 0;
    std::string serverBinary = LOKET_SERVER_BIN, layouts = "both";
    bool withSqlite = true, withFailover = true, statements = false;
    std::vector<std::string> pgOptions;
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (!std::strcmp(argv[i], "--no-sqlite")) withSqlite = false;
        else if (!std::strcmp(argv[i], "--no-failover")) withFailover = false;
        else if (!std::strcmp(argv[i], "--statements")) statements = true;
        else if (!hasValue) die(std::string("unknown or incomplete option ") + argv[i]);
        else if (!std::strcmp(argv[i], "--city")) {
            if (std::sscanf(argv[++i], "%dx%d", &cityLocations, &cityKiosks) != 2) die("--city LxK, for example 10x6");
        } else if (!std::strcmp(argv[i], "--checkins")) checkins = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--kiosks")) kiosks = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--calls")) calls = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--failover-kiosks")) failoverKiosks = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--server")) serverBinary = argv[++i];
        else if (!std::strcmp(argv[i], "--layout")) layouts = argv[++i];
        else if (!std::strcmp(argv[i], "--pg-option")) pgOptions.push_back(argv[++i]);
        else die(std::string("unknown option ") + argv[i]);
    }
    if (checkins < 100 || checkins > 6000 || kiosks < 2 || (calls != 0 && calls < 10) || calls > checkins || failoverKiosks < 2)
        die("--checkins 100..6000 (7 services, 999 numbers each), --kiosks ≥ 2, --calls 10..checkins (0: none), --failover-kiosks ≥ 2");
    if (cityLocations && (cityLocations < 1 || cityLocations > 50 || cityKiosks < 1 || cityKiosks > 20))
        die("--city: 1..50 locations of 1..20 kiosks");
    if (layouts != "both" && layouts != "split" && layouts != "preferred") die("--layout split, preferred or both");
    std::vector<Layout> runLayouts;
    if (!cityLocations || layouts != "preferred") runLayouts.push_back(Layout::Split);
    if (cityLocations && layouts != "split") runLayouts.push_back(Layout::Preferred);
    std::printf("loket-bench-postgres: load average at start %s\n", loadAverage().c_str());
    if (statements) pgOptions.push_back("shared_preload_libraries=pg_stat_statements");
    Postgres postgres(pgOptions);
    if (statements) (void)postgres.sql("CREATE EXTENSION pg_stat_statements");
    std::printf("PostgreSQL: fsync=%s synchronous_commit=%s", postgres.show("fsync").c_str(), postgres.show("synchronous_commit").c_str());
    for (const std::string& o : pgOptions) std::printf(" %s", o.c_str());
    std::printf("\n");
    const char* base = std::getenv("LOKET_BENCH_DIR");
    const fs::path dir = fs::path(base ? base : fs::temp_directory_path().string()) / ("loket-bench-pg-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const Deployment deployment = cityLocations ? writeCity(dir, cityLocations, cityKiosks) : exampleHall(kiosks);
    if (cityLocations) {
        kiosks = deployment.kiosks;
        failoverKiosks = deployment.kiosks;
        calls = std::min(calls, checkins / cityLocations / 2); // the first location's visitors, with room to spare
        std::printf("city: %d locations x %d kiosks, each kiosk its own token\n", cityLocations, cityKiosks);
    }

    // SQLite: one server, the same load.
    if (withSqlite) {
        Server sqlite = startServer(serverBinary, dir / "sqlite.db", "", deployment);
        const std::vector<const Server*> one{&sqlite};
        std::atomic<int> failed{0};
        const CpuSample before = sampleCpu(one, nullptr);
        const double rate = runCheckins(one, checkins, deployment, "sqlite", failed);
        printCpu("sqlite", before, sampleCpu(one, nullptr), checkins);
        std::printf("sqlite: check-ins: %d from %d kiosks = %.0f durable check-ins/s (%d failed)\n", checkins, kiosks, rate, failed.load());
        const auto lat = calls ? callToEvent(sqlite, sqlite, calls, deployment) : Latency{};
        if (calls) std::printf("sqlite: call -> event on the same server: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%zu/%d received)\n",
                    percentile(lat.ms, 0.5), percentile(lat.ms, 0.99), lat.ms.empty() ? 0.0 : *std::max_element(lat.ms.begin(), lat.ms.end()),
                    lat.received, calls);
        sqlite.stop();
    }

    // PostgreSQL: two instances on one database.
    Server a = startServer(serverBinary, dir / "a.db", postgres.url(), deployment);
    Server b = startServer(serverBinary, dir / "b.db", postgres.url(), deployment);
    {
        const std::vector<const Server*> both{&a, &b};
        // A city runs the check-ins once per layout.
        const int perRun = checkins;
        for (Layout layout : runLayouts) {
            std::atomic<int> failed{0};
            const std::string tag = std::string("postgresql") + (cityLocations ? std::string(" (") + layoutName(layout) + ")" : "");
            if (statements) postgres.resetStatements();
            const CpuSample before = sampleCpu(both, &postgres);
            const double rate = runCheckins(both, perRun, deployment, std::string("pg-") + layoutName(layout), failed, layout);
            printCpu(tag.c_str(), before, sampleCpu(both, &postgres), perRun);
            std::printf("%s: check-ins: %d from %d kiosks over 2 instances = %.0f durable check-ins/s (%d failed)\n", tag.c_str(), perRun,
                        kiosks, rate, failed.load());
            if (statements) postgres.printStatements(tag.c_str(), perRun);
        }
        const auto lat = calls ? callToEvent(a, b, calls, deployment) : Latency{};
        if (calls) std::printf("postgresql: call on A -> event on B: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%zu/%d received)\n",
                    percentile(lat.ms, 0.5), percentile(lat.ms, 0.99), lat.ms.empty() ? 0.0 : *std::max_element(lat.ms.begin(), lat.ms.end()),
                    lat.received, calls);
    }
    if (!withFailover) {
        a.stop();
        b.stop();
        std::printf("loket-bench-postgres: load average at the end %s\n", loadAverage().c_str());
        fs::remove_all(dir);
        return 0;
    }
    // Failover on a fresh day's worth of numbers: the rest of the 999 per service.
    // (A city: numbers per location and service, so every kiosk takes part.)
    const int used = checkins * static_cast<int>(runLayouts.size());
    const int perKiosk = cityLocations ? std::max(10, (999 * 3 - used / cityLocations) / cityKiosks / 2)
                                       : std::max(10, (6500 - checkins) / failoverKiosks / 2);
    const auto f = failover(a, b, failoverKiosks, perKiosk, failoverKiosks * perKiosk / 3, deployment);
    std::printf("postgresql: failover: kill -9 of A -> first check-in served by B to a kiosk that used A: median %.0f ms, worst %.0f ms "
                "(%d kiosks moved)\n",
                f.medianMs, f.worstMs, f.movedKiosks);
    std::printf("postgresql: failover: %d check-ins acknowledged, %d of them in the database after the kill, %d failed\n", f.acknowledged,
                f.found, f.failed);
    b.stop();
    std::printf("loket-bench-postgres: load average at the end %s\n", loadAverage().c_str());
    fs::remove_all(dir);
    return f.found == f.acknowledged ? 0 : 1;
}
