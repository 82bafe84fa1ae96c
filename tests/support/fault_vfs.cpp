// The fault-injecting SQLite VFS (see fault_vfs.hpp). Built as a shared library and preloaded into
// the server under test; it registers itself as the default VFS when LOKET_FAULT_VFS_CONTROL names
// a control file, and does nothing otherwise.
//
// A power cut is simulated like SQLite's crash tests do (test6.c): for each file the shim keeps
// what every write or truncate since that file's last xSync replaced. At the cut it walks these
// changes backwards and, seeded, keeps each one, loses it (the old bytes and size come back) or
// tears it (each 512-byte sector kept or lost on its own; a lost sector past the old end of the
// file reads as zeros), then ends the process with _exit — no destructor, no close, no checkpoint.
#include "fault_vfs.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <string>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace {

using loket::test::FaultControlBlock;
using loket::test::FaultKind;

FaultControlBlock* g_control = nullptr;
sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;

constexpr std::int64_t kSector = 512;

// What one write or truncate since the last sync replaced.
struct Change {
    std::int64_t offset = 0;
    std::int64_t length = 0;      // bytes written (0 for a truncate)
    std::int64_t sizeBefore = 0;  // the file's size before the change
    std::string before;           // the bytes the change replaced or cut off, up to sizeBefore
};

std::mutex g_journalMutex;
std::map<std::string, std::vector<Change>> g_unsynced; // by path

struct FaultFile {
    sqlite3_file base;
    sqlite3_file* real;
    const char* path; // valid until xClose (SQLite's promise); null for temporary files
    bool mainDb;      // a main database file (not a log or a journal)
};

sqlite3_file* realOf(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f)->real; }

std::uint64_t nextRandom(std::uint64_t& state) {
    // xorshift64*: enough to choose what a cut keeps, and the same for the same seed.
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
}

void restore(int fd, std::int64_t at, const Change& c, std::int64_t length) {
    // The old bytes where there were any, zeros past the old end of the file.
    std::string bytes(static_cast<std::size_t>(length), '\0');
    const std::int64_t rel = at - c.offset;
    if (rel < static_cast<std::int64_t>(c.before.size()))
        std::memcpy(bytes.data(), c.before.data() + rel, static_cast<std::size_t>(std::min<std::int64_t>(length, static_cast<std::int64_t>(c.before.size()) - rel)));
    if (pwrite(fd, bytes.data(), bytes.size(), at) < 0) std::perror("fault vfs: power cut: pwrite");
}

[[noreturn]] void powerCut() {
    std::uint64_t state = g_control->seed.load() | 1;
    {
        std::lock_guard lock(g_journalMutex);
        for (auto& [path, changes] : g_unsynced) {
            int fd = ::open(path.c_str(), O_WRONLY);
            if (fd < 0) continue; // deleted since: nothing to undo
            for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
                const Change& c = *it;
                const auto fate = nextRandom(state) % 3; // 0 kept, 1 lost, 2 torn
                if (fate == 0) continue;
                if (c.length == 0) { // a truncate that never reached the disk
                    if (ftruncate(fd, c.sizeBefore) != 0) std::perror("fault vfs: power cut: ftruncate");
                    restore(fd, c.offset, c, static_cast<std::int64_t>(c.before.size()));
                    continue;
                }
                for (std::int64_t at = c.offset; at < c.offset + c.length;) {
                    const std::int64_t end = std::min(c.offset + c.length, (at / kSector + 1) * kSector);
                    if (fate == 1 || nextRandom(state) % 2) restore(fd, at, c, end - at);
                    at = end;
                }
                if (fate == 1 && c.offset + c.length > c.sizeBefore && ftruncate(fd, c.sizeBefore) != 0)
                    std::perror("fault vfs: power cut: ftruncate");
            }
            ::close(fd);
        }
    }
    std::fprintf(stderr, "fault vfs: power cut at operation %lld\n", static_cast<long long>(g_control->ops.load()));
    _exit(loket::test::kPowerCutExitCode);
}

// Counts one operation; returns the error to inject, or SQLITE_OK.
int account(FaultKind kind, int ioerr, bool mainDb) {
    FaultControlBlock& c = *g_control;
    switch (kind) {
    case loket::test::kFaultOpen: c.opens += 1; break;
    case loket::test::kFaultWrite: c.writes += 1; break;
    case loket::test::kFaultSync: c.syncs += 1; break;
    default: c.truncates += 1; break;
    }
    const std::uint32_t kinds = c.kinds.load();
    if (!c.armed.load() || !(kinds & kind)) return SQLITE_OK;
    if ((kinds & loket::test::kFaultMainDbOnly) && !mainDb) return SQLITE_OK;
    const std::int64_t n = c.ops.fetch_add(1) + 1;
    if (c.pauseAt.load() == n) {
        c.paused = 1;
        const timespec tick{0, 1000000}; // waits for the test's release, however long it takes
        while (c.paused.load()) nanosleep(&tick, nullptr);
    }
    if (c.powerCutAt.load() == n) powerCut();
    const std::int64_t at = c.failAt.load(), count = c.failCount.load();
    if (at > 0 && n >= at && (count < 0 || n < at + count)) {
        c.injected += 1;
        const int code = c.errorCode.load();
        return code == SQLITE_IOERR ? ioerr : code;
    }
    return SQLITE_OK;
}

std::int64_t sizeOf(sqlite3_file* real) {
    sqlite3_int64 size = 0;
    return real->pMethods->xFileSize(real, &size) == SQLITE_OK ? size : 0;
}

std::string readRange(sqlite3_file* real, std::int64_t offset, std::int64_t length) {
    std::string out(static_cast<std::size_t>(std::max<std::int64_t>(length, 0)), '\0');
    if (length > 0) (void)real->pMethods->xRead(real, out.data(), static_cast<int>(length), offset); // short reads zero-fill
    return out;
}

void remember(FaultFile* f, Change change) {
    if (!f->path) return;
    std::lock_guard lock(g_journalMutex);
    g_unsynced[f->path].push_back(std::move(change));
}

int xClose(sqlite3_file* f) {
    int rc = realOf(f)->pMethods ? realOf(f)->pMethods->xClose(realOf(f)) : SQLITE_OK;
    f->pMethods = nullptr;
    return rc;
}
int xRead(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) { return realOf(f)->pMethods->xRead(realOf(f), buf, amt, off); }
int xWrite(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
    auto* ff = reinterpret_cast<FaultFile*>(f);
    if (int rc = account(loket::test::kFaultWrite, SQLITE_IOERR_WRITE, ff->mainDb); rc != SQLITE_OK) return rc;
    if (ff->path) {
        const std::int64_t size = sizeOf(ff->real);
        remember(ff, Change{off, amt, size, readRange(ff->real, off, std::min<std::int64_t>(amt, size - off))});
    }
    return ff->real->pMethods->xWrite(ff->real, buf, amt, off);
}
int xTruncate(sqlite3_file* f, sqlite3_int64 size) {
    auto* ff = reinterpret_cast<FaultFile*>(f);
    if (int rc = account(loket::test::kFaultTruncate, SQLITE_IOERR_TRUNCATE, ff->mainDb); rc != SQLITE_OK) return rc;
    if (ff->path) {
        const std::int64_t before = sizeOf(ff->real);
        if (before > size) remember(ff, Change{size, 0, before, readRange(ff->real, size, before - size)});
    }
    return ff->real->pMethods->xTruncate(ff->real, size);
}
int xSync(sqlite3_file* f, int flags) {
    auto* ff = reinterpret_cast<FaultFile*>(f);
    if (int rc = account(loket::test::kFaultSync, SQLITE_IOERR_FSYNC, ff->mainDb); rc != SQLITE_OK) return rc;
    int rc = ff->real->pMethods->xSync(ff->real, flags);
    if (rc == SQLITE_OK && ff->path) {
        std::lock_guard lock(g_journalMutex);
        g_unsynced.erase(ff->path);
    }
    return rc;
}
int xFileSize(sqlite3_file* f, sqlite3_int64* size) { return realOf(f)->pMethods->xFileSize(realOf(f), size); }
int xLock(sqlite3_file* f, int l) { return realOf(f)->pMethods->xLock(realOf(f), l); }
int xUnlock(sqlite3_file* f, int l) { return realOf(f)->pMethods->xUnlock(realOf(f), l); }
int xCheckReservedLock(sqlite3_file* f, int* out) { return realOf(f)->pMethods->xCheckReservedLock(realOf(f), out); }
int xFileControl(sqlite3_file* f, int op, void* arg) { return realOf(f)->pMethods->xFileControl(realOf(f), op, arg); }
int xSectorSize(sqlite3_file* f) { return realOf(f)->pMethods->xSectorSize(realOf(f)); }
int xDeviceCharacteristics(sqlite3_file* f) { return realOf(f)->pMethods->xDeviceCharacteristics(realOf(f)); }
int xShmMap(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) { return realOf(f)->pMethods->xShmMap(realOf(f), pg, sz, extend, p); }
int xShmLock(sqlite3_file* f, int offset, int n, int flags) { return realOf(f)->pMethods->xShmLock(realOf(f), offset, n, flags); }
void xShmBarrier(sqlite3_file* f) { realOf(f)->pMethods->xShmBarrier(realOf(f)); }
int xShmUnmap(sqlite3_file* f, int del) { return realOf(f)->pMethods->xShmUnmap(realOf(f), del); }
int xFetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** pp) { return realOf(f)->pMethods->xFetch(realOf(f), off, amt, pp); }
int xUnfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return realOf(f)->pMethods->xUnfetch(realOf(f), off, p); }

int xOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* outFlags) {
    auto* ff = reinterpret_cast<FaultFile*>(file);
    file->pMethods = nullptr;
    const bool mainDb = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    if (int rc = account(loket::test::kFaultOpen, SQLITE_CANTOPEN, mainDb); rc != SQLITE_OK) return rc;
    ff->real = reinterpret_cast<sqlite3_file*>(ff + 1);
    ff->path = name;
    ff->mainDb = mainDb;
    int rc = g_real->xOpen(g_real, name, ff->real, flags, outFlags);
    if (rc != SQLITE_OK) return rc;
    if (!ff->real->pMethods || ff->real->pMethods->iVersion < 3) {
        // Only the unix VFS's files (version 3) are wrapped; close what we cannot pass through.
        if (ff->real->pMethods) ff->real->pMethods->xClose(ff->real);
        return SQLITE_CANTOPEN;
    }
    file->pMethods = &g_methods;
    return SQLITE_OK;
}
int xDelete(sqlite3_vfs*, const char* name, int syncDir) {
    {
        std::lock_guard lock(g_journalMutex);
        g_unsynced.erase(name);
    }
    return g_real->xDelete(g_real, name, syncDir);
}
int xAccess(sqlite3_vfs*, const char* name, int flags, int* out) { return g_real->xAccess(g_real, name, flags, out); }
int xFullPathname(sqlite3_vfs*, const char* name, int n, char* out) { return g_real->xFullPathname(g_real, name, n, out); }

FaultControlBlock* mapControl(const char* path) {
    int fd = ::open(path, O_RDWR);
    if (fd < 0) return nullptr;
    void* p = mmap(nullptr, sizeof(FaultControlBlock), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    return p == MAP_FAILED ? nullptr : static_cast<FaultControlBlock*>(p);
}

__attribute__((constructor)) void registerFaultVfs() {
    const char* path = std::getenv("LOKET_FAULT_VFS_CONTROL");
    if (!path || !*path) return;
    g_control = mapControl(path);
    if (!g_control || g_control->magic != loket::test::kFaultControlMagic) {
        std::fprintf(stderr, "fault vfs: cannot map the control block %s\n", path);
        std::abort();
    }
    g_real = sqlite3_vfs_find(nullptr);
    if (!g_real) std::abort();
    g_vfs = *g_real; // randomness, sleep, time and the rest pass through unchanged
    g_vfs.iVersion = std::min(g_real->iVersion, 3);
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + g_real->szOsFile;
    g_vfs.zName = "loket-fault";
    g_vfs.pNext = nullptr;
    g_vfs.xOpen = xOpen;
    g_vfs.xDelete = xDelete;
    g_vfs.xAccess = xAccess;
    g_vfs.xFullPathname = xFullPathname;
    g_methods = sqlite3_io_methods{3, xClose, xRead, xWrite, xTruncate, xSync, xFileSize, xLock, xUnlock,
                                   xCheckReservedLock, xFileControl, xSectorSize, xDeviceCharacteristics,
                                   xShmMap, xShmLock, xShmBarrier, xShmUnmap, xFetch, xUnfetch};
    sqlite3_vfs_register(&g_vfs, 1);
}

} // namespace
