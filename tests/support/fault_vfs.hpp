// Fault injection for SQLite, for tests only. `libloket_fault_vfs.so` is preloaded into the real
// loket-server (LD_PRELOAD) and registers itself as SQLite's default VFS, wrapping the real one:
// every open, write, sync and truncate passes through it and is counted. A test steers it through
// a small control block in a shared file (the path in LOKET_FAULT_VFS_CONTROL) that both
// processes map:
//   - fail the Nth counted operation (once, or from then on until cleared) with SQLITE_IOERR or
//     SQLITE_FULL, as a failing disk or a full filesystem would;
//   - cut the power at the Nth operation, as SQLite's own crash tests do: every byte written since
//     the file's last sync is lost, kept, or torn sector by sector (seeded), and the process ends
//     at once with exit code kPowerCutExitCode;
//   - hold the thread that makes the Nth counted operation until the test releases it, so the
//     test can run other work (commits) while, say, a checkpoint is half-written: a race made
//     to happen, at the same point every run. A power cut set for that N before the release
//     then happens there.
// Nothing here is linked into a program that ships; the server needs no hook to use it.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>

namespace loket::test {

// Which operations count towards N and may fail.
enum FaultKind : std::uint32_t {
    kFaultOpen = 1u << 0,
    kFaultWrite = 1u << 1,
    kFaultSync = 1u << 2,
    kFaultTruncate = 1u << 3,
    kFaultAll = kFaultOpen | kFaultWrite | kFaultSync | kFaultTruncate,
    // With this bit, only operations on a main database file count (not its write-ahead log or
    // a journal). In WAL mode only checkpoints write and sync the database file itself.
    kFaultMainDbOnly = 1u << 8,
};

inline constexpr int kPowerCutExitCode = 86;
inline constexpr std::uint32_t kFaultControlMagic = 0x4c4b4656; // "LKFV"

// Lives in a shared file mapping: plain lock-free atomics only (address-free on x86-64 and ARM).
struct FaultControlBlock {
    std::uint32_t magic;
    std::atomic<std::uint32_t> armed;       // 0: count nothing, fail nothing
    std::atomic<std::uint32_t> kinds;       // FaultKind bits that count and may fail
    std::atomic<std::int32_t> errorCode;    // SQLITE_IOERR or SQLITE_FULL
    std::atomic<std::int64_t> ops;          // counted operations so far (while armed)
    std::atomic<std::int64_t> failAt;       // the first op that fails (1-based); 0 = none
    std::atomic<std::int64_t> failCount;    // how many fail from there; -1 = until cleared
    std::atomic<std::int64_t> injected;     // faults injected so far
    std::atomic<std::int64_t> powerCutAt;   // the op at which the power fails; 0 = never
    std::atomic<std::uint64_t> seed;        // what a power cut keeps, loses or tears
    std::atomic<std::int64_t> writes, syncs, opens, truncates; // all operations seen (armed or not)
    std::atomic<std::int64_t> pauseAt;      // the op whose thread waits for a release; 0 = none
    std::atomic<std::uint32_t> paused;      // 1 while that thread waits
};
static_assert(std::atomic<std::int64_t>::is_always_lock_free);

// The test's side: creates the control file and maps it.
class FaultControl {
public:
    explicit FaultControl(std::filesystem::path file);
    ~FaultControl();
    FaultControl(const FaultControl&) = delete;
    FaultControl& operator=(const FaultControl&) = delete;

    // The environment a server needs to run under the shim.
    std::string preloadEnv() const;   // LD_PRELOAD=…
    std::string controlEnv() const;   // LOKET_FAULT_VFS_CONTROL=…

    // Starts counting from zero; nothing fails yet.
    void arm(std::uint32_t kinds = kFaultWrite | kFaultSync | kFaultTruncate);
    void disarm();                    // stop counting (e.g. while a checker reads the file)
    void resume() { m_block->armed = 1; } // count on from where it stopped
    // The op `n` (counted from the last arm) and the `count - 1` after it fail; count -1: all.
    void failAt(std::int64_t n, int errorCode, std::int64_t count = 1);
    void failFromNow(int errorCode) { failAt(ops() + 1, errorCode, -1); }
    void clearFaults();
    void powerCutAt(std::int64_t n, std::uint64_t seed);
    // Op `n`'s thread waits, before the op, until release(); paused() says it is waiting.
    void pauseAt(std::int64_t n) { m_block->pauseAt = n; }
    bool paused() const { return m_block->paused.load() != 0; }
    void release() { m_block->paused = 0; }

    std::int64_t ops() const { return m_block->ops.load(); }
    std::int64_t injected() const { return m_block->injected.load(); }
    const FaultControlBlock& block() const { return *m_block; }

private:
    std::filesystem::path m_file;
    FaultControlBlock* m_block = nullptr;
};

} // namespace loket::test
