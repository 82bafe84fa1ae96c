// Properties over random command sequences (seeded): whatever staff and visitors do, a ticket
// is never at two counters, never lost, never two live tickets share a number, counts add up,
// and folding the event log again gives the same hall.
#include "hall_fixture.hpp"

#include <cstdio>
#include <map>
#include <random>
#include <set>

using namespace loket;
using namespace loket::core;
using namespace loket::core::test;

namespace {

Command randomCommand(std::mt19937& rng, const HallState& s, int step) {
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const std::vector<std::string> counters = {"b1", "b2", "b3"};
    const std::vector<std::string> services = {"paspoort", "ophalen", "huwelijk"};
    TicketId someTicket = s.tickets().empty() ? 1 : s.tickets()[pick(s.tickets().size())].id;
    switch (pick(14)) {
    case 0: case 1: return IssueWalkIn{services[pick(2)], "nl", "p" + std::to_string(step)};
    case 2: return CheckInAppointment{"APPT" + std::string(1, static_cast<char>('A' + pick(6))) + "2", "nl", "a" + std::to_string(step)};
    case 3: return OpenCounter{counters[pick(3)], std::nullopt};
    case 4: return pick(4) == 0 ? Command{CloseCounter{counters[pick(3)]}} : Command{PauseCounter{counters[pick(3)]}};
    case 5: case 6: case 7: return CallNext{counters[pick(3)]};
    case 8: return CallTicket{counters[pick(3)], someTicket};
    case 9: return RecallTicket{someTicket};
    case 10: return StartTicket{someTicket};
    case 11: return MarkNoShow{someTicket, pick(2) == 0};
    case 12: return pick(3) == 0 ? Command{TransferTicket{someTicket, services[pick(3)], std::nullopt}}
                                 : Command{CompleteTicket{someTicket, Outcome::Handled, ""}};
    default: return pick(5) == 0 ? Command{CancelTicket{someTicket}} : Command{TransferTicket{someTicket, std::nullopt, counters[pick(3)]}};
    }
}

// The free number as the rule reads (numbering: 001…999, wrapping, skipping numbers a live ticket
// holds or a lease reserves), by a pass over every ticket: the oracle for the state's own index.
std::string nextNumberByScan(const HallState& s, char prefix) {
    std::vector<bool> taken(1000, false);
    for (const auto& t : s.tickets())
        if (t.live() && t.number[0] == prefix) taken[static_cast<std::size_t>(std::stoi(t.number.substr(1)))] = true;
    int seq = s.lastSeq(prefix);
    for (int tries = 0; tries < 999; ++tries) {
        seq = seq >= 999 ? 1 : seq + 1;
        if (!taken[static_cast<std::size_t>(seq)] && !s.offline().reserved(prefix, seq)) {
            char text[16];
            std::snprintf(text, sizeof text, "%c%03d", prefix, seq);
            return text;
        }
    }
    return {};
}

void checkInvariants(const HallState& s, const std::set<TicketId>& issued) {
    // Never lost: every ticket issued today is still there.
    REQUIRE(s.tickets().size() == issued.size());
    for (TicketId id : issued) REQUIRE(s.ticket(id) != nullptr);
    // Counts add up.
    std::map<TicketStatus, std::size_t> byStatus;
    for (const auto& t : s.tickets()) byStatus[t.status] += 1;
    std::size_t total = 0;
    for (auto& [st, n] : byStatus) total += n;
    REQUIRE(total == issued.size());
    // Never at two counters at once, and counter and ticket agree.
    std::set<TicketId> atCounters;
    for (std::size_t c = 0; c < s.counters().size(); ++c) {
        const auto& counter = s.counters()[c];
        if (!counter.ticket) continue;
        REQUIRE(atCounters.insert(*counter.ticket).second);
        const Ticket* t = s.ticket(*counter.ticket);
        REQUIRE(t);
        REQUIRE((t->status == TicketStatus::Called || t->status == TicketStatus::Serving));
        REQUIRE(t->counter == static_cast<CounterIndex>(c));
    }
    for (const auto& t : s.tickets())
        if (t.status == TicketStatus::Called || t.status == TicketStatus::Serving) REQUIRE(atCounters.count(t.id) == 1);
    // Never two live tickets with one number.
    std::set<std::string> numbers;
    for (const auto& t : s.tickets())
        if (t.live()) REQUIRE(numbers.insert(t.number).second);
    // The counts the fold keeps agree with the tickets.
    REQUIRE(s.waitingTotal() == byStatus[TicketStatus::Waiting]);
    for (const auto& service : s.config().services) REQUIRE(s.nextNumber(service.prefix) == nextNumberByScan(s, service.prefix));
}

} // namespace

TEST_CASE("property: random days of commands keep the hall consistent") {
    for (std::uint32_t seed = 1; seed <= 40; ++seed) {
        INFO("seed " << seed);
        HallConfig c = smallHall(seed % 2 ? PolicyKind::Norm : PolicyKind::Fifo);
        HallState s(c);
        std::vector<Event> log;
        std::set<TicketId> issued;
        std::mt19937 rng(seed);
        for (char k = 'A'; k <= 'F'; ++k) {
            auto e = must(s, booking(std::string("APPT") + k + "2", {k == 'F' ? "huwelijk" : "paspoort"}, at(9, (k - 'A') * 5)), at(8, 0));
            log.insert(log.end(), e.begin(), e.end());
        }
        Seconds t = at(8, 30).t;
        for (int step = 0; step < 400; ++step) {
            t += static_cast<Seconds>(rng() % 90);
            auto r = execute(s, randomCommand(rng, s, step), Now{t, kOffset});
            if (!r) continue; // refusals are fine; they must change nothing
            for (const auto& e : r.value()) {
                if (auto* i = std::get_if<TicketIssued>(&e)) issued.insert(i->ticket.id);
                log.push_back(e);
            }
            checkInvariants(s, issued);
        }
        // The state is the fold of its events.
        HallState again(c);
        for (const auto& e : log) again.apply(e);
        REQUIRE(again.tickets().size() == s.tickets().size());
        REQUIRE(again.waitingTotal() == s.waitingTotal());
        for (std::size_t i = 0; i < s.tickets().size(); ++i) {
            REQUIRE(again.tickets()[i].status == s.tickets()[i].status);
            REQUIRE(again.tickets()[i].number == s.tickets()[i].number);
            REQUIRE(again.tickets()[i].counter == s.tickets()[i].counter);
        }
    }
}

TEST_CASE("property: a refused command changes nothing") {
    HallConfig c = smallHall();
    HallState s(c);
    must(s, IssueWalkIn{"ophalen", "nl", "a"}, at(9, 0));
    auto before = s.tickets().size();
    CHECK_FALSE(execute(s, CallNext{"b1"}, at(9, 1)));          // closed counter
    CHECK_FALSE(execute(s, CompleteTicket{99, Outcome::Handled, ""}, at(9, 1)));
    CHECK(s.tickets().size() == before);
    CHECK(s.tickets()[0].status == TicketStatus::Waiting);
}
