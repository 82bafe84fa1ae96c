// The worker → UI queue both programs use: items arrive in order, a push wakes a waiting main
// loop at once (no polling), and the notify hook runs for a loop that sleeps elsewhere.
#include "shared/ui/main_queue.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using loket::ui::MainQueue;
using namespace std::chrono_literals;

TEST_CASE("main queue: the main thread drains what workers pushed, oldest first") {
    MainQueue<int> queue;
    CHECK_FALSE(queue.waitFor(0ms));
    queue.push(1);
    queue.push(2);
    CHECK(queue.waitFor(0ms));
    CHECK(queue.drain() == std::vector<int>{1, 2});
    CHECK(queue.drain().empty());
}

TEST_CASE("main queue: a push from another thread ends the main thread's wait") {
    MainQueue<std::string> queue;
    std::thread worker([&] { queue.push("ticket"); });
    const auto started = std::chrono::steady_clock::now();
    // A generous limit: the wait ends by the push, long before it.
    REQUIRE(queue.waitFor(60s));
    CHECK(std::chrono::steady_clock::now() - started < 30s);
    worker.join();
    CHECK(queue.drain() == std::vector<std::string>{"ticket"});
}

TEST_CASE("main queue: the notify hook runs on the pushing thread after the item is queued") {
    MainQueue<int> queue;
    std::atomic<int> notified{0};
    std::size_t seenInQueue = 0;
    queue.setNotify([&] { ++notified; });
    std::thread worker([&] { queue.push(7); });
    worker.join();
    CHECK(notified == 1);
    seenInQueue = queue.drain().size();
    CHECK(seenInQueue == 1);
}
