#include "shared/net/sse_parser.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using loket::net::SseEvent;
using loket::net::SseParser;

namespace {
struct Collected {
    std::vector<SseEvent> events;
    int comments = 0;
};
Collected feedInPieces(const std::string& stream, std::size_t piece) {
    Collected out;
    SseParser parser;
    parser.onEvent = [&](const SseEvent& ev) { out.events.push_back(ev); };
    parser.onComment = [&](std::string_view) { ++out.comments; };
    for (std::size_t i = 0; i < stream.size(); i += piece) parser.feed(std::string_view(stream).substr(i, piece));
    return out;
}
} // namespace

TEST_CASE("sse: an event is its id, type and data, however the bytes are split") {
    const std::string stream = "id: 7\nevent: ticket.called\ndata: {\"a\":1}\n\n: heartbeat\n\nid: 8\nevent: counter.updated\ndata: {}\n\n";
    for (std::size_t piece : {1u, 2u, 3u, 7u, 1000u}) {
        auto got = feedInPieces(stream, piece);
        REQUIRE(got.events.size() == 2);
        CHECK(got.events[0].id == "7");
        CHECK(got.events[0].type == "ticket.called");
        CHECK(got.events[0].data == "{\"a\":1}");
        CHECK(got.events[1].id == "8");
        CHECK(got.events[1].type == "counter.updated");
        CHECK(got.comments == 1);
    }
}

TEST_CASE("sse: CRLF and CR line ends work like LF") {
    auto crlf = feedInPieces("id: 1\r\nevent: x\r\ndata: y\r\n\r\n", 1);
    auto cr = feedInPieces("id: 1\revent: x\rdata: y\r\r", 1);
    REQUIRE(crlf.events.size() == 1);
    REQUIRE(cr.events.size() == 1);
    CHECK(crlf.events[0].data == "y");
    CHECK(cr.events[0].type == "x");
}

TEST_CASE("sse: several data lines join with newlines, and a missing type is 'message'") {
    auto got = feedInPieces("data: one\ndata:two\n\n", 4);
    REQUIRE(got.events.size() == 1);
    CHECK(got.events[0].data == "one\ntwo");
    CHECK(got.events[0].type == "message");
}

TEST_CASE("sse: the last id carries over to events without one and is what reconnects send") {
    SseParser parser;
    std::vector<SseEvent> events;
    parser.onEvent = [&](const SseEvent& ev) { events.push_back(ev); };
    parser.feed("id: 41\ndata: a\n\ndata: b\n\n");
    REQUIRE(events.size() == 2);
    CHECK(events[1].id == "41");
    CHECK(parser.lastEventId() == "41");
}

TEST_CASE("sse: a half-received event is forgotten after a dropped connection") {
    SseParser parser;
    std::vector<SseEvent> events;
    parser.onEvent = [&](const SseEvent& ev) { events.push_back(ev); };
    parser.feed("id: 5\nevent: ticket.called\ndata: {\"trunc");
    parser.resetPartial();
    parser.feed("id: 6\nevent: ticket.issued\ndata: {}\n\n");
    REQUIRE(events.size() == 1);
    CHECK(events[0].type == "ticket.issued");
    CHECK(events[0].data == "{}");
}

TEST_CASE("sse: a reset event without data is still delivered") {
    auto got = feedInPieces("event: reset\n\n", 3);
    REQUIRE(got.events.size() == 1);
    CHECK(got.events[0].type == "reset");
}
