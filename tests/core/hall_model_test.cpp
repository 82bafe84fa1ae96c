// The hall's rules as the command handler decides them.
#include "hall_fixture.hpp"

using namespace loket;
using namespace loket::core;
using namespace loket::core::test;

TEST_CASE("hall: a walk-in gets the next number of its service's prefix") {
    HallConfig c = smallHall();
    HallState s(c);
    auto a = must(s, IssueWalkIn{"paspoort", "nl", "code-a"}, at(9, 0));
    auto b = must(s, IssueWalkIn{"paspoort", "en", "code-b"}, at(9, 1));
    auto other = must(s, IssueWalkIn{"ophalen", "nl", "code-c"}, at(9, 2));
    CHECK(s.ticket(issuedId(a))->number == "A001");
    CHECK(s.ticket(issuedId(b))->number == "A002");
    CHECK(s.ticket(issuedId(other))->number == "B001");
    CHECK(s.ticket(issuedId(b))->language == "en");
}

TEST_CASE("hall: the first command of a day starts the day") {
    HallConfig c = smallHall();
    HallState s(c);
    auto events = must(s, IssueWalkIn{"ophalen", "nl", "x"}, at(9, 0));
    REQUIRE(events.size() == 2);
    CHECK(std::holds_alternative<DayStarted>(events[0]));
    CHECK(s.day() == testDay());
}

TEST_CASE("hall: an unknown service, or one without walk-ins, is refused with a typed error") {
    HallConfig c = smallHall();
    HallState s(c);
    CHECK(mustFail(s, IssueWalkIn{"paspoot", "nl", "x"}, at(9, 0)) == ErrorCode::UnknownService);
    CHECK(mustFail(s, IssueWalkIn{"huwelijk", "nl", "x"}, at(9, 0)) == ErrorCode::WalkInNotOffered);
}

TEST_CASE("hall: a closed hall issues no tickets and says when it opens") {
    HallConfig c = smallHall();
    c.hours.alwaysOpen = false;
    c.hours.periods[static_cast<std::size_t>(weekday(testDay()))] = {{8 * 3600 + 1800, 17 * 3600}};
    HallState s(c);
    auto r = execute(s, IssueWalkIn{"ophalen", "nl", "x"}, at(7, 0));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::HallClosed);
    CHECK(r.error().message.find("08:30") != std::string::npos);
    // The facts a kiosk shows are typed, with the hall's offset.
    REQUIRE(r.error().details.opensAt);
    CHECK(r.error().details.opensAt->t == at(8, 30).t);
    CHECK(r.error().details.opensAt->utcOffsetS == kOffset);
    CHECK(r.error().details.closesAt->t == at(17, 0).t);
    CHECK(execute(s, IssueWalkIn{"ophalen", "nl", "x"}, at(9, 0)).has_value());
}

TEST_CASE("appointments: check-in gives an appointment ticket with the appointment's services") {
    HallConfig c = smallHall();
    HallState s(c);
    must(s, booking("K7Q2MX", {"paspoort", "ophalen"}, at(10, 15)), at(8, 0));
    auto e = must(s, CheckInAppointment{"k7q2mx", "nl", "v1"}, at(10, 5));
    const Ticket* t = s.ticket(issuedId(e));
    CHECK(t->kind == TicketKind::Appointment);
    CHECK(t->number == "A001");
    CHECK(t->services.size() == 2);
    CHECK(s.appointment("K7Q2MX")->status == AppointmentStatus::CheckedIn);
}

TEST_CASE("appointments: too early, not today, unknown and twice are each refused with what to do") {
    HallConfig c = smallHall();
    HallState s(c);
    must(s, booking("K7Q2MX", {"paspoort"}, at(11, 0)), at(8, 0));
    auto tomorrow = booking("TMRW22", {"paspoort"}, Now{at(11, 0).t + 86400, kOffset});
    must(s, tomorrow, at(8, 0));

    auto early = execute(s, CheckInAppointment{"K7Q2MX", "nl", "a"}, at(10, 0));
    REQUIRE_FALSE(early);
    CHECK(early.error().code == ErrorCode::TooEarly);
    CHECK(early.error().message.find("10:30") != std::string::npos);
    REQUIRE(early.error().details.checkInFrom);
    CHECK(early.error().details.checkInFrom->t == at(10, 30).t);

    auto notToday = execute(s, CheckInAppointment{"TMRW22", "nl", "b"}, at(10, 45));
    REQUIRE_FALSE(notToday);
    CHECK(notToday.error().code == ErrorCode::AppointmentNotToday);
    CHECK(notToday.error().details.appointmentDay == testDay() + 1);
    CHECK(mustFail(s, CheckInAppointment{"NOPE22", "nl", "c"}, at(10, 45)) == ErrorCode::UnknownAppointment);

    must(s, CheckInAppointment{"K7Q2MX", "nl", "d"}, at(10, 45));
    auto twice = execute(s, CheckInAppointment{"K7Q2MX", "nl", "e"}, at(10, 46));
    REQUIRE_FALSE(twice);
    CHECK(twice.error().code == ErrorCode::AlreadyCheckedIn);
    CHECK(twice.error().message.find("A001") != std::string::npos);
    CHECK(twice.error().details.ticketNumber == "A001");
    CHECK_FALSE(twice.error().details.checkInFrom);
}

TEST_CASE("appointments: booking the same appointment again changes nothing") {
    HallConfig c = smallHall();
    HallState s(c);
    must(s, booking("K7Q2MX", {"paspoort"}, at(11, 0)), at(8, 0));
    CHECK(must(s, booking("K7Q2MX", {"paspoort"}, at(11, 0)), at(8, 1)).empty());
    CHECK(must(s, booking("K7Q2MX", {"paspoort"}, at(11, 30)), at(8, 2)).size() == 1);
    CHECK(s.appointment("K7Q2MX")->startsAt == at(11, 30).t);
}

TEST_CASE("appointments: a booking code is 6-10 of A-Z and 2-9") {
    CHECK(validBookingCode("K7Q2MX"));
    CHECK_FALSE(validBookingCode("K7Q2M"));
    CHECK_FALSE(validBookingCode("K7Q2MX1"));
    CHECK_FALSE(validBookingCode("K7Q2MXK7Q2M"));
    CHECK(normaliseBookingCode(" k7q-2mx ") == "K7Q2MX");
    CHECK(normaliseBookingCode("k7q.2mx\t") == "K7Q2MX");
    // Every code Loket hands out (the simulator's, generated ones) is valid.
    for (char symbol : kBookingCodeAlphabet) CHECK(validBookingCode(std::string("SIM") + symbol + "22"));
}

TEST_CASE("tickets: a number is said as its letter and its digits without leading zeros") {
    CHECK(spokenNumber("A012").letter == "A");
    CHECK(spokenNumber("A012").digits == "12");
    CHECK(spokenNumber("B100").digits == "100");
    CHECK(spokenNumber("C000").digits == "0");
    CHECK(spokenNumber("VIP").letter == "VIP");
    CHECK(spokenNumber("VIP").digits.empty());
    CHECK(spokenNumber("12").digits.empty());
}

TEST_CASE("texts: the visitor's language, else Dutch, else English, else any") {
    const LocalText text{{"nl", "Paspoort"}, {"en", "Passport"}, {"tr", ""}};
    CHECK(textIn(text, "en") == "Passport");
    CHECK(textIn(text, "tr") == "Paspoort"); // empty counts as missing
    CHECK(textIn(LocalText{{"en", "Passport"}, {"pl", "Paszport"}}, "tr") == "Passport");
    CHECK(textIn(LocalText{{"pl", "Paszport"}}, "nl") == "Paszport");
    CHECK(textIn(LocalText{}, "nl").empty());
}

TEST_CASE("appointments: the code rule is one per source (a booking system keeps its own id)") {
    CHECK(validBookingCode("1234567890", CodeSource::Jcc));
    CHECK_FALSE(validBookingCode("1234567890", CodeSource::Loket));
    CHECK_FALSE(validBookingCode("12A4567890", CodeSource::Jcc));
    CHECK(validBookingCode("D50517A0AE88CDBC495F7A32E011CB", CodeSource::Qmatic));
    CHECK_FALSE(validBookingCode("D50517A0AE88CDBC495F7A32E011CG", CodeSource::Qmatic));
    CHECK_FALSE(validBookingCode("K7Q2MX", CodeSource::Qmatic));
    CHECK(validBookingCode("AFSPRAAK0042", CodeSource::Calendar));
    CHECK(validBookingCodeOfAnySource("1234567890"));
    CHECK(validBookingCodeOfAnySource("K7Q2MX"));
    CHECK_FALSE(validBookingCodeOfAnySource("K7"));

    const HallConfig hall = smallHall(); // the state keeps a reference to its configuration
    HallState s(hall);
    BookAppointment jcc{"1234567890", {"paspoort"}, at(11, 0).t, localDay(at(11, 0)), 0, 2, ""};
    CHECK_FALSE(decide(s, Command{jcc}, at(8, 0)).has_value()); // Loket's rule by default
    jcc.codeSource = CodeSource::Jcc;
    must(s, jcc, at(8, 0));
    REQUIRE(s.appointment("1234567890") != nullptr);
    CHECK(s.appointment("1234567890")->persons == 2);
}

TEST_CASE("due times: an appointment is due at the norm after its time, or after check-in when late") {
    HallConfig c = smallHall();
    Ticket early;
    early.kind = TicketKind::Appointment;
    early.appointmentAt = at(10, 0).t;
    early.issuedAt = at(9, 40).t;
    early.services = {0};
    CHECK(ticketDueAt(early, c) == at(10, 5).t); // an early arrival is not due before the appointment time
    Ticket late = early;
    late.issuedAt = at(10, 10).t;
    CHECK(ticketDueAt(late, c) == at(10, 15).t);
    Ticket walkIn;
    walkIn.issuedAt = at(9, 0).t;
    walkIn.services = {1};
    CHECK(ticketDueAt(walkIn, c) == at(9, 10).t);
}

TEST_CASE("counters: a counter must be open and free to call, and calls only what it may serve") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    must(s, IssueWalkIn{"paspoort", "nl", "a"}, at(9, 0));
    CHECK(mustFail(s, CallNext{"b2"}, at(9, 1)) == ErrorCode::CounterClosed);
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 1));
    CHECK(must(s, CallNext{"b2"}, at(9, 2)).empty()); // b2 only hands out documents
    must(s, OpenCounter{"b1", std::nullopt}, at(9, 2));
    auto called = calledId(must(s, CallNext{"b1"}, at(9, 3)));
    REQUIRE(called);
    CHECK(s.ticket(*called)->status == TicketStatus::Called);
    CHECK(mustFail(s, CallNext{"b1"}, at(9, 4)) == ErrorCode::CounterBusy);
    CHECK(mustFail(s, CloseCounter{"b1"}, at(9, 4)) == ErrorCode::CounterBusy);
    CHECK(mustFail(s, CallNext{"b9"}, at(9, 4)) == ErrorCode::UnknownCounter);
}

TEST_CASE("counters: opened for some services, a counter calls only those") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    must(s, IssueWalkIn{"paspoort", "nl", "a"}, at(9, 0));
    auto pickup = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "b"}, at(9, 1)));
    must(s, OpenCounter{"b1", std::vector<std::string>{"ophalen"}}, at(9, 2));
    CHECK(calledId(must(s, CallNext{"b1"}, at(9, 3))) == pickup);
    CHECK(mustFail(s, OpenCounter{"b2", std::vector<std::string>{"paspoort"}}, at(9, 3)) == ErrorCode::InvalidValue);
}

TEST_CASE("visit: called, started, completed with an outcome, and the counter is free again") {
    HallConfig c = smallHall();
    HallState s(c);
    auto id = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "a"}, at(9, 0)));
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 0));
    must(s, CallNext{"b2"}, at(9, 1));
    must(s, StartTicket{id}, at(9, 2));
    CHECK(s.ticket(id)->status == TicketStatus::Serving);
    CHECK(mustFail(s, CompleteTicket{id, Outcome::None, ""}, at(9, 5)) == ErrorCode::InvalidValue);
    must(s, CompleteTicket{id, Outcome::Backoffice, "needs a signature"}, at(9, 5));
    CHECK(s.ticket(id)->status == TicketStatus::Done);
    CHECK(s.ticket(id)->outcome == Outcome::Backoffice);
    CHECK_FALSE(s.counters()[1].ticket);
    CHECK(mustFail(s, StartTicket{id}, at(9, 6)) == ErrorCode::InvalidTransition);
}

TEST_CASE("visit: a recall calls the same visitor again and keeps the first call for the statistics") {
    HallConfig c = smallHall();
    HallState s(c);
    auto id = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "a"}, at(9, 0)));
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 0));
    must(s, CallNext{"b2"}, at(9, 1));
    must(s, RecallTicket{id}, at(9, 2));
    CHECK(s.ticket(id)->firstCalledAt == at(9, 1).t);
    CHECK(s.ticket(id)->lastCalledAt == at(9, 2).t);
    CHECK(s.ticket(id)->calls == 2);
    CHECK(s.recentCalls().front().recall);
}

TEST_CASE("visit: a no-show ends the visit, with requeue the visitor waits again but not at once") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    auto first = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "a"}, at(9, 0)));
    auto second = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "b"}, at(9, 1)));
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 1));
    must(s, CallNext{"b2"}, at(9, 2));
    must(s, MarkNoShow{first, true}, at(9, 3));
    CHECK(s.ticket(first)->status == TicketStatus::Waiting);
    CHECK(calledId(must(s, CallNext{"b2"}, at(9, 4))) == second); // the first is in its cool-down
    must(s, MarkNoShow{second, false}, at(9, 5));
    CHECK(s.ticket(second)->status == TicketStatus::NoShow);
    CHECK(must(s, CallNext{"b2"}, at(9, 6)).empty());
    CHECK(calledId(must(s, CallNext{"b2"}, at(9, 8, 1))) == first);
}

TEST_CASE("transfer: the question travels, the visitor keeps the number and the place in the queue") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    auto early = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "a"}, at(9, 0)));
    auto later = issuedId(must(s, IssueWalkIn{"paspoort", "nl", "b"}, at(9, 5)));
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 5));
    must(s, CallNext{"b2"}, at(9, 6));
    must(s, TransferTicket{early, std::string("paspoort"), std::nullopt}, at(9, 8));
    const Ticket* t = s.ticket(early);
    CHECK(t->number == "B001");
    CHECK(t->status == TicketStatus::Waiting);
    CHECK(t->issuedAt == at(9, 0).t);
    must(s, OpenCounter{"b1", std::nullopt}, at(9, 9));
    CHECK(calledId(must(s, CallNext{"b1"}, at(9, 9))) == early); // ahead of the later passport visitor
    (void)later;
}

TEST_CASE("transfer: to one counter, only that counter may call the visitor") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    auto id = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "a"}, at(9, 0)));
    must(s, OpenCounter{"b1", std::nullopt}, at(9, 0));
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 0));
    must(s, CallNext{"b1"}, at(9, 1));
    must(s, TransferTicket{id, std::nullopt, std::string("b2")}, at(9, 2));
    must(s, CloseCounter{"b1"}, at(9, 2));
    must(s, OpenCounter{"b1", std::nullopt}, at(9, 2));
    CHECK(must(s, CallNext{"b1"}, at(9, 3)).empty());
    CHECK(calledId(must(s, CallNext{"b2"}, at(9, 3))) == id);
}

TEST_CASE("day rollover: yesterday's tickets and names go, later appointments stay, numbers restart") {
    HallConfig c = smallHall();
    HallState s(c);
    must(s, booking("TODAY2", {"paspoort"}, at(10, 0)), at(8, 0));
    auto tomorrowAt = Now{at(10, 0).t + 86400, kOffset};
    auto b = booking("TMRW22", {"paspoort"}, tomorrowAt);
    b.name = "J. de Vries";
    must(s, b, at(8, 0));
    auto yesterday = issuedId(must(s, IssueWalkIn{"paspoort", "nl", "a"}, at(9, 0)));
    auto events = must(s, IssueWalkIn{"paspoort", "nl", "b"}, Now{at(9, 0).t + 86400, kOffset});
    CHECK(std::holds_alternative<DayStarted>(events.front()));
    CHECK(s.ticket(yesterday) == nullptr);
    CHECK(s.ticketByPublicCode("a") == nullptr);
    CHECK(s.appointment("TODAY2") == nullptr);
    REQUIRE(s.appointment("TMRW22") != nullptr);
    CHECK(s.ticket(issuedId(events))->number == "A001");
    CHECK(issuedId(events) > yesterday); // ids never repeat
}

TEST_CASE("feedback: once per visit, only after it is done, score 1 to 10") {
    HallConfig c = smallHall();
    HallState s(c);
    auto id = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "pub"}, at(9, 0)));
    CHECK(mustFail(s, GiveFeedback{"pub", 8, ""}, at(9, 1)) == ErrorCode::FeedbackNotAllowed);
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 1));
    must(s, CallNext{"b2"}, at(9, 1));
    must(s, CompleteTicket{id, Outcome::Handled, ""}, at(9, 4));
    CHECK(mustFail(s, GiveFeedback{"pub", 11, ""}, at(9, 5)) == ErrorCode::InvalidValue);
    CHECK(mustFail(s, GiveFeedback{"nope", 8, ""}, at(9, 5)) == ErrorCode::UnknownVisit);
    must(s, GiveFeedback{"pub", 8, "vriendelijk"}, at(9, 5));
    CHECK(s.ticket(id)->feedbackScore == 8);
    CHECK(mustFail(s, GiveFeedback{"pub", 9, ""}, at(9, 6)) == ErrorCode::FeedbackNotAllowed);
}
