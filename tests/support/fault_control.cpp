// The test's side of the fault VFS: a control file both processes map (see fault_vfs.hpp).
#include "fault_vfs.hpp"

#include <fcntl.h>
#include <new>
#include <stdexcept>
#include <sys/mman.h>
#include <unistd.h>

namespace loket::test {

FaultControl::FaultControl(std::filesystem::path file) : m_file(std::move(file)) {
    int fd = ::open(m_file.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, sizeof(FaultControlBlock)) != 0) throw std::runtime_error("cannot create " + m_file.string());
    void* p = mmap(nullptr, sizeof(FaultControlBlock), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) throw std::runtime_error("cannot map " + m_file.string());
    m_block = new (p) FaultControlBlock{};
    m_block->magic = kFaultControlMagic;
}

FaultControl::~FaultControl() { munmap(m_block, sizeof(FaultControlBlock)); }

std::string FaultControl::preloadEnv() const {
    // Under AddressSanitizer its runtime must come first among the preloaded libraries.
    std::string preload = LOKET_FAULT_VFS_PRELOAD_BEFORE;
    if (!preload.empty()) preload += ":";
    return "LD_PRELOAD=" + preload + LOKET_FAULT_VFS_LIBRARY;
}

std::string FaultControl::controlEnv() const { return "LOKET_FAULT_VFS_CONTROL=" + m_file.string(); }

void FaultControl::arm(std::uint32_t kinds) {
    m_block->armed = 0;
    clearFaults();
    m_block->powerCutAt = 0;
    m_block->pauseAt = 0;
    m_block->paused = 0;
    m_block->ops = 0;
    m_block->kinds = kinds;
    m_block->armed = 1;
}

void FaultControl::disarm() { m_block->armed = 0; }

void FaultControl::failAt(std::int64_t n, int errorCode, std::int64_t count) {
    m_block->failAt = 0;
    m_block->errorCode = errorCode;
    m_block->failCount = count;
    m_block->failAt = n;
}

void FaultControl::clearFaults() { m_block->failAt = 0; }

void FaultControl::powerCutAt(std::int64_t n, std::uint64_t seed) {
    m_block->seed = seed;
    m_block->powerCutAt = n;
}

} // namespace loket::test
