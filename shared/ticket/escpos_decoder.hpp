// A parser for the ESC/POS subset Loket sends: it turns a job back into the image a printer
// would print, and lets a virtual printer answer status requests between commands. Used by the
// file transport (to write a PNG beside the bytes), the virtual printer, loket-print's `decode`
// and the tests (which check that encoding and decoding give back the same dots).
// Standard library only.
#pragma once

#include "bitmap.hpp"
#include "shared/core/result.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace loket::ticket {

struct EscPosCommand {
    enum class Kind { Initialize, Raster, FeedLines, FeedDots, LineFeed, Cut, StatusRequest };
    Kind kind = Kind::Initialize;
    std::size_t offset = 0; // where the command starts in the stream
    std::size_t length = 0; // bytes including parameters and raster data
    int value = 0;          // FeedLines/FeedDots: amount; Cut: mode byte; StatusRequest: n (1–4)
    int rowBytes = 0;       // Raster: bytes per row
    int rows = 0;           // Raster: rows in this band
};

// The command starting at `offset`: nullopt when the bytes end inside it (wait for more), an
// `invalid_value` error naming the offset for anything outside the subset.
Result<std::optional<EscPosCommand>> parseEscPosCommand(std::span<const std::uint8_t> bytes, std::size_t offset);

struct EscPosJob {
    Bitmap image;          // every raster band, top to bottom
    int feedLines = 0;
    int feedDots = 0;
    int cuts = 0;
    int statusRequests = 0;
    int resets = 0;
    std::size_t unfinishedBytes = 0; // with Tail::MayBeUnfinished: the bytes of a command cut short
};

enum class Tail { MustBeComplete, MayBeUnfinished };

// Decodes a job. With MustBeComplete a stream that stops inside a command is an error; with
// MayBeUnfinished (a job still arriving) the unfinished command is left out and counted.
Result<EscPosJob> decodeEscPos(std::span<const std::uint8_t> bytes, Tail tail = Tail::MustBeComplete);

} // namespace loket::ticket
