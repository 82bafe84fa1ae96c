#include "postgres_listener.hpp"

#include "postgres_connection.hpp"

#include <libpq-fe.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <poll.h>
#include <unistd.h>

namespace loket::server::pg {

// One listening connection and its thread for every subscription of the process on one URL.
class Listener::Hub {
public:
    explicit Hub(std::string url) : m_url(std::move(url)) {
        if (pipe(m_wake) != 0) return; // no pipe, no thread: nothing is announced to this instance
        m_thread = std::thread([this] { run(); });
    }

    ~Hub() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        wake();
        if (m_thread.joinable()) m_thread.join();
        for (int fd : m_wake)
            if (fd >= 0) close(fd);
    }

    // The hub of `url`, shared while any subscription holds it.
    static std::shared_ptr<Hub> of(const std::string& url) {
        static std::mutex registryMutex;
        static std::map<std::string, std::weak_ptr<Hub>> registry;
        std::lock_guard lock(registryMutex);
        if (auto hub = registry[url].lock()) return hub;
        auto hub = std::make_shared<Hub>(url);
        registry[url] = hub;
        return hub;
    }

    std::uint64_t add(std::string channel, std::function<void(const std::string&)> notified, std::function<void()> lost) {
        std::uint64_t id;
        {
            std::lock_guard lock(m_mutex);
            id = m_nextId++;
            m_subs.emplace(id, Subscription{std::move(channel), std::move(notified), std::move(lost), false});
        }
        wake(); // the thread LISTENs on the channel, then says "*"
        return id;
    }

    void remove(std::uint64_t id) {
        std::unique_lock lock(m_mutex);
        // Its function may be running on the hub's thread: it is still in use until it returns
        // (unless the function itself unsubscribes).
        if (std::this_thread::get_id() != m_thread.get_id()) m_idle.wait(lock, [&] { return m_running != id; });
        m_subs.erase(id);
    }

private:
    struct Subscription {
        std::string channel;
        std::function<void(const std::string&)> notified;
        std::function<void()> lost;
        bool told = false; // "*" said since the channel was last listened to
    };

    void wake() {
        const char one = 1;
        if (m_wake[1] >= 0) (void)!write(m_wake[1], &one, 1);
    }

    // Runs subscription `id`'s `call` on this thread, outside the lock (nothing when it is gone).
    template <typename Call>
    void runFor(std::unique_lock<std::mutex>& lock, std::uint64_t id, Call call) {
        auto it = m_subs.find(id);
        if (it == m_subs.end()) return;
        m_running = id;
        Subscription& sub = it->second; // stays: remove() waits while m_running is its id
        lock.unlock();
        call(sub);
        lock.lock();
        m_running = 0;
        m_idle.notify_all();
    }

    void run() {
        std::unique_ptr<Connection> conn;
        std::set<std::string> listening; // the channels LISTENed on `conn`
        for (;;) {
            std::unique_lock lock(m_mutex);
            if (m_stop) return;
            if (!conn) {
                lock.unlock();
                if (auto opened = Connection::open(m_url)) conn = std::move(opened.value());
                lock.lock();
                listening.clear();
            }
            if (conn) {
                // LISTEN on every channel a subscription wants, then tell those not told yet.
                std::set<std::string> wanted;
                for (const auto& [id, sub] : m_subs) wanted.insert(sub.channel);
                lock.unlock();
                bool ok = true;
                for (const std::string& channel : wanted) {
                    if (listening.count(channel)) continue;
                    if (!conn->script("listening for " + channel, ("LISTEN " + channel).c_str())) {
                        ok = false;
                        break;
                    }
                    listening.insert(channel);
                }
                lock.lock();
                if (!ok) {
                    conn.reset();
                    loseAll(lock);
                    // Not at once again: a database that refuses LISTEN is tried every second.
                    lock.unlock();
                    pollfd stop{m_wake[0], POLLIN, 0};
                    (void)poll(&stop, 1, 1000);
                    continue;
                }
                std::vector<std::uint64_t> toTell;
                for (const auto& [id, sub] : m_subs)
                    if (!sub.told && listening.count(sub.channel)) toTell.push_back(id);
                for (std::uint64_t id : toTell)
                    runFor(lock, id, [](Subscription& sub) {
                        sub.told = true;
                        sub.notified("*"); // whatever was announced while nobody listened
                    });
            }
            if (m_stop) return;
            lock.unlock();

            pollfd fds[2] = {{m_wake[0], POLLIN, 0}, {conn ? PQsocket(conn->raw()) : -1, POLLIN, 0}};
            // Without a connection, try again after a second (or when told to stop).
            if (poll(fds, conn ? 2 : 1, conn ? -1 : 1000) < 0) continue;
            if (fds[0].revents) {
                char drain[64];
                (void)!read(m_wake[0], drain, sizeof drain);
            }
            if (!conn || !fds[1].revents) continue;
            if (!PQconsumeInput(conn->raw())) {
                conn.reset(); // lost: reconnect, and every subscription reads what it missed
                lock.lock();
                loseAll(lock);
                continue;
            }
            std::vector<std::pair<std::string, std::string>> notices;
            while (PGnotify* n = PQnotifies(conn->raw())) {
                notices.emplace_back(n->relname ? n->relname : "", n->extra ? n->extra : "*");
                PQfreemem(n);
            }
            lock.lock();
            for (const auto& [channel, payload] : notices) {
                std::vector<std::uint64_t> ids;
                for (const auto& [id, sub] : m_subs)
                    if (sub.channel == channel && sub.told) ids.push_back(id);
                for (std::uint64_t id : ids) runFor(lock, id, [&](Subscription& sub) { sub.notified(payload); });
            }
        }
    }

    // The connection is gone: every subscription is told so, and hears "*" once listening again.
    void loseAll(std::unique_lock<std::mutex>& lock) {
        std::vector<std::uint64_t> ids;
        for (auto& [id, sub] : m_subs) {
            sub.told = false;
            if (sub.lost) ids.push_back(id);
        }
        for (std::uint64_t id : ids) runFor(lock, id, [](Subscription& sub) { sub.lost(); });
    }

    const std::string m_url;
    int m_wake[2] = {-1, -1};
    std::mutex m_mutex;
    std::condition_variable m_idle;                 // a subscription's function returned
    std::map<std::uint64_t, Subscription> m_subs;
    std::uint64_t m_nextId = 1;
    std::uint64_t m_running = 0;                    // the subscription whose function runs now
    bool m_stop = false;
    std::thread m_thread;
};

Listener::Listener(const std::string& url, std::string channel, std::function<void(const std::string&)> notified,
                   std::function<void()> lost)
    : m_hub(Hub::of(url)) {
    m_id = m_hub->add(std::move(channel), std::move(notified), std::move(lost));
}

Listener::~Listener() { m_hub->remove(m_id); }

} // namespace loket::server::pg
