// The SQLite store's write-ahead log in a burst: commits that keep coming must not keep the log
// from being started again. Each time the checkpointer has folded the log in, the writer's next
// commit starts it from its beginning, so SQLite overwrites old frames instead of appending to a
// file that grows for the whole burst (an fsync after an append costs about twice one after an
// overwrite on ext4; docs/benchmarks.md).
#include "server/sqlite_event_store.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace loket;
using namespace loket::server;

namespace {

struct LogFolder {
    std::filesystem::path path;
    LogFolder() {
        char tmpl[] = "/tmp/loket-wal-XXXXXX"; // on the machine's disk, where the log's syncs take time
        path = mkdtemp(tmpl);
    }
    ~LogFolder() { std::filesystem::remove_all(path); }
};

// How often SQLite has started this log again: the checkpoint sequence, the big-endian word at
// byte 12 of the log's header (sqlite.org/fileformat.html), counts up by one on each restart.
std::uint32_t logRestarts(const std::filesystem::path& wal) {
    unsigned char word[4] = {0, 0, 0, 0};
    std::ifstream in(wal, std::ios::binary);
    in.seekg(12);
    in.read(reinterpret_cast<char*>(word), sizeof word);
    return static_cast<std::uint32_t>(word[0]) << 24 | static_cast<std::uint32_t>(word[1]) << 16 |
           static_cast<std::uint32_t>(word[2]) << 8 | word[3];
}

// A group of eight commands of one event each, about a log page apiece.
std::vector<CommitBatch> groupOfEight(int first) {
    std::vector<CommitBatch> group(8);
    for (int i = 0; i < 8; ++i)
        group[static_cast<std::size_t>(i)].events.emplace_back("note", "{\"n\":" + std::to_string(first + i) + ",\"text\":\"" + std::string(3000, 'x') + "\"}");
    return group;
}

} // namespace

TEST_CASE("store: in a burst of commits the write-ahead log starts again after each checkpoint, and nothing committed is lost") {
    LogFolder folder;
    const auto db = folder.path / "hall.db";
    const auto wal = std::filesystem::path(db.string() + "-wal");
    int committed = 0;
    std::uint32_t restartsAtStart = 0, restarts = 0;
    {
        auto opened = SqliteEventStore::open(db);
        REQUIRE(opened);
        EventStore& store = *opened.value();
        REQUIRE(store.commitGroup(groupOfEight(committed)));
        committed += 8;
        restartsAtStart = logRestarts(wal);
        // Commit without a pause, as a burst does, until SQLite has started the log again three
        // times. Without the restart in the writer's turn, every checkpoint races these commits and
        // the log grows to the end; the bound (40 checkpoints' worth of pages) fails the test then.
        const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(2);
        while (logRestarts(wal) - restartsAtStart < 3 && committed < 40 * SqliteEventStore::kCheckpointPages &&
               std::chrono::steady_clock::now() < until) {
            REQUIRE(store.commitGroup(groupOfEight(committed)));
            committed += 8;
        }
        restarts = logRestarts(wal) - restartsAtStart;
        INFO("committed " << committed << " commands; log file " << std::filesystem::file_size(wal) << " bytes");
        CHECK(restarts >= 3);
    }
    // Every commit is there after the store is closed and opened again.
    auto reopened = SqliteEventStore::open(db);
    REQUIRE(reopened);
    auto events = reopened.value()->loadEvents();
    REQUIRE(events);
    REQUIRE(events->size() == static_cast<std::size_t>(committed));
    CHECK(events->back().body.find("\"n\":" + std::to_string(committed - 1) + ",") != std::string::npos);
}
