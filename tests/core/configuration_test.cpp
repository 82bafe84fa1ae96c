// The hall manager's changes (configuration.hpp): each command, its field errors and the refusals
// that protect today's visitors, all through the one command handler.
#include "hall_fixture.hpp"

#include "shared/core/configuration.hpp"

using namespace loket;
using namespace loket::core;
using namespace loket::core::test;

namespace {

Configure change(ConfigChange c, bool confirmed = false) { return Configure{std::move(c), "beheerder", confirmed}; }

Error refused(HallState& s, const Command& command, Now now) {
    auto r = execute(s, command, now);
    REQUIRE_FALSE(r.has_value());
    return r.error();
}

ServiceConfig service(const HallConfig& c, const std::string& id) { return c.services[*c.serviceIndex(id)]; }

const ConfigurationChanged& changed(const std::vector<Event>& events) {
    for (const auto& e : events)
        if (auto* c = std::get_if<ConfigurationChanged>(&e)) return *c;
    FAIL("no configuration.changed event");
    throw 0;
}

} // namespace

TEST_CASE("configuration: a service's 'what to bring' changes through the command handler, stored as who, what and when") {
    HallState s(smallHall());
    ServiceConfig p = service(s.config(), "paspoort");
    p.bring = {{"nl", "uw oude paspoort en één pasfoto"}, {"en", "your old passport and one photo"}};
    auto events = must(s, change(SetService{p}), at(9, 0));
    const ConfigurationChanged& e = changed(events);
    CHECK(e.by == "beheerder");
    CHECK(e.at == at(9, 0).t);
    CHECK(configChangeName(e.change) == std::string("service.set"));
    CHECK(configChangeTarget(e.change) == "paspoort");
    CHECK(service(s.config(), "paspoort").bring.at("nl") == "uw oude paspoort en één pasfoto");
    // The change is live: the next walk-in is decided on it.
    CHECK(issuedId(must(s, IssueWalkIn{"paspoort", "nl", "v1"}, at(9, 1))) > 0);
}

TEST_CASE("configuration: a new service is offered at once, a copy of the state keeps the configuration it had") {
    HallState s(smallHall());
    HallState before = s;
    ServiceConfig n;
    n.id = "parkeren";
    n.name = {{"nl", "Parkeervergunning"}};
    n.prefix = 'P';
    must(s, change(SetService{n}), at(9, 0));
    must(s, change(SetCounter{"b2", "2", {"ophalen", "parkeren"}, "left", true}), at(9, 0));
    auto ticket = must(s, IssueWalkIn{"parkeren", "nl", "v1"}, at(9, 1));
    CHECK(s.ticket(issuedId(ticket))->number == "P001");
    CHECK(s.config().counters[1].sittingDesk);
    CHECK(s.config().counters[1].location == "left");
    CHECK_FALSE(before.config().serviceIndex("parkeren"));
}

TEST_CASE("configuration: a service with a bad field is refused and the error names the field") {
    HallState s(smallHall());
    auto fieldOf = [&](ServiceConfig svc) {
        Error e = refused(s, change(SetService{std::move(svc)}), at(9, 0));
        CHECK(e.code != ErrorCode::Internal);
        return e.details.field.value_or("(none)");
    };
    ServiceConfig p = service(s.config(), "paspoort");
    ServiceConfig bad = p;
    bad.id = "Paspoort!";
    CHECK(fieldOf(bad) == "id");
    bad = p;
    bad.name = {{"en", "Passport"}};
    CHECK(fieldOf(bad) == "name.nl");
    bad = p;
    bad.bring = {{"nl", std::string(201, 'x')}};
    CHECK(fieldOf(bad) == "bring.nl");
    bad = p;
    bad.description = {{"nl", "twee\nregels"}};
    CHECK(fieldOf(bad) == "description.nl");
    bad = p;
    bad.bring = {{"nl", "\xC3\x28"}};
    CHECK(fieldOf(bad) == "bring.nl");
    bad = p;
    bad.prefix = 'a';
    CHECK(fieldOf(bad) == "prefix");
    bad = p;
    bad.walkIn = bad.appointment = false;
    CHECK(fieldOf(bad) == "walk_in");
    bad = p;
    bad.expectedDurationS = 10;
    CHECK(fieldOf(bad) == "expected_duration_s");
    bad = p;
    bad.walkInTargetS = 5 * 3600;
    CHECK(fieldOf(bad) == "walk_in_target_s");
    // Nothing changed.
    CHECK(service(s.config(), "paspoort") == p);
}

TEST_CASE("configuration: appointment-only and walk-in off refuse walk-ins, walk-in on takes them again") {
    HallState s(smallHall());
    ServiceConfig p = service(s.config(), "paspoort");
    p.walkIn = false;
    must(s, change(SetService{p}), at(9, 0));
    CHECK(mustFail(s, IssueWalkIn{"paspoort", "nl", "v1"}, at(9, 1)) == ErrorCode::WalkInNotOffered);
    p.walkIn = true;
    must(s, change(SetService{p}), at(9, 2));
    CHECK(must(s, IssueWalkIn{"paspoort", "nl", "v2"}, at(9, 3)).size() == 1);
}

TEST_CASE("configuration: removing a service visitors wait for needs a confirmation, then it takes no new tickets and the waiting are still served") {
    HallState s(smallHall());
    auto waiting = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "v1"}, at(9, 0)));
    Error e = refused(s, change(RemoveService{"ophalen"}), at(9, 1));
    CHECK(e.code == ErrorCode::ConfirmationNeeded);
    CHECK(e.message.find("1 visitor") != std::string::npos);
    CHECK(s.config().offeredServiceIndex("ophalen"));

    must(s, change(RemoveService{"ophalen"}, true), at(9, 2));
    CHECK_FALSE(s.config().offeredServiceIndex("ophalen"));
    CHECK(mustFail(s, IssueWalkIn{"ophalen", "nl", "v2"}, at(9, 3)) == ErrorCode::UnknownService);
    CHECK(mustFail(s, booking("K7Q2MX", {"ophalen"}, at(11, 0)), at(9, 3)) == ErrorCode::UnknownService);
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 4));
    CHECK(calledId(must(s, CallNext{"b2"}, at(9, 5))) == waiting);
}

TEST_CASE("configuration: a booked appointment also needs the confirmation, a service nobody needs goes at once") {
    HallState s(smallHall());
    must(s, booking("K7Q2MX", {"paspoort"}, at(11, 0)), at(8, 0));
    CHECK(refused(s, change(RemoveService{"paspoort"}), at(9, 0)).message.find("booked") != std::string::npos);
    CHECK(must(s, change(RemoveService{"huwelijk"}), at(9, 0)).size() == 1);
    CHECK(refused(s, change(RemoveService{"huwelijk"}), at(9, 0)).code == ErrorCode::UnknownService);
}

TEST_CASE("configuration: a removed service comes back when it is set again, in its old place") {
    HallState s(smallHall());
    ServiceConfig h = service(s.config(), "huwelijk");
    must(s, change(RemoveService{"huwelijk"}), at(9, 0));
    must(s, change(SetService{h}), at(9, 1));
    CHECK(s.config().offeredServiceIndex("huwelijk") == ServiceIndex{2});
    CHECK(s.config().services.size() == 3);
}

TEST_CASE("configuration: a counter's fields are checked and name the field") {
    HallState s(smallHall());
    CHECK(refused(s, change(SetCounter{"B 4", "4", {"paspoort"}, "", false}), at(9, 0)).details.field == "id");
    CHECK(refused(s, change(SetCounter{"b4", "", {"paspoort"}, "", false}), at(9, 0)).details.field == "name");
    CHECK(refused(s, change(SetCounter{"b4", "4", {}, "", false}), at(9, 0)).details.field == "skills");
    CHECK(refused(s, change(SetCounter{"b4", "4", {"paspoot"}, "", false}), at(9, 0)).details.field == "skills");
    CHECK(refused(s, change(SetCounter{"b4", "4", {"paspoort"}, "links", false}), at(9, 0)).details.field == "location");
    must(s, change(SetCounter{"b4", "4", {"paspoort"}, "right", true}), at(9, 0));
    must(s, OpenCounter{"b4", std::nullopt}, at(9, 1));
    CHECK(s.counters().size() == 4);
    CHECK(s.counters()[3].state == CounterState::Open);
}

TEST_CASE("configuration: changing the skills of an open counter narrows what it serves now") {
    HallState s(smallHall());
    must(s, OpenCounter{"b1", std::nullopt}, at(9, 0));
    auto events = must(s, change(SetCounter{"b1", "1", {"ophalen"}, "", false}), at(9, 1));
    REQUIRE(events.size() == 2);
    CHECK(s.counters()[0].services == bit(1));
    CHECK(s.counters()[0].state == CounterState::Open);
}

TEST_CASE("configuration: taking a skill from a counter whose visitor needs it needs a confirmation") {
    HallState s(smallHall());
    must(s, IssueWalkIn{"paspoort", "nl", "v1"}, at(9, 0));
    must(s, OpenCounter{"b1", std::nullopt}, at(9, 0));
    must(s, CallNext{"b1"}, at(9, 1));
    Error e = refused(s, change(SetCounter{"b1", "1", {"ophalen"}, "", false}), at(9, 2));
    CHECK(e.code == ErrorCode::ConfirmationNeeded);
    CHECK(e.message.find("A001") != std::string::npos);
    must(s, change(SetCounter{"b1", "1", {"ophalen"}, "", false}, true), at(9, 2));
    CHECK(s.counters()[0].ticket); // the visitor there is still helped
}

TEST_CASE("configuration: removing a counter with a called visitor needs a confirmation and sends the visitor back to the queue") {
    HallState s(smallHall());
    auto id = issuedId(must(s, IssueWalkIn{"paspoort", "nl", "v1"}, at(9, 0)));
    must(s, OpenCounter{"b1", std::nullopt}, at(9, 0));
    must(s, CallNext{"b1"}, at(9, 1));
    Error e = refused(s, change(RemoveCounter{"b1"}), at(9, 2));
    CHECK(e.code == ErrorCode::ConfirmationNeeded);
    CHECK(e.message.find("A001") != std::string::npos);

    auto events = must(s, change(RemoveCounter{"b1"}, true), at(9, 2));
    REQUIRE(events.size() == 3);
    CHECK(std::holds_alternative<TicketTransferred>(events[0]));
    CHECK(std::holds_alternative<CounterUpdated>(events[1]));
    CHECK(std::holds_alternative<ConfigurationChanged>(events[2]));
    CHECK(s.ticket(id)->status == TicketStatus::Waiting);
    CHECK(s.counters()[0].state == CounterState::Closed);
    CHECK(mustFail(s, OpenCounter{"b1", std::nullopt}, at(9, 3)) == ErrorCode::UnknownCounter);
    must(s, OpenCounter{"b3", std::nullopt}, at(9, 3));
    CHECK(calledId(must(s, CallNext{"b3"}, at(9, 4))) == id);
}

TEST_CASE("configuration: the last service and the last counter cannot be removed") {
    HallState s(smallHall());
    must(s, change(RemoveCounter{"b1"}), at(9, 0));
    must(s, change(RemoveCounter{"b2"}), at(9, 0));
    CHECK(refused(s, change(RemoveCounter{"b3"}), at(9, 0)).details.field == "id");
    must(s, change(RemoveService{"paspoort"}), at(9, 0));
    must(s, change(RemoveService{"huwelijk"}), at(9, 0));
    CHECK(refused(s, change(RemoveService{"ophalen"}), at(9, 0)).details.field == "id");
}

TEST_CASE("configuration: opening hours per weekday decide when check-ins and walk-ins are taken") {
    HallState s(smallHall());
    const int day = weekday(testDay());
    must(s, change(SetWeekHours{day, {{8 * 3600, 17 * 3600}}, {{8 * 3600, 12 * 3600}}}), at(7, 0));
    CHECK(mustFail(s, IssueWalkIn{"ophalen", "nl", "v1"}, at(7, 30)) == ErrorCode::HallClosed);
    CHECK(must(s, IssueWalkIn{"ophalen", "nl", "v2"}, at(9, 0)).size() == 1);
    CHECK(mustFail(s, IssueWalkIn{"ophalen", "nl", "v3"}, at(13, 0)) == ErrorCode::HallClosed);
    // Another weekday is still open around the clock.
    CHECK(s.config().hours.periods[static_cast<std::size_t>((day + 1) % 7)] == OpenPeriods{{0, 86400}});
}

TEST_CASE("configuration: bad opening hours are refused with the field") {
    HallState s(smallHall());
    CHECK(refused(s, change(SetWeekHours{7, {}, {}}), at(9, 0)).details.field == "weekday");
    CHECK(refused(s, change(SetWeekHours{0, {{12 * 3600, 9 * 3600}}, {}}), at(9, 0)).details.field == "periods");
    CHECK(refused(s, change(SetWeekHours{0, {{8 * 3600, 12 * 3600}, {11 * 3600, 13 * 3600}}, {}}), at(9, 0)).details.field == "periods");
    CHECK(refused(s, change(SetWeekHours{0, {}, {{8 * 3600, 90000}}}), at(9, 0)).details.field == "walk_in_periods");
}

TEST_CASE("configuration: a closed day refuses walk-ins on that day with no opening hours, and only on that day") {
    HallState s(smallHall());
    const LocalDay tomorrow = testDay() + 1;
    must(s, change(SetDayException{tomorrow, {DayExceptionKind::Closed, {}, {{"nl", "Kerstmis"}}}}), at(9, 0));
    CHECK(must(s, IssueWalkIn{"ophalen", "nl", "v1"}, at(9, 1)).size() == 1);
    const Now tomorrowNoon{instantOf(tomorrow, 12 * 3600, kOffset), kOffset};
    auto r = execute(s, IssueWalkIn{"ophalen", "nl", "v2"}, tomorrowNoon);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::HallClosed);
    CHECK_FALSE(r.error().details.opensAt); // the kiosk says: no longer open today
    must(s, change(ClearDayException{tomorrow}), tomorrowNoon);
    CHECK(execute(s, IssueWalkIn{"ophalen", "nl", "v2"}, tomorrowNoon).has_value());
}

TEST_CASE("configuration: a short day closes early and the refusal says today's hours") {
    HallState s(smallHall());
    must(s, change(SetDayException{testDay(), {DayExceptionKind::Short, {{8 * 3600, 12 * 3600}}, {}}}), at(9, 0));
    auto r = execute(s, IssueWalkIn{"ophalen", "nl", "v1"}, at(12, 30));
    REQUIRE_FALSE(r);
    REQUIRE(r.error().details.closesAt);
    CHECK(r.error().details.closesAt->t == at(12, 0).t);
}

TEST_CASE("configuration: an evening opening takes walk-ins in the evening") {
    HallConfig c = smallHall();
    c.hours.alwaysOpen = c.walkInHours.alwaysOpen = false;
    for (auto& p : c.hours.periods) p = {{9 * 3600, 17 * 3600}};
    c.walkInHours = c.hours;
    HallState s(c);
    CHECK(mustFail(s, IssueWalkIn{"ophalen", "nl", "v1"}, at(19, 0)) == ErrorCode::HallClosed);
    must(s, change(SetDayException{testDay(), {DayExceptionKind::Evening, {{9 * 3600, 17 * 3600}, {18 * 3600, 20 * 3600}}, {}}}),
         at(17, 30));
    CHECK(must(s, IssueWalkIn{"ophalen", "nl", "v1"}, at(19, 0)).size() == 1);
}

TEST_CASE("configuration: a dated exception is checked: past dates, closed days with hours, short days without") {
    HallState s(smallHall());
    CHECK(refused(s, change(SetDayException{testDay() - 1, {DayExceptionKind::Closed, {}, {}}}), at(9, 0)).details.field == "date");
    CHECK(refused(s, change(SetDayException{testDay() + 1, {DayExceptionKind::Closed, {{0, 3600}}, {}}}), at(9, 0)).details.field ==
          "periods");
    CHECK(refused(s, change(SetDayException{testDay() + 1, {DayExceptionKind::Short, {}, {}}}), at(9, 0)).details.field == "periods");
    CHECK(refused(s, change(ClearDayException{testDay() + 3}), at(9, 0)).details.field == "date");
}

TEST_CASE("configuration: closing today while visitors wait needs a confirmation, they are still served") {
    HallState s(smallHall());
    auto id = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "v1"}, at(9, 0)));
    Error e = refused(s, change(SetDayException{testDay(), {DayExceptionKind::Closed, {}, {}}}), at(9, 5));
    CHECK(e.code == ErrorCode::ConfirmationNeeded);
    must(s, change(SetDayException{testDay(), {DayExceptionKind::Closed, {}, {}}}, true), at(9, 5));
    CHECK(mustFail(s, IssueWalkIn{"ophalen", "nl", "v2"}, at(9, 6)) == ErrorCode::HallClosed);
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 6));
    CHECK(calledId(must(s, CallNext{"b2"}, at(9, 7))) == id);
}

TEST_CASE("configuration: the banner is set, checked and removed") {
    HallState s(smallHall());
    must(s, change(SetBanner{{{"nl", "Vandaag zijn wij om 12:00 gesloten"}, {"en", "Today we close at 12:00"}}}), at(9, 0));
    CHECK(textIn(s.config().banner, "en") == "Today we close at 12:00");
    CHECK(refused(s, change(SetBanner{{{"nl", std::string(201, 'x')}}}), at(9, 0)).details.field == "text.nl");
    CHECK(refused(s, change(SetBanner{{{"Dutch", "x"}}}), at(9, 0)).details.field == "text");
    must(s, change(SetBanner{{{"nl", ""}}}), at(9, 1));
    CHECK(s.config().banner.empty());
}

TEST_CASE("configuration: a change names who made it") {
    HallState s(smallHall());
    CHECK(refused(s, Configure{SetBanner{{{"nl", "x"}}}, "", false}, at(9, 0)).code == ErrorCode::MissingField);
}

TEST_CASE("configuration: the configuration survives the day rollover, the day's tickets do not") {
    HallState s(smallHall());
    must(s, change(SetBanner{{{"nl", "Let op"}}}), at(9, 0));
    must(s, IssueWalkIn{"ophalen", "nl", "v1"}, at(9, 1));
    must(s, StartDay{testDay() + 1}, at(9, 2));
    CHECK(s.tickets().empty());
    CHECK(textIn(s.config().banner, "nl") == "Let op");
}

TEST_CASE("configuration: applying a change twice gives the same configuration (the server replays over its stored copy)") {
    HallConfig c = smallHall();
    ServiceConfig p = c.services[0];
    p.bring = {{"nl", "pasfoto"}};
    const std::vector<ConfigChange> changes{SetService{p}, SetCounter{"b4", "4", {"paspoort"}, "up", false}, RemoveService{"huwelijk"},
                                            SetWeekHours{2, {{3600, 7200}}, {}},
                                            SetDayException{testDay() + 2, {DayExceptionKind::Closed, {}, {}}},
                                            SetBanner{{{"nl", "x"}}}};
    for (const auto& ch : changes) applyConfigurationChange(c, ch);
    HallConfig twice = c;
    for (const auto& ch : changes) applyConfigurationChange(twice, ch);
    CHECK(configurationDiff(c, twice).empty());
    CHECK(twice.services.size() == c.services.size());
    CHECK(twice.counters.size() == c.counters.size());
}

TEST_CASE("configuration: the diff between two configurations is the changes that turn one into the other") {
    HallConfig from = smallHall();
    HallConfig to = from;
    to.services[0].bring = {{"nl", "pasfoto"}};
    to.services.pop_back(); // huwelijk
    to.counters[2].skills = bit(0) | bit(1);
    to.counters[1].sittingDesk = true;
    to.hours.alwaysOpen = false;
    to.hours.periods[0] = {{9 * 3600, 12 * 3600}};
    to.banner = {{"nl", "Let op"}};
    auto diff = configurationDiff(from, to);
    std::vector<std::string> names;
    for (const auto& d : diff) names.push_back(std::string(configChangeName(d)) + " " + configChangeTarget(d));
    CHECK(names == std::vector<std::string>{"service.set paspoort", "service.remove huwelijk", "counter.set b2", "counter.set b3",
                                            "hours.set 0", "hours.set 1", "hours.set 2", "hours.set 3", "hours.set 4",
                                            "hours.set 5", "hours.set 6", "banner.set "});
    HallConfig applied = from;
    for (const auto& d : diff) applyConfigurationChange(applied, d);
    CHECK(configurationDiff(applied, to).empty());
}

TEST_CASE("configuration: a counter's desk at sitting height is off by default, set and cleared by the counter command") {
    HallState s(smallHall());
    REQUIRE_FALSE(s.config().counters[0].sittingDesk);
    auto set = must(s, change(SetCounter{"b1", "1", {"paspoort"}, "", true}), at(9, 0));
    CHECK(s.config().counters[0].sittingDesk);
    const auto& e = changed(set);
    REQUIRE(std::holds_alternative<SetCounter>(e.change));
    CHECK(std::get<SetCounter>(e.change).sittingDesk); // the history says what was set
    must(s, change(SetCounter{"b1", "1", {"paspoort"}, "", false}), at(9, 1));
    CHECK_FALSE(s.config().counters[0].sittingDesk);
    // Nothing else of the counter moved with it.
    CHECK(s.config().counters[0].name == "1");
}
