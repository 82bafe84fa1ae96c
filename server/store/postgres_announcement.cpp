#include "postgres_announcement.hpp"

#include <charconv>

namespace loket::server::pg {

std::string carriedEvents(std::span<const CommitBatch> batches) {
    std::string out;
    for (const CommitBatch& batch : batches)
        for (const auto& [type, body] : batch.events) {
            out += '\n';
            out += type;
            out += '\n';
            out += std::to_string(body.size());
            out += '\n';
            out += body;
            if (out.size() > kMaxCarriedEvents) return {};
        }
    return out;
}

namespace {

// The digits from `pos` up to the next '\n' or the end, as a number; `pos` moves past them.
std::optional<std::int64_t> numberAt(const std::string& s, std::size_t& pos) {
    const std::size_t end = s.find('\n', pos);
    const std::size_t stop = end == std::string::npos ? s.size() : end;
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(s.data() + pos, s.data() + stop, value);
    if (ec != std::errc{} || ptr != s.data() + stop || stop == pos) return std::nullopt;
    pos = stop;
    return value;
}

} // namespace

std::optional<std::int64_t> announcedLastId(const std::string& payload) {
    std::size_t pos = 0;
    return numberAt(payload, pos);
}

std::optional<Announcement> parseAnnouncement(const std::string& payload) {
    std::size_t pos = 0;
    auto last = numberAt(payload, pos);
    if (!last) return std::nullopt;
    Announcement a;
    a.lastId = *last;
    std::vector<StoredEvent> events;
    while (pos < payload.size()) {
        // "\n<type>\n<length>\n<body>"
        if (payload[pos] != '\n') return a;
        const std::size_t typeEnd = payload.find('\n', pos + 1);
        if (typeEnd == std::string::npos || typeEnd == pos + 1) return a;
        std::string type = payload.substr(pos + 1, typeEnd - pos - 1);
        pos = typeEnd + 1;
        auto length = numberAt(payload, pos);
        if (!length || pos >= payload.size() || *length < 0) return a;
        ++pos; // the '\n' before the body
        if (static_cast<std::size_t>(*length) > payload.size() - pos) return a;
        events.push_back({0, std::move(type), payload.substr(pos, static_cast<std::size_t>(*length))});
        pos += static_cast<std::size_t>(*length);
    }
    const auto count = static_cast<std::int64_t>(events.size());
    if (count > a.lastId) return a; // ids are positive: not a payload of ours
    for (std::int64_t i = 0; i < count; ++i) events[static_cast<std::size_t>(i)].id = a.lastId - count + 1 + i;
    a.events = std::move(events);
    return a;
}

} // namespace loket::server::pg
