#include "kiosk_test_support.hpp"

using loket::ErrorCode;
using loket::errorCodeName;
using namespace loket::kiosk;
using namespace loket::kiosk::testing;
using namespace std::chrono_literals;

TEST_CASE("flow: a walk-in goes from the tiles through the confirmation to a printed ticket") {
    FlowRig rig;
    CHECK(rig.state().screen == Screen::Welcome);
    rig.act(ActionKind::ChooseWalkIn);
    CHECK(rig.state().screen == Screen::Services);
    rig.act(ActionKind::ChooseService, "paspoort");
    CHECK(rig.state().screen == Screen::ServiceConfirm);
    rig.act(ActionKind::ConfirmService);
    const SendCheckIn* sent = rig.effect<SendCheckIn>();
    REQUIRE(sent);
    CHECK(sent->body == R"({"language":"nl","service":"paspoort"})");
    CHECK(rig.state().screen == Screen::Working);

    rig.send(CheckInSucceeded{sent->requestId, walkInTicket()});
    CHECK(rig.state().screen == Screen::Ticket);
    const PrintTicket* print = rig.effect<PrintTicket>();
    REQUIRE(print);
    CHECK(print->content.number == "A012");
    CHECK(print->content.serviceLabel == "Paspoort of ID-kaart aanvragen");
    CHECK(print->content.waitLowMin == 8);
    CHECK(print->content.waitHighMin == 14);
    CHECK(rig.state().print == PrintState::Printing);
    rig.send(PrintFinished{print->requestId, loket::ticket::PrinterFault::None});
    CHECK(rig.state().print == PrintState::Printed);
}

TEST_CASE("flow: the ticket screen goes back to the welcome screen after the configured time") {
    FlowRig rig;
    const auto id = rig.walkIn();
    rig.send(CheckInSucceeded{id, walkInTicket()});
    rig.send(PrintFinished{id, loket::ticket::PrinterFault::None});
    REQUIRE(rig.flow->nextDeadline().has_value());
    rig.after(std::chrono::seconds(rig.config.timing.ticketScreenS) - 1s);
    CHECK(rig.state().screen == Screen::Ticket);
    rig.after(1s);
    CHECK(rig.state().screen == Screen::Welcome);
    CHECK_FALSE(rig.state().ticket.has_value());
}

TEST_CASE("flow: a typed code is sent as the appointment code in the visitor's language") {
    FlowRig rig;
    rig.act(ActionKind::SetLanguage, "en");
    rig.act(ActionKind::ChooseAppointment);
    for (char c : std::string("k7q2mx")) rig.act(ActionKind::TypeChar, std::string(1, c));
    rig.act(ActionKind::SubmitCode);
    const SendCheckIn* sent = rig.effect<SendCheckIn>();
    REQUIRE(sent);
    CHECK(sent->body == R"({"appointment_code":"K7Q2MX","language":"en"})");
}

TEST_CASE("flow: a scanner typing on the welcome screen checks in without a touch") {
    KioskConfig config;
    config.bookingCodes.push_back({"jcc", R"(https://afspraak\.example\.nl/c/\?code=([A-Za-z2-9]+))", 1});
    FlowRig rig(config);
    rig.send(TextInput{"https://afspraak.example.nl/c/?code=K7Q2MX"});
    CHECK(rig.state().screen == Screen::CodeEntry);
    rig.send(EnterKey{});
    const SendCheckIn* sent = rig.effect<SendCheckIn>();
    REQUIRE(sent);
    CHECK(sent->body == R"({"appointment_code":"K7Q2MX","language":"nl"})");
}

TEST_CASE("flow: erase removes the last character and back clears the code") {
    FlowRig rig;
    rig.act(ActionKind::ChooseAppointment);
    rig.send(TextInput{"ABC"});
    rig.act(ActionKind::Erase);
    CHECK(rig.state().codeInput == "AB");
    rig.act(ActionKind::Back);
    CHECK(rig.state().screen == Screen::Welcome);
    CHECK(rig.state().codeInput.empty());
}

TEST_CASE("flow: a code no pattern knows gives the invalid-code screen without asking the server") {
    FlowRig rig;
    rig.act(ActionKind::ChooseAppointment);
    rig.send(TextInput{"12"});
    rig.send(EnterKey{});
    CHECK(rig.effect<SendCheckIn>() == nullptr);
    CHECK(rig.state().screen == Screen::Problem);
    CHECK(rig.state().problem == Problem::InvalidCode);
    rig.act(ActionKind::TryAgain);
    CHECK(rig.state().screen == Screen::CodeEntry);
    CHECK(rig.state().codeInput.empty());
}

TEST_CASE("flow: every error code of the check-in has its own problem screen") {
    const std::vector<std::pair<ErrorCode, Problem>> cases{
        {ErrorCode::UnknownAppointment, Problem::UnknownCode},  {ErrorCode::TooEarly, Problem::TooEarly},
        {ErrorCode::AlreadyCheckedIn, Problem::AlreadyCheckedIn}, {ErrorCode::AppointmentNotToday, Problem::NotToday},
        {ErrorCode::WalkInNotOffered, Problem::WalkInNotOffered}, {ErrorCode::HallClosed, Problem::HallClosed},
        {ErrorCode::BookingUnavailable, Problem::BookingUnavailable},
        {ErrorCode::InvalidValue, Problem::InvalidCode},        {ErrorCode::Forbidden, Problem::Unexpected}};
    for (const auto& [code, problem] : cases) {
        CAPTURE(errorCodeName(code));
        FlowRig rig;
        const auto id = rig.submit("K7Q2MX");
        rig.send(CheckInRejected{id, refusal(code)});
        CHECK(rig.state().screen == Screen::Problem);
        CHECK(rig.state().problem == problem);
        CHECK_FALSE(rig.state().pendingRequest.has_value());
    }
}

TEST_CASE("flow: walk-in not offered leads back to the service choice") {
    FlowRig rig;
    const auto id = rig.walkIn("huwelijk");
    rig.send(CheckInRejected{id, refusal(ErrorCode::WalkInNotOffered)});
    rig.act(ActionKind::OtherService);
    CHECK(rig.state().screen == Screen::Services);
}

TEST_CASE("flow: with the server unreachable the visitor sees the offline screen and still gets the ticket") {
    FlowRig rig;
    const auto id = rig.walkIn();
    rig.send(CheckInUnreachable{id});
    CHECK(rig.state().screen == Screen::Offline);
    CHECK(rig.state().pendingRequest == id);
    // The worker keeps trying with the same request; the server comes back and answers it.
    rig.send(Reachability{true});
    CHECK(rig.state().screen == Screen::Offline);
    rig.send(CheckInSucceeded{id, walkInTicket()});
    CHECK(rig.state().screen == Screen::Ticket);
    CHECK(rig.effect<PrintTicket>() != nullptr);
}

TEST_CASE("flow: an untouched welcome screen turns offline and back by itself") {
    FlowRig rig;
    rig.send(Reachability{false});
    CHECK(rig.state().screen == Screen::Offline);
    CHECK_FALSE(rig.flow->nextDeadline().has_value());
    rig.send(Reachability{true});
    CHECK(rig.state().screen == Screen::Welcome);
}

TEST_CASE("flow: a visitor half-way is not moved by a failed heartbeat") {
    FlowRig rig;
    rig.act(ActionKind::ChooseAppointment);
    rig.send(Reachability{false});
    CHECK(rig.state().screen == Screen::CodeEntry);
}

TEST_CASE("flow: leaving the offline screen cancels the pending check-in") {
    FlowRig rig;
    const auto id = rig.walkIn();
    rig.send(CheckInUnreachable{id});
    rig.act(ActionKind::StartOver);
    const CancelCheckIn* cancel = rig.effect<CancelCheckIn>();
    REQUIRE(cancel);
    CHECK(cancel->requestId == id);
    CHECK(rig.state().screen == Screen::Offline); // still unreachable: the calm screen stays
    // A late answer to the cancelled request changes nothing.
    rig.send(CheckInSucceeded{id, walkInTicket()});
    CHECK_FALSE(rig.state().ticket.has_value());
}

TEST_CASE("flow: a printer fault keeps the ticket on screen and gives time to take a photo") {
    for (auto fault : {loket::ticket::PrinterFault::PaperOut, loket::ticket::PrinterFault::CoverOpen,
                       loket::ticket::PrinterFault::Offline, loket::ticket::PrinterFault::WriteTimeout}) {
        CAPTURE(loket::ticket::printerFaultName(fault));
        FlowRig rig;
        const auto id = rig.walkIn();
        rig.send(CheckInSucceeded{id, walkInTicket()});
        rig.after(5s);
        rig.send(PrintFinished{id, fault});
        CHECK(rig.state().print == PrintState::Failed);
        rig.after(std::chrono::seconds(rig.config.timing.ticketScreenS));
        CHECK(rig.state().screen == Screen::Ticket); // not the short ticket time-out
        rig.after(std::chrono::seconds(rig.config.timing.idleTimeoutS));
        CHECK(rig.state().screen == Screen::Welcome);
    }
}

TEST_CASE("flow: paper near end still counts as printed") {
    FlowRig rig;
    const auto id = rig.walkIn();
    rig.send(CheckInSucceeded{id, walkInTicket()});
    rig.send(PrintFinished{id, loket::ticket::PrinterFault::PaperNearEnd});
    CHECK(rig.state().print == PrintState::Printed);
}

TEST_CASE("flow: the idle warning shows 20 s before the reset and 'Meer tijd' works again and again") {
    FlowRig rig;
    rig.act(ActionKind::ChooseAppointment);
    rig.send(TextInput{"K7Q"});
    rig.after(39s);
    CHECK_FALSE(rig.state().warning);
    rig.after(1s);
    CHECK(rig.state().warning);
    CHECK(rig.state().warningSecondsLeft == 20);
    CHECK(rig.effect<Announce>() != nullptr); // audible even without read-aloud
    for (int round = 0; round < 3; ++round) {
        rig.after(15s);
        CHECK(rig.state().warning);
        rig.act(ActionKind::MoreTime);
        CHECK_FALSE(rig.state().warning);
        CHECK(rig.state().screen == Screen::CodeEntry);
        rig.after(40s);
    }
    rig.after(20s);
    CHECK(rig.state().screen == Screen::Welcome);
    CHECK(rig.state().codeInput.empty());
}

TEST_CASE("flow: the countdown ticks every second during the warning") {
    FlowRig rig;
    rig.act(ActionKind::ChooseWalkIn);
    rig.after(40s);
    auto deadline = rig.flow->nextDeadline();
    REQUIRE(deadline);
    CHECK(*deadline - rig.now == 1s);
    rig.now = *deadline;
    rig.send(Tick{});
    CHECK(rig.state().warningSecondsLeft == 19);
}

TEST_CASE("flow: a reset clears every input, the language, large text and read-aloud") {
    FlowRig rig;
    rig.act(ActionKind::SetLanguage, "pl");
    rig.act(ActionKind::ToggleLargeText);
    rig.act(ActionKind::ToggleSpeech);
    rig.act(ActionKind::ChooseAppointment);
    rig.send(TextInput{"K7Q2MX"});
    rig.after(60s);
    CHECK(rig.state().screen == Screen::Welcome);
    CHECK(rig.state().language == "nl");
    CHECK_FALSE(rig.state().largeText);
    CHECK_FALSE(rig.state().speechOn);
    CHECK(rig.state().codeInput.empty());
    CHECK(rig.effect<StopSpeech>() != nullptr);
}

TEST_CASE("flow: a changed welcome screen also times out, an untouched one never does") {
    FlowRig rig;
    CHECK_FALSE(rig.flow->nextDeadline().has_value());
    rig.act(ActionKind::SetLanguage, "en");
    rig.after(60s);
    CHECK(rig.state().language == "nl");
}

TEST_CASE("flow: read-aloud announces each new screen, and only when it is on") {
    FlowRig rig;
    rig.act(ActionKind::ChooseWalkIn);
    CHECK(rig.effect<Announce>() == nullptr);
    rig.act(ActionKind::ToggleSpeech);
    REQUIRE(rig.effect<Announce>());
    rig.act(ActionKind::Back);
    REQUIRE(rig.effect<Announce>());
    CHECK(rig.effect<Announce>()->cue == Cue::Screen);
    rig.send(FocusInput{1});
    REQUIRE(rig.effect<Announce>());
    CHECK(rig.effect<Announce>()->cue == Cue::Focus);
    rig.act(ActionKind::ToggleSpeech);
    CHECK(rig.effect<StopSpeech>() != nullptr);
}

TEST_CASE("flow: plugging in a headset turns read-aloud on") {
    FlowRig rig;
    rig.send(HeadsetPlugged{});
    CHECK(rig.state().speechOn);
    CHECK(rig.effect<Announce>() != nullptr);
}

TEST_CASE("flow: a language the kiosk does not offer is refused") {
    FlowRig rig;
    rig.act(ActionKind::SetLanguage, "xx");
    CHECK(rig.state().language == "nl");
}

TEST_CASE("flow: without walk-in services the visitor is sent to the desk") {
    FlowRig rig;
    rig.send(ServicesLoaded{{}});
    rig.act(ActionKind::ChooseWalkIn);
    CHECK(rig.state().screen == Screen::Problem);
    CHECK(rig.state().problem == Problem::NoServices);
}

TEST_CASE("flow: appointment-only services are listed after the walk-in ones") {
    FlowRig rig;
    auto tiles = rig.flow->serviceTiles();
    REQUIRE(tiles.size() == 3);
    CHECK(tiles.back()->id == "huwelijk");
}

TEST_CASE("offline: a kiosk restarted during an outage cannot check codes, the visitor chooses the service and gets a walk-in") {
    FlowRig rig;
    const auto id = rig.submit("K7Q2MX");
    rig.send(CodeNotCheckable{id});
    CHECK(rig.state().screen == Screen::Problem);
    CHECK(rig.state().problem == Problem::CodeNotCheckable);
    CHECK(rig.state().codeInput.empty()); // the code is not kept
    CHECK_FALSE(rig.state().pendingRequest.has_value());
    const auto screen = std::get<MessageVm>(buildView(*rig.flow, catalog("nl")).screen);
    CHECK(screen.title.shown == "U krijgt een nummer");
    CHECK(screen.lines.at(0).shown.find("Kies waarvoor u komt.") != std::string::npos);
    REQUIRE_FALSE(screen.actions.empty());
    CHECK(screen.actions.front().action.kind == ActionKind::OtherService);
    CHECK(screen.actions.front().primary);
    // Every service is a choice here, also one by appointment only: the visitor has an appointment.
    rig.act(ActionKind::OtherService);
    CHECK(rig.state().screen == Screen::Services);
    rig.act(ActionKind::ChooseService, "huwelijk");
    rig.act(ActionKind::ConfirmService);
    const SendCheckIn* sent = rig.effect<SendCheckIn>();
    REQUIRE(sent);
    CHECK(sent->body == R"({"language":"nl","service":"huwelijk"})");
    // A late answer for the old request changes nothing.
    rig.send(CodeNotCheckable{id});
    CHECK(rig.state().screen == Screen::Working);
}

TEST_CASE("needs: with ask_needs on, the kiosk asks after the service choice, the needs go with the check-in, then are gone") {
    KioskConfig config;
    config.askNeeds = true;
    FlowRig rig(config);
    rig.act(ActionKind::ChooseWalkIn);
    rig.act(ActionKind::ChooseService, "paspoort");
    rig.act(ActionKind::ConfirmService);
    CHECK(rig.state().screen == Screen::Needs);
    CHECK_FALSE(rig.effect<SendCheckIn>()); // nothing sent yet
    rig.act(ActionKind::ToggleNeed, "sitting_desk");
    rig.act(ActionKind::ToggleNeed, "interpreter");
    rig.act(ActionKind::ToggleNeed, "interpreter"); // changed their mind
    const auto before = rig.state().revision;
    rig.act(ActionKind::ToggleNeed, "wings"); // no such need: nothing changes
    CHECK(rig.state().revision == before);
    CHECK(rig.state().needs == std::vector<std::string>{"sitting_desk"});
    // The toggle shows (and says) that it is on.
    const auto vm = buildView(*rig.flow, catalog("nl"));
    CHECK(vm.screenId == "needs");
    const auto& needs = std::get<NeedsVm>(vm.screen);
    REQUIRE(needs.needs.size() == 5);
    CHECK(needs.needs[0].action == Action{ActionKind::ToggleNeed, "sitting_desk"});
    CHECK(needs.needs[0].selected);
    CHECK_FALSE(needs.needs[2].selected);
    CHECK(needs.next.primary);

    rig.act(ActionKind::ConfirmNeeds);
    const SendCheckIn* sent = rig.effect<SendCheckIn>();
    REQUIRE(sent);
    CHECK(sent->body == R"({"language":"nl","needs":{"kinds":["sitting_desk"],"language":""},"service":"paspoort"})");
    CHECK(rig.state().screen == Screen::Working);
    CHECK(rig.state().needs.empty()); // sent once, not kept on the kiosk
}

TEST_CASE("needs: the kiosk's needs step can be skipped or left with Back, and is off unless the hall turns it on") {
    KioskConfig config;
    config.askNeeds = true;
    FlowRig rig(config);
    rig.act(ActionKind::ChooseWalkIn);
    rig.act(ActionKind::ChooseService, "paspoort");
    rig.act(ActionKind::ConfirmService);
    rig.act(ActionKind::ToggleNeed, "hearing_loop");
    rig.act(ActionKind::Back);
    CHECK(rig.state().screen == Screen::ServiceConfirm);
    CHECK(rig.state().needs.empty());
    rig.act(ActionKind::ConfirmService);
    rig.act(ActionKind::ToggleNeed, "companion");
    rig.act(ActionKind::SkipNeeds); // skip sends none, whatever was touched
    const SendCheckIn* sent = rig.effect<SendCheckIn>();
    REQUIRE(sent);
    CHECK(sent->body == R"({"language":"nl","service":"paspoort"})");

    // Idle on the needs screen: the reset forgets the choice.
    rig.send(CheckInSucceeded{sent->requestId, walkInTicket()});
    rig.act(ActionKind::Done);
    rig.act(ActionKind::ChooseWalkIn);
    rig.act(ActionKind::ChooseService, "paspoort");
    rig.act(ActionKind::ConfirmService);
    rig.act(ActionKind::ToggleNeed, "extra_time");
    rig.after(std::chrono::seconds(config.timing.idleTimeoutS + 1));
    CHECK(rig.state().screen == Screen::Welcome);
    CHECK(rig.state().needs.empty());

    FlowRig plain; // the default: no needs step
    CHECK_FALSE(plain.config.askNeeds);
    plain.act(ActionKind::ChooseWalkIn);
    plain.act(ActionKind::ChooseService, "paspoort");
    plain.act(ActionKind::ConfirmService);
    CHECK(plain.state().screen == Screen::Working);
}
