// Offline kiosks in the pure core: number leases, placing uploaded tickets at their real check-in
// time, exactly-once uploads and the conflict rules (shared/core/offline_lease.hpp).
#include "hall_fixture.hpp"

#include "shared/core/dispatch_view.hpp"
#include "shared/core/offline_lease.hpp"
#include "shared/offline/offline_book.hpp"
#include "shared/proto/event_codec.hpp"

#include <set>

using namespace loket;
using namespace loket::core;
using namespace loket::core::test;

namespace {

const std::string kKey(64, 'a');
const std::string kUploadKey(64, 'd');

const NumberLease& lease(HallState& s, const std::string& kiosk, const std::string& service, Now now, int size = 10,
                         Seconds kioskClock = -1) {
    must(s, LeaseNumbers{kiosk, service, size, kioskClock < 0 ? now.t : kioskClock, kKey, kUploadKey}, now);
    const LeaseRecord* r = s.offline().activeLease(kiosk, *s.config().serviceIndex(service), now.t);
    REQUIRE(r);
    return r->lease;
}

AcceptOfflineTicket upload(const NumberLease& l, int index, const std::string& service, Seconds kioskAt,
                           std::optional<std::string> code = std::nullopt) {
    return AcceptOfflineTicket{l.kiosk, l.id, leaseNumber(l.prefix, l.first + index), service, std::move(code), kioskAt, "nl",
                               "pc-" + l.kiosk + "-" + std::to_string(l.id) + "-" + std::to_string(index)};
}

std::set<int> leaseSeqs(const NumberLease& l) {
    std::set<int> out;
    for (int i = 0; i < l.count; ++i) out.insert(l.first + i);
    return out;
}

} // namespace

TEST_CASE("offline: a block covers half an hour of the busiest hour's walk-ins, at least 10") {
    CHECK(leaseBlockSize(0) == 10);
    CHECK(leaseBlockSize(12) == 10);
    CHECK(leaseBlockSize(30) == 15);
    CHECK(leaseBlockSize(31) == 16);
    CHECK(leaseBlockSize(1000) == kMaxLeaseBlock);
    NumberLease l;
    l.count = 10;
    CHECK_FALSE(leaseNeedsRefill(l, 4));
    CHECK(leaseNeedsRefill(l, 5));
}

TEST_CASE("offline: leased numbers never collide with the server's own or another kiosk's") {
    HallConfig c = smallHall();
    HallState s(c);
    must(s, IssueWalkIn{"paspoort", "nl", "p1"}, at(8, 0)); // A001 by the server
    const NumberLease k1 = lease(s, "kiosk-1", "paspoort", at(8, 1), 15);
    const NumberLease k2 = lease(s, "kiosk-2", "paspoort", at(8, 1), 10);
    CHECK(k1.prefix == 'A');
    CHECK(k1.count == 15);
    CHECK(k1.first == 2);
    CHECK(k2.first == 17);
    std::set<int> leased = leaseSeqs(k1);
    for (int seq : leaseSeqs(k2)) CHECK(leased.insert(seq).second);
    // The server's own walk-ins jump over both blocks.
    std::set<std::string> numbers;
    for (int i = 0; i < 30; ++i) {
        auto id = issuedId(must(s, IssueWalkIn{"paspoort", "nl", "q" + std::to_string(i)}, at(8, 2)));
        const std::string n = s.ticket(id)->number;
        CHECK_FALSE(leased.count(std::stoi(n.substr(1))));
        numbers.insert(n);
    }
    CHECK(numbers.size() == 30);
    // Offline tickets from a block do not move the server's counter back.
    const int before = s.lastSeq('A');
    must(s, upload(k1, 0, "paspoort", at(8, 1).t + 30), at(8, 3));
    CHECK(s.lastSeq('A') == before);
    // A third kiosk's block starts after everything handed out so far.
    const NumberLease k3 = lease(s, "kiosk-3", "paspoort", at(8, 4));
    for (int seq : leaseSeqs(k3)) CHECK(leased.insert(seq).second);
    CHECK(k3.first > before);
}

TEST_CASE("offline: asking again for a service's lease gives the same block, a renewal moves its expiry on") {
    HallConfig c = smallHall();
    HallState s(c);
    const NumberLease first = lease(s, "kiosk-1", "ophalen", at(8, 0));
    CHECK(must(s, LeaseNumbers{"kiosk-1", "ophalen", 10, at(8, 5).t, kKey, kUploadKey}, at(8, 5)).empty());
    CHECK(s.offline().activeLease("kiosk-1", 1, at(8, 5).t)->lease.id == first.id);
    CHECK(first.expiresAt == at(8, 0).t + kLeaseTtlS);
    must(s, RenewLeases{"kiosk-1", at(9, 0).t}, at(9, 0));
    CHECK(s.offline().activeLease("kiosk-1", 1, at(9, 0).t)->lease.expiresAt == at(9, 0).t + kLeaseTtlS);
    // Not renewed: the lease expires; the kiosk stops using it by its own clock.
    const NumberLease& renewed = s.offline().activeLease("kiosk-1", 1, at(9, 0).t)->lease;
    CHECK(leaseUsable(renewed, 3, at(10, 59).t, 0, testDay()));
    CHECK_FALSE(leaseUsable(renewed, 3, at(11, 0).t, 0, testDay()));
    CHECK_FALSE(leaseUsable(renewed, renewed.count, at(9, 30).t, 0, testDay()));
    CHECK_FALSE(leaseUsable(renewed, 0, at(9, 30).t, 0, testDay() + 1));
    CHECK(s.offline().activeLease("kiosk-1", 1, at(11, 1).t) == nullptr);
}

TEST_CASE("offline: an uploaded ticket is placed at its real check-in time, corrected by the kiosk's clock offset") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    // The kiosk's clock runs 90 s behind the server's.
    const NumberLease l = lease(s, "kiosk-1", "ophalen", at(8, 0), 10, at(8, 0).t - 90);
    REQUIRE(s.offline().clockOffset("kiosk-1") == 90);
    must(s, OpenCounter{"b2", std::nullopt}, at(8, 0));
    // Server down 8:10–8:30; the kiosk issued one ticket at 8:12 (its clock: 8:10:30).
    auto online = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "w1"}, at(8, 31)));
    auto events = must(s, upload(l, 0, "ophalen", at(8, 10, 30).t), at(8, 32));
    REQUIRE(events.size() == 2);
    const TicketId offlineId = issuedId(events);
    CHECK(s.ticket(offlineId)->issuedAt == at(8, 12).t);
    CHECK(s.ticket(offlineId)->number == leaseNumber('B', l.first));
    // In check-in order: the offline visitor came first and is called first.
    must(s, CallNext{"b2"}, at(8, 33));
    CHECK(s.ticket(offlineId)->status == TicketStatus::Called);
    CHECK(s.ticket(online)->status == TicketStatus::Waiting);
    // A clock far ahead cannot place a ticket in the future, nor one far behind before the lease.
    auto future = issuedId(must(s, upload(l, 1, "ophalen", at(12, 0).t), at(8, 40)));
    CHECK(s.ticket(future)->issuedAt == at(8, 40).t);
    auto past = issuedId(must(s, upload(l, 2, "ophalen", at(6, 0).t), at(8, 41)));
    CHECK(s.ticket(past)->issuedAt == l.grantedAt);
}

TEST_CASE("offline: the same upload twice makes one ticket, the second answer names the first") {
    HallConfig c = smallHall();
    HallState s(c);
    const NumberLease l = lease(s, "kiosk-1", "paspoort", at(8, 0));
    const auto cmd = upload(l, 3, "paspoort", at(8, 5).t);
    must(s, cmd, at(8, 20));
    const std::size_t tickets = s.tickets().size();
    auto again = execute(s, cmd, at(8, 21));
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::AlreadyCheckedIn);
    CHECK(again.error().details.ticketNumber == cmd.number);
    CHECK(s.tickets().size() == tickets);
    CHECK(s.offline().lease(l.id)->placed.count(cmd.number) == 1);
}

TEST_CASE("offline: an upload outside its lease, from another kiosk or for another service is refused") {
    HallConfig c = smallHall();
    HallState s(c);
    const NumberLease l = lease(s, "kiosk-1", "paspoort", at(8, 0));
    auto outside = upload(l, 0, "paspoort", at(8, 5).t);
    outside.number = leaseNumber('A', l.first + l.count);
    CHECK(mustFail(s, outside, at(8, 10)) == ErrorCode::InvalidValue);
    auto stranger = upload(l, 0, "paspoort", at(8, 5).t);
    stranger.kiosk = "kiosk-2";
    CHECK(mustFail(s, stranger, at(8, 10)) == ErrorCode::Forbidden);
    CHECK(mustFail(s, upload(l, 0, "ophalen", at(8, 5).t), at(8, 10)) == ErrorCode::InvalidValue);
    auto unknown = upload(l, 0, "paspoort", at(8, 5).t);
    unknown.lease = 999;
    CHECK(mustFail(s, unknown, at(8, 10)) == ErrorCode::NotFound);
}

TEST_CASE("offline: an appointment checked in at two kiosks keeps the earliest, the later becomes a walk-in at its own time") {
    HallConfig c = smallHall();
    HallState s(c);
    must(s, BookAppointment{"ABC234", {"paspoort"}, at(9, 0).t, testDay(), 0, 1, "Jansen"}, at(7, 0));
    const NumberLease k1 = lease(s, "kiosk-1", "paspoort", at(8, 0));
    const NumberLease k2 = lease(s, "kiosk-2", "paspoort", at(8, 0));

    SECTION("the later check-in is uploaded second") {
        auto first = issuedId(must(s, upload(k1, 0, "paspoort", at(8, 50).t, "ABC234"), at(9, 10)));
        auto events = must(s, upload(k2, 0, "paspoort", at(8, 55).t, "ABC234"), at(9, 11));
        const auto& placed = std::get<OfflineTicketPlaced>(events.back());
        CHECK(placed.codeConflict);
        CHECK_FALSE(placed.demoted);
        const Ticket* later = s.ticket(issuedId(events));
        CHECK(later->kind == TicketKind::WalkIn);
        CHECK_FALSE(later->appointmentCode);
        CHECK(later->issuedAt == at(8, 55).t);
        CHECK(later->services == s.ticket(first)->services);
        CHECK(s.ticket(first)->kind == TicketKind::Appointment);
        CHECK(s.appointment("ABC234")->ticket == first);
    }
    SECTION("the later check-in is uploaded first") {
        auto later = issuedId(must(s, upload(k2, 0, "paspoort", at(8, 55).t, "ABC234"), at(9, 10)));
        auto events = must(s, upload(k1, 0, "paspoort", at(8, 50).t, "ABC234"), at(9, 11));
        const auto& placed = std::get<OfflineTicketPlaced>(events.back());
        CHECK(placed.codeConflict);
        CHECK(placed.demoted == later);
        const TicketId earliest = issuedId(events);
        CHECK(s.ticket(earliest)->kind == TicketKind::Appointment);
        CHECK(s.ticket(later)->kind == TicketKind::WalkIn);
        CHECK_FALSE(s.ticket(later)->appointmentCode);
        CHECK(s.ticket(later)->issuedAt == at(8, 55).t);
        CHECK(s.appointment("ABC234")->ticket == earliest);
    }
}

TEST_CASE("offline: a code that matches no appointment today is served as a walk-in for the kiosk's service") {
    HallConfig c = smallHall();
    HallState s(c);
    const NumberLease l = lease(s, "kiosk-1", "huwelijk", at(8, 0));
    auto id = issuedId(must(s, upload(l, 0, "huwelijk", at(8, 5).t, "ZZZ999"), at(8, 10)));
    CHECK(s.ticket(id)->kind == TicketKind::WalkIn);
    CHECK(s.ticket(id)->number[0] == 'H');
}

TEST_CASE("offline: a revoked kiosk's leases end at once, its tickets from before the revocation are accepted") {
    HallConfig c = smallHall();
    HallState s(c);
    const NumberLease l = lease(s, "kiosk-1", "paspoort", at(8, 0));
    auto events = must(s, EndKioskLeases{"kiosk-1"}, at(9, 0));
    REQUIRE(events.size() == 1);
    CHECK(s.offline().activeLeases("kiosk-1", at(9, 0).t).empty());
    must(s, upload(l, 0, "paspoort", at(8, 59).t), at(9, 5));
    CHECK(mustFail(s, upload(l, 1, "paspoort", at(9, 1).t), at(9, 5)) == ErrorCode::Forbidden);
    // Its numbers stay out of use for the rest of the day: the kiosk may hold more unsent tickets.
    for (int seq = l.first; seq < l.first + l.count; ++seq) CHECK(s.offline().reserved('A', seq));
}

TEST_CASE("offline: a returned lease frees its unused numbers, the used ones stay reserved") {
    HallConfig c = smallHall();
    HallState s(c);
    const NumberLease l = lease(s, "kiosk-1", "paspoort", at(8, 0));
    must(s, upload(l, 0, "paspoort", at(8, 5).t), at(8, 10));
    must(s, upload(l, 4, "paspoort", at(8, 6).t), at(8, 10));
    // The kiosk says it used 2, but number 5 was uploaded: five stay reserved.
    must(s, ReturnLease{"kiosk-1", l.id, 2}, at(8, 20));
    CHECK(s.offline().reserved('A', l.first + 4));
    CHECK_FALSE(s.offline().reserved('A', l.first + 5));
    CHECK(s.offline().activeLeases("kiosk-1", at(8, 20).t).empty());
    CHECK(must(s, ReturnLease{"kiosk-1", l.id, 2}, at(8, 21)).empty()); // returned twice: nothing changes
    CHECK(mustFail(s, upload(l, 7, "paspoort", at(8, 7).t), at(8, 22)) == ErrorCode::InvalidValue);
    // A new lease for the same service is granted after the return.
    const NumberLease next = lease(s, "kiosk-1", "paspoort", at(8, 30));
    CHECK(next.id != l.id);
}

TEST_CASE("offline: leases end at day rollover") {
    HallConfig c = smallHall();
    HallState s(c);
    const NumberLease l = lease(s, "kiosk-1", "paspoort", at(8, 0));
    const Now tomorrow{at(8, 0).t + 86400, kOffset};
    auto events = must(s, IssueWalkIn{"paspoort", "nl", "t1"}, tomorrow);
    CHECK(std::holds_alternative<DayStarted>(events.front()));
    CHECK(s.offline().leases().empty());
    CHECK(mustFail(s, upload(l, 0, "paspoort", at(8, 5).t), tomorrow) == ErrorCode::NotFound);
    CHECK(lease(s, "kiosk-1", "paspoort", tomorrow).id > l.id);
}

TEST_CASE("offline: the offline events survive the event log's JSON and fold to the same state") {
    HallConfig c = smallHall();
    HallState live(c), replayed(c);
    std::vector<Event> log;
    auto run = [&](const Command& cmd, Now now) {
        for (auto& e : must(live, cmd, now)) log.push_back(e);
    };
    run(BookAppointment{"ABC234", {"paspoort"}, at(9, 0).t, testDay(), 0, 1, "Jansen"}, at(7, 0));
    run(LeaseNumbers{"kiosk-1", "paspoort", 12, at(8, 0).t - 5, kKey, kUploadKey}, at(8, 0));
    run(LeaseNumbers{"kiosk-2", "paspoort", 10, at(8, 0).t, std::string(64, 'b'), std::string(64, 'c')}, at(8, 0));
    const NumberLease k1 = live.offline().activeLease("kiosk-1", 0, at(8, 0).t)->lease;
    const NumberLease k2 = live.offline().activeLease("kiosk-2", 0, at(8, 0).t)->lease;
    run(RenewLeases{"kiosk-1", at(8, 30).t}, at(8, 30));
    run(upload(k2, 0, "paspoort", at(8, 55).t, "ABC234"), at(9, 10));
    run(upload(k1, 0, "paspoort", at(8, 50).t, "ABC234"), at(9, 11));
    run(ReturnLease{"kiosk-1", k1.id, 1}, at(9, 12));
    run(EndKioskLeases{"kiosk-2"}, at(9, 13));
    for (const auto& e : log) {
        const auto json = proto::eventToJson(c, e);
        auto back = proto::eventFromJson(c, eventTypeName(e), json);
        REQUIRE(back);
        CHECK(proto::eventToJson(c, *back) == json);
        replayed.apply(*back);
    }
    CHECK(replayed.offline().bookKey() == kKey); // the day's first keys stay
    CHECK(replayed.offline().uploadKey() == kUploadKey);
    CHECK(replayed.offline().leases().size() == 2);
    CHECK(replayed.offline().clockOffset("kiosk-1") == 0);
    for (const auto& t : live.tickets()) {
        const Ticket* r = replayed.ticket(t.id);
        REQUIRE(r);
        CHECK(r->kind == t.kind);
        CHECK(r->issuedAt == t.issuedAt);
        CHECK(r->number == t.number);
    }
    CHECK(replayed.appointment("ABC234")->ticket == live.appointment("ABC234")->ticket);
}

// Every kiosk holds the day's book key (it hashes the book's codes); the upload secrets come from
// a key of their own that never leaves the server, so one kiosk cannot work out another's.
TEST_CASE("offline: a lease's upload secret comes from the server's upload key, not from the book key every kiosk holds") {
    HallState s(smallHall());
    lease(s, "kiosk-1", "paspoort", at(8, 0));
    REQUIRE(s.offline().uploadKey() == kUploadKey);
    const auto fromUploadKey = offline::leaseUploadSecret(s.offline().uploadKey(), "kiosk-1", 1);
    const auto fromBookKey = offline::leaseUploadSecret(s.offline().bookKey(), "kiosk-1", 1);
    REQUIRE(fromUploadKey);
    REQUIRE(fromBookKey);
    CHECK(*fromUploadKey != *fromBookKey);
    CHECK_FALSE(must(s, LeaseNumbers{"kiosk-2", "ophalen", 10, at(8, 0).t, kKey, "not-hex"}, at(8, 0)).empty()); // the day's key is kept
    CHECK(s.offline().uploadKey() == kUploadKey);
    HallState fresh(smallHall());
    CHECK(mustFail(fresh, LeaseNumbers{"kiosk-2", "ophalen", 10, at(8, 0).t, kKey, "not-hex"}, at(8, 0)) == ErrorCode::InvalidValue);
}
