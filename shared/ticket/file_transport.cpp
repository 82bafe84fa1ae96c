// The file transport: a printer stand-in for demos, development and tests. It keeps the exact
// bytes a printer would receive and, beside them, the image the printer would print (decoded
// from those bytes, not from the layout), so what you see in the PNG is what the job says.
#include "transport_kinds.hpp"

#include "escpos_decoder.hpp"

#include <cstdio>
#include <fstream>

namespace loket::ticket::detail {

namespace {

// The first ticket-NNNN.bin in `folder` that does not exist yet.
std::filesystem::path nextFreeFile(const std::filesystem::path& folder) {
    for (int n = 1;; ++n) {
        char name[32];
        std::snprintf(name, sizeof name, "ticket-%04d.bin", n);
        std::error_code ec;
        if (!std::filesystem::exists(folder / name, ec)) return folder / name;
    }
}

// The file is created on the first write, not on open: opening a transport only to ask for its
// status (which a file cannot give) must not leave empty tickets behind.
class FileTransport final : public Transport {
public:
    FileTransport(std::filesystem::path target, bool isFolder, std::string spec)
        : m_target(std::move(target)), m_isFolder(isFolder), m_spec(std::move(spec)) {}

    const std::string& describe() const override { return m_spec; }
    bool canRead() const override { return false; }
    Result<std::vector<std::uint8_t>> read(std::size_t, std::chrono::milliseconds) override {
        return makeError(ErrorCode::Unavailable, m_spec + ": a file cannot answer status requests");
    }
    void discardInput() override {}

    Status write(std::span<const std::uint8_t> bytes, std::chrono::milliseconds) override {
        const bool first = m_path.empty();
        if (first) m_path = m_isFolder ? nextFreeFile(m_target) : m_target;
        std::ofstream out(m_path, std::ios::binary | (first ? std::ios::trunc : std::ios::app));
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!out.flush()) return makeError(ErrorCode::Io, m_spec + ": cannot write " + m_path.string());
        m_written.insert(m_written.end(), bytes.begin(), bytes.end());
        return writeImage();
    }

private:
    // Rewrites the PNG from everything written so far once it forms a whole job with an image;
    // a job still in progress (ending inside a command) gets its PNG on a later write.
    Status writeImage() {
        auto job = decodeEscPos(m_written, Tail::MayBeUnfinished);
        if (!job) return makeError(ErrorCode::InvalidValue, m_spec + ": bytes written, but " + job.error().message);
        if (job->unfinishedBytes > 0 || job->image.height() == 0) return Ok{};
        return writePng(job->image, m_path.string() + ".png");
    }

    std::filesystem::path m_target;
    bool m_isFolder;
    std::string m_spec;
    std::filesystem::path m_path; // chosen on the first write
    std::vector<std::uint8_t> m_written;
};

} // namespace

Result<std::unique_ptr<Transport>> openFileTransport(const std::filesystem::path& path, std::string spec) {
    std::error_code ec;
    const bool isFolder = std::filesystem::is_directory(path, ec);
    const std::filesystem::path folder = isFolder ? path : path.parent_path();
    if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
        return makeError(ErrorCode::Io, spec + ": the folder " + folder.string() + " does not exist");
    return std::unique_ptr<Transport>(new FileTransport(path, isFolder, std::move(spec)));
}

} // namespace loket::ticket::detail
