// The wait printed on the ticket: a forward run of the hall's own policy.
#include "hall_fixture.hpp"

#include "shared/core/wait_prediction.hpp"

using namespace loket;
using namespace loket::core;
using namespace loket::core::test;

TEST_CASE("prediction: with one counter, each visitor waits for the visits ahead of them") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 0));
    std::vector<TicketId> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(issuedId(must(s, IssueWalkIn{"ophalen", "nl", "p" + std::to_string(i)}, at(9, 0))));
    auto p = predictWaits(s, at(9, 0).t);
    CHECK(p.tickets.at(ids[0]).waitS == 0);
    CHECK(p.tickets.at(ids[1]).waitS == 200);
    CHECK(p.tickets.at(ids[2]).waitS == 400);
    CHECK(p.tickets.at(ids[2]).position == 3);
    CHECK(p.tickets.at(ids[2]).lowS < 400);
    CHECK(p.tickets.at(ids[2]).highS > 400);
}

TEST_CASE("prediction: a visit in progress keeps its counter busy for the rest of its expected time") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 0));
    must(s, IssueWalkIn{"ophalen", "nl", "a"}, at(9, 0));
    must(s, CallNext{"b2"}, at(9, 0));
    auto waiting = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "b"}, at(9, 1)));
    auto p = predictWaits(s, at(9, 1).t);
    CHECK(p.tickets.at(waiting).waitS == 140); // 200 s expected, 60 s done
}

TEST_CASE("prediction: learns from the day's completed visits") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 0));
    for (int i = 0; i < 6; ++i) {
        auto id = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "p" + std::to_string(i)}, at(9, 0)));
        must(s, CallNext{"b2"}, at(9, i * 10));
        must(s, CompleteTicket{id, Outcome::Handled, ""}, at(9, i * 10 + 8)); // 8 minutes, not 200 s
    }
    CHECK(s.durations().expected(c, 1) > 380);
}

TEST_CASE("prediction: a ticket no open counter serves has no estimate") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 0));
    auto id = issuedId(must(s, IssueWalkIn{"paspoort", "nl", "a"}, at(9, 0)));
    CHECK(predictWaits(s, at(9, 0).t).tickets.count(id) == 0);
}

TEST_CASE("prediction: a new walk-in's wait counts the queue of its service") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 0));
    for (int i = 0; i < 4; ++i) must(s, IssueWalkIn{"ophalen", "nl", "p" + std::to_string(i)}, at(9, 0));
    auto e = predictNewWalkIn(s, at(9, 0).t, 1);
    REQUIRE(e);
    CHECK(e->waitS == 800);
}

TEST_CASE("prediction: an overloaded hall still gets an estimate for everyone, later visitors waiting longer") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    must(s, OpenCounter{"b2", std::nullopt}, at(8, 0));
    std::vector<TicketId> ids;
    for (int i = 0; i < 600; ++i) ids.push_back(issuedId(must(s, IssueWalkIn{"ophalen", "nl", "p" + std::to_string(i)}, at(8, 0))));
    auto p = predictWaits(s, at(8, 1).t);
    REQUIRE(p.tickets.size() == 600);
    CHECK(p.tickets.at(ids[399]).waitS == 399 * 200);
    CHECK(p.tickets.at(ids[599]).waitS > p.tickets.at(ids[450]).waitS);
    CHECK(p.tickets.at(ids[599]).waitS == Approx(599 * 200).epsilon(0.02));
}
