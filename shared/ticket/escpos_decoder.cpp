#include "escpos_decoder.hpp"

#include "escpos_encoder.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace loket::ticket {

namespace {

Error unsupported(std::span<const std::uint8_t> bytes, std::size_t offset, const char* why) {
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "ESC/POS: %s at byte %zu (0x%02X)", why, offset,
                  static_cast<unsigned>(bytes[offset]));
    return makeError(ErrorCode::InvalidValue, buffer);
}

} // namespace

Result<std::optional<EscPosCommand>> parseEscPosCommand(std::span<const std::uint8_t> bytes, std::size_t offset) {
    using namespace escpos;
    using Kind = EscPosCommand::Kind;
    const std::size_t left = bytes.size() - offset;
    auto need = [&](std::size_t n) { return left >= n; };
    auto at = [&](std::size_t i) { return bytes[offset + i]; };
    auto make = [&](Kind kind, std::size_t length, int value = 0) {
        EscPosCommand c;
        c.kind = kind;
        c.offset = offset;
        c.length = length;
        c.value = value;
        return std::optional<EscPosCommand>(c);
    };
    const std::optional<EscPosCommand> wait;
    if (!need(1)) return wait;
    switch (at(0)) {
    case kLf: return make(Kind::LineFeed, 1);
    case kDle:
        if (!need(3)) return wait;
        if (at(1) != kEot || at(2) < 1 || at(2) > 4) return unsupported(bytes, offset, "unsupported DLE command");
        return make(Kind::StatusRequest, 3, at(2));
    case kEsc:
        if (!need(2)) return wait;
        if (at(1) == '@') return make(Kind::Initialize, 2);
        if (at(1) == 'd' || at(1) == 'J') {
            if (!need(3)) return wait;
            return make(at(1) == 'd' ? Kind::FeedLines : Kind::FeedDots, 3, at(2));
        }
        return unsupported(bytes, offset, "unsupported ESC command");
    case kGs:
        if (!need(2)) return wait;
        if (at(1) == 'V') {
            if (!need(3)) return wait;
            const int mode = at(2);
            if (mode == 0 || mode == 1 || mode == 48 || mode == 49) return make(Kind::Cut, 3, mode);
            if (mode != 65 && mode != 66) return unsupported(bytes, offset, "unsupported cut mode");
            if (!need(4)) return wait;
            return make(Kind::Cut, 4, mode);
        }
        if (at(1) == 'v') {
            if (!need(8)) return wait;
            if (at(2) != '0' || at(3) != 0) return unsupported(bytes, offset, "unsupported raster mode");
            const int rowBytes = at(4) | (at(5) << 8);
            const int rows = at(6) | (at(7) << 8);
            if (rowBytes == 0 || rows == 0) return unsupported(bytes, offset, "empty raster band");
            const std::size_t length = 8 + static_cast<std::size_t>(rowBytes) * rows;
            if (!need(length)) return wait;
            auto c = make(Kind::Raster, length);
            c->rowBytes = rowBytes;
            c->rows = rows;
            return c;
        }
        return unsupported(bytes, offset, "unsupported GS command");
    default: return unsupported(bytes, offset, "unsupported byte");
    }
}

Result<EscPosJob> decodeEscPos(std::span<const std::uint8_t> bytes, Tail tail) {
    using Kind = EscPosCommand::Kind;
    EscPosJob job;
    std::vector<EscPosCommand> bands;
    int rowBytes = 0, rows = 0;
    for (std::size_t offset = 0; offset < bytes.size();) {
        auto parsed = parseEscPosCommand(bytes, offset);
        if (!parsed) return parsed.error();
        if (!*parsed) {
            if (tail == Tail::MustBeComplete)
                return makeError(ErrorCode::InvalidValue,
                                 "ESC/POS: the job ends inside a command that starts at byte " + std::to_string(offset));
            job.unfinishedBytes = bytes.size() - offset;
            break;
        }
        const EscPosCommand& c = **parsed;
        switch (c.kind) {
        case Kind::Initialize: ++job.resets; break;
        case Kind::Raster:
            if (rowBytes != 0 && c.rowBytes != rowBytes)
                return makeError(ErrorCode::InvalidValue, "ESC/POS: raster bands of different widths (byte " +
                                                              std::to_string(offset) + ")");
            rowBytes = c.rowBytes;
            rows += c.rows;
            bands.push_back(c);
            break;
        case Kind::FeedLines: job.feedLines += c.value; break;
        case Kind::FeedDots: job.feedDots += c.value; break;
        case Kind::LineFeed: ++job.feedLines; break;
        case Kind::Cut: ++job.cuts; break;
        case Kind::StatusRequest: ++job.statusRequests; break;
        }
        offset += c.length;
    }
    job.image = Bitmap(rowBytes * 8, rows);
    auto* dst = job.image.bits().data();
    for (const auto& band : bands) {
        const std::size_t size = static_cast<std::size_t>(band.rowBytes) * band.rows;
        std::copy_n(bytes.data() + band.offset + 8, size, dst);
        dst += size;
    }
    return job;
}

} // namespace loket::ticket
