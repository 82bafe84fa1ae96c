// Helpers for the kiosk's tests: a config and a flow with the example hall's services, catalogs
// from the real assets, and a clock the test moves by hand.
#pragma once

#include "shared/i18n/catalog.hpp"
#include "shared/kiosk/flow.hpp"
#include "shared/kiosk/view_builder.hpp"
#include "shared/proto/rfc3339.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace loket::kiosk::testing {

inline std::filesystem::path sourceDir() { return LOKET_SOURCE_DIR; }

inline i18n::Catalog catalog(const std::string& language) {
    auto c = i18n::loadCatalog(sourceDir() / "assets", language);
    REQUIRE(c.has_value());
    return *c;
}

inline proto::ClientService service(std::string id, std::string prefix, std::string nl, bool walkIn = true,
                                    bool online = false, std::string bring = "uw ID-bewijs") {
    proto::ClientService s;
    s.id = std::move(id);
    s.prefix = std::move(prefix);
    s.name = {{"nl", nl}, {"en", nl + " (en)"}};
    s.description = {{"nl", "Een regel over " + nl}, {"en", "A line about " + nl}};
    if (!bring.empty()) s.bring = {{"nl", bring}, {"en", "your ID"}};
    s.walkIn = walkIn;
    s.online = online;
    return s;
}

inline std::vector<proto::ClientService> exampleServices() {
    return {service("paspoort", "A", "Paspoort of ID-kaart aanvragen"),
            service("verhuizing", "V", "Verhuizing doorgeven", true, true),
            service("huwelijk", "H", "Huwelijk of partnerschap melden", false)};
}

inline proto::IssuedTicket walkInTicket(std::string number = "A012") {
    proto::IssuedTicket t;
    t.ticket.id = "t1";
    t.ticket.number = std::move(number);
    t.ticket.service = "paspoort";
    t.ticket.status = "waiting";
    t.issuedAt = "2026-11-23T09:15:00+01:00";
    t.waitLowS = 8 * 60;
    t.waitHighS = 14 * 60;
    t.visitorUrl = "http://127.0.0.1:8080/v/abcdefghijklmnopqrstuv";
    t.ticket.language = "nl";
    return t;
}

// A time as the server writes it, read back: the instant and the hall's offset.
inline core::Now hallTime(const char* rfc3339) {
    auto at = proto::parseRfc3339(rfc3339);
    REQUIRE(at.has_value());
    return *at;
}

// The server's refusal of a check-in as the HTTP client hands it over: a code, an English
// message for logs, and the typed facts.
inline Error refusal(ErrorCode code, ErrorDetails details = {}, std::string message = "message") {
    return Error{code, std::move(message), std::move(details)};
}
inline ErrorDetails checkInFrom(const char* rfc3339) {
    ErrorDetails d;
    d.checkInFrom = hallTime(rfc3339);
    return d;
}
inline ErrorDetails ticketNumber(std::string number) {
    ErrorDetails d;
    d.ticketNumber = std::move(number);
    return d;
}
inline ErrorDetails appointmentOn(const char* isoDate) {
    ErrorDetails d;
    core::LocalDay day = 0;
    REQUIRE(core::parseDate(isoDate, day));
    d.appointmentDay = day;
    return d;
}
inline ErrorDetails openFromTo(const char* opens, const char* closes) {
    ErrorDetails d;
    d.opensAt = hallTime(opens);
    d.closesAt = hallTime(closes);
    return d;
}

// A flow, its clock and the effects of the last input.
struct FlowRig {
    KioskConfig config;
    TimePoint now = TimePoint{} + std::chrono::hours(1);
    std::optional<Flow> flow;
    Effects last;

    explicit FlowRig(KioskConfig c = {}) : config(std::move(c)) {
        if (config.deviceToken.empty()) config.deviceToken = "demo-kiosk-token";
        auto recognizer = BookingCodeRecognizer::create(config.bookingCodes);
        REQUIRE(recognizer.has_value());
        flow.emplace(config, std::move(*recognizer), now);
        send(ServicesLoaded{exampleServices()});
    }
    const FlowState& state() const { return flow->state(); }
    Effects& send(const Input& input) {
        last = flow->handle(input, now);
        return last;
    }
    Effects& act(ActionKind kind, std::string arg = {}) { return send(ActionInput{Action{kind, std::move(arg)}}); }
    Effects& after(std::chrono::milliseconds d) {
        now += d;
        return send(Tick{});
    }
    template <class E> const E* effect() const {
        for (const auto& e : last)
            if (const E* found = std::get_if<E>(&e)) return found;
        return nullptr;
    }
    // Checks in by code and returns the request id the flow sent.
    std::uint64_t submit(const std::string& code) {
        act(ActionKind::ChooseAppointment);
        send(TextInput{code});
        send(EnterKey{});
        const SendCheckIn* sent = effect<SendCheckIn>();
        REQUIRE(sent != nullptr);
        return sent->requestId;
    }
    std::uint64_t walkIn(const std::string& id = "paspoort") {
        act(ActionKind::ChooseWalkIn);
        act(ActionKind::ChooseService, id);
        act(ActionKind::ConfirmService);
        const SendCheckIn* sent = effect<SendCheckIn>();
        REQUIRE(sent != nullptr);
        return sent->requestId;
    }
};

} // namespace loket::kiosk::testing
