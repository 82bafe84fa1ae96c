// Ticket numbers: prefix + three digits per day; never two live tickets with the same number.
#include "hall_fixture.hpp"

#include <set>

using namespace loket;
using namespace loket::core;
using namespace loket::core::test;

TEST_CASE("numbering: after 999 the numbers start again at 001, skipping numbers still in use") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    must(s, OpenCounter{"b2", std::nullopt}, at(8, 0));
    // A001… stays waiting; every other ticket is served and done.
    auto live = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "p0"}, at(8, 0)));
    CHECK(s.ticket(live)->number == "B001");
    for (int i = 2; i <= 999; ++i) {
        auto id = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "p" + std::to_string(i)}, at(8, 1)));
        if (i == 999) CHECK(s.ticket(id)->number == "B999");
        if (i != 500) { // B500 stays waiting too
            must(s, CallTicket{"b2", id}, at(8, 1));
            must(s, CompleteTicket{id, Outcome::Handled, ""}, at(8, 1));
        }
    }
    auto next = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "q1"}, at(9, 0)));
    CHECK(s.ticket(next)->number == "B002"); // B001 is still waiting
    std::set<std::string> liveNumbers;
    for (const auto& t : s.tickets())
        if (t.live()) CHECK(liveNumbers.insert(t.number).second);
}

TEST_CASE("numbering: when all 999 numbers of a prefix are live, a clear error instead of a duplicate") {
    HallConfig c = smallHall();
    HallState s(c);
    for (int i = 1; i <= 999; ++i) must(s, IssueWalkIn{"ophalen", "nl", "p" + std::to_string(i)}, at(8, 0));
    CHECK(mustFail(s, IssueWalkIn{"ophalen", "nl", "x"}, at(8, 1)) == ErrorCode::NumbersExhausted);
}
