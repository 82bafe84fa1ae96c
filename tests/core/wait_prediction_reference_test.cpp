// The wait prediction's forward run is tuned for cost (a new walk-in's run stops once the probe
// has its counter; the policies keep their best key). These tests hold it to the plain forward
// run written out below from the core's public rules — every policy, random halls with
// appointments booked and checked in, calls, transfers to one counter and visitors who need a
// sitting desk — so a change for speed can never change an estimate.
#include "hall_fixture.hpp"

#include "shared/core/dispatch_planner.hpp"
#include "shared/core/dispatch_view.hpp"
#include "shared/core/wait_prediction.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <random>
#include <tuple>

using namespace loket;
using namespace loket::core;
using namespace loket::core::test;

namespace {

struct Placed { TicketId id; Seconds waitS; ServiceMask services; };

// The forward run as first written: every step asks the policy, the whole queue is run to its end.
std::vector<Placed> plainForwardRun(const HallState& state, Seconds now, std::vector<Candidate> extra) {
    constexpr Seconds kBookHorizonS = 2 * 3600;
    constexpr std::size_t kSimulatedUpTo = 400;
    const HallConfig& config = state.config();
    DispatchView view = buildDispatchView(state, now);
    std::vector<Candidate> overflow;
    if (view.waiting.size() > kSimulatedUpTo) {
        std::sort(view.waiting.begin(), view.waiting.end(), [&](const Candidate& a, const Candidate& b) {
            return std::tuple(candidateDueAt(a, config.normS), a.checkedInAt, a.id) <
                   std::tuple(candidateDueAt(b, config.normS), b.checkedInAt, b.id);
        });
        overflow.assign(view.waiting.begin() + kSimulatedUpTo, view.waiting.end());
        view.waiting.resize(kSimulatedUpTo);
    }
    for (auto& c : extra) view.waiting.push_back(c);
    TicketId phantomId = std::numeric_limits<TicketId>::min() / 2;
    for (std::size_t k : expectedArrivals(view.upcoming, now + kBookHorizonS)) {
        const UpcomingAppointment& u = view.upcoming[k];
        const Seconds arrive = std::max(now, u.appointmentAt - kExpectedEarlyArrivalS);
        view.waiting.push_back(Candidate{phantomId++, TicketKind::Appointment, arrive, u.appointmentAt, u.services, arrive,
                                         std::nullopt, u.expectedDurationS, 600});
    }
    view.upcoming.clear();
    if (std::none_of(view.counters.begin(), view.counters.end(), [](const CounterSlot& c) { return c.available; }))
        for (std::size_t i = 0; i < view.counters.size(); ++i) {
            view.counters[i].available = true;
            view.counters[i].services = config.counters[i].skills;
        }
    auto realLeft = std::count_if(view.waiting.begin(), view.waiting.end(), [](const Candidate& c) { return c.id > 0; });
    std::vector<Placed> out;
    while (realLeft > 0) {
        CounterSlot* next = nullptr;
        for (auto& c : view.counters)
            if (c.available && (!next || c.freeAt < next->freeAt)) next = &c;
        if (!next) break;
        const Seconds t = std::max(now, next->freeAt);
        if (auto i = chooseNext(view.input(config, t), *next)) {
            const Candidate chosen = view.waiting[*i];
            if (chosen.id > 0) {
                out.push_back({chosen.id, t - now, chosen.services});
                --realLeft;
            }
            next->freeAt = t + std::max<Seconds>(chosen.expectedDurationS, 30);
            view.waiting.erase(view.waiting.begin() + static_cast<std::ptrdiff_t>(*i));
            continue;
        }
        Seconds wake = std::numeric_limits<Seconds>::max();
        for (const Candidate& c : view.waiting)
            if (c.notBefore > t && eligible(c, *next, c.notBefore)) wake = std::min(wake, c.notBefore);
        if (wake == std::numeric_limits<Seconds>::max()) next->available = false;
        else next->freeAt = wake;
    }
    if (!overflow.empty() && !out.empty()) {
        const Seconds last = out.back().waitS;
        const double pace = static_cast<double>(std::max<Seconds>(last, 60)) / static_cast<double>(out.size());
        for (std::size_t i = 0; i < overflow.size(); ++i)
            out.push_back({overflow[i].id, last + static_cast<Seconds>(pace * static_cast<double>(i + 1)), overflow[i].services});
    }
    return out;
}

// Estimates with the position among those for the same services, as the prediction gives them.
std::vector<std::pair<TicketId, WaitEstimate>> plainEstimates(const std::vector<Placed>& run) {
    std::vector<std::pair<TicketId, WaitEstimate>> out;
    std::array<int, kMaxServices> seen{};
    for (const Placed& p : run) {
        int before = 0;
        for (std::size_t s = 0; s < kMaxServices; ++s)
            if (p.services & (ServiceMask{1} << s)) before = std::max(before, seen[s]);
        for (std::size_t s = 0; s < kMaxServices; ++s)
            if (p.services & (ServiceMask{1} << s)) ++seen[s];
        out.emplace_back(p.id, withRange(p.waitS, before + 1));
    }
    return out;
}

bool same(const WaitEstimate& a, const WaitEstimate& b) {
    return a.waitS == b.waitS && a.lowS == b.lowS && a.highS == b.highS && a.position == b.position;
}

// Compares the prediction and every service's new walk-in with the plain run.
void checkAgainstPlainRun(const HallState& s, Seconds now) {
    const WaitPrediction fast = predictWaits(s, now);
    const auto plain = plainEstimates(plainForwardRun(s, now, {}));
    REQUIRE(fast.tickets.size() == plain.size());
    for (const auto& [id, e] : plain) {
        REQUIRE(fast.tickets.count(id) == 1);
        CHECK(same(fast.tickets.at(id), e));
    }
    const HallConfig& config = s.config();
    for (std::size_t service = 0; service < config.services.size(); ++service) {
        const auto sv = static_cast<ServiceIndex>(service);
        const TicketId probe = std::numeric_limits<TicketId>::max();
        const Candidate c{probe, TicketKind::WalkIn, now, 0, bit(sv), now, std::nullopt, s.durations().expected(config, sv),
                          config.services[service].walkInTargetS};
        std::optional<WaitEstimate> expected;
        for (const auto& [id, e] : plainEstimates(plainForwardRun(s, now, {c})))
            if (id == probe) expected = e;
        const auto got = predictNewWalkIn(s, now, sv);
        REQUIRE(got.has_value() == expected.has_value());
        if (got) CHECK(same(*got, *expected));
    }
}

// A random hall: three services (one by appointment only), three counters with different skills,
// a random policy, and a random morning of check-ins, bookings, calls, transfers and completions.
HallState randomHall(std::mt19937& random, int commands) {
    HallConfig c = smallHall(static_cast<PolicyKind>(random() % 5));
    if (random() % 2) c.counters[0].sittingDesk = true;
    HallState s(c);
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    const char* services[] = {"paspoort", "ophalen", "huwelijk"};
    const char* counters[] = {"b1", "b2", "b3"};
    std::vector<std::string> booked;
    for (int k = 0; k < 6; ++k) {
        const std::string code = std::string("K7Q2M") + "ACDEFH"[k];
        must(s, booking(code, {services[pick(3)]}, at(9, 10 + 10 * k)), at(8, 0));
        booked.push_back(code);
    }
    for (int i = 0; i < commands; ++i) {
        const Now t = at(9, i / 2, (i % 2) * 30);
        std::vector<TicketId> waiting;
        for (const Ticket& ticket : s.tickets())
            if (ticket.status == TicketStatus::Waiting) waiting.push_back(ticket.id);
        Command command = IssueWalkIn{services[pick(2)], "nl", "w" + std::to_string(i)};
        switch (pick(10)) {
        case 0: command = OpenCounter{counters[pick(3)], std::nullopt}; break;
        case 1:
            if (!booked.empty()) command = CheckInAppointment{booked[static_cast<std::size_t>(pick(static_cast<int>(booked.size())))], "nl", "a" + std::to_string(i)};
            break;
        case 2: command = CallNext{counters[pick(3)]}; break;
        case 3:
            if (!waiting.empty()) command = TransferTicket{waiting[static_cast<std::size_t>(pick(static_cast<int>(waiting.size())))], std::nullopt, counters[pick(3)]};
            break;
        case 4: {
            IssueWalkIn w{services[pick(2)], "nl", "d" + std::to_string(i)};
            w.needs.sittingDesk = true;
            command = w;
            break;
        }
        case 5:
            for (const Ticket& ticket : s.tickets())
                if (ticket.status == TicketStatus::Called || ticket.status == TicketStatus::Serving) command = CompleteTicket{ticket.id, Outcome::Handled, ""};
            break;
        default: break;
        }
        (void)execute(s, command, t); // a refusal (a closed counter, nobody to call) changes nothing
    }
    return s;
}

} // namespace

TEST_CASE("prediction: the forward run gives exactly the plain run's estimates, in random halls under every policy") {
    std::mt19937 random(20261202);
    for (int hall = 0; hall < 60; ++hall) {
        const HallState s = randomHall(random, 20 + hall);
        INFO("hall " << hall << ", policy " << policyName(s.config().policy));
        checkAgainstPlainRun(s, at(9, 40).t);
    }
}

TEST_CASE("prediction: the forward run gives exactly the plain run's estimates beyond the simulated part of the queue") {
    HallConfig c = smallHall(PolicyKind::Norm);
    HallState s(c);
    must(s, OpenCounter{"b1", std::nullopt}, at(8, 0));
    must(s, OpenCounter{"b2", std::nullopt}, at(8, 0));
    for (int i = 0; i < 420; ++i) must(s, IssueWalkIn{i % 3 ? "ophalen" : "paspoort", "nl", "p" + std::to_string(i)}, at(8, 0, i % 60));
    checkAgainstPlainRun(s, at(8, 5).t);
}
