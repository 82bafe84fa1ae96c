#include "kiosk_test_support.hpp"

#include "shared/kiosk/keypad.hpp"
#include "shared/kiosk/spoken_text.hpp"

#include <set>

using namespace loket::kiosk;
using namespace loket::kiosk::testing;
using namespace std::chrono_literals;
using loket::Error;
using loket::ErrorCode;

namespace {

// Drives a rig to each screen the kiosk has and hands the view to `check`.
template <class Check>
void forEveryScreen(const loket::i18n::Catalog& words, Check&& check) {
    auto view = [&](FlowRig& rig) { return buildView(*rig.flow, words); };
    {
        FlowRig rig;
        check(view(rig));
        rig.act(ActionKind::ChooseAppointment);
        rig.send(TextInput{"K7Q2MX"});
        check(view(rig));
        rig.send(EnterKey{});
        check(view(rig));
    }
    {
        FlowRig rig;
        rig.act(ActionKind::ChooseWalkIn);
        check(view(rig));
        rig.act(ActionKind::ChooseService, "verhuizing");
        check(view(rig));
    }
    const std::vector<Error> errors{
        refusal(ErrorCode::UnknownAppointment),
        refusal(ErrorCode::TooEarly, checkInFrom("2026-11-23T10:25:00+01:00")),
        refusal(ErrorCode::AlreadyCheckedIn, ticketNumber("A012")),
        refusal(ErrorCode::AppointmentNotToday, appointmentOn("2026-11-24")),
        refusal(ErrorCode::WalkInNotOffered),
        refusal(ErrorCode::HallClosed, openFromTo("2026-11-23T08:30:00+01:00", "2026-11-23T17:00:00+01:00")),
        refusal(ErrorCode::HallClosed),
        refusal(ErrorCode::BookingUnavailable),
        refusal(ErrorCode::Internal, {}, "boom")};
    for (const auto& error : errors) {
        FlowRig rig;
        const auto id = rig.submit("K7Q2MX");
        rig.send(CheckInRejected{id, error});
        check(view(rig));
    }
    {
        FlowRig rig;
        rig.act(ActionKind::ChooseAppointment);
        rig.send(TextInput{"1"});
        rig.send(EnterKey{});
        check(view(rig));
    }
    for (auto fault : {loket::ticket::PrinterFault::None, loket::ticket::PrinterFault::PaperOut}) {
        FlowRig rig;
        const auto id = rig.walkIn();
        rig.send(CheckInSucceeded{id, walkInTicket()});
        check(view(rig));
        rig.send(PrintFinished{id, fault});
        check(view(rig));
    }
    {
        FlowRig rig;
        const auto id = rig.walkIn();
        rig.send(CheckInUnreachable{id});
        check(view(rig));
        rig.act(ActionKind::StartOver);
        check(view(rig));
    }
    {
        FlowRig rig;
        rig.send(Reachability{false, true});
        check(view(rig));
    }
    {
        FlowRig rig;
        rig.act(ActionKind::ToggleSpeech);
        rig.act(ActionKind::ChooseWalkIn);
        rig.after(41s);
        check(view(rig));
    }
}

} // namespace

TEST_CASE("view: every visible text has a spoken form in every shipped language") {
    for (const auto& language : loket::i18n::shippedLanguages(sourceDir() / "assets")) {
        CAPTURE(language);
        const auto words = catalog(language);
        forEveryScreen(words, [&](const KioskVm& vm) {
            CAPTURE(vm.screenId);
            const std::string script = spokenScript(vm, Cue::Screen);
            for (const Text* text : textsOf(vm)) {
                CAPTURE(text->shown);
                CHECK_FALSE(text->shown.empty());
                CHECK_FALSE(text->spoken.empty());
                // No key left untranslated, no placeholder left unfilled.
                CHECK(text->shown.find("kiosk.") == std::string::npos);
                CHECK(text->shown.find('{') == std::string::npos);
            }
            CHECK_FALSE(script.empty());
        });
    }
}

TEST_CASE("view: the screen's script reads every text except the keyboard's keys") {
    const auto words = catalog("nl");
    forEveryScreen(words, [&](const KioskVm& vm) {
        CAPTURE(vm.screenId);
        const std::string script = spokenScript(vm, Cue::Screen);
        if (vm.warning) {
            CHECK(script.find(vm.warning->moreTime.label.spoken) != std::string::npos);
            return;
        }
        std::set<const Text*> keys;
        for (const Target* t : targetsOf(vm))
            if (t->key) keys.insert(&t->label);
        for (const Text* text : textsOf(vm))
            if (!keys.count(text)) CHECK(script.find(text->spoken) != std::string::npos);
    });
}

TEST_CASE("view: the booking code is shown but never spoken") {
    FlowRig rig;
    rig.act(ActionKind::ToggleSpeech);
    rig.act(ActionKind::ChooseAppointment);
    rig.send(TextInput{"K7Q2MX"});
    const auto vm = buildView(*rig.flow, catalog("nl"));
    const auto& code = std::get<CodeEntryVm>(vm.screen);
    CHECK(code.typed.shown == "K7Q2MX");
    CHECK(code.typed.spoken == "U heeft 6 tekens getypt.");
    for (Cue cue : {Cue::Screen, Cue::Focus, Cue::Warning})
        CHECK(spokenScript(vm, cue).find("K7Q2MX") == std::string::npos);
}

TEST_CASE("view: the ticket number is spoken as a letter and a number") {
    CHECK(spokenTicketNumber("A012") == "A 12");
    CHECK(spokenTicketNumber("B100") == "B 100");
    CHECK(spokenTicketNumber("A000") == "A 0");
    FlowRig rig;
    const auto id = rig.walkIn();
    rig.send(CheckInSucceeded{id, walkInTicket()});
    const auto vm = buildView(*rig.flow, catalog("nl"));
    const auto& ticket = std::get<TicketVm>(vm.screen);
    CHECK(ticket.number.shown == "A012");
    CHECK(ticket.number.spoken == "A 12");
    REQUIRE(ticket.wait);
    CHECK(ticket.wait->shown == "Wachttijd: ongeveer 8–14 minuten");
    CHECK(ticket.wait->spoken == "Wachttijd: ongeveer 8 tot 14 minuten.");
}

TEST_CASE("view: error screens take the time, number and date from the server's typed details") {
    auto problem = [](const Error& error, const std::string& language = "nl") {
        FlowRig rig;
        if (language != "nl") rig.act(ActionKind::SetLanguage, language);
        const auto id = rig.submit("K7Q2MX");
        rig.send(CheckInRejected{id, error});
        return std::get<MessageVm>(buildView(*rig.flow, catalog(language)).screen);
    };
    auto tooEarly = problem(refusal(ErrorCode::TooEarly, checkInFrom("2026-11-23T10:25:00+01:00")));
    CHECK(tooEarly.lines.at(0).shown == "Kom terug om 10:25. Meld u dan hier aan.");
    CHECK(tooEarly.highlight->shown == "10:25");
    auto already = problem(refusal(ErrorCode::AlreadyCheckedIn, ticketNumber("A012")));
    CHECK(already.lines.at(0).shown == "Uw nummer is A012.");
    CHECK(already.lines.at(0).spoken == "Uw nummer is A 12.");
    auto notToday = problem(refusal(ErrorCode::AppointmentNotToday, appointmentOn("2026-11-24")));
    CHECK(notToday.lines.at(0).shown == "Uw afspraak is op 24 november 2026. Kom dan terug.");
    auto notTodayEn = problem(refusal(ErrorCode::AppointmentNotToday, appointmentOn("2026-11-24")), "en");
    CHECK(notTodayEn.title.shown == "Your appointment is not today");
    auto closed = problem(refusal(ErrorCode::HallClosed, openFromTo("2026-11-23T08:30:00+01:00", "2026-11-23T17:00:00+01:00")));
    CHECK(closed.lines.at(0).shown == "Wij zijn vandaag open van 08:30 tot 17:00.");

    // The message is for people and logs: a time, number or date in it is never shown.
    auto wordsOnly = problem(refusal(ErrorCode::TooEarly, {}, "Too early: check in from 10:25."));
    CHECK(wordsOnly.lines.at(0).shown.find("10:25") == std::string::npos);
    CHECK_FALSE(wordsOnly.highlight.has_value());
    auto numberInWords = problem(refusal(ErrorCode::AlreadyCheckedIn, {}, "Already checked in with ticket A012."));
    CHECK(numberInWords.lines.at(0).shown.find("A012") == std::string::npos);
}

TEST_CASE("view: a refused server certificate is told on the out-of-order screen, and goes when the server is reached") {
    FlowRig rig;
    rig.send(Reachability{false});
    const auto plain = std::get<MessageVm>(buildView(*rig.flow, catalog("nl")).screen);
    rig.send(Reachability{false, true});
    const auto refused = std::get<MessageVm>(buildView(*rig.flow, catalog("nl")).screen);
    REQUIRE(refused.lines.size() == plain.lines.size() + 1);
    CHECK(refused.lines.back().shown == "Voor de beheerder: het certificaat van de server wordt niet vertrouwd.");
    rig.send(Reachability{true});
    rig.send(Reachability{false});
    CHECK(std::get<MessageVm>(buildView(*rig.flow, catalog("nl")).screen).lines.size() == plain.lines.size());
}

TEST_CASE("view: every error screen offers a next step") {
    forEveryScreen(catalog("nl"), [](const KioskVm& vm) {
        if (const auto* message = std::get_if<MessageVm>(&vm.screen); message && !message->busy) {
            CAPTURE(vm.screenId);
            if (vm.screenId == "offline") return; // the untouched offline screen sends to the desk and recovers itself
            CHECK_FALSE(message->actions.empty());
        }
    });
}

TEST_CASE("view: the printer-fault ticket carries the QR code of the visitor url") {
    FlowRig rig;
    const auto id = rig.walkIn();
    rig.send(CheckInSucceeded{id, walkInTicket()});
    rig.send(PrintFinished{id, loket::ticket::PrinterFault::PaperOut});
    const auto vm = buildView(*rig.flow, catalog("nl"));
    CHECK(vm.screenId == "ticket.on_screen");
    const auto& ticket = std::get<TicketVm>(vm.screen);
    CHECK(ticket.onScreen);
    REQUIRE(ticket.qr);
    CHECK(ticket.qr->width >= 21);
    CHECK(ticket.status.shown == "Het printen lukt niet. Maak een foto van uw nummer of onthoud het.");
}

TEST_CASE("view: a service with a public label shows that label and not its line") {
    FlowRig rig;
    auto services = exampleServices();
    services[0].publicLabel = loket::core::LocalText{{"nl", "Balie B"}, {"en", "Counter B"}};
    rig.send(ServicesLoaded{services});
    rig.act(ActionKind::ChooseWalkIn);
    const auto vm = buildView(*rig.flow, catalog("nl"));
    const auto& tiles = std::get<ServicesVm>(vm.screen).tiles;
    CHECK(tiles.at(0).target.label.shown == "Balie B");
    CHECK_FALSE(tiles.at(0).target.detail.has_value());
    CHECK(tiles.at(1).online.has_value());
    CHECK(tiles.at(2).appointmentOnly.has_value());
}

TEST_CASE("view: every shipped language has every kiosk text") {
    const auto languages = loket::i18n::shippedLanguages(sourceDir() / "assets");
    REQUIRE(languages.size() >= 4);
    for (const auto& language : languages) {
        const auto words = catalog(language);
        for (const auto& key : kioskTextKeys()) {
            CAPTURE(language, key);
            CHECK(words.has(key));
        }
    }
}

TEST_CASE("view: toggles say whether they are on, not only by colour") {
    FlowRig rig;
    rig.act(ActionKind::ToggleLargeText);
    const auto vm = buildView(*rig.flow, catalog("nl"));
    const Target& large = vm.bar.back();
    CHECK(large.selected);
    CHECK(large.label.spoken == "Grotere letters, aan");
}

TEST_CASE("keypad: next and previous walk through every target and wrap around") {
    FlowRig rig;
    const auto vm = buildView(*rig.flow, catalog("nl"));
    const int n = static_cast<int>(targetsOf(vm).size());
    CHECK(n == 2 + 4 + 2); // two choices, four languages, read aloud and larger text
    auto next = inputForKey(vm, n - 1, NavKey::Next);
    REQUIRE(next);
    CHECK(std::get<FocusInput>(*next).index == 0);
    auto previous = inputForKey(vm, 0, NavKey::Previous);
    CHECK(std::get<FocusInput>(*previous).index == n - 1);
}

TEST_CASE("keypad: the whole walk-in flow works without touching the screen") {
    FlowRig rig;
    auto press = [&](NavKey key) {
        const auto vm = buildView(*rig.flow, catalog("nl"));
        auto input = inputForKey(vm, rig.state().focus, key);
        REQUIRE(input);
        rig.send(*input);
    };
    press(NavKey::Next);
    press(NavKey::Next); // "Ik heb geen afspraak"
    press(NavKey::Activate);
    CHECK(rig.state().screen == Screen::Services);
    press(NavKey::Next);
    press(NavKey::Activate);
    CHECK(rig.state().screen == Screen::ServiceConfirm);
    press(NavKey::Next);
    press(NavKey::Activate);
    CHECK(rig.effect<SendCheckIn>() != nullptr);
}

TEST_CASE("keypad: on the code screen backspace erases and Enter submits what was typed") {
    FlowRig rig;
    rig.act(ActionKind::ChooseAppointment);
    rig.send(TextInput{"K7Q2MXZ"});
    auto vm = buildView(*rig.flow, catalog("nl"));
    rig.send(*inputForKey(vm, rig.state().focus, NavKey::Erase));
    CHECK(rig.state().codeInput == "K7Q2MX");
    vm = buildView(*rig.flow, catalog("nl"));
    rig.send(*inputForKey(vm, rig.state().focus, NavKey::Activate));
    CHECK(rig.effect<SendCheckIn>() != nullptr);
}

TEST_CASE("keypad: during the warning any key means more time") {
    FlowRig rig;
    rig.act(ActionKind::ChooseWalkIn);
    rig.after(45s);
    const auto vm = buildView(*rig.flow, catalog("nl"));
    REQUIRE(vm.warning);
    CHECK(targetsOf(vm).size() == 1);
    auto input = inputForKey(vm, -1, NavKey::Activate);
    REQUIRE(input);
    rig.send(*input);
    CHECK_FALSE(rig.state().warning);
}
