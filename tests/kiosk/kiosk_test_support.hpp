// Helpers for the kiosk's tests: a config and a flow with the example hall's services, catalogs
// from the real assets, and a clock the test moves by hand.
#pragma once

#include "shared/i18n/catalog.hpp"
#include "shared/kiosk/flow.hpp"
#include "shared/kiosk/view_builder.hpp"

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

inline KioskService service(std::string id, std::string prefix, std::string nl, bool walkIn = true, bool online = false,
                            std::string bring = "uw ID-bewijs") {
    KioskService s;
    s.id = std::move(id);
    s.prefix = std::move(prefix);
    s.name = {{"nl", nl}, {"en", nl + " (en)"}};
    s.description = {{"nl", "Een regel over " + nl}, {"en", "A line about " + nl}};
    if (!bring.empty()) s.bring = {{"nl", bring}, {"en", "your ID"}};
    s.walkIn = walkIn;
    s.online = online;
    return s;
}

inline std::vector<KioskService> exampleServices() {
    return {service("paspoort", "A", "Paspoort of ID-kaart aanvragen"),
            service("verhuizing", "V", "Verhuizing doorgeven", true, true),
            service("huwelijk", "H", "Huwelijk of partnerschap melden", false)};
}

inline KioskTicket walkInTicket(std::string number = "A012") {
    KioskTicket t;
    t.id = "t1";
    t.number = std::move(number);
    t.serviceId = "paspoort";
    t.issuedAt = "2026-11-23T09:15:00+01:00";
    t.waitLowS = 8 * 60;
    t.waitHighS = 14 * 60;
    t.visitorUrl = "http://127.0.0.1:8080/v/abcdefghijklmnopqrstuv";
    t.language = "nl";
    return t;
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
